-- The wall display's ticker: the newest cases and the overdue tickets (past their time limits,
-- ticket_limits), newest first. Category, grid and time only: never who or which door.
-- Parameters: now, limit.
(SELECT 'case' AS kind, c.code, c.category, c.grid_code, g.name AS grid_name,
        c.reported_at AS at, ST_X(c.geom) AS lng, ST_Y(c.geom) AS lat
 FROM cases c
 LEFT JOIN grids g ON g.code = c.grid_code
 WHERE c.reported_at <= %(now)s
 ORDER BY c.reported_at DESC, c.code
 LIMIT %(limit)s)
UNION ALL
(SELECT 'ticket', i.code, i.category, i.grid_code, g.name,
        i.received_at, ST_X(i.geom), ST_Y(i.geom)
 FROM incidents i
 LEFT JOIN grids g ON g.code = i.grid_code
 -- overdue: still open past its solve limit, or unanswered past its response limit
 WHERE i.status <> 'closed'
   AND (i.due_at < %(now)s OR (i.responded_at IS NULL AND i.response_due_at < %(now)s))
 ORDER BY i.received_at DESC, i.code
 LIMIT %(limit)s)
