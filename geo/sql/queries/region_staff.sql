-- Who answers for a region: grid workers and building heads of the grids of its buildings
-- (region_buildings.sql, computed here). Names and phones leave here in clear:
-- geo.regions masks them unless the caller may see them.
-- Parameters: those of region_buildings.sql.
SELECT s.code, s.name, s.role, s.grid_code, s.phone
FROM staff s
WHERE s.role IN ('grid_worker', 'building_head')
  AND s.grid_code IN (SELECT DISTINCT grid_code FROM buildings
                      WHERE code = ANY(({members})::text[]))
ORDER BY s.role DESC, s.code
LIMIT 50
