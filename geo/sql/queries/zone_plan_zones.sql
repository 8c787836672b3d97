-- The zones of one published plan, most severe first, with their stored figures and outline.
-- Parameters: plan.
SELECT z.code, z.level, z.residents, z.households, z.figures,
       ST_AsGeoJSON(z.geom, 6) AS geometry
FROM zones z
WHERE z.plan_code = %(plan)s
ORDER BY array_position(ARRAY['containment', 'control', 'prevention'], z.level)
