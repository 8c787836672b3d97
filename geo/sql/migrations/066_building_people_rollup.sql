-- Per building: its point on surface and the people of its households (issue 16, the zone
-- proposal). The proposal places each building by ST_PointOnSurface(geom) and sums its
-- households; at district scale it placed ~25 k buildings for the whole outbreak, each by an
-- index probe that fetched the building, recomputed its point on surface (half of the
-- candidates then fell outside the zone piece) and, for each building inside, probed its
-- ~4 households. With this table a zone piece finds its buildings' points and figures in one
-- narrow row each: no recomputed point, no household probe.
--
-- Kept exact by the writes, like grid_freshness_stats (migration 046): a statement on
-- buildings or households recomputes exactly the buildings its rows were and are about (a few
-- by index for a form edit, all of them set-based for a large import); a bulk load defers the
-- triggers (gridcmd.defer_rollups) and recomputes every building once
-- (geo.rollups.refresh_derived). tests/db/test_building_people_rollup.py compares the table
-- with the raw aggregate after every kind of write.
CREATE TABLE building_people (
    building_code         text PRIMARY KEY,   -- buildings.code (every building has a row)
    town_code             text NOT NULL,
    point                 geometry(Point, 4326) NOT NULL,  -- ST_PointOnSurface(buildings.geom)
    -- integers, not bigint: the proposal sums ~25 k of them per zone, and sum(integer) adds
    -- in bigint where sum(bigint) adds in numeric (a third of the placing step)
    households            integer NOT NULL,   -- count of its households
    residents             integer NOT NULL,   -- sum of members
    elderly               integer NOT NULL,
    children              integer NOT NULL,
    vulnerable_households integer NOT NULL    -- households with vulnerable > 0
);
CREATE INDEX building_people_point_idx ON building_people USING gist (point);

-- Recompute the rows of `codes` (NULL: every building) from buildings and households. The
-- figures are those of the proposal's per-building sums before this table (the test oracle
-- tests/db/oracle/zone_proposal_before.sql).
CREATE FUNCTION refresh_building_people(codes text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF codes IS NULL THEN
        TRUNCATE building_people;
    ELSE
        DELETE FROM building_people WHERE building_code = ANY (codes);
    END IF;
    -- Set-based: hash joins for a whole import, index probes (the covering index of migration
    -- 061) for the few buildings of a form edit.
    INSERT INTO building_people
    SELECT b.code, b.town_code, ST_PointOnSurface(b.geom),
           coalesce(h.households, 0), coalesce(h.residents, 0), coalesce(h.elderly, 0),
           coalesce(h.children, 0), coalesce(h.vulnerable, 0)
    FROM buildings b
    LEFT JOIN (
        SELECT building_code, count(*) AS households, sum(members) AS residents,
               sum(elderly) AS elderly, sum(children) AS children,
               count(*) FILTER (WHERE vulnerable > 0) AS vulnerable
        FROM households
        WHERE codes IS NULL OR building_code = ANY (codes)
        GROUP BY building_code
    ) h ON h.building_code = b.code
    WHERE codes IS NULL OR b.code = ANY (codes);
END;
$$;

-- Statement-level triggers: one recomputation per statement, for the buildings its rows were
-- and are about (households: building_code; buildings: code), read from the statement's
-- transition tables. ENABLE ALWAYS: imports skip ordinary triggers (session_replication_role =
-- replica) and these must still fire.
CREATE FUNCTION building_people_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    key text := CASE TG_TABLE_NAME WHEN 'households' THEN 'building_code' ELSE 'code' END;
    touched text[] := '{}';
    found_codes text[];
BEGIN
    IF coalesce(current_setting('gridcmd.defer_rollups', true), '') = 'on' THEN
        RETURN NULL;
    ELSIF TG_OP = 'TRUNCATE' THEN
        PERFORM refresh_building_people(NULL);
        RETURN NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN  -- EXECUTE sees the transition tables
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows', key) INTO found_codes;
        touched := touched || found_codes;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM old_rows', key) INTO found_codes;
        touched := touched || found_codes;
    END IF;
    PERFORM refresh_building_people(touched) WHERE cardinality(touched) > 0;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    tab text;
    op text;
    name text;
BEGIN
    FOREACH tab IN ARRAY ARRAY['households', 'buildings'] LOOP
        FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] LOOP
            name := tab || '_building_people_' || lower(op);
            EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I %s FOR EACH STATEMENT '
                           'EXECUTE FUNCTION building_people_touched()', name, op, tab,
                           CASE op WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows'
                                   WHEN 'UPDATE' THEN
                                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                                   WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows'
                                   ELSE '' END);
            EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', tab, name);
        END LOOP;
    END LOOP;
END;
$$;

-- Whatever the database holds now.
SELECT refresh_building_people(NULL);
ANALYZE building_people;

-- The proposal's shops to close (五小门店 inside a zone piece): their own point index, instead
-- of every unit in each piece's box fetched and dropped by kind.
CREATE INDEX units_shop_geom_idx ON units USING gist (geom) WHERE kind = 'shop_five_small';

-- Writes to it move the data version like every data table's (migration 065).
SELECT track_data_version('building_people');
