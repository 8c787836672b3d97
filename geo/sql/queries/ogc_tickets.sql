-- OGC collection `tickets`: 12345 / patrol / device tickets without personal fields: no
-- caller, no address (often the caller's home), no building; columns read by name, so columns
-- added to incidents later never leak out by themselves. `datetime` filters received_at over
-- the closed interval [since, until]. Parameters: since, until, after.
SELECT i.code AS id, i.geom, ST_AsGeoJSON(i.geom, 9) AS geometry,
       json_build_object('code', i.code, 'source', i.source, 'category', i.category,
                         'status', i.status, 'received_at', i.received_at,
                         'responded_at', i.responded_at, 'solved_at', i.solved_at,
                         'satisfied', i.satisfied, 'grid_code', i.grid_code) AS properties
FROM incidents i
WHERE i.received_at >= %(since)s AND i.received_at <= %(until)s
  AND i.code > %(after)s
