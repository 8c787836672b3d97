-- 12345 tickets (and patrol / device reports, as the H3 `tickets` metric counts them) received
-- in [since, until) inside a viewport. The browser clusters them at low zoom.
-- The caller's address stays out: it is often the caller's home. Grid and category suffice.
-- Parameters: west, south, east, north, since, until, digits.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT i.code, i.source, i.category, i.status, i.received_at, i.grid_code, i.due_at,
           CASE WHEN i.status = 'closed' THEN 'closed'
                WHEN i.due_at < now() OR (i.responded_at IS NULL AND i.response_due_at < now())
                    THEN 'overdue'
                WHEN i.due_at < now() + interval '2 hours' THEN 'soon'
                WHEN i.status IN ('received', 'returned') THEN 'waiting'
                ELSE 'working' END AS map_state,
           ST_AsGeoJSON(i.geom, %(digits)s) AS geometry
    FROM incidents i
    JOIN env ON i.geom && env.box AND ST_Intersects(i.geom, env.box)
    WHERE i.received_at >= %(since)s AND i.received_at < %(until)s
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'source', source, 'category', category, 'status', status,
        'map_state', map_state,
        'due', to_char(due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
        -- the town's local day, which is what the hall talks about
        'received', to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
        'grid_code', grid_code) AS properties
FROM hits
ORDER BY received_at, code
