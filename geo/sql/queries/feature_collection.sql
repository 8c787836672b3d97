-- Wraps a feature query (rows of id, geometry as GeoJSON text, properties as json, already
-- in drawing order) into one FeatureCollection, built by the database and sent as text, with
-- the number of features in it. The placeholder in FROM is replaced by the text of a trusted
-- .sql file from this folder (never by request values, which travel only as parameters).
-- string_agg keeps the subquery's order. max_rows (NULL: all) bounds the work and the answer:
-- the caller asks for one row more than its budget and refuses the answer when it gets it.
-- The envelope is written as compact text (no spaces around ':' and ','; json_build_object
-- writes ' : ' and ', '), and the geometry text ST_AsGeoJSON wrote is copied, not parsed again:
-- fewer bytes, less work per feature.
SELECT '{"type":"FeatureCollection","features":[' || coalesce(string_agg(
           '{"type":"Feature","id":' || coalesce(to_json(f.id)::text, 'null')
           || ',"geometry":' || coalesce(f.geometry::text, 'null')
           || ',"properties":' || coalesce(f.properties::text, 'null') || '}', ','), '')
       || ']}',
       count(*)
FROM (SELECT * FROM ({features}) AS f0 LIMIT %(max_rows)s) AS f
