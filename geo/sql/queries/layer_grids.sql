-- Grids (网格) meeting a viewport, as one GeoJSON FeatureCollection built by the database.
-- `&&` lets the GiST index pick candidates; ST_Intersects drops those whose box only grazes.
-- Parameters: west, south, east, north (WGS84 degrees), tolerance (degrees), digits.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT g.code, g.name, g.community_code, c.name AS community_name,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(g.geom, %(tolerance)s), %(digits)s)
               AS geometry
    FROM grids g
    JOIN env ON g.geom && env.box AND ST_Intersects(g.geom, env.box)
    LEFT JOIN communities c ON c.code = g.community_code
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'name', name,
        'community_code', community_code, 'community_name', community_name) AS properties
FROM hits
ORDER BY code
