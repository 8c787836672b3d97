-- Row counts and data freshness (the latest updated_at) of the key tables, as one JSON object.
WITH t AS (
    SELECT 'towns' AS name, count(*) AS n, max(updated_at) AS as_of FROM towns
    UNION ALL SELECT 'communities', count(*), max(updated_at) FROM communities
    UNION ALL SELECT 'grids', count(*), max(updated_at) FROM grids
    UNION ALL SELECT 'compounds', count(*), max(updated_at) FROM compounds
    UNION ALL SELECT 'buildings', count(*), max(updated_at) FROM buildings
    UNION ALL SELECT 'households', count(*), max(updated_at) FROM households
)
SELECT json_build_object(
    'data_as_of', to_char(max(as_of) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'counts', json_object_agg(name, n)
)::text
FROM t;
