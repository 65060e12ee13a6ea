-- Version 1: scans, cookies per consent state, findings.
-- A template: {{.AutoID}} and {{.Real}} are the dialect's types (store/dialect.go).
-- Times are UTC text in a fixed-width format so that they sort as text.
CREATE TABLE scans (
    id            {{.AutoID}},
    site          TEXT    NOT NULL,
    site_key      TEXT    NOT NULL,
    started_at    TEXT    NOT NULL,
    finished_at   TEXT    NOT NULL,
    tool_version  TEXT    NOT NULL,
    options_json  TEXT    NOT NULL,
    pages         INTEGER NOT NULL,
    cookie_count  INTEGER NOT NULL,
    scan_json     TEXT    NOT NULL
);
CREATE INDEX scans_site ON scans (site_key, started_at);

CREATE TABLE cookies (
    scan_id         INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    state           TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    domain          TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    party           TEXT    NOT NULL,
    vendor          TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    confidence      TEXT    NOT NULL,
    lifespan_days   {{.Real}}    NOT NULL,
    session         INTEGER NOT NULL,
    secure          INTEGER NOT NULL,
    http_only       INTEGER NOT NULL,
    same_site       TEXT    NOT NULL,
    first_seen_page TEXT    NOT NULL,
    set_by          TEXT    NOT NULL
);
CREATE INDEX cookies_scan ON cookies (scan_id);

CREATE TABLE findings (
    scan_id       INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    rule_id       TEXT    NOT NULL,
    severity      INTEGER NOT NULL,
    state         TEXT    NOT NULL,
    cookie_name   TEXT    NOT NULL,
    cookie_domain TEXT    NOT NULL,
    vendor        TEXT    NOT NULL,
    page_url      TEXT    NOT NULL,
    message       TEXT    NOT NULL,
    fingerprint   TEXT    NOT NULL,
    baselined     INTEGER NOT NULL
);
CREATE INDEX findings_scan ON findings (scan_id);
