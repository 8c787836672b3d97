-- Who answers for a region: grid workers and building heads of the grids of its buildings
-- (region_members.sql, computed here: the grids come with the buildings, no lookup by code).
-- Names and phones leave here in clear: geo.regions masks them unless the caller may see them.
-- Parameters: those of region_members.sql.
SELECT s.code, s.name, s.role, s.grid_code, s.phone
FROM staff s
WHERE s.role IN ('grid_worker', 'building_head')
  AND s.grid_code IN (SELECT DISTINCT m.grid_code FROM ({members}) m)
ORDER BY s.role DESC, s.code
LIMIT 50
