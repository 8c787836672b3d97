-- Shapes to keep highlighted on the map: the selected region (kind, code, cell as in
-- region_outline.sql) or the rows behind a headline figure (kpi, since, until; the same filters
-- as kpi_extent.sql). At most 2000 shapes: a highlight is for the eye, not an export.
-- Parameters: kind, code, cell, kpi, since, until.
WITH shapes AS (
    SELECT geom FROM communities WHERE %(kind)s = 'community' AND code = %(code)s
    UNION ALL
    SELECT geom FROM grids WHERE %(kind)s = 'grid' AND code = %(code)s
    UNION ALL
    SELECT geom FROM compounds WHERE %(kind)s = 'compound' AND code = %(code)s
    UNION ALL
    SELECT geom FROM buildings WHERE %(kind)s = 'building' AND code = %(code)s
    UNION ALL
    SELECT geom FROM h3_cells WHERE %(kind)s = 'h3' AND cell = %(cell)s
    UNION ALL
    SELECT geom FROM cases
    WHERE %(kpi)s = 'active_cases'
      AND reported_at >= %(since)s AND reported_at < %(until)s
      AND (released_at IS NULL OR released_at >= %(until)s)
    UNION ALL
    SELECT geom FROM incidents
    WHERE %(kpi)s = 'open_tickets'
      AND received_at < %(until)s AND (solved_at IS NULL OR solved_at >= %(until)s)
    UNION ALL
    SELECT geom FROM compounds WHERE %(kpi)s = 'three_no_compounds' AND management = 'three_no'
)
SELECT ST_AsGeoJSON(geom, 6) FROM shapes LIMIT 2000
