-- The grid with the most active cases (reported since `since`, not yet released), with its
-- extent, for the wall's "hottest grid" view. Parameters: since, now.
SELECT g.code, g.name, count(*) AS active,
       ST_XMin(g.geom) AS west, ST_YMin(g.geom) AS south,
       ST_XMax(g.geom) AS east, ST_YMax(g.geom) AS north,
       ST_AsGeoJSON(g.geom, 6)::json AS geometry
FROM cases c
JOIN grids g ON g.code = c.grid_code
WHERE c.reported_at >= %(since)s AND c.reported_at <= %(now)s
  AND (c.released_at IS NULL OR c.released_at > %(now)s)
GROUP BY g.code, g.name, g.geom
ORDER BY active DESC, g.code
LIMIT 1
