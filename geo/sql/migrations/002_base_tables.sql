-- The town's base data (一标三实): boundaries, grids, compounds, buildings, households.
-- Every table: natural key `code`, `town_code` (the future Citus distribution key),
-- `updated_at` (data freshness), geometry in SRID 4326 with a GiST index.

CREATE TABLE towns (
    code                  text PRIMARY KEY,
    town_code             text NOT NULL,
    name                  text NOT NULL,
    name_en               text,
    district              text,
    resident_population   integer,
    registered_population integer,
    geom                  geometry(MultiPolygon, 4326) NOT NULL,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE communities (
    code            text PRIMARY KEY,
    town_code       text NOT NULL,
    name            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('community', 'village')),
    committee_phone text,
    geom            geometry(MultiPolygon, 4326) NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE grids (
    code           text PRIMARY KEY,
    town_code      text NOT NULL,
    name           text NOT NULL,
    community_code text NOT NULL REFERENCES communities (code),
    worker_code    text,  -- staff.code of the grid worker (网格员); staff rows point back here
    geom           geometry(Polygon, 4326) NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE compounds (
    code             text PRIMARY KEY,
    town_code        text NOT NULL,
    name             text NOT NULL,
    community_code   text NOT NULL REFERENCES communities (code),
    grid_code        text REFERENCES grids (code),
    management       text NOT NULL CHECK (management IN ('property', 'quasi', 'three_no')),
    caretaker_branch boolean NOT NULL DEFAULT false,  -- 代管: temporary party branch
    households       integer NOT NULL DEFAULT 0 CHECK (households >= 0),
    geom             geometry(Polygon, 4326) NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE buildings (
    code          text PRIMARY KEY,
    town_code     text NOT NULL,
    address       text NOT NULL,
    grid_code     text NOT NULL REFERENCES grids (code),
    compound_code text REFERENCES compounds (code),
    use           text NOT NULL CHECK (use IN
                      ('residential', 'rental', 'mixed', 'commercial', 'industrial', 'public')),
    floors        integer NOT NULL CHECK (floors > 0),
    rooms         integer NOT NULL CHECK (rooms >= 0),
    h3_cell       bigint NOT NULL,  -- centroid cell at geo.h3cells.STORE_RES
    geom          geometry(Polygon, 4326) NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- 一户一表: counts per household, never people (people are in `persons`).
CREATE TABLE households (
    code          text PRIMARY KEY,
    town_code     text NOT NULL,
    building_code text NOT NULL REFERENCES buildings (code),
    room          text NOT NULL,
    members       integer NOT NULL CHECK (members >= 0),
    registered    integer NOT NULL CHECK (registered >= 0),
    floating      integer NOT NULL CHECK (floating >= 0),
    renters       boolean NOT NULL DEFAULT false,
    elderly       integer NOT NULL DEFAULT 0 CHECK (elderly >= 0),
    children      integer NOT NULL DEFAULT 0 CHECK (children >= 0),
    vulnerable    integer NOT NULL DEFAULT 0 CHECK (vulnerable >= 0),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (registered + floating = members)
);

-- Personal data (PIPL): read only through guarded drill-down routes, never by layers or KPIs.
CREATE TABLE persons (
    code           text PRIMARY KEY,
    town_code      text NOT NULL,
    household_code text NOT NULL REFERENCES households (code),
    name           text NOT NULL,
    id_number      text,
    phone          text,
    registered     boolean NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX towns_geom_idx       ON towns       USING gist (geom);
CREATE INDEX communities_geom_idx ON communities USING gist (geom);
CREATE INDEX communities_town_idx ON communities (town_code);
CREATE INDEX grids_geom_idx       ON grids       USING gist (geom);
CREATE INDEX grids_town_idx       ON grids       (town_code);
CREATE INDEX grids_community_idx  ON grids       (community_code);
CREATE INDEX compounds_geom_idx   ON compounds   USING gist (geom);
CREATE INDEX compounds_town_idx   ON compounds   (town_code);
CREATE INDEX compounds_grid_idx   ON compounds   (grid_code);
CREATE INDEX buildings_geom_idx   ON buildings   USING gist (geom);
CREATE INDEX buildings_town_idx   ON buildings   (town_code);
CREATE INDEX buildings_grid_idx   ON buildings   (grid_code);
CREATE INDEX buildings_compound_idx ON buildings (compound_code);
CREATE INDEX buildings_h3_idx     ON buildings   (h3_cell);
CREATE INDEX households_building_idx ON households (building_code);
CREATE INDEX households_town_idx  ON households  (town_code);
CREATE INDEX persons_household_idx ON persons    (household_code);
