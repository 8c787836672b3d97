-- 12345 tickets per H3 cell received in [since, until): open vs solved, overdue responses.
-- Parameters: res, west, south, east, north, since, until, min_count.
WITH area AS (
    SELECT cell, geom
    FROM h3_cells
    WHERE res = %(res)s
      AND geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
), counted AS (
    SELECT h3_parent(h3_cell, %(res)s) AS cell,
           count(*)                                     AS tickets,
           count(*) FILTER (WHERE status <> 'closed')   AS open,
           count(*) FILTER (WHERE status = 'closed')    AS solved,
           count(*) FILTER (WHERE status <> 'closed' AND (due_at < %(until)s
                              OR (responded_at IS NULL AND response_due_at < %(until)s)))
                                                        AS overdue
    FROM incidents
    WHERE received_at >= %(since)s AND received_at < %(until)s
      AND h3_parent(h3_cell, %(res)s) IN (SELECT cell FROM area)
    GROUP BY 1
)
SELECT to_hex(c.cell) AS id, ST_AsGeoJSON(a.geom, 6) AS geometry,
       CASE WHEN c.tickets < %(min_count)s THEN json_build_object(
            'cell', to_hex(c.cell), 'res', %(res)s, 'value', NULL, 'label', '<' || %(min_count)s)
        ELSE json_build_object(
            'cell', to_hex(c.cell), 'res', %(res)s, 'value', c.tickets,
            'open', c.open, 'solved', c.solved, 'overdue', c.overdue)
        END AS properties
FROM counted c
JOIN area a USING (cell)
ORDER BY c.cell
