-- Users, read-only access tokens (the wall display) and the audit trail (PIPL access logs).

CREATE TABLE users (
    id              serial PRIMARY KEY,
    username        text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{2,64}$'),
    display_name    text,
    password_hash   text NOT NULL,
    role            text NOT NULL
                    CHECK (role IN ('admin', 'commander', 'official', 'community', 'wall')),
    communities     text[] NOT NULL DEFAULT '{}',
    disabled        boolean NOT NULL DEFAULT false,
    failed_logins   integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (role <> 'community' OR cardinality(communities) > 0)
);

CREATE TABLE access_tokens (
    id          serial PRIMARY KEY,
    token_hash  text NOT NULL UNIQUE,          -- sha256 hex of the token; the token is shown once
    role        text NOT NULL CHECK (role IN ('wall')),
    label       text NOT NULL DEFAULT '',
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    revoked_at  timestamptz
);

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    username    text NOT NULL,
    role        text NOT NULL,
    action      text NOT NULL
                CHECK (action IN ('login', 'login_failed', 'logout', 'drilldown', 'unmask',
                                  'export', 'import', 'publish', 'user_admin', 'token_admin')),
    target      text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}',
    remote_addr text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user_at ON audit_log (username, at);

-- Audit rows are append-only for every role the app connects as, superuser included: the
-- triggers refuse UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
