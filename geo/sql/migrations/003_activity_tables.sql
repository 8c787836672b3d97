-- What happens in the town: units and shops, 12345 tickets, epidemic cases, resources, staff,
-- and the context features that make the map legible offline.

CREATE TABLE units (
    code          text PRIMARY KEY,
    town_code     text NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('enterprise', 'institution', 'office_building',
                      'shop_five_small', 'industrial_park', 'other')),
    shop_kind     text CHECK (shop_kind IN
                      ('eatery', 'grocery', 'hair_beauty', 'small_hotel', 'internet_cafe')),
    employees     integer NOT NULL DEFAULT 0 CHECK (employees >= 0),
    building_code text REFERENCES buildings (code),
    grid_code     text REFERENCES grids (code),
    h3_cell       bigint NOT NULL,
    geom          geometry(Point, 4326) NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- 12345 hotline tickets (接诉即办) and patrol / device reports.
CREATE TABLE incidents (
    code          text PRIMARY KEY,
    town_code     text NOT NULL,
    source        text NOT NULL CHECK (source IN ('hotline', 'patrol', 'device')),
    category      text NOT NULL,
    status        text NOT NULL CHECK (status IN ('received', 'responded', 'solved')),
    received_at   timestamptz NOT NULL,
    responded_at  timestamptz,
    solved_at     timestamptz,
    satisfied     boolean,
    address       text,
    building_code text REFERENCES buildings (code),
    grid_code     text REFERENCES grids (code),
    h3_cell       bigint NOT NULL,
    geom          geometry(Point, 4326) NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (responded_at IS NULL OR responded_at >= received_at),
    CHECK (solved_at IS NULL OR solved_at >= received_at)
);

CREATE TABLE cases (
    code          text PRIMARY KEY,
    town_code     text NOT NULL,
    category      text NOT NULL CHECK (category IN
                      ('confirmed', 'asymptomatic', 'close_contact', 'secondary_contact')),
    reported_at   timestamptz NOT NULL,
    released_at   timestamptz,
    building_code text REFERENCES buildings (code),
    grid_code     text REFERENCES grids (code),
    h3_cell       bigint NOT NULL,
    geom          geometry(Point, 4326) NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (released_at IS NULL OR released_at >= reported_at)
);

CREATE TABLE resources (
    code       text PRIMARY KEY,
    town_code  text NOT NULL,
    kind       text NOT NULL CHECK (kind IN
                   ('depot', 'clinic', 'checkpoint', 'team', 'device', 'shelter')),
    name       text NOT NULL,
    capacity   integer NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    stock      jsonb NOT NULL DEFAULT '{}'::jsonb,  -- item -> quantity, e.g. {"masks": 20000}
    reach_m    integer NOT NULL DEFAULT 500 CHECK (reach_m > 0),
    grid_code  text REFERENCES grids (code),
    h3_cell    bigint NOT NULL,
    geom       geometry(Point, 4326) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
    code       text PRIMARY KEY,
    town_code  text NOT NULL,
    name       text NOT NULL,
    role       text NOT NULL CHECK (role IN
                   ('grid_worker', 'building_head', 'street_head', 'party_member', 'volunteer')),
    phone      text,
    grid_code  text REFERENCES grids (code),
    skills     text[] NOT NULL DEFAULT '{}',
    on_duty    boolean NOT NULL DEFAULT false,
    h3_cell    bigint NOT NULL,
    geom       geometry(Point, 4326) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE context_features (
    code       text PRIMARY KEY,
    town_code  text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('river', 'road', 'rail', 'park', 'water')),
    name       text,
    rank       integer NOT NULL DEFAULT 3,  -- 1 expressway / main river ... 3 minor
    geom       geometry(Geometry, 4326) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX units_geom_idx      ON units      USING gist (geom);
CREATE INDEX units_town_idx      ON units      (town_code);
CREATE INDEX units_h3_idx        ON units      (h3_cell);
CREATE INDEX incidents_geom_idx  ON incidents  USING gist (geom);
CREATE INDEX incidents_town_idx  ON incidents  (town_code);
CREATE INDEX incidents_h3_idx    ON incidents  (h3_cell);
CREATE INDEX incidents_received_idx ON incidents (received_at);
CREATE INDEX cases_geom_idx      ON cases      USING gist (geom);
CREATE INDEX cases_town_idx      ON cases      (town_code);
CREATE INDEX cases_h3_idx        ON cases      (h3_cell);
CREATE INDEX cases_reported_idx  ON cases      (reported_at);
CREATE INDEX resources_geom_idx  ON resources  USING gist (geom);
CREATE INDEX resources_town_idx  ON resources  (town_code);
CREATE INDEX staff_geom_idx      ON staff      USING gist (geom);
CREATE INDEX staff_town_idx      ON staff      (town_code);
CREATE INDEX staff_grid_idx      ON staff      (grid_code);
CREATE INDEX context_geom_idx    ON context_features USING gist (geom);
