package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/result"
)

// TestOldJSONScansMigrated: a history at schema 3, as the cookiescan before
// the one cookie list left it (SQLite or PostgreSQL), holding a scan in JSON
// version 1, is migrated: the scan is rewritten into the current JSON form,
// loads with each cookie's states and per-state details, and sits beside a
// new scan.
func TestOldJSONScansMigrated(t *testing.T) {
	v1, err := os.ReadFile(filepath.Join("..", "result", "testdata", "scan_v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := result.Decode(v1)
	if err != nil {
		t.Fatal(err)
	}
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		raw := rawDB(t, db)
		d := sqliteDialect
		if IsURL(db) {
			d = postgresDialect
		}
		old := &Store{db: raw, d: d, path: db}
		ms, err := migrations()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Version > 3 {
				break
			}
			if err := old.step(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		// The row exactly as the previous cookiescan wrote it.
		if _, err := raw.ExecContext(ctx, d.bind(`INSERT INTO scans
			(site, site_key, started_at, finished_at, tool_version, options_json, pages, cookie_count, scan_json, browser)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			want.Site, SiteKey(want.Site), formatTime(want.StartedAt), formatTime(want.FinishedAt), want.ToolVersion,
			"{}", len(want.Observation.Pages), len(want.Inventory), string(v1), want.Observation.Browser); err != nil {
			t.Fatal(err)
		}
		raw.Close()

		// Read-only, unmigrated: the old scan reads as the current form.
		ro, err := OpenReadOnly(ctx, db)
		if err != nil {
			t.Fatalf("read-only open at schema 3: %v", err)
		}
		got, err := ro.Load(ctx, 1)
		ro.Close()
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("old scan read without migration (-decoded v1 +loaded):\n%s", d)
		}

		s, _ := openAt(t, db)
		var doc string
		var js int
		if err := s.db.QueryRowContext(ctx, `SELECT scan_json, json_schema FROM scans WHERE id = 1`).Scan(&doc, &js); err != nil {
			t.Fatal(err)
		}
		if js != result.SchemaVersion || !strings.Contains(doc, `"seen":`) || strings.Contains(doc, `"cookies":[{"name":"_ga"`) {
			t.Errorf("stored scan not rewritten: json_schema %d, JSON %.300s…", js, doc)
		}
		got, err = s.Load(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("migrated scan (-decoded v1 +loaded):\n%s", d)
		}
		ga := got.Inventory[0]
		if ga.Name != "_ga" || !ga.SeenIn(cookie.Before) || !ga.SeenIn(cookie.Accept) || ga.SeenIn(cookie.Reject) {
			t.Errorf("_ga after migration: %+v", ga)
		}
		// A new scan goes next to it, and both load for a diff.
		if _, err := s.Save(ctx, testScan(want.Site, 4, t0)); err != nil {
			t.Fatal(err)
		}
		both, err := s.Latest(ctx, want.Site, 2)
		if err != nil || len(both) != 2 {
			t.Fatalf("Latest = %d scans, %v", len(both), err)
		}
		if v, _ := s.Version(ctx); v != SchemaVersion() {
			t.Errorf("version %d, want %d", v, SchemaVersion())
		}
	})
}
