-- Emergency resources (depots, clinics, checkpoints, teams, devices, shelters) in a viewport,
-- with capacity and reach; the stock list stays for the drill-down panel.
-- Parameters: west, south, east, north, digits.
SELECT r.code AS id, ST_AsGeoJSON(r.geom, %(digits)s) AS geometry,
       json_build_object(
        'code', r.code, 'kind', r.kind, 'name', r.name, 'capacity', r.capacity,
        'reach_m', r.reach_m, 'grid_code', r.grid_code) AS properties
FROM resources r
WHERE in_viewport(r.geom, %(west)s, %(south)s, %(east)s, %(north)s)
ORDER BY r.code
