-- OGC collection `context`: rivers, roads, rail, parks and water (lines and polygons).
-- Parameters: after (the caller adds the bbox filter on `geom`).
SELECT f.code AS id, f.geom, ST_AsGeoJSON(f.geom, 9) AS geometry,
       json_build_object('code', f.code, 'kind', f.kind, 'name', f.name, 'rank', f.rank)
           AS properties
FROM context_features f
WHERE f.code > %(after)s
