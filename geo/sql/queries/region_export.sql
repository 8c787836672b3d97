-- One row per building of a region for the data export, 一户一表 totals summed per building.
-- Counts only: persons (names, phones, ID numbers) are never joined. Parameters: buildings (text[]).
SELECT b.code, b.address, b.use, b.floors, b.rooms, b.grid_code, b.compound_code,
       count(h.code)                            AS households,
       coalesce(sum(h.members), 0)              AS residents,
       coalesce(sum(h.registered), 0)           AS registered,
       coalesce(sum(h.floating), 0)             AS floating,
       count(h.code) FILTER (WHERE h.renters)   AS renters,
       coalesce(sum(h.elderly), 0)              AS elderly,
       coalesce(sum(h.children), 0)             AS children,
       ST_X(ST_Centroid(b.geom))                AS lng,
       ST_Y(ST_Centroid(b.geom))                AS lat,
       ST_AsBinary(b.geom)                      AS wkb
FROM buildings b
LEFT JOIN households h ON h.building_code = b.code
WHERE b.code = ANY(%(buildings)s)
GROUP BY b.code
ORDER BY b.code
