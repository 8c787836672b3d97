-- 12345 tickets (and patrol / device reports, as the H3 `tickets` metric counts them) received
-- in [since, until) inside a viewport. The browser clusters them at low zoom.
-- The caller's address stays out: it is often the caller's home. Grid and category suffice.
-- Parameters: west, south, east, north, since, until, digits.
WITH hits AS (
    SELECT i.code, i.source, i.category, i.status, i.received_at, i.grid_code, i.due_at,
           CASE WHEN i.status = 'closed' THEN 'closed'
                WHEN i.due_at < now() OR (i.responded_at IS NULL AND i.response_due_at < now())
                    THEN 'overdue'
                WHEN i.due_at < now() + interval '2 hours' THEN 'soon'
                WHEN i.status IN ('received', 'returned') THEN 'waiting'
                ELSE 'working' END AS map_state,
           -- 超时 (the cluster bubbles' red): past its solve limit or unanswered past its
           -- response limit (ticket_limits), as map_state says
           (i.status <> 'closed' AND (i.due_at < now() OR (i.responded_at IS NULL
                                      AND i.response_due_at < now()))) AS overdue,
           ST_AsGeoJSON(i.geom, %(digits)s) AS geometry
    FROM incidents i
    WHERE in_viewport(i.geom, %(west)s, %(south)s, %(east)s, %(north)s)
      AND i.received_at >= %(since)s AND i.received_at < %(until)s
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'source', source, 'category', category, 'status', status,
        'map_state', map_state,
        'due', to_char(due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
        -- the town's local day, which is what the hall talks about
        'received', to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
        'grid_code', grid_code, 'overdue', overdue) AS properties
FROM hits
ORDER BY received_at, code
