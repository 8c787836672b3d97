-- Tickets per grid and day (issue 16): the KPI bar and the 12345 ranking read this rollup for
-- the whole days of their window instead of every ticket of the window with its geometry.
--
-- One row per (day, source, town, grid): the day is received_at's date in Asia/Shanghai (the
-- town's day, the one the app's windows are cut at); grid_code '' holds tickets placed in no
-- grid (the ranking's join to grids drops them) and grid_code '*' the whole town's tickets
-- of the day (the KPI bar reads only these: towns × days × sources rows, whatever the number
-- of grids or tickets). Every count is of the
-- tickets *received* that day, by what each ticket is now:
--   responded_in_time  responded_at <= response_due_at  (响应率)
--   closed             status = 'closed'                (KPI 解决率)
--   solved             solved_at IS NOT NULL            (ranking 解决率, before the `until` cut)
--   satisfied / rated  satisfied / satisfied IS NOT NULL (满意率)
--   categories         {category: tickets}              (the ranking's top categories)
-- A ticket step rewrites its incidents row, so the row's old contribution leaves and its new
-- one arrives in the same statement: the figures move the moment a ticket moves.
-- What depends on the moment `until` (open, overdue, solved after `until`) is not a daily sum;
-- the queries read it from the open tickets (partial index below) and the few solved after
-- `until`, not from this table.
CREATE TABLE ticket_daily (
    day               date   NOT NULL,
    source            text   NOT NULL,
    town_code         text   NOT NULL,
    grid_code         text   NOT NULL,   -- '' = no grid
    tickets           bigint NOT NULL,
    responded_in_time bigint NOT NULL,
    closed            bigint NOT NULL,
    solved            bigint NOT NULL,
    satisfied         bigint NOT NULL,
    rated             bigint NOT NULL,
    categories        jsonb  NOT NULL,
    PRIMARY KEY (day, source, town_code, grid_code)
);
-- The KPI bar's read: the towns' daily totals only, from the index alone.
CREATE INDEX ticket_daily_towns_idx ON ticket_daily (day, town_code)
    INCLUDE (tickets, responded_in_time, closed, satisfied, rated) WHERE grid_code = '*';
-- Rows a delta brought to zero are deleted by this (tiny) index, not by a scan.
CREATE INDEX ticket_daily_empty_idx ON ticket_daily (day) WHERE tickets = 0;

-- Open tickets (not solved): the KPIs' open/overdue figures and the ranking's overdue column
-- read these, and the tickets solved after `until` by solved_at, instead of the window.
CREATE INDEX incidents_unsolved_idx ON incidents (received_at) WHERE solved_at IS NULL;
CREATE INDEX incidents_solved_at_idx ON incidents (solved_at) WHERE solved_at IS NOT NULL;
-- Repeat callers (the same building calling twice in the window) need the buildings
-- themselves: an index-only scan of hotline tickets by day, no heap, no geometry.
CREATE INDEX incidents_hotline_building_idx ON incidents (received_at)
    INCLUDE (grid_code, building_code) WHERE source = 'hotline' AND building_code IS NOT NULL;

-- {category: n} + {category: n}, dropping zero counts.
CREATE FUNCTION jsonb_count_add(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(key, n ORDER BY key), '{}'::jsonb)
    FROM (SELECT key, sum(value::bigint) AS n
          FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) e
          GROUP BY key HAVING sum(value::bigint) <> 0) s;
$$;

-- The rollup rows of a set of (sign, ticket) rows: `source_sql` selects sign (+1/-1) and the
-- incidents columns below. Used with the statement's transition tables (EXECUTE sees them) and
-- with the whole table (refresh).
CREATE FUNCTION ticket_daily_rows_sql(source_sql text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format($q$
        WITH d AS (
            SELECT sign, town_code,
                   CASE WHEN total THEN '*' ELSE coalesce(grid_code, '') END AS grid_code,
                   source, category,
                   (received_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
                   coalesce(responded_at <= response_due_at, false) AS in_time,
                   status = 'closed' AS closed, solved_at IS NOT NULL AS solved, satisfied
            FROM (%s) s CROSS JOIN (VALUES (false), (true)) AS totals (total)
        ), per_category AS (
            SELECT day, source, town_code, grid_code, category, sum(sign) AS n
            FROM d GROUP BY day, source, town_code, grid_code, category
        ), categories AS (
            SELECT day, source, town_code, grid_code,
                   coalesce(jsonb_object_agg(category, n ORDER BY category)
                            FILTER (WHERE n <> 0), '{}'::jsonb) AS categories
            FROM per_category GROUP BY day, source, town_code, grid_code
        ), sums AS (
            SELECT day, source, town_code, grid_code,
                   sum(sign) AS tickets,
                   coalesce(sum(sign) FILTER (WHERE in_time), 0) AS responded_in_time,
                   coalesce(sum(sign) FILTER (WHERE closed), 0) AS closed,
                   coalesce(sum(sign) FILTER (WHERE solved), 0) AS solved,
                   coalesce(sum(sign) FILTER (WHERE satisfied), 0) AS satisfied,
                   coalesce(sum(sign) FILTER (WHERE satisfied IS NOT NULL), 0) AS rated
            FROM d GROUP BY day, source, town_code, grid_code
        )
        SELECT s.day, s.source, s.town_code, s.grid_code, s.tickets, s.responded_in_time,
               s.closed, s.solved, s.satisfied, s.rated, c.categories
        FROM sums s JOIN categories c USING (day, source, town_code, grid_code)
        WHERE s.tickets <> 0 OR s.responded_in_time <> 0 OR s.closed <> 0 OR s.solved <> 0
           OR s.satisfied <> 0 OR s.rated <> 0 OR c.categories <> '{}'::jsonb
        ORDER BY s.day, s.source, s.town_code, s.grid_code
    $q$, source_sql);
$$;

-- The statement adding the rows of `source_sql` (signed) to the rollup; in key order, so
-- concurrent ticket steps lock rollup rows in one order. (Run by EXECUTE in the trigger
-- function itself: transition tables are visible there, not in functions it calls.)
CREATE FUNCTION ticket_daily_upsert_sql(source_sql text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'INSERT INTO ticket_daily AS t ' || ticket_daily_rows_sql(source_sql) || $q$
        ON CONFLICT (day, source, town_code, grid_code) DO UPDATE SET
            tickets = t.tickets + excluded.tickets,
            responded_in_time = t.responded_in_time + excluded.responded_in_time,
            closed = t.closed + excluded.closed,
            solved = t.solved + excluded.solved,
            satisfied = t.satisfied + excluded.satisfied,
            rated = t.rated + excluded.rated,
            categories = jsonb_count_add(t.categories, excluded.categories)
    $q$;
$$;

CREATE FUNCTION refresh_ticket_daily() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ticket_daily;
    EXECUTE ticket_daily_upsert_sql('SELECT 1 AS sign, * FROM incidents');
END;
$$;

-- Statement-level: one delta per statement from its transition tables (old rows leave, new
-- rows arrive). ENABLE ALWAYS below: imports run with session_replication_role = replica.
-- A bulk load sets gridcmd.defer_rollups and calls refresh_ticket_daily() once (geo.rollups).
CREATE FUNCTION ticket_daily_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('gridcmd.defer_rollups', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM ticket_daily;
    ELSIF TG_OP = 'INSERT' THEN
        EXECUTE ticket_daily_upsert_sql('SELECT 1 AS sign, * FROM new_rows');
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE ticket_daily_upsert_sql('SELECT -1 AS sign, * FROM old_rows');
    ELSE
        EXECUTE ticket_daily_upsert_sql('SELECT -1 AS sign, * FROM old_rows '
                                        'UNION ALL SELECT 1, * FROM new_rows');
    END IF;
    IF TG_OP <> 'TRUNCATE' THEN
        DELETE FROM ticket_daily WHERE tickets = 0;  -- rows the delta emptied (partial index)
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER incidents_daily_ins AFTER INSERT ON incidents
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_daily_touched();
CREATE TRIGGER incidents_daily_upd AFTER UPDATE ON incidents
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_daily_touched();
CREATE TRIGGER incidents_daily_del AFTER DELETE ON incidents
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_daily_touched();
CREATE TRIGGER incidents_daily_trunc AFTER TRUNCATE ON incidents
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_daily_touched();
ALTER TABLE incidents ENABLE ALWAYS TRIGGER incidents_daily_ins;
ALTER TABLE incidents ENABLE ALWAYS TRIGGER incidents_daily_upd;
ALTER TABLE incidents ENABLE ALWAYS TRIGGER incidents_daily_del;
ALTER TABLE incidents ENABLE ALWAYS TRIGGER incidents_daily_trunc;

SELECT refresh_ticket_daily();
