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
    -- the columns a statement's rows bring, and how they meet the other table: households
    -- counted in the buildings they name, or a building's households in that row's town
    cols text := CASE TG_TABLE_NAME WHEN 'households'
                     THEN 'building_code, members, registered, floating' ELSE 'code, town_code' END;
    delta text := CASE TG_TABLE_NAME WHEN 'households'
        THEN 'SELECT b.town_code, sum(s.sign) AS households, sum(s.sign * s.members) AS '
             'residents, sum(s.sign * s.registered) AS registered, sum(s.sign * s.floating) '
             'AS floating FROM (%s) s JOIN buildings b ON b.code = s.building_code '
             'GROUP BY b.town_code'
        ELSE 'SELECT s.town_code, sum(s.sign) AS households, sum(s.sign * h.members) AS '
             'residents, sum(s.sign * h.registered) AS registered, sum(s.sign * h.floating) '
             'AS floating FROM (%s) s JOIN households h ON h.building_code = s.code '
             'GROUP BY s.town_code' END;
    signed text;
BEGIN
    IF coalesce(current_setting('gridcmd.defer_rollups', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM refresh_town_people();
        RETURN NULL;
    END IF;
    signed := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows', cols)
        WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows', cols)
        -- an UPDATE: only rows whose columns here changed (a pair present before and after
        -- adds and takes away the same people: a visit date, a room, a building's name)
        ELSE format('SELECT -1 AS sign, * FROM (SELECT %1$s FROM old_rows EXCEPT ALL '
                    'SELECT %1$s FROM new_rows) o UNION ALL SELECT 1, * FROM (SELECT %1$s '
                    'FROM new_rows EXCEPT ALL SELECT %1$s FROM old_rows) n', cols) END;
    EXECUTE town_people_upsert_sql(format(delta, signed));
    DELETE FROM town_people WHERE households = 0;  -- a town left with no household
    RETURN NULL;
END;
$$;
COMMENT ON TABLE town_people IS 'households and people per building town (migration 062), '
    'kept by town_people_touched(); the KPI bar reads it';

-- One trigger per table and statement kind, ENABLE ALWAYS: imports write with
-- session_replication_role = replica and these must still fire.
DO $$
DECLARE
    t text;
    kind text;
BEGIN
    FOREACH t IN ARRAY ARRAY['households', 'buildings'] LOOP
        FOREACH kind IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] LOOP
            EXECUTE format('CREATE TRIGGER %2$I AFTER %3$s ON %1$I %4$s FOR EACH STATEMENT '
                           'EXECUTE FUNCTION town_people_touched()',
                           t, t || '_people_' || lower(kind), kind,
                           CASE kind WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows'
                                     WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows'
                                     WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS old_rows '
                                                        'NEW TABLE AS new_rows'
                                     ELSE '' END);
            EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I',
                           t, t || '_people_' || lower(kind));
        END LOOP;
    END LOOP;
END;
$$;

SELECT refresh_town_people();
