-- Building blocks the query files (geo/sql/queries) share instead of spelling them out each.
-- Each is a one-statement LANGUAGE sql function without STRICT or SECURITY DEFINER, so the
-- planner inlines it into the calling query: the plan is the one the spelled-out text had (the
-- GiST index still serves `&&`), and the answers stay the same to the byte.

-- Does `geom` meet the viewport box (WGS84 degrees)? `&&` lets the GiST index pick the
-- candidates, but it compares float4 boxes and is not exact: ST_Intersects decides.
CREATE FUNCTION in_viewport(geom geometry, west float8, south float8, east float8,
                            north float8) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT geom && ST_MakeEnvelope(west, south, east, north, 4326)
       AND ST_Intersects(geom, ST_MakeEnvelope(west, south, east, north, 4326))
$$;

-- A polygon or line as the map draws it: simplified to `tolerance` degrees (the zoom's pixel),
-- as GeoJSON text with `digits` decimals.
CREATE FUNCTION drawn_geojson(geom geometry, tolerance float8, digits integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, tolerance), digits)
$$;

-- The H3 cells of resolution `at_res` whose outline meets the viewport box: the cells an H3
-- metric answers for (h3_cells is small and GiST-indexed; the metric sums come from elsewhere).
CREATE FUNCTION h3_cells_in_viewport(at_res integer, west float8, south float8, east float8,
                                     north float8) RETURNS SETOF h3_cells
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT * FROM h3_cells
    WHERE res = at_res AND geom && ST_MakeEnvelope(west, south, east, north, 4326)
$$;

-- The distance between two WGS84 geometries in whole metres, on the spheroid: what the roster,
-- the call list and the resource lists show (KNN ranks in degrees; this re-ranks).
CREATE FUNCTION metres_between(a geometry, b geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT round(ST_Distance(a::geography, b::geography))
$$;

-- Does the H3 cell `h3_cell` (of resolution `child_res`) lie under `cell`? Its descendants are
-- one range of the bigint index (migration 047), so a btree on h3_cell answers it by a range
-- scan, where h3_parent(h3_cell, r) = cell can only be checked row by row.
CREATE FUNCTION h3_under(h3_cell bigint, cell bigint, child_res integer) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT h3_cell BETWEEN h3_child_min(cell, child_res) AND h3_child_max(cell, child_res)
$$;

-- The properties of an H3 cell counting fewer than `min_count` (the "<5" rule of DOMAIN.md): no
-- value, only the label. STABLE, as json_build_object and text || integer are.
CREATE FUNCTION h3_suppressed_cell(cell bigint, res integer, min_count integer) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object('cell', to_hex(cell), 'res', res, 'value', NULL,
                             'label', '<' || min_count)
$$;
