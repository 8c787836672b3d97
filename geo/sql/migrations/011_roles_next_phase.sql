-- Roles of the next phase: grid workers (网格员, users scoped to their grids) and department
-- tokens (other systems pushing tickets and reading OGC collections), and the audit actions
-- the ticket loop, the phone app and the OGC API write.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'commander', 'official', 'community', 'wall', 'gridworker'));
ALTER TABLE users ADD COLUMN grids text[] NOT NULL DEFAULT '{}';
ALTER TABLE users ADD CONSTRAINT users_gridworker_has_grids
    CHECK (role <> 'gridworker' OR cardinality(grids) > 0);

ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_role_check;
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_role_check
    CHECK (role IN ('wall', 'department'));
-- The OGC collections a department token may read (empty: none); ignored for wall tokens.
ALTER TABLE access_tokens ADD COLUMN collections text[] NOT NULL DEFAULT '{}';

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
    CHECK (action IN ('login', 'login_failed', 'logout', 'drilldown', 'unmask', 'export',
                      'import', 'publish', 'user_admin', 'token_admin',
                      'ticket_intake', 'ticket_action', 'ticket_view', 'ogc_read',
                      'report', 'visit', 'reveal', 'photo'));
