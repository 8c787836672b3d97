-- The data version (issue 16): a number that moves when a write to the data commits, read in
-- one cheap query. The app keys its in-process answer cache on it (dashboard/response_cache.py):
-- an answer computed at version V is served again only while the version is still V.
--
-- version = sum(version) over a few slots. A statement that writes a tracked table bumps one
-- slot, in its own transaction, so the new version becomes visible exactly when the write does
-- (a sequence would move before the commit and let an old answer be cached under the new
-- number). Slots instead of one row: a writer takes a slot no other writer holds (SKIP
-- LOCKED), so concurrent writers never queue on the counter and cannot deadlock through it
-- (only with more than 16 writing at once does one wait for a slot). One bump per transaction.
CREATE TABLE data_version_slots (
    slot    smallint PRIMARY KEY,
    version bigint NOT NULL DEFAULT 0
);
INSERT INTO data_version_slots (slot) SELECT generate_series(0, 15);

CREATE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    chosen smallint;
BEGIN
    IF current_setting('gridcmd.data_version_bumped', true) = 'on' THEN
        RETURN NULL;  -- this transaction has bumped already (undone with it on rollback)
    END IF;
    SELECT slot INTO chosen FROM data_version_slots ORDER BY slot
        FOR UPDATE SKIP LOCKED LIMIT 1;
    IF chosen IS NULL THEN  -- every slot held by a concurrent writer: wait for one
        chosen := floor(random() * 16)::smallint;
    END IF;
    UPDATE data_version_slots SET version = version + 1 WHERE slot = chosen;
    PERFORM set_config('gridcmd.data_version_bumped', 'on', true);
    RETURN NULL;
END $$;

-- Track one table: any INSERT, UPDATE, DELETE or TRUNCATE statement bumps the version.
CREATE FUNCTION track_data_version(target regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()',
                   'data_version_bump', target);
END $$;

-- Every table of the schema except those written as a side effect of reading or signing in
-- (sessions, audit, sign-in limits, OGC request counts), the accounts and tokens (read per
-- request for the principal, never by a cached answer; a burst of failed sign-ins must not
-- empty the cache), the ledger and PostGIS's own: a new
-- table is tracked by its migration (SELECT track_data_version('t')); a test lists the rest.
-- Materialized views (household_cells, coverage_cells) are refreshed in the same transaction
-- as the write to their source tables, which bumps.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.oid::regclass AS target
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
               AND NOT c.relispartition
               AND c.relname NOT IN ('web_sessions', 'audit_log', 'login_throttle',
                                     'ogc_request_counts', 'users', 'access_tokens',
                                     'schema_migrations',
                                     'spatial_ref_sys', 'data_version_slots')
    LOOP
        PERFORM track_data_version(t.target);
    END LOOP;
END $$;
