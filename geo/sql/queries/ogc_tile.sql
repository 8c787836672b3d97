-- One Mapbox vector tile (WebMercatorQuad z/x/y) of an OGC collection: the rows query (a
-- trusted .sql file of this folder) cut to the tile, in tile coordinates (extent 4096, buffer
-- 64), its json properties expanded into tile attributes, the code as `id`. The bbox test on
-- the stored WGS84 geometry uses its GiST index. Parameters: the rows' own, z, x, y, layer.
WITH tile AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS merc,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096), 4326)
               AS wgs84
), cut AS (
    SELECT f.id, f.properties::jsonb AS properties,
           ST_AsMVTGeom(ST_Transform(f.geom, 3857), tile.merc, 4096, 64, true) AS geom
    FROM ({rows}) AS f, tile
    WHERE f.geom && tile.wgs84 AND ST_Intersects(f.geom, tile.wgs84)
)
SELECT ST_AsMVT(cut, %(layer)s, 4096, 'geom')
FROM cut
WHERE cut.geom IS NOT NULL
