-- Grids left without an on-duty grid worker (网格员) or without an on-duty building head
-- (楼门长), with how many of each they have at all (on duty or not).
-- Parameters: limit, offset (NULL / 0: every grid); gaps_total counts every gap grid.
WITH people AS (
    SELECT g.code, g.name, g.community_code, c.name AS community_name,
           count(*) FILTER (WHERE s.role = 'grid_worker' AND s.on_duty) AS grid_workers_on_duty,
           count(*) FILTER (WHERE s.role = 'grid_worker') AS grid_workers,
           count(*) FILTER (WHERE s.role = 'building_head' AND s.on_duty)
               AS building_heads_on_duty,
           count(*) FILTER (WHERE s.role = 'building_head') AS building_heads
    FROM grids g
    JOIN communities c ON c.code = g.community_code
    LEFT JOIN staff s ON s.grid_code = g.code AND s.role IN ('grid_worker', 'building_head')
    GROUP BY g.code, g.name, g.community_code, c.name
)
SELECT code, name, community_code, community_name,
       grid_workers_on_duty, grid_workers, building_heads_on_duty, building_heads,
       array_remove(ARRAY[CASE WHEN grid_workers_on_duty = 0 THEN 'grid_worker' END,
                          CASE WHEN building_heads_on_duty = 0 THEN 'building_head' END],
                    NULL) AS missing,
       count(*) OVER () AS gaps_total
FROM people
WHERE grid_workers_on_duty = 0 OR building_heads_on_duty = 0
ORDER BY grid_workers_on_duty, building_heads_on_duty, code
LIMIT %(limit)s OFFSET %(offset)s
