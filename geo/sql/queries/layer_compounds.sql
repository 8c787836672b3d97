-- Compounds (小区) meeting a viewport, with their management type and 代管 flag.
WITH hits AS (
    SELECT p.code, p.name, p.management, p.caretaker_branch, p.households,
           p.community_code, p.grid_code,
           outline_geojson(p.geom, %(tolerance)s, %(outline_digits)s) AS geometry
    FROM compounds p
    WHERE in_viewport(p.geom, %(west)s, %(south)s, %(east)s, %(north)s)
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'name', name, 'management', management,
        'caretaker_branch', caretaker_branch, 'households', households,
        'community_code', community_code, 'grid_code', grid_code) AS properties
FROM hits
ORDER BY code
