-- 接诉即办 performance per community or grid for a window [since, until), with the same
-- figures for the previous window of equal length (the trend).
-- Rates from the 接诉即办 chain (responded_at / solved_at are written by its steps): responded
-- (signed for, citizen contacted) within the response limit, solved (closed by `until`),
-- satisfied (of rated); overdue = open at `until` past its solve limit or unanswered past its
-- response limit (ticket_limits). Parameters: level ('community' | 'grid'), since, until.
WITH tickets AS (
    SELECT i.*, CASE %(level)s WHEN 'grid' THEN i.grid_code ELSE g.community_code END AS area,
           i.received_at >= %(since)s AS current
    FROM incidents i
    JOIN grids g ON g.code = i.grid_code
    WHERE i.source = 'hotline'
      AND i.received_at >= %(since)s::timestamptz - (%(until)s::timestamptz - %(since)s::timestamptz)
      AND i.received_at < %(until)s
), figures AS (
    SELECT area, current,
           count(*) AS tickets,
           count(*) FILTER (WHERE responded_at <= response_due_at) AS responded_24h,
           count(*) FILTER (WHERE solved_at < %(until)s) AS solved,
           count(*) FILTER (WHERE satisfied) AS satisfied,
           count(*) FILTER (WHERE satisfied IS NOT NULL) AS rated,
           count(*) FILTER (WHERE (solved_at IS NULL OR solved_at >= %(until)s)
                              AND (due_at < %(until)s
                                   OR ((responded_at IS NULL OR responded_at >= %(until)s)
                                       AND response_due_at < %(until)s)))
               AS overdue
    FROM tickets GROUP BY area, current
), categories AS (
    SELECT area, json_agg(json_build_object('category', category, 'n', n) ORDER BY n DESC, category)
               FILTER (WHERE rank <= 3) AS top_categories
    FROM (SELECT area, category, count(*) AS n,
                 row_number() OVER (PARTITION BY area ORDER BY count(*) DESC, category) AS rank
          FROM tickets WHERE current GROUP BY area, category) c
    GROUP BY area
), repeats AS (
    -- the same building calling again within the window
    SELECT area, count(*) AS repeat_buildings FROM (
        SELECT area, building_code FROM tickets
        WHERE current AND building_code IS NOT NULL
        GROUP BY area, building_code HAVING count(*) > 1) r
    GROUP BY area
), names AS (
    SELECT code, name FROM communities WHERE %(level)s = 'community'
    UNION ALL
    SELECT code, name FROM grids WHERE %(level)s = 'grid'
)
SELECT n.code, n.name,
       coalesce(c.tickets, 0) AS tickets,
       round(c.responded_24h::numeric / nullif(c.tickets, 0), 3) AS response_rate,
       round(c.solved::numeric / nullif(c.tickets, 0), 3) AS solve_rate,
       round(c.satisfied::numeric / nullif(c.rated, 0), 3) AS satisfaction_rate,
       coalesce(c.overdue, 0) AS overdue,
       coalesce(k.top_categories, '[]'::json) AS top_categories,
       coalesce(r.repeat_buildings, 0) AS repeat_buildings,
       coalesce(p.tickets, 0) AS previous_tickets,
       round(p.responded_24h::numeric / nullif(p.tickets, 0), 3) AS previous_response_rate,
       round(p.solved::numeric / nullif(p.tickets, 0), 3) AS previous_solve_rate,
       round(p.satisfied::numeric / nullif(p.rated, 0), 3) AS previous_satisfaction_rate
FROM names n
LEFT JOIN figures c ON c.area = n.code AND c.current
LEFT JOIN figures p ON p.area = n.code AND NOT p.current
LEFT JOIN categories k ON k.area = n.code
LEFT JOIN repeats r ON r.area = n.code
ORDER BY solve_rate DESC NULLS LAST, response_rate DESC NULLS LAST, n.code
