-- Base-data freshness and completeness per grid (底数不清), one page of it: the age of its
-- household forms (newest and median updated_at), the share of residential buildings with at
-- least one household form, households with no residents counted, units without a kind of
-- their own. Read from the grid_freshness_stats rollup (migration 046, kept current by the
-- writes), so a page costs ~one row per grid, not a sort of every household.
-- Parameters: now, stale_days, limit, offset.
WITH ranked AS (
    SELECT s.*,
           round((extract(epoch FROM %(now)s::timestamptz - to_timestamp(s.median_epoch))
                  / 86400)::numeric, 1) AS median_age_days,
           coalesce(to_timestamp(s.median_epoch)
                    < %(now)s::timestamptz - make_interval(days => %(stale_days)s), true) AS stale
    FROM grid_freshness_stats s
    ORDER BY median_age_days DESC NULLS FIRST, s.grid_code
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT r.grid_code AS code, g.name, g.community_code,
       r.newest, to_timestamp(r.median_epoch) AS median_update, r.median_age_days,
       r.households, r.empty_households,
       round(r.dwellings_with_forms::numeric / nullif(r.dwellings, 0), 3) AS form_coverage,
       r.units_without_kind, r.stale
FROM ranked r
JOIN grids g ON g.code = r.grid_code
ORDER BY r.median_age_days DESC NULLS FIRST, r.grid_code
