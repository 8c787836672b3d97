-- Buildings of a grid worker's grids, nearest to a point first or matching a search text.
-- Parameters: grids (text[]), lat, lng (NULL: no ordering by distance), q (NULL: no search),
-- limit. Distance in metres on the spheroid (geography), from the building's outline.
SELECT b.code, b.address, b.grid_code, g.name AS grid_name, b.use, b.floors,
       (SELECT count(*) FROM households h WHERE h.building_code = b.code) AS households,
       (SELECT max(h.visited_at) FROM households h WHERE h.building_code = b.code) AS visited_at,
       round(ST_Y(ST_PointOnSurface(b.geom))::numeric, 6) AS lat,
       round(ST_X(ST_PointOnSurface(b.geom))::numeric, 6) AS lng,
       CASE WHEN %(lat)s::float8 IS NULL THEN NULL
            ELSE round(ST_Distance(b.geom::geography,
                 ST_SetSRID(ST_MakePoint(%(lng)s::float8, %(lat)s::float8), 4326)::geography)::numeric)
       END AS distance_m
FROM buildings b
JOIN grids g ON g.code = b.grid_code
WHERE b.grid_code = ANY(%(grids)s)
  AND (%(q)s::text IS NULL OR b.address ILIKE '%%' || %(q)s || '%%' OR b.code = %(q)s)
ORDER BY CASE WHEN %(lat)s::float8 IS NULL THEN NULL
              ELSE b.geom <-> ST_SetSRID(ST_MakePoint(%(lng)s::float8, %(lat)s::float8), 4326) END,
         b.address, b.code
LIMIT %(limit)s
