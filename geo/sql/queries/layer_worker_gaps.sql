-- Grids left without an on-duty grid worker (网格员) or building head (楼门长) meeting a
-- viewport: the operations drawer's 应急动员 gaps table (mobilisation_gaps.sql) on the map.
-- Parameters: west, south, east, north, tolerance, outline_digits.
WITH people AS (
    SELECT g.code, g.name, g.geom,
           count(*) FILTER (WHERE s.role = 'grid_worker' AND s.on_duty) AS workers_on_duty,
           count(*) FILTER (WHERE s.role = 'building_head' AND s.on_duty) AS heads_on_duty
    FROM grids g
    LEFT JOIN staff s ON s.grid_code = g.code AND s.role IN ('grid_worker', 'building_head')
    WHERE in_viewport(g.geom, %(west)s, %(south)s, %(east)s, %(north)s)
    GROUP BY g.code, g.name, g.geom
)
SELECT code AS id,
       outline_geojson(geom, %(tolerance)s, %(outline_digits)s) AS geometry,
       json_build_object(
        'code', code, 'name', name,
        'gap', CASE WHEN workers_on_duty = 0 THEN 'no_grid_worker' ELSE 'no_building_head' END,
        'workers_on_duty', workers_on_duty, 'heads_on_duty', heads_on_duty) AS properties
FROM people
WHERE workers_on_duty = 0 OR heads_on_duty = 0
ORDER BY code
