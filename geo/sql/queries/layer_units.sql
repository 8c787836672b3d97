-- Units (驻区单位) and 五小 shops meeting a viewport, coloured in the browser by kind and
-- shop_kind. The map asks only from zoom 14: the town holds a few thousand of them.
-- `class` is the shop kind for 五小 shops and the unit kind otherwise: one colour key.
-- `&&` alone is not exact (the GiST index compares float4 boxes): ST_Intersects decides.
-- Parameters: west, south, east, north, digits.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT u.code, u.name, u.kind, u.shop_kind, u.employees, u.grid_code,
           ST_AsGeoJSON(u.geom, %(digits)s) AS geometry
    FROM units u
    JOIN env ON u.geom && env.box AND ST_Intersects(u.geom, env.box)
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'name', name, 'kind', kind, 'shop_kind', shop_kind,
        'class', coalesce(shop_kind, kind),
        'employees', employees, 'grid_code', grid_code) AS properties
FROM hits
ORDER BY code
