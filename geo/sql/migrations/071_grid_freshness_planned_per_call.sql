-- refresh_grid_freshness (migration 046) was a LANGUAGE sql function: PostgreSQL plans its
-- statements once, generically, without the value of `codes`, so `codes IS NULL OR grid_code =
-- ANY (codes)` could use no index and a trigger refreshing one grid scanned every building,
-- household and unit (~300 ms per household form at district scale). The same statements run
-- as PL/pgSQL get plans made for the value passed: the NULL test folds away, one grid reads by
-- index and NULL (every grid) still scans once. The body is taken from the stored function,
-- so its definitions stay written once (in 046).
DO $$
DECLARE
    body text;
BEGIN
    SELECT p.prosrc INTO STRICT body FROM pg_proc p
     WHERE p.oid = 'refresh_grid_freshness(text[])'::regprocedure;
    EXECUTE format('CREATE OR REPLACE FUNCTION refresh_grid_freshness(codes text[]) '
                   'RETURNS void LANGUAGE plpgsql AS %L',
                   E'BEGIN\n' || body || E'\nEND;');
END;
$$;
