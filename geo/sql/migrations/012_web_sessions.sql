-- Server-side sessions: the browser's cookie holds only a random id; this table holds what it
-- stands for. Ending a row (logout, password change, disabling) ends the session at once.

CREATE TABLE web_sessions (
    id_hash     text PRIMARY KEY,          -- sha256 hex of the cookie's id; the id is not kept
    kind        text NOT NULL CHECK (kind IN ('user', 'token', 'render')),
    username    text NOT NULL,             -- user name, token:<id> or render:<user>
    role        text NOT NULL,             -- for tokens and renders; users' role is read live
    token_id    integer REFERENCES access_tokens (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    seen_at     timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,      -- the absolute end, however busy the session is
    remote_addr text NOT NULL DEFAULT '',
    CHECK (kind <> 'token' OR token_id IS NOT NULL)
);
CREATE INDEX web_sessions_username ON web_sessions (username);
CREATE INDEX web_sessions_expires_at ON web_sessions (expires_at);
