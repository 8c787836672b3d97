-- Staff on duty in a viewport: role and grid only. Names, phones, skills and even the staff
-- code stay out (personal data); the feature id is a row number, not a key to a person.
-- Parameters: west, south, east, north, digits.
WITH hits AS (
    SELECT s.role, s.grid_code, g.name AS grid_name,
           ST_AsGeoJSON(s.geom, %(digits)s) AS geometry,
           row_number() OVER (ORDER BY s.grid_code, s.role, s.geom) AS n
    FROM staff s
    LEFT JOIN grids g ON g.code = s.grid_code
    WHERE in_viewport(s.geom, %(west)s, %(south)s, %(east)s, %(north)s) AND s.on_duty
)
SELECT n AS id, geometry,
       json_build_object('role', role, 'grid_code', grid_code,
                                    'grid_name', grid_name) AS properties
FROM hits
ORDER BY n
