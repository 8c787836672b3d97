-- Buildings meeting a viewport (the map asks only from zoom 15, where a viewport holds a few
-- thousand at most), coloured in the browser by `use`.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT b.code, b.address, b.use, b.floors, b.rooms, b.grid_code, b.compound_code,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(b.geom, %(tolerance)s), %(digits)s)
               AS geometry
    FROM buildings b
    JOIN env ON b.geom && env.box AND ST_Intersects(b.geom, env.box)
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', code,
        'geometry', geometry::json,
        'properties', json_build_object(
            'code', code, 'address', address, 'use', use, 'floors', floors,
            'rooms', rooms, 'grid_code', grid_code, 'compound_code', compound_code)
    ) ORDER BY code), '[]'::json)
)::text
FROM hits;
