-- The KPI bar's coverage share per town (issue 16): residents within reach of a depot and of
-- a clinic over all residents. It summed coverage_cells (one row per populated res-10 H3
-- cell, ~2,800 a town) on every page load; this view holds its two sums per town, refreshed
-- in the same transaction right after coverage_cells itself (geo.rollups: after every load,
-- and after an import of buildings, households or resources), so it is exactly as current.
CREATE MATERIALIZED VIEW coverage_towns AS
SELECT town_code,
       sum(residents)::bigint                                      AS residents,
       (sum(residents) FILTER (WHERE depot_ok AND clinic_ok))::bigint AS covered  -- NULL: none
FROM coverage_cells
GROUP BY town_code;

CREATE UNIQUE INDEX coverage_towns_key ON coverage_towns (town_code);
