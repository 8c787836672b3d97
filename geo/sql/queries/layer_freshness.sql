-- Grids coloured by the age of their household forms (一户一表): the median days since
-- updated_at, in classes fresh < 30 d ≤ recent < 90 d ≤ aging < 180 d ≤ stale; 'none' when a
-- grid holds no forms at all (底数不清). Parameters: west, south, east, north, tolerance,
-- outline_digits.
WITH hits AS (
    SELECT g.code, g.name, outline_geojson(g.geom, %(tolerance)s, %(outline_digits)s) AS geometry
    FROM grids g
    WHERE in_viewport(g.geom, %(west)s, %(south)s, %(east)s, %(north)s)
), ages AS (
    -- the grid_freshness_stats rollup (migration 046): median age = now - median updated_at
    SELECT s.grid_code, s.households,
           (extract(epoch FROM now()) - s.median_epoch) / 86400 AS days
    FROM grid_freshness_stats s
    WHERE s.grid_code IN (SELECT code FROM hits) AND s.households > 0
)
SELECT hits.code AS id, geometry,
       json_build_object(
           'code', hits.code, 'name', name, 'households', coalesce(a.households, 0),
           'median_age_days', round(a.days::numeric),
           'age_class', CASE WHEN a.days IS NULL THEN 'none' WHEN a.days < 30 THEN 'fresh'
                             WHEN a.days < 90 THEN 'recent' WHEN a.days < 180 THEN 'aging'
                             ELSE 'stale' END) AS properties
FROM hits
LEFT JOIN ages a ON a.grid_code = hits.code
ORDER BY hits.code
