-- The grid worker's phone (/m/): household visits (一户一表 kept current on the doorstep),
-- photos taken in the field, and the phone's idempotency keys for patrol reports.
-- Every write from the phone carries an id made on the phone (UUID): a replay of the same id
-- finds the row it made the first time instead of making a second one.

-- When a household was last visited (the form's counts confirmed or corrected in person).
ALTER TABLE households ADD COLUMN visited_at timestamptz;

-- The codes carry no foreign keys: the visits are history, and a town's base data is replaced
-- wholesale by `gridcmd demo` (TRUNCATE) and kept by code by imports.
CREATE TABLE household_visits (
    client_id      uuid PRIMARY KEY,          -- made on the phone; the idempotency key
    town_code      text NOT NULL,
    household_code text NOT NULL,
    building_code  text NOT NULL,
    grid_code      text NOT NULL,
    username       text NOT NULL,
    visited_at     timestamptz NOT NULL DEFAULT now(),
    before         jsonb NOT NULL,            -- the counts as they were
    after          jsonb NOT NULL,            -- the counts as the worker found them
    note           text CHECK (length(note) <= 500)
);
CREATE INDEX household_visits_household_idx ON household_visits (household_code, visited_at);
CREATE INDEX household_visits_grid_idx ON household_visits (grid_code, visited_at);

-- A photo's bytes live in a file under <GRIDCMD_HOME>/photos (outside the web root); this row
-- says who took it and which ticket it belongs to (who may see it follows from the ticket).
CREATE TABLE phone_photos (
    client_id   uuid PRIMARY KEY,             -- made on the phone; the idempotency key
    username    text NOT NULL,
    grids       text[] NOT NULL DEFAULT '{}', -- the uploader's grids at upload time
    ticket_code text,                         -- set when a report or task step uses it
    mime        text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
    bytes       integer NOT NULL CHECK (bytes > 0),
    width       integer NOT NULL CHECK (width > 0),
    height      integer NOT NULL CHECK (height > 0),
    sha256      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX phone_photos_ticket_idx ON phone_photos (ticket_code);

-- Patrol reports filed from the phone: the phone's id → the ticket it made.
CREATE TABLE phone_reports (
    client_id   uuid PRIMARY KEY,
    username    text NOT NULL,
    ticket_code text NOT NULL,
    accuracy_m  double precision,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Task steps sent from the phone (accept, start, submit): the phone's id → the answer it got,
-- so a step replayed after a lost answer is not refused as a stale version.
CREATE TABLE phone_actions (
    client_id   uuid PRIMARY KEY,
    username    text NOT NULL,
    ticket_code text NOT NULL,
    action      text NOT NULL,
    answer      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
