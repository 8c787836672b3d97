-- The outline, name and parents of a region, by kind. Parameters: kind, code, cell.
-- One statement for all kinds keeps the parent chain (breadcrumb) in one place.
SELECT r.name, ST_AsEWKB(r.geom) AS geom, r.community_code, r.grid_code, r.compound_code, r.updated_at
FROM (
    SELECT name, geom, code AS community_code, NULL::text AS grid_code,
           NULL::text AS compound_code, updated_at
    FROM communities WHERE %(kind)s = 'community' AND code = %(code)s
    UNION ALL
    SELECT name, geom, community_code, code, NULL, updated_at
    FROM grids WHERE %(kind)s = 'grid' AND code = %(code)s
    UNION ALL
    SELECT name, geom, community_code, grid_code, code, updated_at
    FROM compounds WHERE %(kind)s = 'compound' AND code = %(code)s
    UNION ALL
    SELECT b.address, b.geom, g.community_code, b.grid_code, b.compound_code, b.updated_at
    FROM buildings b JOIN grids g ON g.code = b.grid_code
    WHERE %(kind)s = 'building' AND b.code = %(code)s
    UNION ALL
    -- A cell belongs to the community under its centre (for the breadcrumb and access scope).
    SELECT to_hex(h.cell), h.geom,
           (SELECT c.code FROM communities c
            WHERE ST_Intersects(c.geom, ST_PointOnSurface(h.geom)) ORDER BY c.code LIMIT 1),
           NULL, NULL, NULL
    FROM h3_cells h WHERE %(kind)s = 'h3' AND h.cell = %(cell)s
) r
