-- The call list of a mobilisation level around a point: for each role the nearest n on-duty
-- people, and the nearest n response teams (resources of kind 'team'). KNN on the GiST index,
-- re-ranked on the geography among the 4n planar-nearest (a degree of longitude is 0.77 of one
-- of latitude here: the true n nearest lie within 1.3x the planar n-th distance, which 4n
-- candidates cover at any even density).
-- Parameters: lat, lng, roles (text[]) and counts (int[]) in the same order.
WITH here AS (SELECT ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326) AS p),
wanted AS (
    SELECT role, n, ordinality AS role_order
    FROM unnest(%(roles)s::text[], %(counts)s::int[]) WITH ORDINALITY AS w(role, n)
)
SELECT w.role, p.code, p.name, p.phone, p.grid_code, p.skills, p.capacity, p.metres,
       -- a subquery, not a join: joined, the planner probes grids_code_trgm (GIN) per row,
       -- ~1 ms each at district scale, instead of the primary key
       (SELECT name FROM grids WHERE code = p.grid_code) AS grid_name
FROM here, wanted w, LATERAL (
    SELECT c.code, c.name, c.phone, c.grid_code, c.skills, NULL::integer AS capacity,
           metres_between(c.geom, here.p) AS metres
    FROM (SELECT * FROM staff
          WHERE role = w.role AND on_duty
          ORDER BY geom <-> here.p LIMIT 4 * w.n) c
    WHERE w.role <> 'team'
    UNION ALL
    SELECT r.code, r.name, NULL, r.grid_code, '{}'::text[], r.capacity,
           metres_between(r.geom, here.p)
    FROM (SELECT * FROM resources
          WHERE kind = 'team'
          ORDER BY geom <-> here.p LIMIT 4 * w.n) r
    WHERE w.role = 'team'
    ORDER BY metres, code
    LIMIT w.n
) p
ORDER BY w.role_order, p.metres, p.code
