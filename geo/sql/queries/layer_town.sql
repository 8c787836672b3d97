-- The town boundary (镇界) when it meets the viewport.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT t.code, t.name, t.name_en,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(t.geom, %(tolerance)s), %(digits)s)
               AS geometry
    FROM towns t
    JOIN env ON t.geom && env.box AND ST_Intersects(t.geom, env.box)
)
SELECT code AS id, geometry,
       json_build_object('code', code, 'name', name, 'name_en', name_en) AS properties
FROM hits
ORDER BY code
