-- A town boundary as the map draws it: its outer rings, and only the holes of at least
-- `min_m2` square metres (a real enclave of another town stays a hole). A boundary built as
-- the union of its communities carries sliver holes where two communities' edges part by a
-- rounding (the demo town: 7 rings of 0-1 m², each hundreds of metres long); drawn with the
-- boundary's heavy dashed line they were short black bars across the town on the map, the
-- wall and every print. The stored geometry is not changed (areas and tiling stay exact).
CREATE FUNCTION without_sliver_holes(geom geometry, min_m2 float8) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ST_Multi(ST_Collect(ARRAY(
        SELECT ST_MakePolygon(
                   ST_ExteriorRing(part.geom),
                   ARRAY(SELECT ST_ExteriorRing(ring.geom)
                         FROM ST_DumpRings(part.geom) AS ring
                         WHERE ring.path[1] > 0 AND ST_Area(ring.geom::geography) >= min_m2
                         ORDER BY ring.path[1]))
        FROM ST_Dump(geom) AS part
        ORDER BY part.path)))
$$;
