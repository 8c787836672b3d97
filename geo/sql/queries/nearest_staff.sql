-- The nearest N staff of a role to a point (KNN on the GiST index, re-ranked on the geography
-- among the 4N planar-nearest: a degree of longitude is 0.77 of one of latitude here).
-- Parameters: lat, lng, role, n.
SELECT s.code, s.name, s.role, s.grid_code, s.on_duty, s.skills,
       metres_between(s.geom, ST_Point(%(lng)s, %(lat)s, 4326)) AS metres
FROM (SELECT * FROM staff WHERE role = %(role)s
      ORDER BY geom <-> ST_Point(%(lng)s, %(lat)s, 4326) LIMIT 4 * %(n)s) s
ORDER BY metres, s.code
LIMIT %(n)s
