-- Epidemic cases for roles without drill-down rights (the wall): one point per res-8 H3 cell
-- and category at the cell's centre, never a building, no report dates. Counts under
-- 5 show as "<5" (DOMAIN.md's rule); no case codes either (their number would undo "<5").
-- `code` (cell-category) is what the wall pulses. Parameters: west, south, east, north, since,
-- until.
WITH counted AS (
    SELECT h3_parent(c.h3_cell, 8) AS cell, c.category, count(*) AS n
    FROM cases c
    WHERE in_viewport(c.geom, %(west)s, %(south)s, %(east)s, %(north)s)
      AND c.reported_at >= %(since)s AND c.reported_at < %(until)s
    GROUP BY 1, 2
)
SELECT to_hex(k.cell) || '-' || k.category AS id,
       ST_AsGeoJSON(ST_Centroid(h.geom), 6) AS geometry,
       json_build_object(
        'code', to_hex(k.cell) || '-' || k.category, 'cell', to_hex(k.cell), 'res', 8,
        'category', k.category, 'aggregated', true,
        'count', CASE WHEN k.n < 5 THEN '<5' ELSE k.n::text END,
        'recency', 1) AS properties
FROM counted k
JOIN h3_cells h ON h.cell = k.cell
ORDER BY k.cell, k.category
