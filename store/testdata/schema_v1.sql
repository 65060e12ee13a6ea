-- A history database as cookiescan wrote it at schema version 1, frozen here
-- so that the test migrates a real old database and not one built by the
-- current code. Do not edit it to follow schema changes.
CREATE TABLE scans (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
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
    lifespan_days   REAL    NOT NULL,
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

INSERT INTO scans VALUES (1, 'https://old.example/', 'old.example',
  '2025-03-01T09:00:00.000000000Z', '2025-03-01T09:02:00.000000000Z', '0.1.0',
  '{"max_pages":10,"depth":2,"states":["before","accept","reject"],"block_third_party_cookies":false,"ignore_robots":false,"timeout_seconds":30}',
  3, 1,
  '{"schema_version":1,"tool_version":"0.1.0","site":"https://old.example/","started_at":"2025-03-01T09:00:00Z","finished_at":"2025-03-01T09:02:00Z","options":{"max_pages":10,"depth":2,"states":["before","accept","reject"],"block_third_party_cookies":false,"ignore_robots":false,"timeout_seconds":30},"observation":{"site":"https://old.example/","site_domain":"old.example","browser":"Chromium 120.0.6099.0","pages":["https://old.example/","https://old.example/a","https://old.example/b"],"states":null,"third_party_cookies_blocked":false},"inventory":[{"name":"_ga","domain":".old.example","path":"/","host_only":false,"value_length":26,"session":false,"lifespan_days":400,"secure":false,"http_only":false,"partitioned":false,"party":"first","registrable_domain":"old.example","first_seen_page":"https://old.example/","set_by":{"kind":"script","url":"https://www.googletagmanager.com/gtag/js"},"states":["before","accept"],"label":{"vendor":"Google Analytics","category":"statistics","confidence":"high"}}],"declaration":{"url":"https://old.example/cookies","text_hash":"aaaa1111","cookies":[{"name":"_ga","vendor":"Google","category":"statistics","lifespan":{"text":"2 years","kind":"bounded","days":730}},{"name":"_gid","category":"statistics","lifespan":{"text":"session","kind":"session"}}],"vendors":[],"categories":["statistics"]},"findings":[{"rule_id":"pre-consent","severity":"high","site":"https://old.example/","state":"before","cookie":{"name":"_ga","domain":".old.example"},"message":"_ga set before consent","evidence":{},"fingerprint":"0123456789abcdef"}]}');
INSERT INTO cookies VALUES (1, 'before', '_ga', '.old.example', '/', 'first', 'Google Analytics', 'statistics', 'high', 400, 0, 0, 0, '', 'https://old.example/', 'https://www.googletagmanager.com/gtag/js');
INSERT INTO cookies VALUES (1, 'accept', '_ga', '.old.example', '/', 'first', 'Google Analytics', 'statistics', 'high', 400, 0, 0, 0, '', 'https://old.example/', 'https://www.googletagmanager.com/gtag/js');
INSERT INTO findings VALUES (1, 'pre-consent', 3, 'before', '_ga', '.old.example', '', '', '_ga set before consent', '0123456789abcdef', 0);
PRAGMA user_version = 1;
