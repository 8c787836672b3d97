-- Population pressure per H3 cell: residents per km² (value), floating ÷ registered (倒挂 > 1),
-- rented rooms. The bbox picks whole cells from the small, GiST-indexed h3_cells table; the
-- households are then matched by their building's parent cell, so big tables are read once.
-- Serves two metrics: value_kind 'density' (residents/km²) or 'ratio' (floating/registered).
-- Parameters: res, west, south, east, north, value_kind, min_count (fewer residents: no value).
WITH area AS (
    SELECT cell, geom, area_km2
    FROM h3_cells
    WHERE res = %(res)s
      AND geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
), agg AS (
    SELECT h3_parent(b.h3_cell, %(res)s) AS cell,
           sum(h.members)::bigint              AS residents,
           sum(h.registered)::bigint           AS registered,
           sum(h.floating)::bigint             AS floating,
           count(*) FILTER (WHERE h.renters)   AS rented_rooms,
           count(*)                            AS households
    FROM households h
    JOIN buildings b ON b.code = h.building_code
    WHERE h3_parent(b.h3_cell, %(res)s) IN (SELECT cell FROM area)
    GROUP BY 1
), shown AS (
    SELECT a.*, area.geom, area.area_km2, a.residents < %(min_count)s AS suppressed
    FROM agg a JOIN area USING (cell)
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', to_hex(cell),
        'geometry', ST_AsGeoJSON(geom, 6)::json,
        'properties', CASE WHEN suppressed THEN json_build_object(
                'cell', to_hex(cell), 'res', %(res)s, 'value', NULL, 'label', '<' || %(min_count)s)
            ELSE json_build_object(
                'cell', to_hex(cell), 'res', %(res)s,
                'value', CASE %(value_kind)s
                    WHEN 'ratio' THEN round(floating::numeric / nullif(registered, 0), 2)
                    ELSE round(residents / area_km2) END,
                'residents', residents, 'registered', registered, 'floating', floating,
                'floating_ratio', round(floating::numeric / nullif(registered, 0), 2),
                'rented_rooms', rented_rooms, 'households', households,
                'area_km2', round(area_km2::numeric, 4))
            END
    ) ORDER BY cell), '[]'::json)
)::text
FROM shown
