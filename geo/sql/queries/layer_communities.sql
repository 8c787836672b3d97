-- Communities and villages (社区/村) meeting a viewport, as one GeoJSON FeatureCollection.
-- The committee phone stays out: layers carry no contact data.
SELECT c.code AS id, outline_geojson(c.geom, %(tolerance)s, %(outline_digits)s) AS geometry,
       json_build_object('code', c.code, 'name', c.name, 'kind', c.kind) AS properties
FROM communities c
WHERE in_viewport(c.geom, %(west)s, %(south)s, %(east)s, %(north)s)
ORDER BY c.code
