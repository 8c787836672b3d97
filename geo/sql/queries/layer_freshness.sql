-- Grids coloured by the age of their household forms (一户一表): the median days since
-- updated_at, in classes fresh < 30 d ≤ recent < 90 d ≤ aging < 180 d ≤ stale; 'none' when a
-- grid holds no forms at all (底数不清). Parameters: west, south, east, north, tolerance, digits.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT g.code, g.name,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(g.geom, %(tolerance)s), %(digits)s)
               AS geometry
    FROM grids g
    JOIN env ON g.geom && env.box AND ST_Intersects(g.geom, env.box)
), ages AS (
    SELECT b.grid_code, count(*) AS households,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM now() - h.updated_at)) / 86400 AS days
    FROM households h
    JOIN buildings b ON b.code = h.building_code
    WHERE b.grid_code IN (SELECT code FROM hits)
    GROUP BY 1
)
SELECT hits.code AS id, geometry,
       json_build_object(
           'code', hits.code, 'name', name, 'households', coalesce(a.households, 0),
           'median_age_days', round(a.days::numeric),
           'age_class', CASE WHEN a.days IS NULL THEN 'none' WHEN a.days < 30 THEN 'fresh'
                             WHEN a.days < 90 THEN 'recent' WHEN a.days < 180 THEN 'aging'
                             ELSE 'stale' END) AS properties
FROM hits
LEFT JOIN ages a ON a.grid_code = hits.code
ORDER BY hits.code
