-- Population-weighted resource coverage: the share of residents living in res-9 cells whose
-- centre is within reach of the nearest depot and of the nearest clinic.
-- Parameters: town_code (NULL = all).
WITH residents AS (
    SELECT h3_parent(b.h3_cell, 9) AS cell, sum(h.members)::bigint AS residents
    FROM households h JOIN buildings b ON b.code = h.building_code
    WHERE %(town_code)s::text IS NULL OR h.town_code = %(town_code)s
    GROUP BY 1
), scored AS (
    SELECT r.residents,
           coalesce((SELECT ST_Distance(s.geom::geography, ST_Centroid(c.geom)::geography) <= s.reach_m
                     FROM (SELECT geom, reach_m FROM resources WHERE kind = 'depot'
                           ORDER BY geom <-> ST_Centroid(c.geom) LIMIT 10) s
                     ORDER BY ST_Distance(s.geom::geography, ST_Centroid(c.geom)::geography)
                     LIMIT 1), false)
       AND coalesce((SELECT ST_Distance(s.geom::geography, ST_Centroid(c.geom)::geography) <= s.reach_m
                     FROM (SELECT geom, reach_m FROM resources WHERE kind = 'clinic'
                           ORDER BY geom <-> ST_Centroid(c.geom) LIMIT 10) s
                     ORDER BY ST_Distance(s.geom::geography, ST_Centroid(c.geom)::geography)
                     LIMIT 1), false) AS covered
    FROM residents r JOIN h3_cells c ON c.cell = r.cell
)
SELECT round(sum(residents) FILTER (WHERE covered)::numeric / nullif(sum(residents), 0), 3)
FROM scored
