-- 接诉即办 choropleth: grids coloured by the share of 12345 tickets received in the window
-- [since, until) and solved by `until` — good from 95 percent, fair from 85, poor below; none when
-- the grid had no ticket. Parameters: west, south, east, north, tolerance, outline_digits,
-- since, until.
WITH hits AS (
    SELECT g.code, g.name, outline_geojson(g.geom, %(tolerance)s, %(outline_digits)s) AS geometry
    FROM grids g
    WHERE in_viewport(g.geom, %(west)s, %(south)s, %(east)s, %(north)s)
), rates AS (
    SELECT grid_code, count(*) AS tickets,
           count(*) FILTER (WHERE solved_at < %(until)s) AS solved,
           count(*) FILTER (WHERE responded_at <= response_due_at) AS responded
    FROM incidents
    WHERE source = 'hotline' AND received_at >= %(since)s AND received_at < %(until)s
      AND grid_code IN (SELECT code FROM hits)
    GROUP BY 1
)
SELECT hits.code AS id, geometry,
       json_build_object(
           'code', hits.code, 'name', name, 'tickets', coalesce(r.tickets, 0),
           'solve_rate', round(r.solved::numeric / nullif(r.tickets, 0), 3),
           'response_rate', round(r.responded::numeric / nullif(r.tickets, 0), 3),
           'rate_class', CASE WHEN r.tickets IS NULL THEN 'none'
                              WHEN r.solved >= 0.95 * r.tickets THEN 'good'
                              WHEN r.solved >= 0.85 * r.tickets THEN 'fair'
                              ELSE 'poor' END) AS properties
FROM hits
LEFT JOIN rates r ON r.grid_code = hits.code
ORDER BY hits.code
