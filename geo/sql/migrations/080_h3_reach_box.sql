-- The box a ticket (or any point) counted under an H3 metric's viewport cells can lie in: the
-- viewport widened by four average edges of a cell of `at_res` (~1,281 km / sqrt(7)^res). A
-- cell that meets the viewport reaches at most its width (two edges) beyond it, and the points
-- whose res-11 cell has that cell as parent (h3_parent) lie within about one more edge of its
-- outline (descendants are not nested exactly in H3): four edges holds them with room. With it
-- the "many cells" branch of h3_tickets.sql reads the window's tickets of the box by the GiST
-- index on incidents.geom instead of every ticket of the window (issue 16); the answer is the
-- same (tests/db/test_h3_tickets_box.py compares it with the old query). Inlined (one SELECT,
-- IMMUTABLE): the planner sees a constant box and estimates it from the geometry's statistics.
CREATE FUNCTION h3_reach_box(at_res integer, west float8, south float8, east float8,
                             north float8) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ST_Expand(ST_MakeEnvelope(west, south, east, north, 4326),
                     4 * 1281256.51 * power(7, -at_res / 2.0)
                       / (111320 * cos(radians(least(greatest(abs(south), abs(north)), 85)))),
                     4 * 1281256.51 * power(7, -at_res / 2.0) / 110574)
$$;
