-- One household visit: the form's counts written, the visit date set (the freshness layer and
-- the drill-down read updated_at), and the visit row kept — in the caller's transaction.
-- Parameters: client_id, household, username, note, members … vulnerable.
WITH old AS (
    SELECT h.code, h.town_code, h.building_code, b.grid_code,
           json_build_object('members', h.members, 'registered', h.registered,
                             'floating', h.floating, 'renters', h.renters,
                             'elderly', h.elderly, 'children', h.children,
                             'vulnerable', h.vulnerable) AS before
    FROM households h JOIN buildings b ON b.code = h.building_code
    WHERE h.code = %(household)s
    FOR UPDATE OF h
), upd AS (
    UPDATE households h
    SET members = %(members)s, registered = %(registered)s, floating = %(floating)s,
        renters = %(renters)s, elderly = %(elderly)s, children = %(children)s,
        vulnerable = %(vulnerable)s, updated_at = now(), visited_at = now()
    FROM old WHERE h.code = old.code
    RETURNING h.code
)
INSERT INTO household_visits (client_id, town_code, household_code, building_code, grid_code,
                              username, before, after, note)
SELECT %(client_id)s, old.town_code, old.code, old.building_code, old.grid_code, %(username)s,
       old.before,
       json_build_object('members', %(members)s, 'registered', %(registered)s,
                         'floating', %(floating)s, 'renters', %(renters)s,
                         'elderly', %(elderly)s, 'children', %(children)s,
                         'vulnerable', %(vulnerable)s),
       %(note)s
FROM old JOIN upd ON upd.code = old.code
RETURNING client_id
