-- OGC collection `units`: enterprises, institutions, office buildings, parks and shops.
-- Parameters: after (the caller adds the bbox filter on `geom`).
SELECT u.code AS id, u.geom, ST_AsGeoJSON(u.geom, 9) AS geometry,
       json_build_object('code', u.code, 'name', u.name, 'kind', u.kind,
                         'shop_kind', u.shop_kind, 'employees', u.employees,
                         'building_code', u.building_code, 'grid_code', u.grid_code)
           AS properties
FROM units u
WHERE u.code > %(after)s
