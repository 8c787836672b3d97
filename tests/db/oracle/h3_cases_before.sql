-- Epidemic cases per H3 cell in a time window [since, until), with the rate per 10k residents.
-- Parameters: res, west, south, east, north, since, until, min_count.
WITH area AS (
    SELECT cell, geom
    FROM h3_cells_in_viewport(%(res)s, %(west)s, %(south)s, %(east)s, %(north)s)
), picked AS (
    -- The window's cases under the area's cells, by one of two paths (one-time filters: only
    -- one runs). A small box (few cells): each cell's rows are one range of the
    -- (cases.h3_cell, reported_at) index (migration 047), so it reads only its own cells.
    SELECT ar.cell, c.category
    FROM area ar
    JOIN cases c ON h3_under(c.h3_cell, ar.cell, 11)
    WHERE c.reported_at >= %(since)s AND c.reported_at < %(until)s
      AND (SELECT count(*) FROM area) <= 256
    UNION ALL
    -- A wide box: one pass over the window's rows (the reported_at index) beats 256+ range
    -- scans over every row ever stored in those cells.
    SELECT h3_parent(h3_cell, %(res)s), category
    FROM cases
    WHERE reported_at >= %(since)s AND reported_at < %(until)s
      AND h3_parent(h3_cell, %(res)s) IN (SELECT cell FROM area)
      AND (SELECT count(*) FROM area) > 256
), counted AS (
    SELECT cell, count(*) AS cases,
           count(*) FILTER (WHERE category = 'confirmed')         AS confirmed,
           count(*) FILTER (WHERE category = 'asymptomatic')      AS asymptomatic,
           count(*) FILTER (WHERE category = 'close_contact')     AS close_contact,
           count(*) FILTER (WHERE category = 'secondary_contact') AS secondary_contact
    FROM picked
    GROUP BY 1
), residents AS (
    SELECT k.cell, sum(hc.residents)::bigint AS residents
    FROM counted k
    JOIN household_cells hc ON h3_under(hc.cell, k.cell, 10)
    GROUP BY 1
)
SELECT to_hex(c.cell) AS id, ST_AsGeoJSON(a.geom, 6) AS geometry,
       CASE WHEN c.cases < %(min_count)s THEN h3_suppressed_cell(c.cell, %(res)s, %(min_count)s)
        ELSE json_build_object(
            'cell', to_hex(c.cell), 'res', %(res)s, 'value', c.cases,
            'confirmed', c.confirmed, 'asymptomatic', c.asymptomatic,
            'close_contact', c.close_contact, 'secondary_contact', c.secondary_contact,
            'residents', r.residents,
            'per_10k', round(c.cases * 10000.0 / nullif(r.residents, 0), 1))
        END AS properties
FROM counted c
JOIN area a USING (cell)
LEFT JOIN residents r USING (cell)
ORDER BY c.cell
