-- The live session behind a cookie id: not past its absolute end, a user's not idle too long
-- and its account enabled (role, communities and grids read live), a token's token not revoked.
SELECT s.kind,
       s.username,
       CASE WHEN s.kind = 'user' THEN u.role ELSE s.role END AS role,
       coalesce(u.communities, '{}') AS communities,
       coalesce(u.grids, '{}') AS grids,
       s.seen_at < now() - interval '10 seconds' AS stale
FROM web_sessions s
LEFT JOIN users u ON s.kind = 'user' AND u.username = s.username
LEFT JOIN access_tokens t ON s.kind = 'token' AND t.id = s.token_id
WHERE s.id_hash = %(id_hash)s
  AND s.expires_at > now()
  AND CASE s.kind
        WHEN 'user' THEN u.id IS NOT NULL AND NOT u.disabled
                         AND s.seen_at >= now() - %(idle)s::interval
        WHEN 'token' THEN t.id IS NOT NULL AND t.revoked_at IS NULL
                          AND (t.expires_at IS NULL OR t.expires_at > now())
        ELSE true
      END
