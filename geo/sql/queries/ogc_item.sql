-- One feature of an OGC collection by its id (the natural code, or the H3 cell in hex).
SELECT '{{"type":"Feature","id":' || to_json(f.id)::text || ',"geometry":' || f.geometry
       || ',"properties":' || f.properties::text || '}}'
FROM ({rows}) AS f
WHERE f.id = %(id)s
