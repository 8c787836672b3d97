-- Rivers, roads, rail, parks and water (context_features): the offline map's own basemap.
-- Minor features first, so expressways and the main river are drawn on top of them.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT f.code, f.kind, f.name, f.rank,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(f.geom, %(tolerance)s), %(digits)s)
               AS geometry
    FROM context_features f
    JOIN env ON f.geom && env.box AND ST_Intersects(f.geom, env.box)
)
SELECT code AS id, geometry,
       json_build_object('code', code, 'kind', kind, 'name', name, 'rank', rank) AS properties
FROM hits
ORDER BY rank DESC, code
