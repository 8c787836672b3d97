-- Buildings meeting a viewport (the map asks only from zoom 15, where a viewport holds a few
-- thousand at most), coloured in the browser by `use`.
WITH hits AS (
    -- 5 decimals (~1 m) are plenty for a 15 m courtyard at zoom 15-19 and keep a dense z16
    -- viewport under 1 MB; only the tooltip's fields travel.
    SELECT b.code, b.address, b.use, b.floors,
           drawn_geojson(b.geom, %(tolerance)s, 5) AS geometry
    FROM buildings b
    WHERE in_viewport(b.geom, %(west)s, %(south)s, %(east)s, %(north)s)
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'address', address, 'use', use, 'floors', floors) AS properties
FROM hits
ORDER BY code
