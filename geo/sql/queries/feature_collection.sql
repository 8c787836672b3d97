-- Wraps a feature query (rows of id, geometry as GeoJSON text, properties as json, already
-- in drawing order) into one FeatureCollection, built by the database and sent as text, with
-- the number of features in it. The placeholder in FROM is replaced by the text of a trusted
-- .sql file from this folder (never by request values, which travel only as parameters).
-- json_agg keeps the subquery's order. max_rows (NULL: all) bounds the work and the answer:
-- the caller asks for one row more than its budget and refuses the answer when it gets it.
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', f.id,
        'geometry', f.geometry::json,
        'properties', f.properties
    )), '[]'::json)
)::text,
       count(*)
FROM (SELECT * FROM ({features}) AS f0 LIMIT %(max_rows)s) AS f
