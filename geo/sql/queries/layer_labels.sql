-- Place-name labels (地名标注): one label point per community/village, grid, main road and
-- river meeting a viewport, each with the zoom from which it is shown and a priority (1 first)
-- that the browser uses to drop labels that would overlap (assets/map_labels.js).
-- Communities and villages from zoom 12, main roads and rivers from 12, other named roads from
-- 14, grids from 14 (their short "第N网格" form: the community label names the rest).
-- Line labels sit on the line, near the middle of the part inside the viewport.
-- Parameters: west, south, east, north, zoom, digits.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), places AS (
    SELECT c.code, c.name, c.kind, 1 AS priority, 12 AS min_zoom,
           ST_PointOnSurface(c.geom) AS pt
    FROM communities c
    JOIN env ON c.geom && env.box
    UNION ALL
    SELECT g.code,
           CASE WHEN position('第' IN g.name) > 1 THEN substr(g.name, position('第' IN g.name))
                ELSE g.name END,
           'grid', 4, 14, ST_PointOnSurface(g.geom)
    FROM grids g
    JOIN env ON g.geom && env.box
    WHERE %(zoom)s >= 14
    UNION ALL
    SELECT f.code, f.name, f.kind, CASE WHEN f.rank = 1 THEN 2 ELSE 3 END,
           CASE WHEN f.rank = 1 THEN 12 ELSE 14 END,
           ST_ClosestPoint(f.geom, ST_Centroid(ST_Intersection(f.geom, env.box)))
    FROM context_features f
    JOIN env ON f.geom && env.box AND ST_Intersects(f.geom, env.box)
    WHERE f.kind IN ('road', 'river') AND f.name IS NOT NULL AND f.name <> ''
      AND (f.rank = 1 OR %(zoom)s >= 14)
), hits AS (
    SELECT p.* FROM places p JOIN env ON ST_Intersects(p.pt, env.box)
    WHERE %(zoom)s >= p.min_zoom
)
SELECT kind || ':' || code AS id, ST_AsGeoJSON(pt, %(digits)s) AS geometry,
       json_build_object('code', code, 'name', name, 'kind', kind, 'priority', priority,
                         'min_zoom', min_zoom) AS properties
FROM hits
ORDER BY priority, code
