-- The zone proposal before issue 16's zone work (test oracle, tests/db/test_zone_proposal_oracle.py):
-- a verbatim copy of geo/sql/queries/zone_proposal.sql as of commit b20df0b.
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
    -- (migration 045, on ST_PointOnSurface(geom)) finds what lies inside by index probes.
    SELECT z.level, z.rank, ST_Subdivide(z.geom, 64) AS geom
    FROM zones z
    WHERE z.geom IS NOT NULL AND NOT ST_IsEmpty(z.geom)
), placed AS (
    -- each building counted once, in the most severe zone holding its point on surface
    SELECT DISTINCT ON (b.code) b.code, p.level
    FROM parts p
    JOIN buildings b ON ST_Intersects(p.geom, ST_PointOnSurface(b.geom))
    ORDER BY b.code, p.rank
), people AS (
    -- per building by its households index: the zones hold a few thousand buildings, and a
    -- hash join here scanned all ~1 M households of a district
    SELECT p.level, sum(hh.households)::bigint AS households,
           sum(hh.residents)::bigint AS residents, sum(hh.elderly)::bigint AS elderly,
           sum(hh.children)::bigint AS children,
           sum(hh.vulnerable)::bigint AS vulnerable_households, count(*) AS buildings
    FROM placed p
    CROSS JOIN LATERAL (
        SELECT count(*) AS households, coalesce(sum(h.members), 0) AS residents,
               coalesce(sum(h.elderly), 0) AS elderly, coalesce(sum(h.children), 0) AS children,
               count(*) FILTER (WHERE h.vulnerable > 0) AS vulnerable
        FROM households h WHERE h.building_code = p.code
    ) hh
    GROUP BY p.level
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
       (SELECT coalesce(sum(ST_NumGeometries(ST_Intersection(ST_Boundary(z.geom), f.geom))), 0)
          FROM context_features f
         WHERE f.kind = 'road' AND ST_Intersects(ST_Boundary(z.geom), f.geom)) AS checkpoints_needed,
       -- depots within reach of a piece of the zone: a box test first (reach in degrees of
       -- longitude at the depot, an overestimate north of the equator), then the metres
       (SELECT coalesce(json_agg(r.code ORDER BY r.code), '[]'::json) FROM resources r
         WHERE r.kind = 'depot' AND EXISTS (
             SELECT 1 FROM parts p
             WHERE p.level = z.level
               AND r.geom && ST_Expand(p.geom, r.reach_m / (111320.0 * cos(radians(ST_Y(r.geom)))))
               AND ST_DWithin(r.geom::geography, p.geom::geography, r.reach_m)))
           AS covering_depots
FROM zones z
LEFT JOIN people pe USING (level)
WHERE z.geom IS NOT NULL AND NOT ST_IsEmpty(z.geom)
ORDER BY z.rank
