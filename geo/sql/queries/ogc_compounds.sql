-- OGC collection `compounds`: outlines with management type (property / quasi / three_no) and
-- the caretaker branch (代管). Parameters: after.
SELECT c.code AS id, c.geom, ST_AsGeoJSON(c.geom, 9) AS geometry,
       json_build_object('code', c.code, 'name', c.name, 'community_code', c.community_code,
                         'grid_code', c.grid_code, 'management', c.management,
                         'caretaker_branch', c.caretaker_branch, 'households', c.households)
           AS properties
FROM compounds c
WHERE c.code > %(after)s
