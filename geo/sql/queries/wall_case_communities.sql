-- Cases reported in [since, until) per community/village that has any, for the wall's cases
-- view: a count readable at a glance where an H3 cell would mostly say "<5". Counts under
-- min_count (the privacy rule) arrive as value NULL with the label '<5'.
-- Parameters: since, until, min_count. `centre` is a point inside the area for its label.
WITH counted AS (
    SELECT g.community_code AS code, count(*) AS cases
    FROM cases c
    JOIN grids g ON g.code = c.grid_code
    WHERE c.reported_at >= %(since)s AND c.reported_at < %(until)s
    GROUP BY 1
)
SELECT m.code AS id, ST_AsGeoJSON(m.geom, 6) AS geometry,
       json_build_object(
           'code', m.code, 'name', m.name,
           'value', CASE WHEN n.cases < %(min_count)s THEN NULL ELSE n.cases END,
           'label', CASE WHEN n.cases < %(min_count)s THEN '<' || %(min_count)s
                         ELSE n.cases::text END,
           'centre', ST_AsGeoJSON(ST_PointOnSurface(m.geom), 6)::json) AS properties
FROM counted n
JOIN communities m ON m.code = n.code
ORDER BY m.code
