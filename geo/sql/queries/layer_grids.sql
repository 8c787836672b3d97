-- Grids (网格) meeting a viewport, as one GeoJSON FeatureCollection built by the database.
-- in_viewport (migration 070): `&&` lets the GiST index pick candidates; ST_Intersects drops
-- those whose box only grazes.
-- Parameters: west, south, east, north (WGS84 degrees), tolerance (degrees), outline_digits.
WITH hits AS (
    SELECT g.code, g.name, g.community_code, c.name AS community_name,
           outline_geojson(g.geom, %(tolerance)s, %(outline_digits)s) AS geometry
    FROM grids g
    LEFT JOIN communities c ON c.code = g.community_code
    WHERE in_viewport(g.geom, %(west)s, %(south)s, %(east)s, %(north)s)
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'name', name,
        'community_code', community_code, 'community_name', community_name) AS properties
FROM hits
ORDER BY code
