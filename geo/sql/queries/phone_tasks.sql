-- The tickets dispatched to a grid worker (the staff member of the worker's grids, grids.worker_code)
-- that still wait for them: dispatched, accepted, in progress. Most urgent first: overdue ones,
-- then by the time left to due_at, emergencies before others at the same time.
-- Parameters: grids (text[]), now.
SELECT i.code, i.category, coalesce(c.name_zh, i.category) AS category_zh,
       coalesce(c.name_en, i.category) AS category_en, i.urgency, i.status, i.version,
       i.received_at, i.response_due_at, i.responded_at, i.due_at, i.address, i.content, i.grid_code,
       i.assignee, ST_Y(i.geom) AS lat, ST_X(i.geom) AS lng
FROM incidents i
LEFT JOIN ticket_categories c ON c.code = i.category
WHERE i.assignee IN (SELECT g.worker_code FROM grids g
                     WHERE g.code = ANY(%(grids)s) AND g.worker_code IS NOT NULL)
  AND i.status IN ('dispatched', 'accepted', 'in_progress')
ORDER BY (i.due_at < %(now)s) DESC, i.due_at, (i.urgency = 'emergency') DESC, i.code
LIMIT 200
