-- What the benchmark asks for: the data extent (at most ten towns: a district on one screen;
-- at city scale the other towns lie beyond it), the busiest grid and community, and the
-- centre of the densest res-8 cell (where a z16 viewport holds the most buildings).
SELECT
    (SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)]
       FROM (SELECT ST_Extent(geom)::geometry AS e FROM (
               SELECT geom FROM towns ORDER BY code LIMIT 10) d) t)          AS extent,
    (SELECT grid_code FROM buildings GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
                                                                           AS grid_code,
    (SELECT g.community_code FROM buildings b JOIN grids g ON g.code = b.grid_code
       GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)                       AS community_code,
    (SELECT ARRAY[ST_X(c), ST_Y(c)] FROM (
        SELECT ST_Centroid(ST_Collect(ST_Centroid(geom))) AS c FROM buildings
        WHERE h3_parent(h3_cell, 8) = (SELECT h3_parent(h3_cell, 8) FROM buildings
                                       GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)) d)
                                                                           AS dense_centre,
    (SELECT count(*) FROM towns)                                           AS towns
