-- One household visit by the phone's id. Parameters: client_id.
SELECT v.client_id::text AS client_id, v.household_code AS household, v.building_code AS building,
       v.grid_code AS grid, v.username, v.visited_at, v.before, v.after, v.note
FROM household_visits v
WHERE v.client_id = %(client_id)s
