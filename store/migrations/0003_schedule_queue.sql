-- Version 3: the work queue that `schedule` workers share. One row per
-- scheduled site: when it is next due ('' = not yet decided: the worker that
-- claims it decides from the history), and which worker holds it until when
-- (its lease; '' = nobody). Times are UTC text as in scans.
CREATE TABLE schedule_sites (
    site_key         TEXT NOT NULL PRIMARY KEY,
    cron             TEXT NOT NULL,
    next_due_at      TEXT NOT NULL,
    lease_holder     TEXT NOT NULL,
    lease_expires_at TEXT NOT NULL
);
CREATE INDEX schedule_sites_due ON schedule_sites (next_due_at);
