-- Units (驻区单位) and 五小 shops meeting a viewport, coloured in the browser by kind and
-- shop_kind. The map asks only from zoom 14: the town holds a few thousand of them.
-- `class` is the shop kind for 五小 shops and the unit kind otherwise: one colour key.
-- in_viewport (migration 070): `&&` picks candidates from the GiST index, ST_Intersects decides.
-- Parameters: west, south, east, north, digits.
SELECT u.code AS id, ST_AsGeoJSON(u.geom, %(digits)s) AS geometry,
       json_build_object(
        'code', u.code, 'name', u.name, 'kind', u.kind, 'shop_kind', u.shop_kind,
        'class', coalesce(u.shop_kind, u.kind),
        'employees', u.employees, 'grid_code', u.grid_code) AS properties
FROM units u
WHERE in_viewport(u.geom, %(west)s, %(south)s, %(east)s, %(north)s)
ORDER BY u.code
