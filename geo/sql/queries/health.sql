-- Row counts of the key tables, as one JSON object. The "data as of" moment is not here: it is
-- the one definition of geo/freshness_stamp.py (queries/data_as_of.sql), shared with the wall.
WITH t AS (
    SELECT 'towns' AS name, count(*) AS n FROM towns
    UNION ALL SELECT 'communities', count(*) FROM communities
    UNION ALL SELECT 'grids', count(*) FROM grids
    UNION ALL SELECT 'compounds', count(*) FROM compounds
    UNION ALL SELECT 'buildings', count(*) FROM buildings
    UNION ALL SELECT 'households', count(*) FROM households
)
SELECT json_build_object('counts', json_object_agg(name, n))::text
FROM t;
