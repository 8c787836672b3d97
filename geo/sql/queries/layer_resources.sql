-- Emergency resources (depots, clinics, checkpoints, teams, devices, shelters) in a viewport,
-- with capacity and reach; the stock list stays for the drill-down panel.
-- Parameters: west, south, east, north, digits.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT r.code, r.kind, r.name, r.capacity, r.reach_m, r.grid_code,
           ST_AsGeoJSON(r.geom, %(digits)s) AS geometry
    FROM resources r
    JOIN env ON r.geom && env.box AND ST_Intersects(r.geom, env.box)
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'kind', kind, 'name', name, 'capacity', capacity,
        'reach_m', reach_m, 'grid_code', grid_code) AS properties
FROM hits
ORDER BY code
