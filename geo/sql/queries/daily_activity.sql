-- Cases reported and tickets received per town day in [since, until): the time bar's histogram.
-- Every day of the span is present (zero when nothing happened). Parameters: since, until.
WITH days AS (
    SELECT generate_series((%(since)s::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
                           (%(until)s::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
                               - 1,
                           interval '1 day')::date AS day
), cases_per_day AS (
    SELECT (reported_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n
    FROM cases WHERE reported_at >= %(since)s AND reported_at < %(until)s GROUP BY 1
), tickets_per_day AS (
    SELECT (received_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n
    FROM incidents WHERE received_at >= %(since)s AND received_at < %(until)s GROUP BY 1
)
SELECT d.day, coalesce(c.n, 0) AS cases, coalesce(t.n, 0) AS tickets
FROM days d
LEFT JOIN cases_per_day c USING (day)
LEFT JOIN tickets_per_day t USING (day)
ORDER BY d.day
