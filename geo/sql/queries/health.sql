-- Row counts and data freshness (the latest updated_at) of the key tables, as one JSON object.
-- Cheap at any size: max(updated_at) is one step down each table's updated_at index
-- (migration 045); a table the planner's statistics put at 50,000 rows or more is counted by
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
           END AS n,
           CASE s.name
               WHEN 'towns' THEN (SELECT max(updated_at) FROM towns)
               WHEN 'communities' THEN (SELECT max(updated_at) FROM communities)
               WHEN 'grids' THEN (SELECT max(updated_at) FROM grids)
               WHEN 'compounds' THEN (SELECT max(updated_at) FROM compounds)
               WHEN 'buildings' THEN (SELECT max(updated_at) FROM buildings)
               WHEN 'households' THEN (SELECT max(updated_at) FROM households) END AS as_of
    FROM sized s
)
SELECT json_build_object(
    'data_as_of', to_char(max(as_of) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'counts', json_object_agg(name, n),
    'counts_estimated', coalesce(json_agg(name ORDER BY name) FILTER (WHERE estimated), '[]')
)::text
FROM t;
