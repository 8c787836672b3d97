-- Resources inside a region, and the nearest of each kind to its centre with the distance in
-- metres: KNN on the GiST index ranks in degrees, so the ten nearest are re-ranked on the
-- geography (a degree of longitude is 0.77 of one of latitude here). Parameters: geom (EWKB).
WITH shape AS (SELECT ST_GeomFromEWKB(%(geom)s) AS g),
region AS (SELECT g, ST_PointOnSurface(g) AS centre FROM shape)
SELECT k.kind,
       (SELECT count(*) FROM resources r, region
         WHERE r.kind = k.kind AND ST_Intersects(r.geom, region.g)) AS inside,
       n.code, n.name, n.metres
FROM unnest(ARRAY['depot', 'clinic', 'checkpoint', 'team', 'device', 'shelter']) AS k(kind)
CROSS JOIN region
LEFT JOIN LATERAL (
    SELECT r.code, r.name, metres_between(r.geom, region.centre) AS metres
    FROM (SELECT code, name, geom FROM resources WHERE kind = k.kind
          ORDER BY geom <-> region.centre LIMIT 10) r
    ORDER BY 3 LIMIT 1
) n ON true
