-- The reference the per-grid freshness rollup (grid_freshness_stats, migration 046) must equal
-- row for row: the figures of geo/sql/queries/grid_freshness.sql computed from the raw tables,
-- grid by grid, written apart from the rollup's set-based refresh so that the two can disagree.
-- Parameters: now, stale_days.
SELECT g.code, g.name, g.community_code, f.newest, to_timestamp(f.median_epoch) AS median_update,
       round((extract(epoch FROM %(now)s::timestamptz - to_timestamp(f.median_epoch))
              / 86400)::numeric, 1) AS median_age_days,
       f.households, f.empty_households,
       round(d.with_forms::numeric / nullif(d.dwellings, 0), 3) AS form_coverage,
       (SELECT count(*) FROM units u WHERE u.grid_code = g.code AND u.kind = 'other')
           AS units_without_kind,
       coalesce(to_timestamp(f.median_epoch)
                < %(now)s::timestamptz - make_interval(days => %(stale_days)s), true) AS stale
FROM grids g
CROSS JOIN LATERAL (
    -- the household forms (一户一表) of the grid's buildings
    SELECT max(h.updated_at) AS newest, count(*) AS households,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.updated_at))
               AS median_epoch,
           count(*) FILTER (WHERE h.members = 0) AS empty_households
    FROM buildings b JOIN households h ON h.building_code = b.code
    WHERE b.grid_code = g.code
) f
CROSS JOIN LATERAL (
    -- the grid's dwellings, and those holding at least one form
    SELECT count(*) AS dwellings,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM households h
                                          WHERE h.building_code = b.code)) AS with_forms
    FROM buildings b
    WHERE b.grid_code = g.code AND b.use IN ('residential', 'rental', 'mixed')
) d
ORDER BY median_age_days DESC NULLS FIRST, g.code
