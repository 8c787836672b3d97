-- Resource coverage per H3 cell: the share of the cell's residents living within reach of a
-- supply depot and of a clinic (population-weighted over its res-10 children in the
-- coverage_cells view, migration 008). value = mean of the two shares: 0 is a gap (red).
-- Also residents per volunteer. Parameters: res, west, south, east, north, min_count.
WITH area AS (
    SELECT cell, geom
    FROM h3_cells_in_viewport(%(res)s, %(west)s, %(south)s, %(east)s, %(north)s)
), agg AS (
    SELECT ar.cell,
           sum(cc.residents)::bigint                                 AS residents,
           coalesce(sum(cc.residents) FILTER (WHERE cc.depot_ok), 0)  AS depot_residents,
           coalesce(sum(cc.residents) FILTER (WHERE cc.clinic_ok), 0) AS clinic_residents,
           max(cc.depot_m)                                           AS depot_max_m,
           max(cc.clinic_m)                                          AS clinic_max_m
    FROM area ar
    -- the res-10 rows under each cell: one range of coverage_cells' key (migration 047)
    JOIN coverage_cells cc ON h3_under(cc.cell, ar.cell, 10)
    GROUP BY 1
), volunteers AS (
    SELECT h3_parent(h3_cell, %(res)s) AS cell, count(*) AS volunteers
    FROM staff
    WHERE role = 'volunteer' AND h3_parent(h3_cell, %(res)s) IN (SELECT cell FROM agg)
    GROUP BY 1
)
SELECT to_hex(a.cell) AS id, ST_AsGeoJSON(area.geom, 6) AS geometry,
       json_build_object(
        'cell', to_hex(a.cell), 'res', %(res)s,
        'value', round((a.depot_residents + a.clinic_residents) / (2.0 * a.residents), 3),
        'depot_share', round(a.depot_residents::numeric / a.residents, 3),
        'clinic_share', round(a.clinic_residents::numeric / a.residents, 3),
        'depot_max_m', round(a.depot_max_m::numeric),
        'clinic_max_m', round(a.clinic_max_m::numeric),
        'residents', CASE WHEN a.residents < %(min_count)s THEN NULL ELSE a.residents END,
        'volunteers', coalesce(v.volunteers, 0),
        'residents_per_volunteer', CASE WHEN a.residents < %(min_count)s THEN NULL
            ELSE round(a.residents::numeric / nullif(v.volunteers, 0)) END) AS properties
FROM agg a
JOIN area USING (cell)
LEFT JOIN volunteers v USING (cell)
WHERE a.residents > 0
ORDER BY a.cell
