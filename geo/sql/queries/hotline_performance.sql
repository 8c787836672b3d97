-- 接诉即办 performance per community or grid for a window [since, until), with the same
-- figures for the previous window of equal length [psince, since) (the trend); one page of
-- the ranking (`limit` rows from `offset`; limit NULL: every row).
-- Rates from the 接诉即办 chain (responded_at / solved_at are written by its steps): responded
-- (signed for, citizen contacted) within the response limit, solved (closed by `until`),
-- satisfied (of rated); overdue = open at `until` past its solve limit or unanswered past its
-- response limit (ticket_limits). Parameters: level ('community' | 'grid'), since, until,
-- psince, town_code (NULL: every town; else that town's communities or grids only), limit,
-- offset, sort (NULL: best first; else a column: name, tickets, response_rate, solve_rate,
-- satisfaction_rate, overdue, trend = solve_rate change), descending, and each window's
-- whole days (geo.ticket_days.window_params, prefixes p_ and c_).
--
-- Cost: whole days are read from the ticket_daily rollup (one row per grid and day, migration
-- 060) by the covering index of migration 064 (index-only, no JSON); the tickets themselves
-- only for the partial days at the windows' edges, the tickets still open at `until` or solved
-- after it (partial/solved_at indexes). Every area's counts are one integer aggregation (both
-- windows in one row), the areas are ranked, and only the page's areas get their top
-- categories and repeat callers (the JSON and the ranking's costly columns): a page costs the
-- sort of every area's numbers plus its own rows.
WITH areas AS (
    SELECT code AS grid_code, CASE %(level)s WHEN 'grid' THEN code ELSE community_code END AS area
    FROM grids
    WHERE %(town_code)s::text IS NULL OR town_code = %(town_code)s
), daily AS (
    -- each window's whole days by one range of the covering index (index-only); counts as
    -- int: sum(int) is a bigint sum, sum(bigint) a numeric one (several times slower)
    SELECT d.grid_code, false AS current, d.tickets::int AS tickets,
           d.responded_in_time::int AS responded, d.solved::int AS solved,
           d.satisfied::int AS satisfied, d.rated::int AS rated
    FROM ticket_daily d
    WHERE d.source = 'hotline' AND d.grid_code NOT IN ('', '*')
      AND (%(town_code)s::text IS NULL OR d.town_code = %(town_code)s)
      AND d.day >= %(p_day_lo)s AND d.day < %(p_day_hi)s
    UNION ALL
    SELECT d.grid_code, true, d.tickets::int, d.responded_in_time::int, d.solved::int,
           d.satisfied::int, d.rated::int
    FROM ticket_daily d
    WHERE d.source = 'hotline' AND d.grid_code NOT IN ('', '*')
      AND (%(town_code)s::text IS NULL OR d.town_code = %(town_code)s)
      AND d.day >= %(c_day_lo)s AND d.day < %(c_day_hi)s
), edges AS MATERIALIZED (
    -- the partial days: [psince, p_full_since), [p_full_until, c_full_since), [c_full_until, until)
    SELECT i.grid_code, i.received_at >= %(since)s AS current, i.category,
           coalesce(i.responded_at <= i.response_due_at, false)::int AS in_time,
           (i.solved_at IS NOT NULL)::int AS solved, coalesce(i.satisfied, false)::int AS satisfied,
           (i.satisfied IS NOT NULL)::int AS rated
    FROM incidents i
    WHERE i.source = 'hotline' AND i.grid_code IS NOT NULL
      AND ((i.received_at >= %(psince)s AND i.received_at < %(p_full_since)s)
           OR (i.received_at >= %(p_full_until)s AND i.received_at < %(c_full_since)s)
           OR (i.received_at >= %(c_full_until)s AND i.received_at < %(until)s))
), late AS (
    -- tickets of either window still open at `until` (never solved, or solved at/after it):
    -- those solved later leave `solved`; overdue = past the solve limit at `until`, or
    -- unanswered at `until` past the response limit
    SELECT grid_code, current, -(solved_later::int) AS solved,
           coalesce(due_at < %(until)s OR ((responded_at IS NULL OR responded_at >= %(until)s)
                                           AND response_due_at < %(until)s), false)::int
               AS overdue
    FROM (SELECT i.grid_code, i.received_at >= %(since)s AS current,
                 i.solved_at IS NOT NULL AS solved_later, i.due_at, i.responded_at,
                 i.response_due_at
          FROM incidents i
          WHERE i.source = 'hotline' AND i.solved_at IS NULL
            AND i.received_at >= %(psince)s AND i.received_at < %(until)s
          UNION ALL
          SELECT i.grid_code, i.received_at >= %(since)s, true, i.due_at, i.responded_at,
                 i.response_due_at
          FROM incidents i
          WHERE i.source = 'hotline' AND i.solved_at >= %(until)s
            AND i.received_at >= %(psince)s AND i.received_at < %(until)s) o
), figures AS (
    -- per area, both windows in one row, one aggregation of plain integers (no JSON):
    -- tickets, responded in time, solved by `until`, satisfied, rated, overdue
    SELECT CASE %(level)s WHEN 'grid' THEN a.code ELSE a.community_code END AS area,
           sum(x.tickets) FILTER (WHERE x.current) AS tickets,
           sum(x.responded) FILTER (WHERE x.current) AS responded,
           sum(x.solved) FILTER (WHERE x.current) AS solved,
           sum(x.satisfied) FILTER (WHERE x.current) AS satisfied,
           sum(x.rated) FILTER (WHERE x.current) AS rated,
           sum(x.overdue) FILTER (WHERE x.current) AS overdue,
           sum(x.tickets) FILTER (WHERE NOT x.current) AS p_tickets,
           sum(x.responded) FILTER (WHERE NOT x.current) AS p_responded,
           sum(x.solved) FILTER (WHERE NOT x.current) AS p_solved,
           sum(x.satisfied) FILTER (WHERE NOT x.current) AS p_satisfied,
           sum(x.rated) FILTER (WHERE NOT x.current) AS p_rated
    FROM (SELECT grid_code, current, tickets, responded, solved, satisfied, rated, 0 AS overdue
          FROM daily
          UNION ALL
          SELECT grid_code, current, 1, in_time, solved, satisfied, rated, 0 FROM edges
          UNION ALL
          SELECT grid_code, current, 0, 0, solved, 0, 0, overdue FROM late) x
    JOIN grids a ON a.code = x.grid_code  -- the table, not a CTE: the planner knows its size
    WHERE %(town_code)s::text IS NULL OR a.town_code = %(town_code)s
    GROUP BY 1
), names AS (
    SELECT code, name FROM communities WHERE %(level)s = 'community'
      AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
    UNION ALL
    SELECT code, name FROM grids WHERE %(level)s = 'grid'
      AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
), ranked AS (
    -- a window without tickets has no figures (NULL rates, 0 tickets and overdue): its open
    -- tickets are among its tickets
    SELECT n.code, n.name,
           coalesce(f.tickets, 0) AS tickets,
           round(f.responded::numeric / nullif(f.tickets, 0), 3) AS response_rate,
           round(f.solved::numeric / nullif(f.tickets, 0), 3) AS solve_rate,
           round(f.satisfied::numeric / nullif(f.rated, 0), 3) AS satisfaction_rate,
           CASE WHEN f.tickets <> 0 THEN f.overdue ELSE 0 END AS overdue,
           coalesce(f.p_tickets, 0) AS previous_tickets,
           round(f.p_responded::numeric / nullif(f.p_tickets, 0), 3) AS previous_response_rate,
           round(f.p_solved::numeric / nullif(f.p_tickets, 0), 3) AS previous_solve_rate,
           round(f.p_satisfied::numeric / nullif(f.p_rated, 0), 3)
               AS previous_satisfaction_rate
    FROM names n
    LEFT JOIN figures f ON f.area = n.code
), keyed AS (
    -- the column a table sorts on (`sort`, NULL: the ranking's own order), as a number or a
    -- text; `descending` turns it round; rows without a value last either way
    SELECT r.*,
           CASE %(sort)s::text WHEN 'tickets' THEN r.tickets::numeric
                               WHEN 'response_rate' THEN r.response_rate
                               WHEN 'solve_rate' THEN r.solve_rate
                               WHEN 'satisfaction_rate' THEN r.satisfaction_rate
                               WHEN 'overdue' THEN r.overdue::numeric
                               WHEN 'trend' THEN r.solve_rate - r.previous_solve_rate
           END AS sort_number,
           CASE %(sort)s::text WHEN 'name' THEN r.name END AS sort_text
    FROM ranked r
), page AS MATERIALIZED (
    -- the page by a top-N sort (LIMIT on the ORDER BY: no full sort of every area); `place`
    -- numbers its rows in that order (the subquery's sorted output, read as it comes)
    SELECT q.*, row_number() OVER () AS place
    FROM (SELECT k.* FROM keyed k
          ORDER BY CASE WHEN NOT %(descending)s::boolean THEN k.sort_number END ASC NULLS LAST,
                   CASE WHEN %(descending)s::boolean THEN k.sort_number END DESC NULLS LAST,
                   CASE WHEN NOT %(descending)s::boolean THEN k.sort_text END ASC,
                   CASE WHEN %(descending)s::boolean THEN k.sort_text END DESC,
                   k.solve_rate DESC NULLS LAST, k.response_rate DESC NULLS LAST, k.code
          LIMIT %(limit)s OFFSET %(offset)s) q
), page_grids AS MATERIALIZED (
    SELECT a.grid_code, a.area FROM areas a JOIN page p ON p.code = a.area
), page_daily AS MATERIALIZED (
    -- the current window's days of the page's grids (JSON read and expanded for these only)
    SELECT g.area, d.categories
    FROM ticket_daily d JOIN page_grids g ON g.grid_code = d.grid_code
    WHERE d.source = 'hotline' AND d.day >= %(c_day_lo)s AND d.day < %(c_day_hi)s
      AND (%(town_code)s::text IS NULL OR d.town_code = %(town_code)s)
), categories AS (
    SELECT area, json_agg(json_build_object('category', category, 'n', n) ORDER BY n DESC, category)
               FILTER (WHERE rank <= 3) AS top_categories
    FROM (SELECT area, category, sum(n)::bigint AS n,
                 row_number() OVER (PARTITION BY area ORDER BY sum(n) DESC, category) AS rank
          FROM (SELECT p.area, c.key AS category, c.value::bigint AS n
                FROM page_daily p, jsonb_each_text(p.categories) c
                UNION ALL
                SELECT g.area, e.category, 1
                FROM edges e JOIN page_grids g ON g.grid_code = e.grid_code
                WHERE e.current) x
          GROUP BY area, category) c
    GROUP BY area
), repeats AS (
    -- the same building calling again within the window: the page's grids' hotline tickets
    -- of the window, one index-only range per grid (migration 064), no heap, no geometry
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
ORDER BY p.place
