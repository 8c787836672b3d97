-- The nearest N resources of a kind to a point (KNN re-ranked on the geography, as for staff).
-- Parameters: lat, lng, kind, n.
WITH here AS (SELECT ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326) AS p)
SELECT r.code, r.name, r.kind, r.capacity, r.stock, r.reach_m, r.grid_code,
       round(ST_Distance(r.geom::geography, here.p::geography)) AS metres
FROM here, LATERAL (
    SELECT * FROM resources WHERE kind = %(kind)s ORDER BY geom <-> here.p LIMIT 4 * %(n)s
) r
ORDER BY metres, r.code
LIMIT %(n)s
