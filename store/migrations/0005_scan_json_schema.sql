-- Version 5: each scan's JSON schema version (result.SchemaVersion) as a
-- column, taken from the stored JSON. JSON version 2 keeps one cookie list
-- (the inventory, each cookie with what every consent state saw); after this
-- SQL, the same step rewrites every scan stored in an older JSON form into
-- the current one in Go (upgradeScanJSON in store/migrate.go), because the
-- rewrite merges per-state cookie lists, which result.Decode already knows.
-- Both dialects: a PostgreSQL history may hold version 1 scans too.
ALTER TABLE scans ADD COLUMN json_schema INTEGER NOT NULL DEFAULT 1;
{{if .SQLite}}
UPDATE scans SET json_schema = coalesce(json_extract(scan_json, '$.schema_version'), 1);
{{else}}
UPDATE scans SET json_schema = coalesce((scan_json::jsonb ->> 'schema_version')::integer, 1);
{{end}}
