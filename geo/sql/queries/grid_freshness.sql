-- Base-data freshness and completeness per grid (底数不清): the age of its household forms
-- (newest and median updated_at), the share of residential buildings with at least one
-- household form, households with no residents counted, units without a kind of their own.
-- Parameters: now, stale_days.
WITH forms AS (
    SELECT b.grid_code, max(h.updated_at) AS newest,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.updated_at)) AS median_epoch,
           count(*) FILTER (WHERE h.members = 0) AS empty_households,
           count(*) AS households
    FROM households h JOIN buildings b ON b.code = h.building_code
    GROUP BY b.grid_code
), housing AS (
    SELECT b.grid_code,
           count(*) FILTER (WHERE b.use IN ('residential', 'rental', 'mixed')) AS dwellings,
           count(*) FILTER (WHERE b.use IN ('residential', 'rental', 'mixed')
                              AND EXISTS (SELECT 1 FROM households h WHERE h.building_code = b.code))
               AS dwellings_with_forms
    FROM buildings b GROUP BY b.grid_code
), units_unkinded AS (
    SELECT grid_code, count(*) FILTER (WHERE kind = 'other') AS units_without_kind
    FROM units GROUP BY grid_code
)
SELECT g.code, g.name, g.community_code,
       f.newest, to_timestamp(f.median_epoch) AS median_update,
       round((extract(epoch FROM %(now)s::timestamptz - to_timestamp(f.median_epoch)) / 86400)::numeric, 1)
           AS median_age_days,
       coalesce(f.households, 0) AS households,
       coalesce(f.empty_households, 0) AS empty_households,
       round(hs.dwellings_with_forms::numeric / nullif(hs.dwellings, 0), 3) AS form_coverage,
       coalesce(u.units_without_kind, 0) AS units_without_kind,
       coalesce(to_timestamp(f.median_epoch) < %(now)s::timestamptz - make_interval(days => %(stale_days)s), true)
           AS stale
FROM grids g
LEFT JOIN forms f ON f.grid_code = g.code
LEFT JOIN housing hs ON hs.grid_code = g.code
LEFT JOIN units_unkinded u ON u.grid_code = g.code
ORDER BY median_age_days DESC NULLS FIRST, g.code
