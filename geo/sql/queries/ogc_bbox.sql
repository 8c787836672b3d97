-- The bbox filter of an OGC items request, on the rows query's `geom` (the planner pushes it
-- into the table scan, so the GiST index serves it). `&&` alone compares float4 boxes:
-- ST_Intersects decides. Parameters: west, south, east, north.
WHERE f.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND ST_Intersects(f.geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
