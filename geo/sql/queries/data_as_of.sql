-- "数据截至 / data as of": the newest change to the town's base and activity data, one
-- definition for the print view, the briefing and the wall (geo/freshness_stamp.py).
-- Base tables by updated_at (each one step down its updated_at index, migration 045: no scan
-- of ~1 M households nor of a rollup per H3 cell); cases and tickets also by the moment they
-- were reported or received, capped at now() so a mistyped future date cannot move it ahead.
-- Context features (rivers, roads) are left out: they are map furniture, not data.
SELECT greatest(
    (SELECT max(updated_at) FROM towns),
    (SELECT max(updated_at) FROM communities),
    (SELECT max(updated_at) FROM grids),
    (SELECT max(updated_at) FROM compounds),
    (SELECT max(updated_at) FROM buildings),
    (SELECT max(updated_at) FROM households),
    (SELECT max(updated_at) FROM units),
    (SELECT max(updated_at) FROM resources),
    (SELECT max(updated_at) FROM staff),
    (SELECT max(updated_at) FROM incidents),
    (SELECT max(received_at) FROM incidents WHERE received_at <= now()),
    (SELECT max(updated_at) FROM cases),
    (SELECT max(reported_at) FROM cases WHERE reported_at <= now())
) AS data_as_of
