-- Bounding box of one town, community, grid, compound or building. Parameters: kind, code.
SELECT ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)
FROM (
    SELECT geom::box2d AS box FROM towns WHERE %(kind)s = 'town' AND code = %(code)s
    UNION ALL
    SELECT geom::box2d FROM communities WHERE %(kind)s = 'community' AND code = %(code)s
    UNION ALL
    SELECT geom::box2d FROM grids WHERE %(kind)s = 'grid' AND code = %(code)s
    UNION ALL
    SELECT geom::box2d FROM compounds WHERE %(kind)s = 'compound' AND code = %(code)s
    UNION ALL
    SELECT geom::box2d FROM buildings WHERE %(kind)s = 'building' AND code = %(code)s
) r
