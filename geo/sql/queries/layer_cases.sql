-- Epidemic cases reported in [since, until) inside a viewport: the category and the day only,
-- never who. `recency` (1 = at the window's end, 0 = at its start) lets the browser draw
-- recent cases stronger without knowing the window.
-- Parameters: west, south, east, north, since, until, digits.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT c.code, c.category, c.reported_at, c.grid_code,
           ST_AsGeoJSON(c.geom, %(digits)s) AS geometry
    FROM cases c
    JOIN env ON c.geom && env.box AND ST_Intersects(c.geom, env.box)
    WHERE c.reported_at >= %(since)s AND c.reported_at < %(until)s
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'category', category, 'grid_code', grid_code,
        'reported', to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
        'recency', round((1 - extract(epoch FROM %(until)s::timestamptz - reported_at)
                             / extract(epoch FROM %(until)s::timestamptz
                                                - %(since)s::timestamptz))::numeric, 2)) AS properties
FROM hits
ORDER BY reported_at, code
