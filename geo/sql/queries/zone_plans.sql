-- Published zone plans (every version), newest first, with their lifting status.
-- A plan lifts after `days` (its publication parameter) consecutive days without a new case
-- (confirmed or asymptomatic) inside its containment or control zones: the clock starts at the
-- newest such case reported since the plan's window began, or at publication when there is
-- none, and a plan never lifts before it was published. layer_zones.sql applies the same rule.
-- Parameters: now (NULL: the database's now), plan (a plan code, or NULL for every plan).
WITH moment AS (
    SELECT coalesce(%(now)s::timestamptz, now()) AS at
), plans AS (
    SELECT p.code, p.town_code, p.version, p.published_by, p.published_at, p.params,
           (p.params ->> 'days')::int AS days, (p.params ->> 'since')::timestamptz AS since,
           p.version = max(p.version) OVER (PARTITION BY p.town_code) AS current
    FROM zone_plans p
), last_case AS (
    SELECT pl.code, max(c.reported_at) AS at
    FROM plans pl
    JOIN zones z ON z.plan_code = pl.code AND z.level IN ('containment', 'control')
    JOIN cases c ON c.geom && z.geom AND ST_Intersects(z.geom, c.geom)
    WHERE c.category IN ('confirmed', 'asymptomatic')
      AND c.reported_at >= pl.since AND c.reported_at < (SELECT at FROM moment)
    GROUP BY pl.code
), clock AS (
    SELECT pl.*, lc.at AS last_case_at,
           greatest(coalesce(lc.at, pl.published_at) + make_interval(days => pl.days),
                    pl.published_at) AS lifts_at
    FROM plans pl
    LEFT JOIN last_case lc USING (code)
)
SELECT k.code, k.town_code, k.version, k.published_by, k.published_at, k.params, k.current,
       k.last_case_at, k.lifts_at,
       CASE WHEN k.lifts_at <= m.at THEN 'lifted' ELSE 'active' END AS status,
       CASE WHEN k.lifts_at <= m.at
            THEN (k.lifts_at AT TIME ZONE 'Asia/Shanghai')::date END AS lifted_on,
       (SELECT json_agg(json_build_object('level', z.level, 'code', z.code,
                                          'residents', z.residents, 'households', z.households)
                        ORDER BY array_position(ARRAY['containment', 'control', 'prevention'],
                                                z.level))
          FROM zones z WHERE z.plan_code = k.code) AS zones
FROM clock k, moment m
WHERE %(plan)s::text IS NULL OR k.code = %(plan)s::text
ORDER BY k.town_code, k.version DESC
