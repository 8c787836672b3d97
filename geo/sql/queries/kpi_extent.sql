-- Where a headline figure comes from, as one bounding box: the active cases, the open
-- tickets, the tickets received in the window, or the three-no compounds; every other figure
-- (and an empty selection) answers the extent of the towns. The same filters as kpis.sql.
-- Parameters: kpi, since, until.
WITH hits AS (
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
), box AS (
    SELECT coalesce((SELECT ST_Extent(geom) FROM hits),
                    (SELECT ST_Extent(geom) FROM towns)) AS b
)
SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM box
