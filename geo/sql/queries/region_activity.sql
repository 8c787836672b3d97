-- What lies in a region's outline: compounds by management, units by kind, tickets and cases
-- in the window. Parameters: geom (EWKB), since, until.
WITH region AS (SELECT ST_GeomFromEWKB(%(geom)s) AS g)
SELECT
    (SELECT json_object_agg(management, n) FROM (
        SELECT management, count(*) AS n FROM compounds c, region
        WHERE c.geom && region.g AND ST_Intersects(ST_PointOnSurface(c.geom), region.g)
        GROUP BY management) m)                                         AS compounds,
    (SELECT count(*) FROM compounds c, region
        WHERE c.management = 'three_no' AND c.caretaker_branch
          AND c.geom && region.g AND ST_Intersects(ST_PointOnSurface(c.geom), region.g))
                                                                        AS caretaker_compounds,
    (SELECT json_object_agg(kind, n) FROM (
        SELECT coalesce(shop_kind, kind) AS kind, count(*) AS n FROM units u, region
        WHERE ST_Intersects(u.geom, region.g) GROUP BY 1) k)            AS units,
    (SELECT json_object_agg(category, n) FROM (
        SELECT category, count(*) AS n FROM incidents i, region
        WHERE ST_Intersects(i.geom, region.g) AND i.status <> 'closed'
          AND i.received_at < %(until)s GROUP BY 1) t)                  AS open_tickets,
    (SELECT json_object_agg(category, n) FROM (
        SELECT category, count(*) AS n FROM cases c, region
        WHERE ST_Intersects(c.geom, region.g)
          AND c.reported_at >= %(since)s AND c.reported_at < %(until)s GROUP BY 1) c)
                                                                        AS cases,
    (SELECT json_agg(json_build_object('day', day, 'n', n) ORDER BY day) FROM (
        SELECT (c.reported_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n
        FROM cases c, region
        WHERE ST_Intersects(c.geom, region.g)
          AND c.reported_at >= %(since)s AND c.reported_at < %(until)s GROUP BY 1) d)
                                                                        AS case_curve,
    (SELECT json_agg(json_build_object('week', week, 'n', n) ORDER BY week) FROM (
        SELECT date_trunc('week', i.received_at AT TIME ZONE 'Asia/Shanghai')::date AS week,
               count(*) AS n
        FROM incidents i, region
        WHERE ST_Intersects(i.geom, region.g)
          AND i.received_at >= %(since)s AND i.received_at < %(until)s GROUP BY 1) w)
                                                                        AS ticket_trend
