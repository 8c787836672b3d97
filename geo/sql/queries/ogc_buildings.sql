-- OGC collection `buildings`: footprints at full precision (9 decimals: a copied footprint
-- equals the stored one), address and use; households and residents stay out.
-- Parameters: west, south, east, north, after.
SELECT b.code AS id, ST_AsGeoJSON(b.geom, 9) AS geometry,
       json_build_object('code', b.code, 'address', b.address, 'grid_code', b.grid_code,
                         'compound_code', b.compound_code, 'use', b.use, 'floors', b.floors,
                         'rooms', b.rooms) AS properties
FROM buildings b
WHERE b.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND ST_Intersects(b.geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
  AND b.code > %(after)s
