-- Epidemic cases reported in [since, until) inside a viewport: the category and the day only,
-- never who. `recency` (1 = at the window's end, 0 = at its start) lets the browser draw
-- recent cases stronger without knowing the window.
-- Parameters: west, south, east, north, since, until, digits.
SELECT c.code AS id, ST_AsGeoJSON(c.geom, %(digits)s) AS geometry,
       json_build_object(
        'code', c.code, 'category', c.category, 'grid_code', c.grid_code,
        'reported', to_char(c.reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
        'recency', round((1 - extract(epoch FROM %(until)s::timestamptz - c.reported_at)
                             / extract(epoch FROM %(until)s::timestamptz
                                                - %(since)s::timestamptz))::numeric, 2)) AS properties
FROM cases c
WHERE in_viewport(c.geom, %(west)s, %(south)s, %(east)s, %(north)s)
  AND c.reported_at >= %(since)s AND c.reported_at < %(until)s
ORDER BY c.reported_at, c.code
