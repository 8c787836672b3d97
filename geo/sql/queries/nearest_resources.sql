-- The nearest N resources of a kind to a point (KNN re-ranked on the geography, as for staff).
-- Parameters: lat, lng, kind, n.
SELECT r.code, r.name, r.kind, r.capacity, r.stock, r.reach_m, r.grid_code,
       metres_between(r.geom, ST_Point(%(lng)s, %(lat)s, 4326)) AS metres
FROM (SELECT * FROM resources WHERE kind = %(kind)s
      ORDER BY geom <-> ST_Point(%(lng)s, %(lat)s, 4326) LIMIT 4 * %(n)s) r
ORDER BY metres, r.code
LIMIT %(n)s
