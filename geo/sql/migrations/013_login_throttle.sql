-- Failed sign-ins per client address and per (address, user name), shared by every server
-- process over the same database. Nothing here locks an account: a stranger's failures slow
-- down only the stranger's own address.

CREATE TABLE login_throttle (
    key            text PRIMARY KEY,       -- 'addr <ip>' or 'name <ip> <lower(user name)>'
    failures       integer NOT NULL,
    first_at       timestamptz NOT NULL,   -- start of the current counting window
    last_at        timestamptz NOT NULL,
    blocked_until  timestamptz
);
CREATE INDEX login_throttle_last_at ON login_throttle (last_at);
