-- Compounds (小区) meeting a viewport, with their management type and 代管 flag.
WITH env AS (
    SELECT ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) AS box
), hits AS (
    SELECT p.code, p.name, p.management, p.caretaker_branch, p.households,
           p.community_code, p.grid_code,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(p.geom, %(tolerance)s), %(digits)s)
               AS geometry
    FROM compounds p
    JOIN env ON p.geom && env.box AND ST_Intersects(p.geom, env.box)
)
SELECT code AS id, geometry,
       json_build_object(
        'code', code, 'name', name, 'management', management,
        'caretaker_branch', caretaker_branch, 'households', households,
        'community_code', community_code, 'grid_code', grid_code) AS properties
FROM hits
ORDER BY code
