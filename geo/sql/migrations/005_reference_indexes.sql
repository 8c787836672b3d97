-- Indexes on the columns that point at buildings and grids, so that deleting or re-importing
-- a building or grid does not scan the activity tables once per row, and drill-downs by grid
-- are index lookups.
CREATE INDEX units_building_idx     ON units     (building_code);
CREATE INDEX units_grid_idx         ON units     (grid_code);
CREATE INDEX incidents_building_idx ON incidents (building_code);
CREATE INDEX incidents_grid_idx     ON incidents (grid_code);
CREATE INDEX cases_building_idx     ON cases     (building_code);
CREATE INDEX cases_grid_idx         ON cases     (grid_code);
CREATE INDEX resources_grid_idx     ON resources (grid_code);
CREATE INDEX resources_kind_idx     ON resources (kind);
CREATE INDEX compounds_community_idx ON compounds (community_code);
