-- Oracle: the ticket figures of region_activity.sql before the region's tickets were read once
-- by the GiST index (each part joined incidents to the outline with the window's own filters,
-- which let the planner AND the index of every ticket received in the window).
-- tests/db/test_region_activity.py compares both figures. Parameters: geom, since, until.
WITH region AS (SELECT ST_GeomFromEWKB(%(geom)s) AS g)
SELECT
    (SELECT json_object_agg(category, n) FROM (
        SELECT category, count(*) AS n FROM incidents i, region
        WHERE ST_Intersects(i.geom, region.g) AND i.status <> 'closed'
          AND i.received_at < %(until)s GROUP BY 1) t) AS open_tickets,
    (SELECT json_agg(json_build_object('week', week, 'n', n) ORDER BY week) FROM (
        SELECT date_trunc('week', i.received_at AT TIME ZONE 'Asia/Shanghai')::date AS week,
               count(*) AS n
        FROM incidents i, region
        WHERE ST_Intersects(i.geom, region.g)
          AND i.received_at >= %(since)s AND i.received_at < %(until)s GROUP BY 1) w)
        AS ticket_trend
