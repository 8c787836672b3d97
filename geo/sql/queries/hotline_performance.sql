-- 接诉即办 performance per community or grid for a window [since, until), with the same
-- figures for the previous window of equal length [psince, since) (the trend).
-- Rates from the 接诉即办 chain (responded_at / solved_at are written by its steps): responded
-- (signed for, citizen contacted) within the response limit, solved (closed by `until`),
-- satisfied (of rated); overdue = open at `until` past its solve limit or unanswered past its
-- response limit (ticket_limits). Parameters: level ('community' | 'grid'), since, until,
-- psince, town_code (NULL: every town; else that town's communities or grids only), and each
-- window's whole days (geo.ticket_days.window_params, prefixes p_ and c_).
--
-- Cost: whole days are read from the ticket_daily rollup (one row per grid and day, migration
-- 060); the tickets themselves only for the partial days at the windows' edges, the tickets
-- still open at `until` or solved after it (partial/solved_at indexes), and the repeat callers
-- (an index-only scan of (received_at, grid, building) of hotline tickets).
WITH areas AS (
    SELECT code AS grid_code, CASE %(level)s WHEN 'grid' THEN code ELSE community_code END AS area
    FROM grids
    WHERE %(town_code)s::text IS NULL OR town_code = %(town_code)s
), daily AS (
    SELECT a.area, d.day >= %(c_day_lo)s AS current, d.tickets, d.responded_in_time, d.solved,
           d.satisfied, d.rated, d.categories
    FROM ticket_daily d JOIN areas a ON a.grid_code = d.grid_code
    WHERE d.source = 'hotline'
      AND (%(town_code)s::text IS NULL OR d.town_code = %(town_code)s)
      AND ((d.day >= %(p_day_lo)s AND d.day < %(p_day_hi)s)
           OR (d.day >= %(c_day_lo)s AND d.day < %(c_day_hi)s))
), edges AS (
    -- the partial days: [psince, p_full_since), [p_full_until, c_full_since), [c_full_until, until)
    SELECT a.area, i.received_at >= %(since)s AS current, i.category,
           (i.responded_at <= i.response_due_at) AS in_time, i.solved_at IS NOT NULL AS solved,
           i.satisfied
    FROM incidents i JOIN areas a ON a.grid_code = i.grid_code
    WHERE i.source = 'hotline'
      AND ((i.received_at >= %(psince)s AND i.received_at < %(p_full_since)s)
           OR (i.received_at >= %(p_full_until)s AND i.received_at < %(c_full_since)s)
           OR (i.received_at >= %(c_full_until)s AND i.received_at < %(until)s))
), late AS (
    -- tickets of either window still open at `until` (never solved, or solved at/after it)
    SELECT a.area, i.received_at >= %(since)s AS current, i.solved_at IS NOT NULL AS solved_later,
           i.due_at, i.responded_at, i.response_due_at
    FROM incidents i JOIN areas a ON a.grid_code = i.grid_code
    WHERE i.source = 'hotline' AND i.solved_at IS NULL
      AND i.received_at >= %(psince)s AND i.received_at < %(until)s
    UNION ALL
    SELECT a.area, i.received_at >= %(since)s, true, i.due_at, i.responded_at, i.response_due_at
    FROM incidents i JOIN areas a ON a.grid_code = i.grid_code
    WHERE i.source = 'hotline' AND i.solved_at >= %(until)s
      AND i.received_at >= %(psince)s AND i.received_at < %(until)s
), open_at_until AS (
    SELECT area, current,
           count(*) FILTER (WHERE solved_later) AS solved_later,
           count(*) FILTER (WHERE due_at < %(until)s
                              OR ((responded_at IS NULL OR responded_at >= %(until)s)
                                  AND response_due_at < %(until)s)) AS overdue
    FROM late GROUP BY area, current
), sums AS (
    SELECT area, current, sum(tickets) AS tickets, sum(responded_in_time) AS responded_24h,
           sum(solved) AS solved, sum(satisfied) AS satisfied, sum(rated) AS rated
    FROM (SELECT area, current, tickets, responded_in_time, solved, satisfied, rated FROM daily
          UNION ALL
          SELECT area, current, count(*), count(*) FILTER (WHERE in_time),
                 count(*) FILTER (WHERE solved), count(*) FILTER (WHERE satisfied),
                 count(*) FILTER (WHERE satisfied IS NOT NULL)
          FROM edges GROUP BY area, current) parts
    GROUP BY area, current
), figures AS (
    -- solved = solved by `until`: every solved ticket less those solved at/after `until`
    SELECT s.area, s.current, s.tickets::bigint AS tickets,
           s.responded_24h::bigint AS responded_24h,
           (s.solved - coalesce(o.solved_later, 0))::bigint AS solved,
           s.satisfied::bigint AS satisfied, s.rated::bigint AS rated,
           coalesce(o.overdue, 0) AS overdue
    FROM sums s LEFT JOIN open_at_until o ON o.area = s.area AND o.current = s.current
), categories AS (
    SELECT area, json_agg(json_build_object('category', category, 'n', n) ORDER BY n DESC, category)
               FILTER (WHERE rank <= 3) AS top_categories
    FROM (SELECT area, category, sum(n)::bigint AS n,
                 row_number() OVER (PARTITION BY area ORDER BY sum(n) DESC, category) AS rank
          FROM (SELECT d.area, c.key AS category, c.value::bigint AS n
                FROM daily d, jsonb_each_text(d.categories) c WHERE d.current
                UNION ALL
                SELECT area, category, 1 FROM edges WHERE current) x
          GROUP BY area, category) c
    GROUP BY area
), repeats AS (
    -- the same building calling again within the window
    SELECT area, count(*) AS repeat_buildings FROM (
        SELECT a.area, i.building_code
        FROM incidents i JOIN areas a ON a.grid_code = i.grid_code
        WHERE i.source = 'hotline' AND i.building_code IS NOT NULL
          AND i.received_at >= %(since)s AND i.received_at < %(until)s
        GROUP BY a.area, i.building_code HAVING count(*) > 1) r
    GROUP BY area
), names AS (
    SELECT code, name FROM communities WHERE %(level)s = 'community'
      AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
    UNION ALL
    SELECT code, name FROM grids WHERE %(level)s = 'grid'
      AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
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
