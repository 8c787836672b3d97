-- OGC collection `context`: rivers, roads, rail, parks and water (lines and polygons).
-- Parameters: west, south, east, north, after.
SELECT f.code AS id, ST_AsGeoJSON(f.geom, 9) AS geometry,
       json_build_object('code', f.code, 'kind', f.kind, 'name', f.name, 'rank', f.rank)
           AS properties
FROM context_features f
WHERE f.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND ST_Intersects(f.geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
  AND f.code > %(after)s
