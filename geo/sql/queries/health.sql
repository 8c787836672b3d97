-- Row counts of the key tables, as one JSON object. The "data as of" moment is not here: it is
-- the one definition of geo/freshness_stamp.py (queries/data_as_of.sql, cheap through the
-- updated_at indexes of migration 045), shared with the wall.
-- Cheap at any size: a table the planner's statistics put at 50,000 rows or more is counted by
-- those statistics (pg_class.reltuples, refreshed by ANALYZE / autovacuum) and listed in
-- `counts_estimated`, a smaller or never-analysed one exactly.
WITH tables(name, rel) AS (
    VALUES ('towns', 'towns'::regclass), ('communities', 'communities'::regclass),
           ('grids', 'grids'::regclass), ('compounds', 'compounds'::regclass),
           ('buildings', 'buildings'::regclass), ('households', 'households'::regclass)
), sized AS (
    SELECT t.name, c.reltuples >= 50000 AS estimated, c.reltuples
    FROM tables t JOIN pg_class c ON c.oid = t.rel
), t AS (
    SELECT s.name, s.estimated,
           CASE WHEN s.estimated THEN s.reltuples::bigint ELSE CASE s.name
               WHEN 'towns' THEN (SELECT count(*) FROM towns)
               WHEN 'communities' THEN (SELECT count(*) FROM communities)
               WHEN 'grids' THEN (SELECT count(*) FROM grids)
               WHEN 'compounds' THEN (SELECT count(*) FROM compounds)
               WHEN 'buildings' THEN (SELECT count(*) FROM buildings)
               WHEN 'households' THEN (SELECT count(*) FROM households) END
           END AS n
    FROM sized s
)
SELECT json_build_object(
    'counts', json_object_agg(name, n),
    'counts_estimated', coalesce(json_agg(name ORDER BY name) FILTER (WHERE estimated), '[]')
)::text
FROM t;
