-- The 接诉即办 loop: tickets as a workflow (receive → dispatch → accept → start → submit →
-- verify/close, with return, reject and reopen), time limits per category × urgency, an
-- append-only history, a change feed (the history's ids), and a transactional outbox that
-- delivers every state change to the callback URLs other systems registered.
--
-- The ticket is still one `incidents` row: its layer, the KPIs, the ranking and the wall read
-- the same table. `responded_at` (signed for + citizen contacted) and `solved_at` (closed) are
-- written by the state machine in the same transaction as the history row they come from.

-- Categories an intake may use (a bad one is a 400 naming `category`).
CREATE TABLE ticket_categories (
    code    text PRIMARY KEY,
    name_zh text NOT NULL,
    name_en text NOT NULL
);
INSERT INTO ticket_categories (code, name_zh, name_en) VALUES
    ('noise', '噪音扰民', 'Noise'),
    ('sanitation', '环境卫生', 'Sanitation'),
    ('illegal_construction', '违法建设', 'Illegal construction'),
    ('heating', '供暖', 'Heating'),
    ('parking', '停车管理', 'Parking'),
    ('property_management', '物业管理', 'Property management'),
    ('rental_housing', '房屋租赁', 'Rental housing'),
    ('wage_dispute', '劳资纠纷', 'Wage dispute'),
    ('water_supply', '供水', 'Water supply'),
    ('power_supply', '供电', 'Power supply'),
    ('gas_supply', '燃气', 'Gas supply'),
    ('epidemic_control', '疫情防控', 'Epidemic control'),
    ('patient_transfer', '病人转运', 'Patient transfer'),
    ('door_to_door_check', '入户排查', 'Door-to-door check'),
    ('device_alarm', '设备告警', 'Device alarm'),
    ('market_supervision', '市场监管', 'Market supervision'),
    ('public_security', '治安', 'Public security'),
    ('road', '道路设施', 'Roads'),
    ('other', '其他', 'Other');

-- Time limits (minutes) per category × urgency; category '*' is the default for any category.
-- Beijing 12345 defaults: emergency 2 h, water/power/gas/heat 24 h, general 7 days, complex
-- 15 days; a response (signed for and the citizen contacted) within a shorter limit.
CREATE TABLE ticket_limits (
    category         text NOT NULL,
    urgency          text NOT NULL CHECK (urgency IN ('emergency', 'general', 'complex')),
    response_minutes integer NOT NULL CHECK (response_minutes > 0),
    solve_minutes    integer NOT NULL CHECK (solve_minutes > 0),
    CHECK (response_minutes <= solve_minutes),
    PRIMARY KEY (category, urgency)
);
INSERT INTO ticket_limits (category, urgency, response_minutes, solve_minutes) VALUES
    ('*', 'emergency', 30, 120),
    ('*', 'general', 1440, 10080),
    ('*', 'complex', 1440, 21600),
    ('water_supply', 'general', 120, 1440),
    ('power_supply', 'general', 120, 1440),
    ('gas_supply', 'general', 120, 1440),
    ('heating', 'general', 120, 1440);

-- The ticket: new states, urgency, limits, version, assignee, intake identity, escalation.
ALTER TABLE incidents DROP CONSTRAINT incidents_status_check;
UPDATE incidents SET status = CASE status WHEN 'responded' THEN 'in_progress'
                                          WHEN 'solved' THEN 'closed' ELSE status END
WHERE status IN ('responded', 'solved');
ALTER TABLE incidents ADD CONSTRAINT incidents_status_check CHECK (status IN
    ('received', 'dispatched', 'accepted', 'in_progress', 'submitted', 'closed', 'returned'));
ALTER TABLE incidents DROP CONSTRAINT incidents_source_check;
ALTER TABLE incidents ADD CONSTRAINT incidents_source_check CHECK (source IN
    ('hotline', 'patrol', 'device', 'police', 'market_supervision', 'law_enforcement',
     'epidemic'));
ALTER TABLE incidents
    ADD COLUMN urgency         text NOT NULL DEFAULT 'general'
                               CHECK (urgency IN ('emergency', 'general', 'complex')),
    ADD COLUMN version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN response_due_at timestamptz,
    ADD COLUMN due_at          timestamptz,
    ADD COLUMN assignee        text,          -- staff code (no FK: staff loads after incidents)
    ADD COLUMN dispatched_at   timestamptz,
    ADD COLUMN external_id     text,
    ADD COLUMN client_id       uuid,          -- a phone's idempotency key
    ADD COLUMN intake_by       text,          -- principal that pushed it ("token:7", a user)
    ADD COLUMN content         text,          -- the demand as written (诉求内容)
    ADD COLUMN escalation      smallint NOT NULL DEFAULT 0 CHECK (escalation BETWEEN 0 AND 2),
    ADD COLUMN escalated_at    timestamptz;

CREATE FUNCTION ticket_limits_fill() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE lim record;
BEGIN
    IF NEW.due_at IS NULL OR NEW.response_due_at IS NULL THEN
        SELECT response_minutes, solve_minutes INTO lim FROM ticket_limits
        WHERE urgency = NEW.urgency AND category IN (NEW.category, '*')
        ORDER BY category = '*' LIMIT 1;
        NEW.response_due_at := coalesce(NEW.response_due_at,
            NEW.received_at + make_interval(mins => coalesce(lim.response_minutes, 1440)));
        NEW.due_at := coalesce(NEW.due_at,
            NEW.received_at + make_interval(mins => coalesce(lim.solve_minutes, 10080)));
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER incidents_limits BEFORE INSERT ON incidents
    FOR EACH ROW EXECUTE FUNCTION ticket_limits_fill();

UPDATE incidents i SET
    response_due_at = i.received_at + make_interval(mins => l.response_minutes),
    due_at = i.received_at + make_interval(mins => l.solve_minutes)
FROM ticket_limits l WHERE l.category = '*' AND l.urgency = i.urgency;

CREATE UNIQUE INDEX incidents_external_idx ON incidents (source, external_id)
    WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX incidents_client_idx ON incidents (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX incidents_open_due_idx ON incidents (due_at) WHERE status <> 'closed';
CREATE INDEX incidents_assignee_idx ON incidents (assignee) WHERE assignee IS NOT NULL;

-- Every step of every ticket: who, role, when, from → to, note. The id is the change feed's
-- cursor; writers take one advisory lock before inserting, so ids commit in order.
CREATE TABLE ticket_events (
    id          bigserial PRIMARY KEY,
    ticket_code text NOT NULL REFERENCES incidents (code) ON DELETE CASCADE,
    town_code   text NOT NULL,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    actor_role  text NOT NULL,
    action      text NOT NULL CHECK (action IN ('receive', 'dispatch', 'accept', 'start',
                    'submit', 'verify', 'reject', 'return', 'close', 'reopen', 'escalate')),
    from_status text,
    to_status   text NOT NULL,
    version     integer NOT NULL,
    assignee    text,
    note        text,
    satisfied   boolean
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_code, id);
CREATE INDEX ticket_events_town_idx ON ticket_events (town_code);

-- History is never rewritten (deleting a ticket, or reloading the demo town, removes its rows).
CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ticket_events is append-only: history rows cannot be changed';
END $$;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
    FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();

-- The history of the tickets already stored: received, responded, closed.
INSERT INTO ticket_events (ticket_code, town_code, at, actor, actor_role, action, from_status,
                           to_status, version, satisfied)
SELECT code, town_code, at, 'migration', 'system', action, from_status, to_status, 1, sat
FROM (
    SELECT code, town_code, received_at AS at, 'receive' AS action, NULL AS from_status,
           'received' AS to_status, NULL::boolean AS sat, 1 AS step FROM incidents
    UNION ALL
    SELECT code, town_code, responded_at, 'accept', 'received', 'accepted', NULL, 2
    FROM incidents WHERE responded_at IS NOT NULL
    UNION ALL
    SELECT code, town_code, solved_at, 'close', 'accepted', 'closed', satisfied, 3
    FROM incidents WHERE solved_at IS NOT NULL
) steps ORDER BY at, code, step;

-- Callback URLs other systems registered (per department token): every state change of the
-- tickets that token pushed is delivered there.
CREATE TABLE ticket_callbacks (
    id         serial PRIMARY KEY,
    token_id   integer NOT NULL REFERENCES access_tokens (id),
    url        text NOT NULL CHECK (url ~ '^https?://'),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (token_id, url)
);

-- The transactional outbox: one row per (callback, history row), written in the transaction of
-- the step; a sender delivers each callback's rows in id order, retrying with backoff.
CREATE TABLE ticket_outbox (
    id              bigserial PRIMARY KEY,
    callback_id     integer NOT NULL REFERENCES ticket_callbacks (id),
    event_id        bigint NOT NULL REFERENCES ticket_events (id) ON DELETE CASCADE,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_error      text
);
CREATE INDEX ticket_outbox_pending_idx ON ticket_outbox (callback_id, id)
    WHERE delivered_at IS NULL;

-- Every delivery attempt, kept.
CREATE TABLE ticket_deliveries (
    id          bigserial PRIMARY KEY,
    outbox_id   bigint NOT NULL REFERENCES ticket_outbox (id) ON DELETE CASCADE,
    attempt     integer NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    status_code integer,
    ok          boolean NOT NULL,
    error       text,
    duration_ms integer
);
CREATE INDEX ticket_deliveries_outbox_idx ON ticket_deliveries (outbox_id);

-- Codes of tickets made here (intake, patrol reports): TK + local date + a running number.
CREATE SEQUENCE ticket_code_seq;
