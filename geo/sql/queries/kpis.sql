-- Headline figures for the KPI bar, for a time window [since, until). Ticket figures follow
-- the 接诉即办 chain: responded_at and solved_at are written by its steps (geo/ticket_store.py).
-- Parameters: since, until, town_code (NULL = every town in the database), and the window's
-- whole days full_since, full_until, day_lo, day_hi (geo.ticket_days.window_params).
-- Population totals come from the town_people rollup (migration 062: one row per town, kept
-- exact by the writes), not ~1 M households nor one row per H3 cell.
WITH people AS (
    SELECT coalesce(sum(residents), 0) AS residents, coalesce(sum(registered), 0) AS registered,
           coalesce(sum(floating), 0) AS floating, coalesce(sum(households), 0) AS households
    FROM town_people WHERE %(town_code)s::text IS NULL OR town_code = %(town_code)s
), active_cases AS (
    SELECT count(*) AS n,
           count(*) FILTER (WHERE category IN ('confirmed', 'asymptomatic')) AS infected
    FROM cases
    WHERE (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
      AND reported_at >= %(since)s AND reported_at < %(until)s
      AND (released_at IS NULL OR released_at >= %(until)s)
), tickets AS (
    -- Whole days from the ticket_daily rollup (migration 060), the partial days at the edges
    -- of the window ticket by ticket (geo/ticket_days.py cuts the window).
    SELECT coalesce(sum(received), 0)::bigint AS received,
           -- responded (signed for, citizen contacted) within the ticket's response limit
           coalesce(sum(responded_24h), 0)::bigint AS responded_24h,
           coalesce(sum(solved), 0)::bigint AS solved,
           coalesce(sum(satisfied), 0)::bigint AS satisfied,
           coalesce(sum(rated), 0)::bigint AS rated
    FROM (
        SELECT sum(tickets) AS received, sum(responded_in_time) AS responded_24h,
               sum(closed) AS solved, sum(satisfied) AS satisfied, sum(rated) AS rated
        FROM ticket_daily
        WHERE day >= %(day_lo)s AND day < %(day_hi)s AND grid_code = '*'  -- the town totals
          AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
        UNION ALL
        SELECT count(*), count(*) FILTER (WHERE responded_at <= response_due_at),
               count(*) FILTER (WHERE status = 'closed'), count(*) FILTER (WHERE satisfied),
               count(*) FILTER (WHERE satisfied IS NOT NULL)
        FROM incidents
        WHERE (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
          AND ((received_at >= %(since)s AND received_at < %(full_since)s)
               OR (received_at >= %(full_until)s AND received_at < %(until)s))
    ) parts
), open_tickets AS (
    -- overdue: open at `until` past its solve limit, or unanswered past its response limit.
    -- Open at `until` = never solved, or solved at/after `until`: two index reads
    -- (incidents_unsolved_idx, incidents_solved_at_idx), not a scan of every ticket.
    SELECT count(*) AS n,
           count(*) FILTER (WHERE due_at < %(until)s OR ((responded_at IS NULL
                                 OR responded_at >= %(until)s) AND response_due_at < %(until)s))
               AS overdue
    FROM (
        SELECT due_at, responded_at, response_due_at FROM incidents
        WHERE solved_at IS NULL AND received_at < %(until)s
          AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
        UNION ALL
        SELECT due_at, responded_at, response_due_at FROM incidents
        WHERE solved_at >= %(until)s AND received_at < %(until)s
          AND (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
    ) open_at_until
), compounds AS (
    SELECT count(*) FILTER (WHERE management = 'three_no') AS three_no,
           count(*) FILTER (WHERE management = 'three_no' AND caretaker_branch) AS caretaker,
           count(*) AS total
    FROM compounds WHERE %(town_code)s::text IS NULL OR town_code = %(town_code)s
), newest AS (
    -- the newest change of each table, as the tickets' and cases' (one step down the
    -- updated_at indexes, migration 045)
    SELECT greatest((SELECT max(updated_at) FROM households),
                    (SELECT max(updated_at) FROM incidents),
                    (SELECT max(updated_at) FROM cases)) AS data_as_of
)
SELECT p.residents, p.registered, p.floating, p.households,
       round(p.floating::numeric / nullif(p.registered, 0), 2) AS floating_ratio,
       a.n AS active_cases, a.infected AS active_infected,
       o.n AS open_tickets, o.overdue AS overdue_tickets, t.received AS tickets_received,
       round(t.responded_24h::numeric / nullif(t.received, 0), 3) AS responded_24h_share,
       round(t.solved::numeric / nullif(t.received, 0), 3) AS solved_share,
       round(t.satisfied::numeric / nullif(t.rated, 0), 3) AS satisfied_share,
       c.three_no AS three_no_compounds, c.caretaker AS caretaker_compounds,
       c.total AS compounds, n.data_as_of
FROM people p, active_cases a, tickets t, open_tickets o, compounds c, newest n
