-- Version 2: the browser version as a column, the declaration (text hash and
-- parsed content) and its declared cookies in tables of their own, and an
-- index to follow a finding across scans by its fingerprint. Scans saved by
-- version 1 are backfilled from their stored JSON, which has always held all
-- of this. The backfills are for SQLite only: a PostgreSQL history is
-- created empty by a cookiescan that knows this version, so it has none.
ALTER TABLE scans ADD COLUMN browser TEXT NOT NULL DEFAULT '';
{{if .SQLite}}
UPDATE scans SET browser = coalesce(json_extract(scan_json, '$.observation.browser'), '');
{{end}}

CREATE TABLE declarations (
    scan_id          INTEGER PRIMARY KEY REFERENCES scans (id) ON DELETE CASCADE,
    url              TEXT NOT NULL,
    text_hash        TEXT NOT NULL,
    language         TEXT NOT NULL,
    platform         TEXT NOT NULL,
    declaration_json TEXT NOT NULL
);
{{if .SQLite}}
INSERT INTO declarations (scan_id, url, text_hash, language, platform, declaration_json)
SELECT id,
       coalesce(json_extract(scan_json, '$.declaration.url'), ''),
       coalesce(json_extract(scan_json, '$.declaration.text_hash'), ''),
       coalesce(json_extract(scan_json, '$.declaration.language'), ''),
       coalesce(json_extract(scan_json, '$.declaration.platform'), ''),
       json_extract(scan_json, '$.declaration')
FROM scans
WHERE json_type(scan_json, '$.declaration') = 'object';
{{end}}

CREATE TABLE declared_cookies (
    scan_id       INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    pattern       INTEGER NOT NULL,
    vendor        TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    lifespan_kind TEXT    NOT NULL,
    lifespan_days {{.Real}} NOT NULL
);
CREATE INDEX declared_cookies_scan ON declared_cookies (scan_id);
{{if .SQLite}}
INSERT INTO declared_cookies (scan_id, name, pattern, vendor, category, lifespan_kind, lifespan_days)
SELECT s.id,
       coalesce(json_extract(c.value, '$.name'), ''),
       coalesce(json_extract(c.value, '$.pattern'), 0),
       coalesce(json_extract(c.value, '$.vendor'), ''),
       coalesce(json_extract(c.value, '$.category'), ''),
       coalesce(json_extract(c.value, '$.lifespan.kind'), ''),
       coalesce(json_extract(c.value, '$.lifespan.days'), 0)
FROM scans s, json_each(s.scan_json, '$.declaration.cookies') c
WHERE json_type(s.scan_json, '$.declaration.cookies') = 'array';
{{end}}

CREATE INDEX findings_fingerprint ON findings (fingerprint);
