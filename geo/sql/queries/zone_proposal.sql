-- Proposed containment zones from the active cases in a window (reported in [since, until)
-- and not released by `until`):
--   containment (封控区): the case's building, or its whole compound when the compound is
--     closed-off (property or quasi-property managed: gated, so it can be sealed as a whole);
--   control (管控区): the cases' grids (mode 'grid') or a buffer of buffer_m metres around the
--     containment areas (mode 'buffer'), clipped to the cases' communities;
--   prevention (防范区): a ring around the control zone: everything within ring_m metres of
--     it, plus the rest of the cases' communities, inside the town (so it surrounds the
--     control zone on every side, not only where the community happens to extend).
-- Officials adjust by adding or removing buildings (add_buildings / remove_buildings) or whole
-- compounds (add_compounds / remove_compounds: every building of the compound joins or leaves
-- the sealed set). Removals apply to the cases' buildings and to added compounds; a building
-- added by code is always sealed.
-- Residents and households are counted by building: a building belongs to the first zone
-- (containment, control, prevention) that holds its point on surface.
-- Parameters: since, until, mode, buffer_m, ring_m, add_buildings, remove_buildings,
-- add_compounds, remove_compounds (text arrays).
WITH removed AS (
    SELECT unnest(%(remove_buildings)s::text[]) AS code
    UNION
    SELECT b.code FROM buildings b WHERE b.compound_code = ANY(%(remove_compounds)s::text[])
), wanted AS (
    SELECT c.building_code
    FROM cases c
    WHERE c.reported_at >= %(since)s AND c.reported_at < %(until)s
      AND (c.released_at IS NULL OR c.released_at >= %(until)s)
      AND c.category IN ('confirmed', 'asymptomatic')
      AND c.building_code IS NOT NULL
    UNION
    SELECT b.code FROM buildings b WHERE b.compound_code = ANY(%(add_compounds)s::text[])
), active AS (
    SELECT w.building_code FROM wanted w
    WHERE NOT EXISTS (SELECT 1 FROM removed r WHERE r.code = w.building_code)
    UNION
    SELECT unnest(%(add_buildings)s::text[])
), sealed AS (
    SELECT DISTINCT b.code AS building_code, b.grid_code,
           CASE WHEN p.management IN ('property', 'quasi') THEN p.geom ELSE b.geom END AS geom
    FROM active a
    JOIN buildings b ON b.code = a.building_code
    LEFT JOIN compounds p ON p.code = b.compound_code
), containment AS (
    SELECT ST_Multi(ST_Union(geom)) AS geom FROM sealed
), communities_hit AS (
    SELECT ST_Union(c.geom) AS geom
    FROM communities c
    WHERE c.code IN (SELECT g.community_code FROM grids g
                     WHERE g.code IN (SELECT grid_code FROM sealed))
), control AS (
    SELECT ST_Multi(ST_CollectionExtract(ST_Difference(
               ST_Intersection(
                   CASE %(mode)s
                       WHEN 'grid' THEN (SELECT ST_Union(g.geom) FROM grids g
                                         WHERE g.code IN (SELECT grid_code FROM sealed))
                       ELSE ST_Buffer(containment.geom::geography, %(buffer_m)s)::geometry
                   END,
                   communities_hit.geom),
               containment.geom), 3)) AS geom
    FROM containment, communities_hit
), inner_zones AS (
    SELECT ST_Union(containment.geom, control.geom) AS geom FROM containment, control
), prevention AS (
    SELECT ST_Multi(ST_CollectionExtract(ST_Difference(
               ST_Intersection(
                   ST_Union(communities_hit.geom,
                            ST_Buffer(inner_zones.geom::geography, %(ring_m)s)::geometry),
                   (SELECT ST_Union(t.geom) FROM towns t)),
               inner_zones.geom), 3)) AS geom
    FROM communities_hit, inner_zones
), zones AS (
    SELECT 'containment' AS level, 1 AS rank, geom FROM containment
    UNION ALL SELECT 'control', 2, geom FROM control
    UNION ALL SELECT 'prevention', 3, geom FROM prevention
), parts AS (
    -- Zones span whole communities: their bounding boxes match most of a district. Cut into
    -- pieces of at most 64 vertices, each piece's box is tight, and the buildings' point index
    -- (building_people, migration 066) finds what lies inside by index probes.
    SELECT z.level, z.rank, ST_Subdivide(z.geom, 64) AS geom
    FROM zones z
    WHERE z.geom IS NOT NULL AND NOT ST_IsEmpty(z.geom)
), placed AS (
    -- each building counted once, in the most severe zone holding its point on surface;
    -- its point and its households' figures are one row of building_people (kept by the
    -- writes), so placing reads neither buildings nor households
    SELECT DISTINCT ON (bp.building_code COLLATE "C") p.rank, bp.households, bp.residents, bp.elderly,
           bp.children, bp.vulnerable_households
    FROM parts p
    JOIN building_people bp ON ST_Intersects(p.geom, bp.point)
    -- byte order ("C"): only equal codes must meet, and it sorts ~25 k codes several times
    -- faster than the database's collation
    ORDER BY bp.building_code COLLATE "C", p.rank
), people AS (
    SELECT z.level, pe.*
    FROM (SELECT rank, sum(households)::bigint AS households,
                 sum(residents)::bigint AS residents, sum(elderly)::bigint AS elderly,
                 sum(children)::bigint AS children,
                 sum(vulnerable_households)::bigint AS vulnerable_households,
                 count(*) AS buildings
          FROM placed GROUP BY rank) pe
    JOIN zones z USING (rank)
), depot_reach AS (
    -- the widest reach of any depot, in degrees of longitude at the depot (an overestimate
    -- north of the equator): a zone piece's box grown by it holds every depot that may reach
    -- the piece, found by the depots' index instead of testing every depot against every piece
    SELECT max(r.reach_m / (111320.0 * cos(radians(ST_Y(r.geom))))) AS degrees
    FROM resources r WHERE r.kind = 'depot'
), covering AS (
    -- depots within reach of a piece of the zone: a box test first (the depot's own reach in
    -- degrees), then the metres
    SELECT DISTINCT p.level, r.code
    FROM parts p
    CROSS JOIN depot_reach d
    JOIN resources r ON r.kind = 'depot' AND r.geom && ST_Expand(p.geom, d.degrees)
    WHERE r.geom && ST_Expand(p.geom, r.reach_m / (111320.0 * cos(radians(ST_Y(r.geom)))))
      AND ST_DWithin(r.geom::geography, p.geom::geography, r.reach_m)
), outlines AS (
    -- each zone's boundary once, as its rings (path: their order in the boundary)
    SELECT z.level, d.path, d.geom AS ring
    FROM zones z CROSS JOIN LATERAL ST_Dump(ST_Boundary(z.geom)) d
), road_rings AS (
    -- per road, the rings whose box meets its box: a ring whose box misses the road's cannot
    -- touch it, so the road meets these rings exactly where it meets the whole boundary, and
    -- the intersection below nodes ~20 rings instead of the ~200 of a district-wide zone
    SELECT o.level, f.code, ST_Collect(o.ring ORDER BY o.path) AS rings
    FROM outlines o
    JOIN context_features f ON f.kind = 'road' AND f.geom && o.ring
    GROUP BY o.level, f.code
)
SELECT z.level, ST_AsGeoJSON(z.geom, 6) AS geometry,
       round((ST_Area(z.geom::geography) / 1e6)::numeric, 3) AS area_km2,
       -- where call lists and nearest-resource answers for the zone start
       json_build_object('lat', round(ST_Y(ST_Centroid(z.geom))::numeric, 6),
                         'lng', round(ST_X(ST_Centroid(z.geom))::numeric, 6)) AS centre,
       coalesce(pe.residents, 0) AS residents, coalesce(pe.households, 0) AS households,
       coalesce(pe.elderly, 0) AS elderly, coalesce(pe.children, 0) AS children,
       coalesce(pe.vulnerable_households, 0) AS vulnerable_households,
       coalesce(pe.buildings, 0) AS buildings,
       (SELECT count(DISTINCT c.code) FROM parts p
          JOIN compounds c ON ST_Intersects(p.geom, ST_PointOnSurface(c.geom))
         WHERE p.level = z.level AND c.management = 'three_no') AS three_no_compounds,
       (SELECT count(DISTINCT u.code) FROM parts p
          JOIN units u ON ST_Intersects(p.geom, u.geom)
         WHERE p.level = z.level AND u.kind = 'shop_five_small') AS shops_to_close,
       -- checkpoints: where roads cross the zone's boundary (an entrance needs a 卡口)
       (SELECT coalesce(sum(ST_NumGeometries(ST_Intersection(rr.rings, f.geom))), 0)
          FROM road_rings rr JOIN context_features f ON f.code = rr.code
         WHERE rr.level = z.level AND ST_Intersects(rr.rings, f.geom)) AS checkpoints_needed,
       -- depots within reach of a piece of the zone (see `covering`)
       (SELECT coalesce(json_agg(c.code ORDER BY c.code), '[]'::json) FROM covering c
         WHERE c.level = z.level)
           AS covering_depots
FROM zones z
LEFT JOIN people pe USING (level)
WHERE z.geom IS NOT NULL AND NOT ST_IsEmpty(z.geom)
ORDER BY z.rank
