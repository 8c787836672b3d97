-- OGC collection `communities`: full-precision outlines (no simplification: GIS clients copy
-- them), without the committee phone. Rows query: the caller orders by id and pages by `after`
-- (keyset on the primary key), or counts. Parameters: after (the caller adds the bbox
-- filter on `geom`, only when a bbox is asked: ST_Intersects on every row costs).
SELECT c.code AS id, c.geom, ST_AsGeoJSON(c.geom, 9) AS geometry,
       json_build_object('code', c.code, 'name', c.name, 'kind', c.kind) AS properties
FROM communities c
WHERE c.code > %(after)s
