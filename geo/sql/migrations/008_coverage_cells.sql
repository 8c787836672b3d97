-- Resource coverage per populated res-10 H3 cell: the distance from the cell's centre to the
-- nearest supply depot and clinic, and whether each is within that resource's reach_m.
-- Finding the nearest resource is a KNN search per cell: done once per load or import
-- (geo.rollups.refresh_derived) instead of per request, so the coverage map and the KPI read a
-- GROUP BY over this view. The GiST KNN operator (<->) ranks in degrees, and a degree of
-- longitude here is only 0.77 of one of latitude: the ten planar-nearest are re-ranked by
-- true (geography) distance.
-- Partial indexes: a KNN scan over all resources filtered by kind reads every other kind too.
CREATE INDEX resources_depot_geom_idx  ON resources USING gist (geom) WHERE kind = 'depot';
CREATE INDEX resources_clinic_geom_idx ON resources USING gist (geom) WHERE kind = 'clinic';

CREATE MATERIALIZED VIEW coverage_cells AS
WITH populated AS MATERIALIZED (  -- centres computed once, not once per index probe
    SELECT hc.cell, hc.town_code, hc.residents, ST_Centroid(c.geom) AS centre
    FROM household_cells hc
    JOIN h3_cells c ON c.cell = hc.cell
    WHERE hc.residents > 0
)
SELECT p.cell, p.town_code, p.residents,
       depot.metres                                 AS depot_m,
       coalesce(depot.metres <= depot.reach_m, false)   AS depot_ok,
       clinic.metres                                AS clinic_m,
       coalesce(clinic.metres <= clinic.reach_m, false) AS clinic_ok,
       now()                                        AS updated_at
FROM populated p
LEFT JOIN LATERAL (
    SELECT ST_Distance(s.geom::geography, p.centre::geography) AS metres, s.reach_m
    FROM (SELECT geom, reach_m FROM resources WHERE kind = 'depot'
          ORDER BY geom <-> p.centre LIMIT 10) s
    ORDER BY 1 LIMIT 1
) depot ON true
LEFT JOIN LATERAL (
    SELECT ST_Distance(s.geom::geography, p.centre::geography) AS metres, s.reach_m
    FROM (SELECT geom, reach_m FROM resources WHERE kind = 'clinic'
          ORDER BY geom <-> p.centre LIMIT 10) s
    ORDER BY 1 LIMIT 1
) clinic ON true;

CREATE UNIQUE INDEX coverage_cells_key ON coverage_cells (cell, town_code);
