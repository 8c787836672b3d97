-- An outline (polygon or line) as the map draws it at a zoom: simplified to `tolerance` degrees
-- (half a pixel, as drawn_geojson of migration 070) and written with `digits` decimals, the
-- fewest that zoom can show (geo/params.py digits_for_zoom). With fewer than 6 decimals every
-- vertex is snapped to that grid (ST_SnapToGrid: a ring that collapses is dropped, repeated
-- points merged) and the snapped outline is written when it is valid; rounding the text alone
-- could fold a ring onto itself or leave one of fewer than four points. The rare outline the
-- snapping makes invalid is written made valid at 6 decimals. 6 decimals (zoom 16 and finer)
-- is drawn_geojson exactly: as exact as stored. (ST_ReducePrecision would make every outline
-- valid too, but it tripled the time of the whole-extent grids: ~100 ms more for 3,000.)
-- PL/pgSQL: the simplified outline is computed once per row; ST_IsValid(…, 0) is quiet (the
-- one-argument form sends a NOTICE per invalid outline).
CREATE FUNCTION outline_geojson(geom geometry, tolerance float8, digits integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    drawn geometry := ST_SimplifyPreserveTopology(geom, tolerance);
    snapped geometry;
BEGIN
    IF digits >= 6 THEN
        RETURN ST_AsGeoJSON(drawn, digits);
    END IF;
    snapped := ST_SnapToGrid(drawn, power(10, -digits));
    IF ST_IsValid(snapped, 0) THEN
        RETURN ST_AsGeoJSON(snapped, digits);
    END IF;
    RETURN ST_AsGeoJSON(ST_MakeValid(drawn), 6);
END;
$$;
