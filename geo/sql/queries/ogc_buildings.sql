-- OGC collection `buildings`: footprints at full precision (9 decimals: a copied footprint
-- equals the stored one), address and use; households and residents stay out.
-- Parameters: after (the caller adds the bbox filter on `geom`).
SELECT b.code AS id, b.geom, ST_AsGeoJSON(b.geom, 9) AS geometry,
       json_build_object('code', b.code, 'address', b.address, 'grid_code', b.grid_code,
                         'compound_code', b.compound_code, 'use', b.use, 'floors', b.floors,
                         'rooms', b.rooms) AS properties
FROM buildings b
WHERE b.code > %(after)s
