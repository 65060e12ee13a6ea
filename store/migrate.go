package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/cookiescan/cookiescan/result"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema step: running SQL takes a database at Version-1 to Version.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// migrations reads the embedded files, which are named NNNN_what.sql and
// must number 1, 2, 3… without gaps, so that a missing file is caught here
// rather than by a database stuck half-way.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", e.Name())
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its version number: %w", e.Name(), err)
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d; versions must run 1, 2, 3… without gaps", m.Name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the schema version this program writes.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// Version returns the schema version of the open database (SQLite's
// user_version, PostgreSQL's schema_version table).
func (s *Store) Version(ctx context.Context) (int, error) {
	return s.d.version(ctx, s.db)
}

// migrate brings the schema up to date. Each step and its new user_version
// commit together, so a crash between steps leaves a database at a known
// version, and the version is re-read under the write lock so that two
// processes opening an old database at once do not both run a step.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	latest := ms[len(ms)-1].Version
	cur, err := s.Version(ctx)
	if err != nil {
		return err
	}
	if cur > latest {
		return newerSchema(cur, latest)
	}
	for _, m := range ms {
		if m.Version <= cur {
			continue
		}
		if err := s.step(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) step(ctx context.Context, m migration) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", m.Name, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = s.d.lockMigrations(ctx, tx); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	cur, err := s.d.version(ctx, tx)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if cur >= m.Version {
		// Another process ran this step while we waited for the lock.
		return tx.Rollback()
	}
	text, err := s.d.render(m.Name, m.SQL)
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, text); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if m.Version == scanJSONVersion {
		if err = s.upgradeScanJSON(ctx, tx); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	if err = s.d.setVersion(ctx, tx, m.Version); err != nil {
		return fmt.Errorf("migration %s: set schema version: %w", m.Name, err)
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.Name, err)
	}
	return nil
}

// ErrNewerSchema is wrapped by the error for a database written by a newer
// cookiescan, which this one must not guess at.
var ErrNewerSchema = errors.New("history database written by a newer cookiescan")

func newerSchema(cur, latest int) error {
	return fmt.Errorf("%w: schema version %d, this cookiescan knows up to %d; use a newer cookiescan or another database file", ErrNewerSchema, cur, latest)
}

// scanJSONVersion is the migration that added scans.json_schema; it, and
// any later one that ends by calling upgradeScanJSON, rewrites stored scans
// into the current JSON form.
const scanJSONVersion = 5

// upgradeScanJSON rewrites every scan stored in an older JSON form than
// result.SchemaVersion into the current form, in the migration's
// transaction, a batch at a time so that a long history is not held in
// memory. A scan whose JSON cannot be read is left as it was (Load will say
// why) rather than keep the whole history from opening.
func (s *Store) upgradeScanJSON(ctx context.Context, tx *sql.Tx) error {
	const batch = 50
	type row struct {
		id  int64
		doc string
	}
	for last := int64(0); ; {
		rows, err := tx.QueryContext(ctx, s.d.bind(`SELECT id, scan_json FROM scans
			WHERE json_schema < ? AND id > ? ORDER BY id LIMIT ?`), result.SchemaVersion, last, batch)
		if err != nil {
			return fmt.Errorf("read old scans: %w", err)
		}
		var old []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.doc); err != nil {
				rows.Close()
				return fmt.Errorf("read old scans: %w", err)
			}
			old = append(old, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read old scans: %w", err)
		}
		if len(old) == 0 {
			return nil
		}
		for _, r := range old {
			last = r.id
			sc, err := result.Decode([]byte(r.doc))
			if err != nil {
				continue
			}
			doc, err := json.Marshal(sc)
			if err != nil {
				return fmt.Errorf("scan %d: encode: %w", r.id, err)
			}
			if _, err := tx.ExecContext(ctx, s.d.bind(`UPDATE scans SET scan_json = ?, json_schema = ? WHERE id = ?`),
				string(doc), sc.SchemaVersion, r.id); err != nil {
				return fmt.Errorf("scan %d: rewrite: %w", r.id, err)
			}
		}
	}
}
