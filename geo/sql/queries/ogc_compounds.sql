-- OGC collection `compounds`: outlines with management type (property / quasi / three_no) and
-- the caretaker branch (代管). Parameters: west, south, east, north, after.
SELECT c.code AS id, ST_AsGeoJSON(c.geom, 9) AS geometry,
       json_build_object('code', c.code, 'name', c.name, 'community_code', c.community_code,
                         'grid_code', c.grid_code, 'management', c.management,
                         'caretaker_branch', c.caretaker_branch, 'households', c.households)
           AS properties
FROM compounds c
WHERE c.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND ST_Intersects(c.geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
  AND c.code > %(after)s
