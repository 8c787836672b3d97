-- OGC collection `shops`: the 五小 small shops only (units of kind shop_five_small).
-- Parameters: after (the caller adds the bbox filter on `geom`).
SELECT u.code AS id, u.geom, ST_AsGeoJSON(u.geom, 9) AS geometry,
       json_build_object('code', u.code, 'name', u.name, 'shop_kind', u.shop_kind,
                         'employees', u.employees, 'building_code', u.building_code,
                         'grid_code', u.grid_code) AS properties
FROM units u
WHERE u.kind = 'shop_five_small'
  AND u.code > %(after)s
