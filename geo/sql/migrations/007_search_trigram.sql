-- Trigram indexes for the place search (查房知人): `ILIKE '%fragment%'` on addresses and names
-- cannot use a btree; a pg_trgm GIN index can, and trigrams work on Chinese text too (the
-- cluster's C.UTF-8 ctype counts CJK characters as letters). A managed server without
-- pg_trgm simply gets no index: the search stays correct, only slower.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX buildings_address_trgm ON buildings USING gin (address gin_trgm_ops);
        CREATE INDEX compounds_name_trgm ON compounds USING gin (name gin_trgm_ops);
        CREATE INDEX grids_name_trgm ON grids USING gin (name gin_trgm_ops);
        CREATE INDEX grids_code_trgm ON grids USING gin (code gin_trgm_ops);
        CREATE INDEX communities_name_trgm ON communities USING gin (name gin_trgm_ops);
    ELSE
        RAISE NOTICE 'pg_trgm is not available: place search runs without trigram indexes';
    END IF;
END
$$;
