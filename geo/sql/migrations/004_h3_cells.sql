-- Outlines of the H3 cells that hold data, at the aggregate resolutions (7-10), so that
-- aggregate GeoJSON is built in SQL. Filled by geo.h3shapes.refresh_cell_shapes after loads.
-- A lookup of global cells, not town data: hence no town_code.
CREATE TABLE h3_cells (
    cell     bigint PRIMARY KEY,
    res      smallint NOT NULL CHECK (res BETWEEN 0 AND 15),
    area_km2 double precision NOT NULL CHECK (area_km2 > 0),
    geom     geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX h3_cells_geom_idx ON h3_cells USING gist (geom);
CREATE INDEX h3_cells_res_idx ON h3_cells (res);
