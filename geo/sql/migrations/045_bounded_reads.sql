-- Reads that cost what they return (issue 16).
-- The newest updated_at of a table (/healthz, "data as of") is one step down a btree instead
-- of a scan of ~1 M households or 150 k tickets; IF NOT EXISTS because the ticket workflow
-- may index incidents (updated_at) too.
CREATE INDEX IF NOT EXISTS grids_updated_at_idx      ON grids      (updated_at);
CREATE INDEX IF NOT EXISTS compounds_updated_at_idx  ON compounds  (updated_at);
CREATE INDEX IF NOT EXISTS buildings_updated_at_idx  ON buildings  (updated_at);
CREATE INDEX IF NOT EXISTS households_updated_at_idx ON households (updated_at);
CREATE INDEX IF NOT EXISTS units_updated_at_idx      ON units      (updated_at);
CREATE INDEX IF NOT EXISTS resources_updated_at_idx  ON resources  (updated_at);
CREATE INDEX IF NOT EXISTS staff_updated_at_idx      ON staff      (updated_at);
CREATE INDEX IF NOT EXISTS incidents_updated_at_idx  ON incidents  (updated_at);
CREATE INDEX IF NOT EXISTS cases_updated_at_idx      ON cases      (updated_at);

-- The zone proposal places each building by its point on surface: with this index a
-- subdivided zone part finds its buildings by an index probe, where the zones' bounding
-- boxes (spanning whole communities) matched ~190 k buildings each at district scale.
CREATE INDEX buildings_point_idx ON buildings USING gist (ST_PointOnSurface(geom));
CREATE INDEX compounds_point_idx ON compounds USING gist (ST_PointOnSurface(geom));

-- Staff per grid and role (mobilisation gaps and fielding count them per grid).
CREATE INDEX staff_grid_role_idx ON staff (grid_code, role) INCLUDE (on_duty);
