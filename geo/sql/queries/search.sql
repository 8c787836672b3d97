-- Place search (查房知人) over building addresses, compound names, grid codes and names and
-- community names. Ranking: exact code or name first, then prefix, then substring; within a
-- rank larger regions first (a community before its grids), then shorter labels.
-- Parameters: q (the text as typed), contains and prefix (ILIKE patterns of q, its own
-- wildcards escaped), lim.
WITH hits AS (
    SELECT 'community' AS kind, 1 AS kind_rank, code, name AS label, geom
    FROM communities WHERE name ILIKE %(contains)s OR code = %(q)s
    UNION ALL
    SELECT 'grid', 2, code, name, geom
    FROM grids WHERE name ILIKE %(contains)s OR code ILIKE %(contains)s
    UNION ALL
    SELECT 'compound', 3, code, name, geom
    FROM compounds WHERE name ILIKE %(contains)s OR code = %(q)s
    UNION ALL
    SELECT 'building', 4, code, address, geom
    FROM buildings WHERE address ILIKE %(contains)s OR code = %(q)s
), ranked AS (
    SELECT kind, kind_rank, code, label, geom::box2d AS box,
           CASE WHEN lower(code) = lower(%(q)s) OR lower(label) = lower(%(q)s) THEN 0
                WHEN label ILIKE %(prefix)s OR code ILIKE %(prefix)s THEN 1
                ELSE 2 END AS match_rank
    FROM hits
)
SELECT kind, code, label, ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)
FROM ranked
ORDER BY match_rank, kind_rank, length(label), label, code
LIMIT %(lim)s
