-- OGC collection `grids`: outlines and their community; the grid worker (a staff row with a
-- name and phone) stays out. Parameters: after.
SELECT g.code AS id, g.geom, ST_AsGeoJSON(g.geom, 9) AS geometry,
       json_build_object('code', g.code, 'name', g.name, 'community_code', g.community_code)
           AS properties
FROM grids g
WHERE g.code > %(after)s
