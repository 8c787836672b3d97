-- The descendants of an H3 cell at a finer resolution form one range of the bigint index:
-- the resolution sits in bits 52-55, then one 3-bit digit per resolution, and a parent's
-- unused digits are all 7. So "cells of the stored resolution under this cell" is
--   h3_cell BETWEEN h3_child_min(cell, 11) AND h3_child_max(cell, 11)
-- which a btree on h3_cell answers by a range scan, where h3_parent(h3_cell, r) = cell can
-- only be checked row by row (the H3 drill-down seq-scanned every building). Checked against
-- h3-py in tests/db/test_h3_child_ranges.py.
CREATE FUNCTION h3_child_min(cell bigint, child_res integer) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ((cell & ~(15::bigint << 52)) | (child_res::bigint << 52))
           & ~(((1::bigint << ((child_res - ((cell >> 52) & 15)::integer) * 3)) - 1)
               << ((15 - child_res) * 3))
$$;

CREATE FUNCTION h3_child_max(cell bigint, child_res integer) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (cell & ~(15::bigint << 52)) | (child_res::bigint << 52)
$$;

-- Tickets and cases of a few cells in a time window: a range on the cell, the window read
-- from the same index entries (no heap visit for rows outside the window).
CREATE INDEX incidents_h3_received_idx ON incidents (h3_cell, received_at);
CREATE INDEX cases_h3_reported_idx ON cases (h3_cell, reported_at);
