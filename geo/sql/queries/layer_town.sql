-- The town boundary (镇界) when it meets the viewport.
SELECT t.code AS id, outline_geojson(t.geom, %(tolerance)s, %(outline_digits)s) AS geometry,
       json_build_object('code', t.code, 'name', t.name, 'name_en', t.name_en) AS properties
FROM towns t
WHERE in_viewport(t.geom, %(west)s, %(south)s, %(east)s, %(north)s)
ORDER BY t.code
