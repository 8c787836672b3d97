-- OGC collection `grids`: outlines and their community; the grid worker (a staff row with a
-- name and phone) stays out. Parameters: west, south, east, north, after.
SELECT g.code AS id, ST_AsGeoJSON(g.geom, 9) AS geometry,
       json_build_object('code', g.code, 'name', g.name, 'community_code', g.community_code)
           AS properties
FROM grids g
WHERE g.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND ST_Intersects(g.geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
  AND g.code > %(after)s
