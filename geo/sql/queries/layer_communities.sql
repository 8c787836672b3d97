-- Communities and villages (社区/村) meeting a viewport, as one GeoJSON FeatureCollection.
-- The committee phone stays out: layers carry no contact data.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT c.code, c.name, c.kind,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(c.geom, %(tolerance)s), %(digits)s)
               AS geometry
    FROM communities c
    JOIN env ON c.geom && env.box AND ST_Intersects(c.geom, env.box)
)
SELECT code AS id, geometry,
       json_build_object('code', code, 'name', name, 'kind', kind) AS properties
FROM hits
ORDER BY code
