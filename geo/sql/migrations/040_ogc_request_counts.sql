-- Per-principal request counts of the OGC API in one-minute windows, shared by every server
-- process (the per-token rate limit answers 429 past GRIDCMD_OGC_REQUESTS_PER_MIN). A row per
-- principal and minute; rows older than a few minutes are deleted as new windows open.
CREATE TABLE ogc_request_counts (
    principal    text        NOT NULL,
    window_start timestamptz NOT NULL,
    requests     integer     NOT NULL DEFAULT 1,
    PRIMARY KEY (principal, window_start)
);
