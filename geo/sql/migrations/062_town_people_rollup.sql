-- Residents per town for the KPI bar (issue 16), kept exact by the writes. The bar summed the
-- household_cells rollup (one row per populated res-10 H3 cell: ~2,800 a town, growing with
-- the city) on every page load; it now reads one row per town on screen. household_cells is a
-- materialised view refreshed after loads and imports only, so a household visit
-- (POST /api/visits) moved the residents on the map's H3 layer at the next import but the
-- figures here move in the statement that changes them.
--
-- A household counts in the town of its building (as in household_cells): the sums are over
-- households JOIN buildings, so both tables' statements change them. Each statement adds the
-- pairs its new rows make and takes away the pairs its old rows made (transition tables),
-- which is exact for any mix of inserts, updates (moving a household to another building, a
-- building to another town, renaming a code) and deletes. A demo load defers the triggers
-- (gridcmd.defer_rollups) and recomputes once (geo.rollups.refresh_derived); TRUNCATE
-- recomputes.
CREATE TABLE town_people (
    town_code  text PRIMARY KEY,
    households bigint NOT NULL,
    residents  bigint NOT NULL,
    registered bigint NOT NULL,
    floating   bigint NOT NULL
);

CREATE FUNCTION refresh_town_people() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM town_people;
    INSERT INTO town_people
    SELECT b.town_code, count(*), sum(h.members), sum(h.registered), sum(h.floating)
    FROM households h JOIN buildings b ON b.code = h.building_code
    GROUP BY b.town_code;
$$;

-- The statement adding `delta_sql`'s rows (town_code, households, residents, registered,
-- floating; signed) to the rollup, in key order (concurrent writers lock rows in one order).
-- Run by EXECUTE in the trigger function: the transition tables are visible there, not in
-- functions it calls.
CREATE FUNCTION town_people_upsert_sql(delta_sql text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format($q$
        INSERT INTO town_people AS t
        SELECT town_code, sum(households), sum(residents), sum(registered), sum(floating)
        FROM (%s) d
        GROUP BY town_code
        HAVING sum(households) <> 0 OR sum(residents) <> 0 OR sum(registered) <> 0
            OR sum(floating) <> 0
        ORDER BY town_code
        ON CONFLICT (town_code) DO UPDATE SET
            households = t.households + excluded.households,
            residents = t.residents + excluded.residents,
            registered = t.registered + excluded.registered,
            floating = t.floating + excluded.floating
    $q$, delta_sql);
$$;

CREATE FUNCTION town_people_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- (sign, households rows) joined to the buildings they name, per building town
    by_household CONSTANT text := 'SELECT b.town_code, sum(s.sign) AS households, '
        'sum(s.sign * s.members) AS residents, sum(s.sign * s.registered) AS registered, '
        'sum(s.sign * s.floating) AS floating FROM (%s) s JOIN buildings b '
        'ON b.code = s.building_code GROUP BY b.town_code';
    -- (sign, buildings rows) joined to the households naming them, per that row's town
    by_building CONSTANT text := 'SELECT s.town_code, sum(s.sign) AS households, '
        'sum(s.sign * h.members) AS residents, sum(s.sign * h.registered) AS registered, '
        'sum(s.sign * h.floating) AS floating FROM (%s) s JOIN households h '
        'ON h.building_code = s.code GROUP BY s.town_code';
BEGIN
    IF coalesce(current_setting('gridcmd.defer_rollups', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM refresh_town_people();
    ELSIF TG_TABLE_NAME = 'households' THEN
        IF TG_OP = 'INSERT' THEN
            EXECUTE town_people_upsert_sql(format(by_household,
                'SELECT 1 AS sign, building_code, members, registered, floating FROM new_rows'));
        ELSIF TG_OP = 'DELETE' THEN
            EXECUTE town_people_upsert_sql(format(by_household,
                'SELECT -1 AS sign, building_code, members, registered, floating FROM old_rows'));
        ELSE
            -- rows whose building and counts stayed (a visit date, a room) cancel out
            EXECUTE town_people_upsert_sql(format(by_household,
                'SELECT -1 AS sign, * FROM (SELECT building_code, members, registered, floating '
                'FROM old_rows EXCEPT ALL SELECT building_code, members, registered, floating '
                'FROM new_rows) o UNION ALL SELECT 1, * FROM (SELECT building_code, members, '
                'registered, floating FROM new_rows EXCEPT ALL SELECT building_code, members, '
                'registered, floating FROM old_rows) n'));
        END IF;
    ELSE  -- buildings
        IF TG_OP = 'INSERT' THEN
            EXECUTE town_people_upsert_sql(format(by_building,
                'SELECT 1 AS sign, code, town_code FROM new_rows'));
        ELSIF TG_OP = 'DELETE' THEN
            EXECUTE town_people_upsert_sql(format(by_building,
                'SELECT -1 AS sign, code, town_code FROM old_rows'));
        ELSE
            -- Only rows whose (code, town) pair changed move households between towns: a
            -- pair present before and after adds and takes away the same households.
            EXECUTE town_people_upsert_sql(format(by_building,
                'SELECT -1 AS sign, code, town_code FROM (SELECT code, town_code FROM old_rows '
                'EXCEPT ALL SELECT code, town_code FROM new_rows) o '
                'UNION ALL SELECT 1, code, town_code FROM (SELECT code, town_code FROM new_rows '
                'EXCEPT ALL SELECT code, town_code FROM old_rows) n'));
        END IF;
    END IF;
    IF TG_OP <> 'TRUNCATE' THEN
        DELETE FROM town_people WHERE households = 0;  -- a town left with no household
    END IF;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['households', 'buildings'] LOOP
        EXECUTE format('CREATE TRIGGER %1$s_people_ins AFTER INSERT ON %1$I '
                       'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION town_people_touched()', t);
        EXECUTE format('CREATE TRIGGER %1$s_people_upd AFTER UPDATE ON %1$I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION town_people_touched()', t);
        EXECUTE format('CREATE TRIGGER %1$s_people_del AFTER DELETE ON %1$I '
                       'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION town_people_touched()', t);
        EXECUTE format('CREATE TRIGGER %1$s_people_trunc AFTER TRUNCATE ON %1$I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION town_people_touched()', t);
        -- imports write with session_replication_role = replica: these must still fire
        EXECUTE format('ALTER TABLE %1$I ENABLE ALWAYS TRIGGER %1$s_people_ins', t);
        EXECUTE format('ALTER TABLE %1$I ENABLE ALWAYS TRIGGER %1$s_people_upd', t);
        EXECUTE format('ALTER TABLE %1$I ENABLE ALWAYS TRIGGER %1$s_people_del', t);
        EXECUTE format('ALTER TABLE %1$I ENABLE ALWAYS TRIGGER %1$s_people_trunc', t);
    END LOOP;
END;
$$;

SELECT refresh_town_people();
