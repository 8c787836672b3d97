-- Population-weighted resource coverage: the share of residents whose res-10 cell is within
-- reach of a supply depot and of a clinic, from the per-town sums of coverage_cells
-- (coverage_towns, migration 063: one row per town, not one per populated H3 cell).
-- Parameters: town_code (NULL = all).
SELECT round(sum(covered)::numeric / nullif(sum(residents), 0), 3)
FROM coverage_towns
WHERE %(town_code)s::text IS NULL OR town_code = %(town_code)s
