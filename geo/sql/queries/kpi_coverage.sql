-- Population-weighted resource coverage: the share of residents whose res-10 cell is within
-- reach of a supply depot and of a clinic (coverage_cells, migration 008).
-- Parameters: town_code (NULL = all).
SELECT round(sum(residents) FILTER (WHERE depot_ok AND clinic_ok)::numeric
             / nullif(sum(residents), 0), 3)
FROM coverage_cells
WHERE %(town_code)s::text IS NULL OR town_code = %(town_code)s
