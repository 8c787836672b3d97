-- One page of an OGC collection: the rows query (a trusted .sql file of this folder, never
-- request text) ordered by its id and cut at `limit`; the page is one JSON array text built
-- by concatenation (geometry text is never parsed and re-serialised), with its length and last
-- id, which is the keyset cursor of the next page. Parameters: the rows' own, limit.
-- (Doubled braces are literal braces: this text goes through psycopg's sql.SQL.format.)
SELECT coalesce('[' || string_agg(
           '{{"type":"Feature","id":' || to_json(p.id)::text || ',"geometry":' || p.geometry
           || ',"properties":' || p.properties::text || '}}', ',' ORDER BY p.id) || ']', '[]'),
       count(*),
       max(p.id)
FROM (SELECT f.id, f.geometry, f.properties FROM ({rows}) AS f {bbox} ORDER BY f.id
      LIMIT %(limit)s) AS p
