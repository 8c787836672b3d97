-- Count one failed sign-in under `key`; the count restarts once its window has passed:
-- `window` after the first failure of the count (fixed), or after the last one (sliding).
INSERT INTO login_throttle AS t (key, failures, first_at, last_at)
VALUES (%(key)s, 1, now(), now())
ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN (CASE WHEN %(sliding)s THEN t.last_at ELSE t.first_at END)
                         < now() - %(window)s::interval
                    THEN 1 ELSE t.failures + 1 END,
    first_at = CASE WHEN (CASE WHEN %(sliding)s THEN t.last_at ELSE t.first_at END)
                         < now() - %(window)s::interval
                    THEN now() ELSE t.first_at END,
    last_at = now()
RETURNING failures
