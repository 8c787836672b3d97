-- Base-data freshness per grid (/api/freshness, the freshness layer), kept current by the
-- writes. The median age of a grid's household forms cannot be maintained by adding and
-- subtracting, so a write recomputes exactly the grids it touched (a few hundred households
-- each, by index) and a bulk load recomputes all of them once: a request then reads ~1 row
-- per grid instead of sorting every household of the district (1.2 s at district scale).
CREATE TABLE grid_freshness_stats (
    grid_code            text PRIMARY KEY,
    town_code            text NOT NULL,
    households           bigint NOT NULL,
    empty_households     bigint NOT NULL,
    newest               timestamptz,
    median_epoch         double precision,
    dwellings            bigint NOT NULL,
    dwellings_with_forms bigint NOT NULL,
    units_without_kind   bigint NOT NULL
);

-- Recompute the rows of `codes` (NULL: every grid) from the base tables; the definitions are
-- those of the per-request query this replaces (tests compare the two).
CREATE FUNCTION refresh_grid_freshness(codes text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM grid_freshness_stats WHERE codes IS NULL OR grid_code = ANY (codes);
    -- Set-based (hash joins when many grids, index probes when few): an import that has
    -- dropped the households indexes for its write still recomputes in one pass.
    WITH forms AS (
        SELECT b.grid_code, max(h.updated_at) AS newest,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.updated_at))
                   AS median_epoch,
               count(*) FILTER (WHERE h.members = 0) AS empty_households,
               count(*) AS households
        FROM households h JOIN buildings b ON b.code = h.building_code
        WHERE codes IS NULL OR b.grid_code = ANY (codes)
        GROUP BY b.grid_code
    ), housing AS (
        SELECT b.grid_code,
               count(*) FILTER (WHERE b.use IN ('residential', 'rental', 'mixed')) AS dwellings,
               count(*) FILTER (WHERE b.use IN ('residential', 'rental', 'mixed')
                                  AND EXISTS (SELECT 1 FROM households h
                                              WHERE h.building_code = b.code))
                   AS dwellings_with_forms
        FROM buildings b
        WHERE codes IS NULL OR b.grid_code = ANY (codes)
        GROUP BY b.grid_code
    ), units_unkinded AS (
        SELECT grid_code, count(*) FILTER (WHERE kind = 'other') AS units_without_kind
        FROM units
        WHERE codes IS NULL OR grid_code = ANY (codes)
        GROUP BY grid_code
    )
    INSERT INTO grid_freshness_stats
    SELECT g.code, g.town_code,
           coalesce(f.households, 0), coalesce(f.empty_households, 0),
           f.newest, f.median_epoch,
           coalesce(hs.dwellings, 0), coalesce(hs.dwellings_with_forms, 0),
           coalesce(u.units_without_kind, 0)
    FROM grids g
    LEFT JOIN forms f ON f.grid_code = g.code
    LEFT JOIN housing hs ON hs.grid_code = g.code
    LEFT JOIN units_unkinded u ON u.grid_code = g.code
    WHERE codes IS NULL OR g.code = ANY (codes);
$$;

-- Statement-level triggers: one recomputation per statement, for the distinct grids its rows
-- touched (old and new values). A bulk load sets gridcmd.defer_rollups = on for its
-- transaction and recomputes every grid once at the end (geo.rollups.refresh_derived).
-- ENABLE ALWAYS: imports skip ordinary triggers (session_replication_role = replica) to save
-- the per-row foreign-key checks, and these must still fire.
CREATE FUNCTION grid_freshness_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    codes text[];
BEGIN
    IF coalesce(current_setting('gridcmd.defer_rollups', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM refresh_grid_freshness(NULL);
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'households' THEN
        IF TG_OP = 'INSERT' THEN
            SELECT array_agg(DISTINCT b.grid_code) INTO codes FROM buildings b
             WHERE b.code IN (SELECT building_code FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(DISTINCT b.grid_code) INTO codes FROM buildings b
             WHERE b.code IN (SELECT building_code FROM old_rows);
        ELSE
            SELECT array_agg(DISTINCT b.grid_code) INTO codes FROM buildings b
             WHERE b.code IN (SELECT building_code FROM new_rows
                              UNION SELECT building_code FROM old_rows);
        END IF;
    ELSIF TG_TABLE_NAME = 'grids' THEN
        IF TG_OP = 'INSERT' THEN
            SELECT array_agg(code) INTO codes FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(code) INTO codes FROM old_rows;
        ELSE
            SELECT array_agg(code) INTO codes
              FROM (SELECT code FROM new_rows UNION SELECT code FROM old_rows) c;
        END IF;
    ELSE  -- buildings, units: the grids they were and are in
        IF TG_OP = 'INSERT' THEN
            SELECT array_agg(DISTINCT grid_code) INTO codes FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(DISTINCT grid_code) INTO codes FROM old_rows;
        ELSE
            SELECT array_agg(grid_code) INTO codes
              FROM (SELECT grid_code FROM new_rows UNION SELECT grid_code FROM old_rows) c;
        END IF;
    END IF;
    IF codes IS NOT NULL THEN
        PERFORM refresh_grid_freshness(codes);
    END IF;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['households', 'buildings', 'units', 'grids'] LOOP
        EXECUTE format('CREATE TRIGGER %1$s_freshness_ins AFTER INSERT ON %1$I '
                       'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION grid_freshness_touched()', t);
        EXECUTE format('CREATE TRIGGER %1$s_freshness_upd AFTER UPDATE ON %1$I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION grid_freshness_touched()', t);
        EXECUTE format('CREATE TRIGGER %1$s_freshness_del AFTER DELETE ON %1$I '
                       'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION grid_freshness_touched()', t);
        EXECUTE format('CREATE TRIGGER %1$s_freshness_trunc AFTER TRUNCATE ON %1$I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION grid_freshness_touched()', t);
    END LOOP;
END;
$$;
ALTER TABLE households ENABLE ALWAYS TRIGGER households_freshness_ins;
ALTER TABLE households ENABLE ALWAYS TRIGGER households_freshness_upd;
ALTER TABLE households ENABLE ALWAYS TRIGGER households_freshness_del;
ALTER TABLE households ENABLE ALWAYS TRIGGER households_freshness_trunc;
ALTER TABLE buildings ENABLE ALWAYS TRIGGER buildings_freshness_ins;
ALTER TABLE buildings ENABLE ALWAYS TRIGGER buildings_freshness_upd;
ALTER TABLE buildings ENABLE ALWAYS TRIGGER buildings_freshness_del;
ALTER TABLE buildings ENABLE ALWAYS TRIGGER buildings_freshness_trunc;
ALTER TABLE units ENABLE ALWAYS TRIGGER units_freshness_ins;
ALTER TABLE units ENABLE ALWAYS TRIGGER units_freshness_upd;
ALTER TABLE units ENABLE ALWAYS TRIGGER units_freshness_del;
ALTER TABLE units ENABLE ALWAYS TRIGGER units_freshness_trunc;
ALTER TABLE grids ENABLE ALWAYS TRIGGER grids_freshness_ins;
ALTER TABLE grids ENABLE ALWAYS TRIGGER grids_freshness_upd;
ALTER TABLE grids ENABLE ALWAYS TRIGGER grids_freshness_del;
ALTER TABLE grids ENABLE ALWAYS TRIGGER grids_freshness_trunc;

-- Whatever the database holds now.
SELECT refresh_grid_freshness(NULL);
