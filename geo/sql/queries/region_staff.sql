-- Who answers for a region: grid workers and building heads of the buildings' grids, phones
-- masked (138****5678). Parameters: buildings (text[]).
SELECT s.code, s.name, s.role, s.grid_code,
       CASE WHEN length(d.digits) >= 11
            THEN left(d.digits, 3) || '****' || right(d.digits, 4) END AS phone_masked
FROM staff s
CROSS JOIN LATERAL (SELECT regexp_replace(coalesce(s.phone, ''), '\D', '', 'g') AS digits) d
WHERE s.role IN ('grid_worker', 'building_head')
  AND s.grid_code IN (SELECT DISTINCT grid_code FROM buildings WHERE code = ANY(%(buildings)s))
ORDER BY s.role DESC, s.code
LIMIT 50
