-- Published containment zones: every publication is a new version of the town's plan, kept
-- with who published it, when, and the parameters it was proposed with (nothing is edited in
-- place, so the history of an outbreak's zones stays readable).
CREATE TABLE zone_plans (
    code         text PRIMARY KEY,
    town_code    text NOT NULL,
    version      integer NOT NULL CHECK (version > 0),
    published_by text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    params       jsonb NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (town_code, version)
);

CREATE TABLE zones (
    code       text PRIMARY KEY,
    town_code  text NOT NULL,
    plan_code  text NOT NULL REFERENCES zone_plans (code),
    level      text NOT NULL CHECK (level IN ('containment', 'control', 'prevention')),
    residents  integer NOT NULL,
    households integer NOT NULL,
    figures    jsonb NOT NULL,  -- elderly, children, shops, checkpoints, supplies …
    geom       geometry(MultiPolygon, 4326) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zones_geom_idx ON zones USING gist (geom);
CREATE INDEX zones_plan_idx ON zones (plan_code);
