-- The household forms (一户一表) of one building, with each household's residents' names for
-- masking (the caller masks them; only a reveal shows them). Parameters: code.
SELECT h.code, h.room, h.members, h.registered, h.floating, h.renters, h.elderly, h.children,
       h.vulnerable, h.updated_at, h.visited_at,
       coalesce((SELECT json_agg(json_build_object('name', p.name, 'phone', p.phone,
                                                   'id_number', p.id_number,
                                                   'registered', p.registered) ORDER BY p.code)
                 FROM persons p WHERE p.household_code = h.code), '[]'::json) AS persons
FROM households h
WHERE h.building_code = %(code)s
ORDER BY h.room, h.code
LIMIT 500
