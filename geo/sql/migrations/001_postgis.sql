-- PostGIS and the H3 helpers that stand in for the (unavailable) h3 extension.
CREATE EXTENSION IF NOT EXISTS postgis;

-- Parent of an H3 cell at a coarser resolution, by bit arithmetic: the resolution sits in
-- bits 52-55 and every digit below the target resolution is set to 7 (binary 111).
-- Checked against h3-py (tests/unit/test_h3_sql.py and tests/db/test_h3_parent.py).
CREATE OR REPLACE FUNCTION h3_parent(cell bigint, res integer)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT ((cell & ~(15::bigint << 52)) | (res::bigint << 52))
         | ((1::bigint << ((15 - res) * 3)) - 1)
$$;

CREATE OR REPLACE FUNCTION h3_resolution(cell bigint)
RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ((cell >> 52) & 15)::integer $$;
