-- Population pressure per H3 cell: residents per km² (value), floating ÷ registered (倒挂 > 1),
-- rented rooms. The bbox picks whole cells from the small, GiST-indexed h3_cells table; the
-- household sums come from the res-10 rollup household_cells (migration 006).
-- Serves two metrics: value_kind 'density' (residents/km²) or 'ratio' (floating/registered).
-- Parameters: res, west, south, east, north, value_kind, min_count (fewer residents: no value).
WITH area AS (
    SELECT cell, geom, area_km2
    FROM h3_cells_in_viewport(%(res)s, %(west)s, %(south)s, %(east)s, %(north)s)
), agg AS (
    SELECT a.cell,
           sum(hc.residents)::bigint    AS residents,
           sum(hc.registered)::bigint   AS registered,
           sum(hc.floating)::bigint     AS floating,
           sum(hc.rented_rooms)::bigint AS rented_rooms,
           sum(hc.households)::bigint   AS households
    FROM area a
    -- the res-10 rows under each cell are one range of household_cells' key (migration 047):
    -- a small box reads its own rows, not the whole rollup
    JOIN household_cells hc ON h3_under(hc.cell, a.cell, 10)
    GROUP BY 1
), shown AS (
    SELECT a.*, area.geom, area.area_km2, a.residents < %(min_count)s AS suppressed
    FROM agg a JOIN area USING (cell)
)
SELECT to_hex(cell) AS id, ST_AsGeoJSON(geom, 6) AS geometry,
       CASE WHEN suppressed THEN h3_suppressed_cell(cell, %(res)s, %(min_count)s)
        ELSE json_build_object(
            'cell', to_hex(cell), 'res', %(res)s,
            'value', CASE %(value_kind)s
                WHEN 'ratio' THEN round(floating::numeric / nullif(registered, 0), 2)
                ELSE round(residents / area_km2) END,
            'residents', residents, 'registered', registered, 'floating', floating,
            'floating_ratio', round(floating::numeric / nullif(registered, 0), 2),
            'rented_rooms', rented_rooms, 'households', households,
            'area_km2', round(area_km2::numeric, 4))
        END AS properties
FROM shown
ORDER BY cell
