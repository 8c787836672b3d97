-- Resource coverage per populated H3 cell: is the cell's centre within reach of the nearest
-- supply depot (its reach_m, 500 m by default) and the nearest clinic (1 km)? value is the
-- share of those kinds that reach it (0, 0.5, 1: gaps are 0); plus residents per volunteer.
-- The GiST KNN operator (<->) ranks in degrees, and a degree of longitude here is only 0.77 of
-- one of latitude: the ten planar-nearest are re-ranked by true (geography) distance.
-- Parameters: res, west, south, east, north, min_count.
WITH area AS (
    SELECT cell, geom, ST_Centroid(geom) AS centre
    FROM h3_cells
    WHERE res = %(res)s
      AND geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
), residents AS (
    SELECT h3_parent(b.h3_cell, %(res)s) AS cell, sum(h.members)::bigint AS residents
    FROM households h
    JOIN buildings b ON b.code = h.building_code
    WHERE h3_parent(b.h3_cell, %(res)s) IN (SELECT cell FROM area)
    GROUP BY 1
), volunteers AS (
    SELECT h3_parent(h3_cell, %(res)s) AS cell, count(*) AS volunteers
    FROM staff
    WHERE role = 'volunteer' AND h3_parent(h3_cell, %(res)s) IN (SELECT cell FROM residents)
    GROUP BY 1
), reach AS (
    SELECT r.cell, r.residents, a.geom, coalesce(v.volunteers, 0) AS volunteers,
           depot.metres AS depot_m, depot.reach_m AS depot_reach_m,
           clinic.metres AS clinic_m, clinic.reach_m AS clinic_reach_m
    FROM residents r
    JOIN area a USING (cell)
    LEFT JOIN volunteers v USING (cell)
    LEFT JOIN LATERAL (
        SELECT ST_Distance(s.geom::geography, a.centre::geography) AS metres, s.reach_m
        FROM (SELECT geom, reach_m FROM resources WHERE kind = 'depot'
              ORDER BY geom <-> a.centre LIMIT 10) s
        ORDER BY 1 LIMIT 1
    ) depot ON true
    LEFT JOIN LATERAL (
        SELECT ST_Distance(s.geom::geography, a.centre::geography) AS metres, s.reach_m
        FROM (SELECT geom, reach_m FROM resources WHERE kind = 'clinic'
              ORDER BY geom <-> a.centre LIMIT 10) s
        ORDER BY 1 LIMIT 1
    ) clinic ON true
    WHERE r.residents > 0
), scored AS (
    SELECT *,
           coalesce(depot_m <= depot_reach_m, false)   AS depot_ok,
           coalesce(clinic_m <= clinic_reach_m, false) AS clinic_ok
    FROM reach
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', to_hex(cell),
        'geometry', ST_AsGeoJSON(geom, 6)::json,
        'properties', json_build_object(
            'cell', to_hex(cell), 'res', %(res)s,
            'value', (depot_ok::int + clinic_ok::int) / 2.0,
            'depot_covered', depot_ok, 'clinic_covered', clinic_ok,
            'depot_m', round(depot_m::numeric), 'clinic_m', round(clinic_m::numeric),
            'residents', CASE WHEN residents < %(min_count)s THEN NULL ELSE residents END,
            'volunteers', volunteers,
            'residents_per_volunteer', CASE WHEN residents < %(min_count)s THEN NULL
                ELSE round(residents::numeric / nullif(volunteers, 0)) END)
    ) ORDER BY cell), '[]'::json)
)::text
FROM scored
