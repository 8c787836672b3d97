-- The residents of one building (personal data: geo.regions masks it unless the caller may
-- see it, and every read is audited by the caller). Parameters: code (building code).
SELECT p.code, h.room, p.name, p.id_number, p.phone, p.registered
FROM households h
JOIN persons p ON p.household_code = h.code
WHERE h.building_code = %(code)s
ORDER BY h.room, p.code
LIMIT 200
