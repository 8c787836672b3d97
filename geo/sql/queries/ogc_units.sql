-- OGC collection `units`: enterprises, institutions, office buildings, parks and shops.
-- Parameters: west, south, east, north, after.
SELECT u.code AS id, ST_AsGeoJSON(u.geom, 9) AS geometry,
       json_build_object('code', u.code, 'name', u.name, 'kind', u.kind,
                         'shop_kind', u.shop_kind, 'employees', u.employees,
                         'building_code', u.building_code, 'grid_code', u.grid_code)
           AS properties
FROM units u
WHERE u.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND ST_Intersects(u.geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
  AND u.code > %(after)s
