-- "数据截至 / data as of": the newest change to the town's base and activity data, one
-- definition for the print view, the briefing and the wall (geo/freshness_stamp.py).
-- Base tables by updated_at (households through the household_cells rollup, which carries
-- their newest updated_at: no scan of ~1 M rows); cases and tickets also by the moment they
-- were reported or received, capped at now() so a mistyped future date cannot move it ahead.
-- Context features (rivers, roads) are left out: they are map furniture, not data.
SELECT greatest(
    (SELECT max(updated_at) FROM towns),
    (SELECT max(updated_at) FROM communities),
    (SELECT max(updated_at) FROM grids),
    (SELECT max(updated_at) FROM compounds),
    (SELECT max(updated_at) FROM buildings),
    (SELECT max(updated_at) FROM household_cells),
    (SELECT max(updated_at) FROM units),
    (SELECT max(updated_at) FROM resources),
    (SELECT max(updated_at) FROM staff),
    (SELECT max(updated_at) FROM incidents),
    (SELECT max(received_at) FROM incidents WHERE received_at <= now()),
    (SELECT max(updated_at) FROM cases),
    (SELECT max(reported_at) FROM cases WHERE reported_at <= now())
) AS data_as_of
