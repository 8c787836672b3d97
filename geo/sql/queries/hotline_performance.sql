-- 接诉即办 performance per community or grid for a window [since, until), with the same
-- figures for the previous window of equal length [psince, since) (the trend); one page of
-- the ranking (`limit` rows from `offset`; limit NULL: every row).
-- Rates from the 接诉即办 chain (responded_at / solved_at are written by its steps): responded
-- (signed for, citizen contacted) within the response limit, solved (closed by `until`),
-- satisfied (of rated); overdue = open at `until` past its solve limit or unanswered past its
-- response limit (ticket_limits). Parameters: level ('community' | 'grid'), since, until,
-- psince, town_code (NULL: every town; else that town's communities or grids only), limit,
-- offset, and each window's whole days (geo.ticket_days.window_params, prefixes p_ and c_).
--
-- Cost: whole days are read from the ticket_daily rollup (one row per grid and day, migration
-- 060); the tickets themselves only for the partial days at the windows' edges, the tickets
-- still open at `until` or solved after it (partial/solved_at indexes). The counts are summed
-- per grid first (no JSON touched), the areas ranked, and only the page's areas get their top
-- categories and repeat callers (the ranking's costly columns), so a page costs the sort of
-- every area's six numbers plus its own rows.
WITH areas AS (
    SELECT code AS grid_code, CASE %(level)s WHEN 'grid' THEN code ELSE community_code END AS area
    FROM grids
    WHERE %(town_code)s::text IS NULL OR town_code = %(town_code)s
), daily AS MATERIALIZED (
    SELECT d.grid_code, d.day >= %(c_day_lo)s AS current, d.tickets, d.responded_in_time,
           d.solved, d.satisfied, d.rated, d.categories
    FROM ticket_daily d
    WHERE d.source = 'hotline' AND d.grid_code NOT IN ('', '*')
      AND (%(town_code)s::text IS NULL OR d.town_code = %(town_code)s)
      AND ((d.day >= %(p_day_lo)s AND d.day < %(p_day_hi)s)
           OR (d.day >= %(c_day_lo)s AND d.day < %(c_day_hi)s))
), edges AS MATERIALIZED (
    -- the partial days: [psince, p_full_since), [p_full_until, c_full_since), [c_full_until, until)
    SELECT i.grid_code, i.received_at >= %(since)s AS current, i.category,
           (i.responded_at <= i.response_due_at) AS in_time, i.solved_at IS NOT NULL AS solved,
           i.satisfied
    FROM incidents i
    WHERE i.source = 'hotline' AND i.grid_code IS NOT NULL
      AND ((i.received_at >= %(psince)s AND i.received_at < %(p_full_since)s)
           OR (i.received_at >= %(p_full_until)s AND i.received_at < %(c_full_since)s)
           OR (i.received_at >= %(c_full_until)s AND i.received_at < %(until)s))
), late AS (
    -- tickets of either window still open at `until` (never solved, or solved at/after it)
    SELECT i.grid_code, i.received_at >= %(since)s AS current,
           i.solved_at IS NOT NULL AS solved_later, i.due_at, i.responded_at, i.response_due_at
    FROM incidents i
    WHERE i.source = 'hotline' AND i.solved_at IS NULL
      AND i.received_at >= %(psince)s AND i.received_at < %(until)s
    UNION ALL
    SELECT i.grid_code, i.received_at >= %(since)s, true, i.due_at, i.responded_at,
           i.response_due_at
    FROM incidents i
    WHERE i.source = 'hotline' AND i.solved_at >= %(until)s
      AND i.received_at >= %(psince)s AND i.received_at < %(until)s
), parts AS (
    -- per grid and window: (tickets, responded in time, solved by `until`, satisfied, rated,
    -- overdue); solved = every solved ticket less those solved at/after `until`
    SELECT grid_code, current, sum(tickets) AS tickets, sum(responded_in_time) AS responded,
           sum(solved) AS solved, sum(satisfied) AS satisfied, sum(rated) AS rated,
           0 AS overdue
    FROM daily GROUP BY grid_code, current
    UNION ALL
    SELECT grid_code, current, count(*), count(*) FILTER (WHERE in_time),
           count(*) FILTER (WHERE solved), count(*) FILTER (WHERE satisfied),
           count(*) FILTER (WHERE satisfied IS NOT NULL), 0
    FROM edges GROUP BY grid_code, current
    UNION ALL
    SELECT grid_code, current, 0, 0, -count(*) FILTER (WHERE solved_later), 0, 0,
           count(*) FILTER (WHERE due_at < %(until)s
                              OR ((responded_at IS NULL OR responded_at >= %(until)s)
                                  AND response_due_at < %(until)s))
    FROM late GROUP BY grid_code, current
), figures AS (
    SELECT a.area, p.current, sum(p.tickets)::bigint AS tickets,
           sum(p.responded)::bigint AS responded, sum(p.solved)::bigint AS solved,
           sum(p.satisfied)::bigint AS satisfied, sum(p.rated)::bigint AS rated,
           sum(p.overdue)::bigint AS overdue
    FROM parts p JOIN areas a ON a.grid_code = p.grid_code
    GROUP BY a.area, p.current
    HAVING sum(p.tickets) <> 0  -- an area with tickets in the window (open ones are among them)
), names AS (
    SELECT code, name FROM communities WHERE %(level)s = 'community'
      AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
    UNION ALL
    SELECT code, name FROM grids WHERE %(level)s = 'grid'
      AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
), ranked AS (
    SELECT n.code, n.name,
           coalesce(c.tickets, 0) AS tickets,
           round(c.responded::numeric / nullif(c.tickets, 0), 3) AS response_rate,
           round(c.solved::numeric / nullif(c.tickets, 0), 3) AS solve_rate,
           round(c.satisfied::numeric / nullif(c.rated, 0), 3) AS satisfaction_rate,
           coalesce(c.overdue, 0) AS overdue,
           coalesce(p.tickets, 0) AS previous_tickets,
           round(p.responded::numeric / nullif(p.tickets, 0), 3) AS previous_response_rate,
           round(p.solved::numeric / nullif(p.tickets, 0), 3) AS previous_solve_rate,
           round(p.satisfied::numeric / nullif(p.rated, 0), 3) AS previous_satisfaction_rate
    FROM names n
    LEFT JOIN figures c ON c.area = n.code AND c.current
    LEFT JOIN figures p ON p.area = n.code AND NOT p.current
), page AS MATERIALIZED (
    SELECT * FROM ranked
    ORDER BY solve_rate DESC NULLS LAST, response_rate DESC NULLS LAST, code
    LIMIT %(limit)s OFFSET %(offset)s
), page_grids AS MATERIALIZED (
    SELECT a.grid_code, a.area FROM areas a JOIN page p ON p.code = a.area
), categories AS (
    SELECT area, json_agg(json_build_object('category', category, 'n', n) ORDER BY n DESC, category)
               FILTER (WHERE rank <= 3) AS top_categories
    FROM (SELECT area, category, sum(n)::bigint AS n,
                 row_number() OVER (PARTITION BY area ORDER BY sum(n) DESC, category) AS rank
          FROM (SELECT g.area, c.key AS category, c.value::bigint AS n
                FROM daily d JOIN page_grids g ON g.grid_code = d.grid_code,
                     jsonb_each_text(d.categories) c
                WHERE d.current
                UNION ALL
                SELECT g.area, e.category, 1
                FROM edges e JOIN page_grids g ON g.grid_code = e.grid_code
                WHERE e.current) x
          GROUP BY area, category) c
    GROUP BY area
), repeats AS (
    -- the same building calling again within the window (an index-only scan of hotline
    -- tickets by day, no heap, no geometry)
    SELECT area, count(*) AS repeat_buildings FROM (
        SELECT g.area, i.building_code
        FROM incidents i JOIN page_grids g ON g.grid_code = i.grid_code
        WHERE i.source = 'hotline' AND i.building_code IS NOT NULL
          AND i.received_at >= %(since)s AND i.received_at < %(until)s
        GROUP BY g.area, i.building_code HAVING count(*) > 1) r
    GROUP BY area
)
SELECT p.code, p.name, p.tickets, p.response_rate, p.solve_rate, p.satisfaction_rate,
       p.overdue,
       coalesce(k.top_categories, '[]'::json) AS top_categories,
       coalesce(r.repeat_buildings, 0) AS repeat_buildings,
       p.previous_tickets, p.previous_response_rate, p.previous_solve_rate,
       p.previous_satisfaction_rate
FROM page p
LEFT JOIN categories k ON k.area = p.code
LEFT JOIN repeats r ON r.area = p.code
ORDER BY p.solve_rate DESC NULLS LAST, p.response_rate DESC NULLS LAST, p.code
