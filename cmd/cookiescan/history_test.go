package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/store"
)

// historyDB stores three scans of one site: the second adds a cookie and a
// finding, the third changes nothing.
func historyDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	ga := cookie.Observed{Name: "_ga", Domain: ".example.com", Path: "/", LifespanDays: 400,
		Label: cookie.Label{Vendor: "Google", Category: cookie.Statistics}}.WithStates(cookie.Accept)
	fbp := cookie.Observed{Name: "_fbp", Domain: ".example.com", Path: "/", LifespanDays: 90,
		Label: cookie.Label{Vendor: "Meta", Category: cookie.Marketing}}.WithStates(cookie.Before)
	pre := audit.Finding{RuleID: "pre-consent", Severity: audit.High, State: cookie.Before, Message: "_fbp before consent",
		Cookie: &audit.CookieRef{Name: "_fbp", Domain: ".example.com"}, Fingerprint: "fp-fbp"}
	scans := []*result.Scan{
		{Site: "https://example.com/", StartedAt: t0, Inventory: []cookie.Observed{ga}, Observation: cookie.Observation{Pages: []string{"a", "b"}}},
		{Site: "https://example.com/", StartedAt: t0.Add(24 * time.Hour), Inventory: []cookie.Observed{ga, fbp}, Findings: []audit.Finding{pre}},
		{Site: "https://example.com/", StartedAt: t0.Add(48 * time.Hour), Inventory: []cookie.Observed{ga, fbp}, Findings: []audit.Finding{pre}},
	}
	for _, sc := range scans {
		if _, err := s.Save(context.Background(), sc); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestHistoryShowDiffCommands(t *testing.T) {
	db := historyDB(t)
	for _, c := range []struct {
		name     string
		args     []string
		wantExit int
		wantOut  []string
		wantErr  []string
	}{
		{"history lists scans", []string{"history", "example.com", "--db", db}, 0,
			[]string{"2026-05-04 10:00", "2026-05-05 10:00", "2026-05-06 10:00"}, nil},
		{"history of an unknown site names the known ones", []string{"history", "other.example", "--db", db}, 2,
			nil, []string{"no stored scans of other.example", "sites with scans: https://example.com/"}},
		{"missing database is not created", []string{"history", "example.com", "--db", filepath.Join(t.TempDir(), "none.db")}, 2,
			nil, []string{"no history database at"}},
		{"show renders json", []string{"show", "2", "--format", "json", "--db", db}, 0, []string{`"_fbp"`}, nil},
		{"show of a missing scan", []string{"show", "99", "--db", db}, 2, nil, []string{"scan 99: no such scan"}},
		{"show with a bad id", []string{"show", "two", "--db", db}, 2, nil, []string{`scan id "two": want a positive number`}},
		{"show with a bad format", []string{"show", "1", "--format", "docx", "--db", db}, 2, nil, []string{"--format", "docx"}},
		{"diff of the last two is empty", []string{"diff", "--site", "https://example.com", "--db", db}, 0,
			[]string{"scan 2 (2026-05-05 10:00 UTC) → scan 3 (2026-05-06 10:00 UTC)", "No changes."}, nil},
		{"diff of two ids", []string{"diff", "1", "2", "--db", db}, 0,
			[]string{"_fbp", "appeared", "pre-consent", "new"}, nil},
		{"diff of one id against the newest", []string{"diff", "1", "--db", db}, 0,
			[]string{"scan 1 (2026-05-04 10:00 UTC) → scan 3 (2026-05-06 10:00 UTC)"}, nil},
		{"diff of the newest alone", []string{"diff", "3", "--db", db}, 2, nil, []string{"scan 3 is the newest scan"}},
		{"diff without scans or site", []string{"diff", "--db", db}, 2, nil, []string{"name the scans to compare"}},
		{"diff with a bad format", []string{"diff", "1", "2", "--format", "pdf", "--db", db}, 2, nil, []string{"want one of table, json, html"}},
		{"schedule needs a mode", []string{"schedule", "x.yaml"}, 2, nil, []string{"choose --once"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.args...)
			if code != c.wantExit {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.wantExit, out, errOut)
			}
			for _, w := range c.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.wantErr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestDiffJSONAndHTML(t *testing.T) {
	db := historyDB(t)
	code, out, errOut := runCLI(t, "diff", "1", "2", "--format", "json", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		A, B        struct{ ID int64 }
		NewFindings []audit.Finding `json:"new_findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.A.ID != 1 || doc.B.ID != 2 || len(doc.NewFindings) != 1 || doc.NewFindings[0].Fingerprint != "fp-fbp" {
		t.Errorf("json diff = %+v", doc)
	}
	code, out, _ = runCLI(t, "diff", "1", "2", "--format", "html", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "_fbp") {
		t.Errorf("html diff: exit %d, %.200s", code, out)
	}
}

func TestScheduleBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(path, []byte("sites:\n  - url: https://a.example/\n    cron: '99 * * * *'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "schedule", path, "--once", "--db", filepath.Join(t.TempDir(), "h.db"))
	if code != 2 || !strings.Contains(errOut, "sites.yaml:3: site 1 (https://a.example/): bad cron expression \"99 * * * *\"") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

// TestHistoryListsSitesAndJSON: history without a site lists the sites;
// --format json gives the same facts to a program.
func TestHistoryListsSitesAndJSON(t *testing.T) {
	db := historyDB(t)
	code, out, errOut := runCLI(t, "history", "--db", db)
	if code != 0 || !strings.Contains(out, "https://example.com/") || !strings.Contains(out, "2026-05-06 10:00") {
		t.Fatalf("history: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "history", "--db", db, "--format", "json")
	var sites []siteSummary
	if code != 0 || json.Unmarshal([]byte(out), &sites) != nil || len(sites) != 1 || sites[0].Scans != 3 || sites[0].LastID != 3 {
		t.Fatalf("history --format json: exit %d, %+v\n%s%s", code, sites, out, errOut)
	}
	code, out, errOut = runCLI(t, "history", "example.com", "--db", db, "--format", "json")
	var scans []store.Summary
	if code != 0 || json.Unmarshal([]byte(out), &scans) != nil || len(scans) != 3 || scans[1].Findings[audit.High] != 1 {
		t.Fatalf("history SITE --format json: exit %d, %+v\n%s%s", code, scans, out, errOut)
	}
	if code, _, errOut = runCLI(t, "history", "--db", db, "--format", "yaml"); code != 2 || !strings.Contains(errOut, "Usage:") {
		t.Errorf("--format yaml: exit %d, %s", code, errOut)
	}
}

// TestHistoryReadOnly reads a history in a read-only folder (file 0444,
// folder 0555) with history, show and diff, and checks that the database
// was not written (no migration, no journal-mode switch). Run as root, the
// permissions do not bite and SQLite may still add its -shm and -wal files
// beside a WAL database; as a user, the read falls back to an immutable
// open instead.
func TestHistoryReadOnly(t *testing.T) {
	db := historyDB(t)
	dir := filepath.Dir(db)
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	before, _ := os.ReadFile(db)
	for _, args := range [][]string{
		{"history", "example.com", "--db", db},
		{"show", "2", "--format", "json", "--db", db},
		{"diff", "1", "2", "--db", db},
	} {
		if code, _, errOut := runCLI(t, args...); code != 0 {
			t.Errorf("%s on a read-only history: exit %d\n%s", args[0], code, errOut)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
		t.Error("read-only commands changed the database file")
	}
}

// TestOldHistoryShowAndDiff: a history written by an older cookiescan (store
// schema 1, scan JSON version 1: the frozen fixture of the store's tests) is
// migrated, and `show` and `diff` read the old scan beside a new one.
func TestOldHistoryShowAndDiff(t *testing.T) {
	ctx := context.Background()
	fixture, err := os.ReadFile(filepath.Join("..", "..", "store", "testdata", "schema_v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(string(fixture)); err != nil {
		t.Fatalf("build the old history: %v", err)
	}
	raw.Close()
	// show upgrades a writable old history, as a scan saving to it would.
	if code, out, errOut := runCLI(t, "show", "1", "--db", path); code != 0 || !strings.Contains(out, "_ga") {
		t.Errorf("show of the old history: exit %d\n%s%s", code, out, errOut)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ga := cookie.Observed{Name: "_ga", Domain: ".old.example", Path: "/", LifespanDays: 730,
		Label: cookie.Label{Vendor: "Google Analytics", Category: cookie.Statistics}}.WithStates(cookie.Accept)
	newer := &result.Scan{Site: "https://old.example/", StartedAt: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC), Inventory: []cookie.Observed{ga}}
	if _, err := s.Save(ctx, newer); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errOut := runCLI(t, "show", "1", "--format", "json", "--db", path)
	if code != 0 {
		t.Fatalf("show 1: exit %d: %s", code, errOut)
	}
	var shown result.Scan
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.SchemaVersion != result.SchemaVersion || len(shown.Inventory) != 1 ||
		!slices.Equal(shown.Inventory[0].States(), []cookie.State{cookie.Before, cookie.Accept}) {
		t.Errorf("old scan shown as schema %d, inventory %+v; want the current schema with _ga seen before and after accept",
			shown.SchemaVersion, shown.Inventory)
	}
	code, out, errOut = runCLI(t, "diff", "1", "2", "--db", path)
	if code != 0 {
		t.Fatalf("diff 1 2: exit %d: %s", code, errOut)
	}
	// _ga left the before state, and lives 730 days instead of 400.
	for _, w := range []string{"before │ vanished │ _ga", "400 days │ 730 days"} {
		if !strings.Contains(out, w) {
			t.Errorf("diff lacks %q:\n%s", w, out)
		}
	}
}
