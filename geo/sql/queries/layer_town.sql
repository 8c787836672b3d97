-- The town boundary (镇界) when it meets the viewport, without the sliver holes the union of
-- its communities leaves (migration 082; holes of 100 m² and more are drawn).
SELECT t.code AS id,
       outline_geojson(without_sliver_holes(t.geom, 100), %(tolerance)s, %(outline_digits)s)
           AS geometry,
       json_build_object('code', t.code, 'name', t.name, 'name_en', t.name_en) AS properties
FROM towns t
WHERE in_viewport(t.geom, %(west)s, %(south)s, %(east)s, %(north)s)
ORDER BY t.code
