-- Shapes to keep highlighted on the map: the selected region (kind, code, cell as in
-- region_outline.sql) or the rows behind a headline figure (kpi, since, until: kpi_places.sql,
-- as kpi_extent.sql reads it). At most 2000 shapes: a highlight is for the eye, not an export;
-- each row also carries the extent of all the shapes (before the limit), where the map flies.
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
    -- the rows behind a figure whose rows are places (not the response/solve shares)
    SELECT geom FROM ({kpi_places}) AS places
    WHERE %(kpi)s IN ('active_cases', 'open_tickets', 'three_no_compounds')
)
SELECT ST_AsGeoJSON(geom, 6), ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)
FROM (SELECT geom, ST_Extent(geom) OVER () AS box FROM shapes) AS boxed
LIMIT 2000
