-- Containment zones of the newest published version of each town's plan, in a viewport.
-- `zone_class` is the level (containment / control / prevention) while the plan is active and
-- 'lifted' once it has lifted, so the browser greys lifted zones. The lifting rule is the one
-- of zone_plans.sql: `days` quiet days after the newest case inside containment or control.
-- Parameters: west, south, east, north, tolerance, outline_digits.
WITH newest AS (
    SELECT DISTINCT ON (p.town_code) p.code, p.version, p.published_at,
           (p.params ->> 'days')::int AS days, (p.params ->> 'since')::timestamptz AS since
    FROM zone_plans p
    ORDER BY p.town_code, p.version DESC
), clock AS (
    SELECT n.code, n.version,
           greatest(coalesce((
               SELECT max(c.reported_at) FROM zones z
               JOIN cases c ON c.geom && z.geom AND ST_Intersects(z.geom, c.geom)
               WHERE z.plan_code = n.code AND z.level IN ('containment', 'control')
                 AND c.category IN ('confirmed', 'asymptomatic')
                 AND c.reported_at >= n.since AND c.reported_at < now()),
               n.published_at) + make_interval(days => n.days), n.published_at) AS lifts_at
    FROM newest n
)
SELECT z.code AS id,
       outline_geojson(z.geom, %(tolerance)s, %(outline_digits)s) AS geometry,
       json_build_object(
           'code', z.code, 'level', z.level, 'plan_code', z.plan_code, 'version', k.version,
           'residents', z.residents, 'households', z.households,
           'status', CASE WHEN k.lifts_at <= now() THEN 'lifted' ELSE 'active' END,
           'zone_class', CASE WHEN k.lifts_at <= now() THEN 'lifted' ELSE z.level END)
           AS properties
FROM zones z
JOIN clock k ON k.code = z.plan_code
WHERE in_viewport(z.geom, %(west)s, %(south)s, %(east)s, %(north)s)
-- prevention (the widest) first, so the severe zones are drawn on top of it
ORDER BY array_position(ARRAY['prevention', 'control', 'containment'], z.level), z.code
