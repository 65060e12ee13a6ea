-- Version 4: each stored cookie keeps the classifier's probability and the
-- reason for its label, as the scan's JSON always has. SQLite histories are
-- backfilled from that JSON (the inventory entry of the same name, domain
-- and path); a PostgreSQL history is created by a cookiescan that knows
-- this version, so it has nothing to backfill.
ALTER TABLE cookies ADD COLUMN probability {{.Real}} NOT NULL DEFAULT 0;
ALTER TABLE cookies ADD COLUMN reason TEXT NOT NULL DEFAULT '';
{{if .SQLite}}
UPDATE cookies SET
    probability = coalesce((SELECT json_extract(i.value, '$.label.probability')
        FROM scans s, json_each(s.scan_json, '$.inventory') i
        WHERE s.id = cookies.scan_id AND json_extract(i.value, '$.name') = cookies.name
          AND json_extract(i.value, '$.domain') = cookies.domain AND json_extract(i.value, '$.path') = cookies.path
        LIMIT 1), 0),
    reason = coalesce((SELECT json_extract(i.value, '$.label.reason')
        FROM scans s, json_each(s.scan_json, '$.inventory') i
        WHERE s.id = cookies.scan_id AND json_extract(i.value, '$.name') = cookies.name
          AND json_extract(i.value, '$.domain') = cookies.domain AND json_extract(i.value, '$.path') = cookies.path
        LIMIT 1), '');
{{end}}
