-- How many people (and teams) of each role every grid can field on duty, and how many a
-- mobilisation level calls: ceil(on duty x the level's share) per role.
-- Shares are cast to numeric so that 0.7 x 10 is 7, not 7.000000000000001 rounded up to 8.
-- Parameters: roles (text[]), shares (float8[]) of the level, same order.
WITH level AS (
    SELECT role, share::numeric AS share
    FROM unnest(%(roles)s::text[], %(shares)s::float8[]) AS l(role, share)
), available AS (
    SELECT grid_code, role, count(*) AS n
    FROM staff WHERE on_duty AND grid_code IS NOT NULL
    GROUP BY grid_code, role
    UNION ALL
    SELECT grid_code, 'team', count(*)
    FROM resources WHERE kind = 'team' AND grid_code IS NOT NULL
    GROUP BY grid_code
)
SELECT g.code, g.name, g.community_code,
       coalesce(jsonb_object_agg(a.role, a.n) FILTER (WHERE a.role IS NOT NULL), '{}'::jsonb)
           AS on_duty,
       coalesce(jsonb_object_agg(a.role, ceil(a.n * l.share)::int)
                    FILTER (WHERE l.role IS NOT NULL), '{}'::jsonb) AS called,
       coalesce(sum(ceil(a.n * l.share)), 0)::int AS total_called
FROM grids g
LEFT JOIN available a ON a.grid_code = g.code
LEFT JOIN level l ON l.role = a.role
GROUP BY g.code, g.name, g.community_code
ORDER BY g.code
