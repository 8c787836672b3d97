-- Buildings meeting a viewport (the map asks only from zoom 15, where a viewport holds a few
-- thousand at most), coloured in the browser by `use`.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    -- 5 decimals (~1 m) are plenty for a 15 m courtyard at zoom 15-19 and keep a dense z16
    -- viewport under 1 MB; only the tooltip's fields travel.
    SELECT b.code, b.address, b.use, b.floors,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(b.geom, %(tolerance)s), 5)
               AS geometry
    FROM buildings b
    JOIN env ON b.geom && env.box AND ST_Intersects(b.geom, env.box)
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'address', address, 'use', use, 'floors', floors) AS properties
FROM hits
ORDER BY code
