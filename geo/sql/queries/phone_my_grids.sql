-- A grid worker's grids with their outlines (for the phone's offline map and the "outside my
-- grids" warning), simplified to ~1 m. Parameters: grids (text[]).
SELECT g.code, g.name, g.community_code,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(g.geom, 0.00001), 6)::json AS geometry,
       ARRAY[ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom)] AS bbox
FROM grids g
WHERE g.code = ANY(%(grids)s)
ORDER BY g.code
