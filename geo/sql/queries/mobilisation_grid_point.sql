-- A point inside one grid (the call list's centre when a grid, not a point, is chosen).
-- Parameters: grid.
SELECT ST_Y(p) AS lat, ST_X(p) AS lng
FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE code = %(grid)s) g
