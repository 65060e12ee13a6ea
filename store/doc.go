// Package store keeps the history of scans in a SQLite database
// (modernc.org/sqlite, no cgo), so that a later run can say what changed.
//
// Each scan is saved in one transaction: its summary row, one row per cookie
// per consent state with its classification, the declaration and its declared
// cookies, the findings, and the full JSON of the scan so that a stored scan
// renders exactly as it did when it was made. The database runs in WAL mode:
// a process killed in the middle of Save leaves the database as it was before
// that scan, and a reader in another process sees either the whole scan or
// none of it.
//
// The schema is versioned with PRAGMA user_version and upgraded by the
// embedded migrations/NNNN_*.sql files, in order, each in its own transaction.
package store
