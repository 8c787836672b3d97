-- The rows behind a headline figure, as geometries: the active cases, the open tickets, the
-- tickets received in the window, or the three-no compounds (the same filters as kpis.sql);
-- no rows for the town-wide figures. Read by kpi_extent.sql (their box) and highlight_shapes.sql
-- (their shapes), which put it in place of {kpi_places}.
-- Parameters: kpi, since, until.
SELECT geom FROM cases
WHERE %(kpi)s = 'active_cases'
  AND reported_at >= %(since)s AND reported_at < %(until)s
  AND (released_at IS NULL OR released_at >= %(until)s)
UNION ALL
SELECT geom FROM incidents
WHERE %(kpi)s = 'open_tickets'
  AND received_at < %(until)s AND (solved_at IS NULL OR solved_at >= %(until)s)
UNION ALL
SELECT geom FROM incidents
WHERE %(kpi)s IN ('responded_24h_share', 'solved_share')
  AND received_at >= %(since)s AND received_at < %(until)s
UNION ALL
SELECT geom FROM compounds WHERE %(kpi)s = 'three_no_compounds' AND management = 'three_no'
