-- Headline figures for the KPI bar, for a time window [since, until). Ticket figures follow
-- the 接诉即办 chain: responded_at and solved_at are written by its steps (geo/ticket_store.py).
-- Parameters: since, until, town_code (NULL = every town in the database).
-- Population totals: every household in its building's town, summed from the households
-- themselves (what the town_people rollup of migration 062 must equal); data as of the newest
-- change of any household, like the tickets' and cases'.
WITH people AS (
    SELECT coalesce(sum(h.members), 0) AS residents, coalesce(sum(h.registered), 0) AS registered,
           coalesce(sum(h.floating), 0) AS floating, count(*) AS households,
           (SELECT max(updated_at) FROM households) AS households_updated
    FROM households h JOIN buildings b ON b.code = h.building_code
    WHERE %(town_code)s::text IS NULL OR b.town_code = %(town_code)s
), active_cases AS (
    SELECT count(*) AS n,
           count(*) FILTER (WHERE category IN ('confirmed', 'asymptomatic')) AS infected
    FROM cases
    WHERE (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
      AND reported_at >= %(since)s AND reported_at < %(until)s
      AND (released_at IS NULL OR released_at >= %(until)s)
), tickets AS (
    SELECT count(*) AS received,
           -- responded (signed for, citizen contacted) within the ticket's response limit
           count(*) FILTER (WHERE responded_at <= response_due_at) AS responded_24h,
           count(*) FILTER (WHERE status = 'closed')  AS solved,
           count(*) FILTER (WHERE satisfied)          AS satisfied,
           count(*) FILTER (WHERE satisfied IS NOT NULL) AS rated
    FROM incidents
    WHERE (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
      AND received_at >= %(since)s AND received_at < %(until)s
), open_tickets AS (
    -- overdue: open at `until` past its solve limit, or unanswered past its response limit
    SELECT count(*) AS n,
           count(*) FILTER (WHERE due_at < %(until)s OR ((responded_at IS NULL
                                 OR responded_at >= %(until)s) AND response_due_at < %(until)s))
               AS overdue
    FROM incidents
    WHERE (%(town_code)s::text IS NULL OR town_code = %(town_code)s)
      AND received_at < %(until)s AND (solved_at IS NULL OR solved_at >= %(until)s)
), compounds AS (
    SELECT count(*) FILTER (WHERE management = 'three_no') AS three_no,
           count(*) FILTER (WHERE management = 'three_no' AND caretaker_branch) AS caretaker,
           count(*) AS total
    FROM compounds WHERE %(town_code)s::text IS NULL OR town_code = %(town_code)s
), newest AS (
    SELECT greatest((SELECT households_updated FROM people),
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
