-- OGC collection `communities`: full-precision outlines (no simplification: GIS clients copy
-- them), without the committee phone. Rows query: the caller orders by id and pages by `after`
-- (keyset on the primary key), or counts. Parameters: west, south, east, north, after.
SELECT c.code AS id, ST_AsGeoJSON(c.geom, 9) AS geometry,
       json_build_object('code', c.code, 'name', c.name, 'kind', c.kind) AS properties
FROM communities c
WHERE c.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND ST_Intersects(c.geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
  AND c.code > %(after)s
