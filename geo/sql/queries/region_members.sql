-- The buildings inside a region (code, grid_code), by kind. Each branch uses its own index;
-- the `%(kind)s = …` tests become one-time filters, so only the matching branch runs.
-- `scope` (text[] of community codes, NULL = the whole town) keeps only the buildings whose
-- grid lies in those communities: a community user's H3 cell never counts its neighbours'.
-- Parameters: kind, code, cell, res, scope.
SELECT members.code, members.grid_code FROM (
    SELECT b.code, b.grid_code FROM buildings b JOIN grids g ON g.code = b.grid_code
    WHERE %(kind)s = 'community' AND g.community_code = %(code)s
    UNION ALL
    SELECT code, grid_code FROM buildings WHERE %(kind)s = 'grid' AND grid_code = %(code)s
    UNION ALL
    SELECT code, grid_code FROM buildings
    WHERE %(kind)s = 'compound' AND compound_code = %(code)s
    UNION ALL
    SELECT code, grid_code FROM buildings WHERE %(kind)s = 'building' AND code = %(code)s
    UNION ALL
    -- the cell's descendants at the stored resolution (11) are one range of buildings_h3_idx
    SELECT code, grid_code FROM buildings WHERE %(kind)s = 'h3'
      AND h3_cell BETWEEN h3_child_min(%(cell)s, 11) AND h3_child_max(%(cell)s, 11)
      AND h3_parent(h3_cell, %(res)s) = %(cell)s
) members
WHERE %(scope)s::text[] IS NULL
   OR members.grid_code IN (SELECT code FROM grids WHERE community_code = ANY(%(scope)s::text[]))
