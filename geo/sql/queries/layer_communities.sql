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
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', code,
        'geometry', geometry::json,
        'properties', json_build_object('code', code, 'name', name, 'kind', kind)
    ) ORDER BY code), '[]'::json)
)::text
FROM hits;
