-- 12345 tickets per H3 cell received in [since, until): open vs solved, overdue responses.
-- Parameters: res, west, south, east, north, since, until, min_count.
WITH area AS (
    SELECT cell, geom
    FROM h3_cells_in_viewport(%(res)s, %(west)s, %(south)s, %(east)s, %(north)s)
), picked AS (
    -- The window's tickets under the area's cells, by one of two paths (one-time filters:
    -- only one runs). A small box (few cells): each cell's rows are one range of the
    -- (incidents.h3_cell, received_at) index (migration 047), so it reads only its own cells.
    SELECT ar.cell, i.status, i.due_at, i.responded_at, i.response_due_at
    FROM area ar
    JOIN incidents i ON h3_under(i.h3_cell, ar.cell, 11)
    WHERE i.received_at >= %(since)s AND i.received_at < %(until)s
      AND (SELECT count(*) FROM area) <= 256
    UNION ALL
    -- Many cells (a wide box, or a small one at a fine res): one pass over the window's rows
    -- of the box beats 256+ range scans over every row ever stored in those cells. The box
    -- (the viewport widened to hold every point under its cells, migration 080) lets the GiST
    -- index on geom or the received_at index pick the rows, whichever is fewer: a small box
    -- reads its own tickets, not the window's of the whole town.
    SELECT h3_parent(h3_cell, %(res)s), status, due_at, responded_at, response_due_at
    FROM incidents
    WHERE received_at >= %(since)s AND received_at < %(until)s
      AND geom && h3_reach_box(%(res)s, %(west)s, %(south)s, %(east)s, %(north)s)
      AND h3_parent(h3_cell, %(res)s) IN (SELECT cell FROM area)
      AND (SELECT count(*) FROM area) > 256
), counted AS (
    SELECT cell,
           count(*)                                     AS tickets,
           count(*) FILTER (WHERE status <> 'closed')   AS open,
           count(*) FILTER (WHERE status = 'closed')    AS solved,
           count(*) FILTER (WHERE status <> 'closed' AND (due_at < %(until)s
                              OR (responded_at IS NULL AND response_due_at < %(until)s)))
                                                        AS overdue
    FROM picked
    GROUP BY 1
)
SELECT to_hex(c.cell) AS id, ST_AsGeoJSON(a.geom, 6) AS geometry,
       CASE WHEN c.tickets < %(min_count)s THEN h3_suppressed_cell(c.cell, %(res)s, %(min_count)s)
        ELSE json_build_object(
            'cell', to_hex(c.cell), 'res', %(res)s, 'value', c.tickets,
            'open', c.open, 'solved', c.solved, 'overdue', c.overdue)
        END AS properties
FROM counted c
JOIN area a USING (cell)
ORDER BY c.cell
