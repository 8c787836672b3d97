-- Rivers, roads, rail, parks and water (context_features): the offline map's own basemap.
-- Minor features first, so expressways and the main river are drawn on top of them.
WITH hits AS (
    SELECT f.code, f.kind, f.name, f.rank,
           outline_geojson(f.geom, %(tolerance)s, %(outline_digits)s) AS geometry
    FROM context_features f
    WHERE in_viewport(f.geom, %(west)s, %(south)s, %(east)s, %(north)s)
)
SELECT code AS id, geometry,
       json_build_object('code', code, 'kind', kind, 'name', name, 'rank', rank) AS properties
FROM hits
ORDER BY rank DESC, code
