-- 12345 tickets per H3 cell received in [since, until): open vs solved, overdue responses.
-- Parameters: res, west, south, east, north, since, until, min_count.
WITH area AS (
    SELECT cell, geom
    FROM h3_cells_in_viewport(%(res)s, %(west)s, %(south)s, %(east)s, %(north)s)
), counted AS (
    -- A small box (few cells): each cell's rows are one range of the (incidents.h3_cell,
    -- received_at) index (migration 047), so the answer reads only its own cells.
    SELECT ar.cell,
           count(*)                                     AS tickets,
           count(*) FILTER (WHERE i.status <> 'closed')   AS open,
           count(*) FILTER (WHERE i.status = 'closed')    AS solved,
           count(*) FILTER (WHERE i.status <> 'closed' AND (i.due_at < %(until)s
                              OR (i.responded_at IS NULL AND i.response_due_at < %(until)s)))
                                                        AS overdue
    FROM area ar
    JOIN incidents i
      ON i.h3_cell BETWEEN h3_child_min(ar.cell, 11) AND h3_child_max(ar.cell, 11)
    WHERE i.received_at >= %(since)s AND i.received_at < %(until)s
      AND (SELECT count(*) FROM area) <= 256
    GROUP BY 1
    UNION ALL
    -- A wide box: one pass over the window's rows (the received_at index) beats 256+ range
    -- scans over every row ever stored in those cells. Only one branch runs (one-time filters).
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
      AND (SELECT count(*) FROM area) > 256
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
