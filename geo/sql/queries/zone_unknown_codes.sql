-- The codes of a zone adjustment that name no building or compound, per parameter.
-- Parameters: add_buildings, remove_buildings, add_compounds, remove_compounds (text arrays).
WITH asked AS (
    SELECT 'add_buildings' AS parameter, 'building' AS kind, x AS code, o
    FROM unnest(%(add_buildings)s::text[]) WITH ORDINALITY AS a(x, o)
    UNION ALL
    SELECT 'remove_buildings', 'building', x, o
    FROM unnest(%(remove_buildings)s::text[]) WITH ORDINALITY AS a(x, o)
    UNION ALL
    SELECT 'add_compounds', 'compound', x, o
    FROM unnest(%(add_compounds)s::text[]) WITH ORDINALITY AS a(x, o)
    UNION ALL
    SELECT 'remove_compounds', 'compound', x, o
    FROM unnest(%(remove_compounds)s::text[]) WITH ORDINALITY AS a(x, o)
)
SELECT a.parameter, array_agg(a.code ORDER BY a.o) AS codes
FROM asked a
WHERE (a.kind = 'building' AND NOT EXISTS (SELECT 1 FROM buildings b WHERE b.code = a.code))
   OR (a.kind = 'compound' AND NOT EXISTS (SELECT 1 FROM compounds c WHERE c.code = a.code))
GROUP BY a.parameter
ORDER BY array_position(ARRAY['add_buildings', 'remove_buildings', 'add_compounds',
                              'remove_compounds'], a.parameter)
