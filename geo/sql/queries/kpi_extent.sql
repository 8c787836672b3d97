-- Where a headline figure comes from, as one bounding box: the box of its rows
-- (kpi_places.sql); every other figure (and an empty selection) answers the extent of the towns.
-- Parameters: kpi, since, until.
WITH hits AS (
{kpi_places}
), box AS (
    SELECT coalesce((SELECT ST_Extent(geom) FROM hits),
                    (SELECT ST_Extent(geom) FROM towns)) AS b
)
SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM box
