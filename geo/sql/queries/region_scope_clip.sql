-- A region's outline cut to a community user's communities, and the one of them holding most
-- of it: what a scoped H3 drill-down may count (tickets, cases, units, resources by place).
-- Empty (NULL geom) when the region lies outside all of them. Parameters: geom (EWKB), scope.
WITH region AS (SELECT ST_GeomFromEWKB(%(geom)s) AS g),
parts AS (
    SELECT c.code, ST_CollectionExtract(ST_Intersection(c.geom, region.g), 3) AS part
    FROM communities c, region
    WHERE c.code = ANY(%(scope)s::text[]) AND ST_Intersects(c.geom, region.g)
)
SELECT ST_AsEWKB(ST_Multi(ST_Union(part))) AS geom,
       (SELECT code FROM parts WHERE NOT ST_IsEmpty(part)
        ORDER BY ST_Area(part) DESC, code LIMIT 1) AS community_code
FROM parts WHERE NOT ST_IsEmpty(part) AND ST_Area(part) > 0
