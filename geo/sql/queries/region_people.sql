-- 一户一表 totals over a region's buildings (region_members.sql, computed here: the codes of a
-- community never travel to the app and back), with data freshness and how many buildings.
-- Parameters: those of region_members.sql.
WITH members AS MATERIALIZED (SELECT coalesce(array_agg(m.code), '{{}}') AS codes
                              FROM ({members}) m)
SELECT (SELECT cardinality(codes) FROM members) AS buildings,
       count(*)                                AS households,
       coalesce(sum(members), 0)               AS residents,
       coalesce(sum(registered), 0)            AS registered,
       coalesce(sum(floating), 0)              AS floating,
       count(*) FILTER (WHERE renters)         AS rented_households,
       coalesce(sum(elderly), 0)               AS elderly,
       coalesce(sum(children), 0)              AS children,
       count(*) FILTER (WHERE vulnerable > 0)  AS vulnerable_households,
       max(updated_at)                         AS newest_update,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at))
                                               AS median_update_epoch
FROM households
WHERE building_code = ANY((SELECT codes FROM members)::text[])
