package store

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/pgtest"
	"github.com/cookiescan/cookiescan/result"
)

// TestMain stops the PostgreSQL cluster the tests may have started.
func TestMain(m *testing.M) { pgtest.Main(m) }

// dialects are the databases every store test runs against: each gives a
// fresh, empty database (a SQLite file, a PostgreSQL schema) for one test.
var dialects = []struct {
	name string
	new  func(t testing.TB) string
}{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "sub", "history.db") }},
	{"postgres", pgtest.Database},
}

// eachDialect runs f as a subtest per dialect with a fresh database.
func eachDialect(t *testing.T, f func(t *testing.T, db string)) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) { f(t, d.new(t)) })
	}
}

// testScan builds a scan of site with n cookies, each seen in one or two
// states, a declaration and two findings. Times are UTC and whole so that a
// JSON round trip gives back equal values.
func testScan(site string, n int, start time.Time) *result.Scan {
	sc := &result.Scan{
		SchemaVersion: result.SchemaVersion,
		ToolVersion:   "1.2.3",
		Site:          site,
		StartedAt:     start,
		FinishedAt:    start.Add(90 * time.Second),
		Options:       result.Options{MaxPages: 20, Depth: 2, States: []string{"before", "accept", "reject"}, TimeoutSeconds: 30},
		Observation: cookie.Observation{
			Site: site, SiteDomain: "example.com", Browser: "Chromium 140.0.1",
			Pages: []string{site, site + "about", site + "contact"},
		},
		Declaration: &cookie.Declaration{
			URL: site + "cookies", TextHash: "hash-" + strconv.Itoa(n),
			Cookies: []cookie.Declared{
				{Name: "session", Category: cookie.Necessary, Lifespan: cookie.Lifespan{Text: "session", Kind: cookie.LifespanSession}},
				{Name: "_ga", Vendor: "Google", Category: cookie.Statistics, Lifespan: cookie.Lifespan{Text: "2 years", Kind: cookie.LifespanBounded, Days: 730}},
			},
			Vendors:    []cookie.DeclaredVendor{{Name: "Google", Category: cookie.Statistics}},
			Categories: []cookie.Category{cookie.Necessary, cookie.Statistics},
		},
	}
	for i := 0; i < n; i++ {
		states := []cookie.State{cookie.Accept}
		if i%3 == 0 {
			states = []cookie.State{cookie.Before, cookie.Accept}
		}
		sc.Inventory = append(sc.Inventory, cookie.Observed{
			Name: fmt.Sprintf("c%04d", i), Domain: ".example.com", Path: "/",
			ValueLength: 20, LifespanDays: float64(i % 400), Party: cookie.FirstParty,
			RegistrableDomain: "example.com", FirstSeenPage: site,
			SetBy: cookie.Setter{Kind: cookie.SetByHeader, URL: site},
			Label: cookie.Label{Vendor: "Vendor " + strconv.Itoa(i%7), Category: cookie.Marketing, Confidence: cookie.High,
				Probability: 0.5 + float64(i%5)/10, Reason: "reason " + strconv.Itoa(i)},
		}.WithStates(states...))
	}
	sc.Findings = []audit.Finding{
		{RuleID: "pre-consent", Severity: audit.High, Site: site, State: cookie.Before,
			Cookie: &audit.CookieRef{Name: "c0000", Domain: ".example.com"}, Message: "set before consent",
			Fingerprint: audit.Fingerprint("pre-consent", "example.com", "c0000", ".example.com", "", cookie.Before)},
		{RuleID: "unknown-cookie", Severity: audit.Low, Site: site, State: cookie.Accept,
			Cookie: &audit.CookieRef{Name: "c0001", Domain: ".example.com"}, Message: "nobody knows it",
			Fingerprint: audit.Fingerprint("unknown-cookie", "example.com", "c0001", ".example.com", "", cookie.Accept)},
	}
	sc.Baselined = []audit.Finding{
		{RuleID: "undeclared-cookie", Severity: audit.Medium, Site: site, Message: "accepted",
			Fingerprint: audit.Fingerprint("undeclared-cookie", "example.com", "c0002", ".example.com", "", "")},
	}
	return sc
}

// cookieRows is the number of cookie rows testScan(…, n, …) writes.
func cookieRows(n int) int {
	rows := 0
	for i := 0; i < n; i++ {
		if i%3 == 0 {
			rows += 2
		} else {
			rows++
		}
	}
	return rows
}

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "sub", "history.db"))
}

// openAt opens the database db (a file or a URL) for one test.
func openAt(t testing.TB, db string) (*Store, string) {
	t.Helper()
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, db
}

func TestOpenEmptyMigratesToLatest(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		s, _ := openAt(t, db)
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != SchemaVersion() || v < 2 {
			t.Fatalf("version = %d, want %d (at least 2)", v, SchemaVersion())
		}
		for _, table := range []string{"scans", "cookies", "findings", "declarations", "declared_cookies", "schedule_sites"} {
			var n int
			if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil || n != 0 {
				t.Errorf("table %s: count %d, err %v", table, n, err)
			}
		}
		// Opening again is a no-op for the schema.
		s2, err := Open(ctx, db)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer s2.Close()
		if v2, _ := s2.Version(ctx); v2 != v {
			t.Errorf("version after reopen = %d, want %d", v2, v)
		}
	})
}

// TestMigrationsOnceUnderConcurrentOpens opens one empty database from
// several handles at once, as workers starting together do: every step runs
// once (a second run of a CREATE TABLE would fail the Open).
func TestMigrationsOnceUnderConcurrentOpens(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(context.Background(), db)
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent Open: %v", err)
			}
		}
	})
}

func TestSQLiteSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	var mode string
	if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var timeout int
	if err := s.db.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&timeout); err != nil {
		t.Fatal(err)
	}
	if timeout != int(busyTimeout.Milliseconds()) {
		t.Errorf("busy_timeout = %d, want %d", timeout, busyTimeout.Milliseconds())
	}
}

// rawDB opens a database (a file or a URL) without the store, to build old
// schemas.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	driver := sqliteDialect.driver
	if IsURL(path) {
		driver = postgresDialect.driver
	} else if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(driver, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrateFromV1Fixture(t *testing.T) {
	ctx := context.Background()
	fixture, err := os.ReadFile("testdata/schema_v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	db := rawDB(t, path)
	if _, err := db.Exec(string(fixture)); err != nil {
		t.Fatalf("build v1 database: %v", err)
	}
	// A label with a probability and a reason in the stored JSON, for the
	// version 4 backfill of the cookie rows.
	if _, err := db.Exec(`UPDATE scans SET scan_json = json_set(scan_json, '$.inventory[0].label.probability', 0.92, '$.inventory[0].label.reason', 'exact name in embedded database')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open v1 database: %v", err)
	}
	defer s.Close()
	if v, _ := s.Version(ctx); v != SchemaVersion() {
		t.Fatalf("version after migration = %d, want %d", v, SchemaVersion())
	}
	sums, err := s.Scans(ctx, "old.example")
	if err != nil {
		t.Fatal(err)
	}
	want := []Summary{{
		ID: 1, Site: "https://old.example/", ToolVersion: "0.1.0", Browser: "Chromium 120.0.6099.0",
		StartedAt:  time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC),
		FinishedAt: time.Date(2025, 3, 1, 9, 2, 0, 0, time.UTC),
		Pages:      3, Cookies: 1, Findings: map[audit.Severity]int{audit.High: 1}, DeclarationHash: "aaaa1111",
	}}
	if d := cmp.Diff(want, sums); d != "" {
		t.Errorf("summaries after migration (-want +got):\n%s", d)
	}
	type declaredRow struct {
		Name, Vendor, Category, Kind string
		Pattern                      bool
		Days                         float64
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name, pattern, vendor, category, lifespan_kind, lifespan_days FROM declared_cookies WHERE scan_id = 1 ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var got []declaredRow
	for rows.Next() {
		var r declaredRow
		if err := rows.Scan(&r.Name, &r.Pattern, &r.Vendor, &r.Category, &r.Kind, &r.Days); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	rows.Close()
	wantRows := []declaredRow{
		{Name: "_ga", Vendor: "Google", Category: "statistics", Kind: "bounded", Days: 730},
		{Name: "_gid", Category: "statistics", Kind: "session"},
	}
	if d := cmp.Diff(wantRows, got); d != "" {
		t.Errorf("declared cookies backfilled by the migration (-want +got):\n%s", d)
	}
	var prob float64
	var reason string
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), min(probability), min(reason) FROM cookies WHERE scan_id = 1 AND name = '_ga'`).Scan(&n, &prob, &reason); err != nil {
		t.Fatal(err)
	}
	if n != 2 || prob != 0.92 || reason != "exact name in embedded database" {
		t.Errorf("cookie rows backfilled by migration 4: %d rows, probability %g, reason %q; want 2, 0.92 and the JSON's reason", n, prob, reason)
	}
	old, err := s.Load(ctx, 1)
	if err != nil {
		t.Fatalf("Load old scan: %v", err)
	}
	if old.Declaration == nil || old.Declaration.TextHash != "aaaa1111" || len(old.Findings) != 1 || old.Findings[0].Severity != audit.High {
		t.Errorf("old scan loaded wrong: %+v", old)
	}
	// The migrated database takes new scans next to the old one.
	id, err := s.Save(ctx, testScan("https://old.example/", 5, t0))
	if err != nil {
		t.Fatalf("Save after migration: %v", err)
	}
	if id != 2 {
		t.Errorf("new id = %d, want 2", id)
	}
}

// TestV1FixtureMatchesFirstMigration keeps the frozen fixture honest: its
// tables must be exactly what migration 0001 creates.
func TestV1FixtureMatchesFirstMigration(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile("testdata/schema_v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	schema := func(sqlText string) map[string]string {
		db := rawDB(t, filepath.Join(t.TempDir(), "x.db"))
		if _, err := db.Exec(sqlText); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var name, s string
			if err := rows.Scan(&name, &s); err != nil {
				t.Fatal(err)
			}
			out[name] = s
		}
		return out
	}
	first, err := sqliteDialect.render(ms[0].Name, ms[0].SQL)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(schema(first), schema(string(fixture))); d != "" {
		t.Errorf("testdata/schema_v1.sql differs from migrations/%s (-migration +fixture):\n%s", ms[0].Name, d)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	eachDialect(t, func(t *testing.T, path string) {
		db := rawDB(t, path)
		set := `PRAGMA user_version = 99`
		if IsURL(path) {
			set = `CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (99)`
		}
		if _, err := db.Exec(set); err != nil {
			t.Fatal(err)
		}
		db.Close()
		_, err := Open(context.Background(), path)
		if err == nil {
			t.Fatal("Open of a schema-99 database succeeded")
		}
		want := fmt.Sprintf("schema version 99, this cookiescan knows up to %d", SchemaVersion())
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	})
}

func TestSaveLoadRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		s, _ := openAt(t, db)
		in := testScan("https://www.example.com/", 10, t0)
		id, err := s.Save(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		out, err := s.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(in, out); d != "" {
			t.Errorf("loaded scan differs (-saved +loaded):\n%s", d)
		}
		// The query columns agree with the scan.
		var cookies, before, findings, baselined, declared int
		err = s.db.QueryRowContext(ctx, s.d.bind(`SELECT
		(SELECT count(*) FROM cookies WHERE scan_id = ?),
		(SELECT count(*) FROM cookies WHERE scan_id = ? AND state = 'before'),
		(SELECT count(*) FROM findings WHERE scan_id = ? AND baselined = 0),
		(SELECT count(*) FROM findings WHERE scan_id = ? AND baselined = 1),
		(SELECT count(*) FROM declared_cookies WHERE scan_id = ?)`), id, id, id, id, id).
			Scan(&cookies, &before, &findings, &baselined, &declared)
		if err != nil {
			t.Fatal(err)
		}
		if cookies != cookieRows(10) || before != 4 || findings != 2 || baselined != 1 || declared != 2 {
			t.Errorf("rows: cookies %d (want %d), before %d (want 4), findings %d (want 2), baselined %d (want 1), declared %d (want 2)",
				cookies, cookieRows(10), before, findings, baselined, declared)
		}
		var vendor, category, reason string
		var prob float64
		if err := s.db.QueryRowContext(ctx, s.d.bind(`SELECT vendor, category, probability, reason FROM cookies WHERE scan_id = ? AND name = 'c0008'`), id).Scan(&vendor, &category, &prob, &reason); err != nil {
			t.Fatal(err)
		}
		if vendor != "Vendor 1" || category != "marketing" || prob != 0.8 || reason != "reason 8" {
			t.Errorf("classification of c0008 = %q/%q/%g/%q, want Vendor 1/marketing/0.8/reason 8", vendor, category, prob, reason)
		}
	})
}

func TestScansLatestAndSummary(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		s, _ := openAt(t, db)
		// Saved out of time order: the listing orders by scan time, not by id.
		ids := map[string]int64{}
		for _, c := range []struct {
			name string
			site string
			at   time.Time
			n    int
		}{
			{"second", "https://example.com/", t0.Add(time.Hour), 4},
			{"first", "https://EXAMPLE.com", t0, 3},
			{"other", "https://other.example/", t0, 1},
			{"third", "example.com/", t0.Add(2 * time.Hour), 5},
		} {
			id, err := s.Save(ctx, testScan(c.site, c.n, c.at))
			if err != nil {
				t.Fatal(err)
			}
			ids[c.name] = id
		}
		sums, err := s.Scans(ctx, "example.com")
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, sum := range sums {
			got = append(got, sum.ID)
		}
		if d := cmp.Diff([]int64{ids["first"], ids["second"], ids["third"]}, got); d != "" {
			t.Errorf("Scans ids (-want +got):\n%s", d)
		}
		if sums[2].Cookies != 5 || sums[2].Pages != 3 || sums[2].Browser != "Chromium 140.0.1" ||
			cmp.Diff(map[audit.Severity]int{audit.High: 1, audit.Low: 1}, sums[2].Findings) != "" {
			t.Errorf("summary of third scan wrong: %+v", sums[2])
		}
		latest, err := s.Latest(ctx, "https://example.com", 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(latest) != 2 || latest[0].ID != ids["third"] || latest[1].ID != ids["second"] || len(latest[0].Scan.Inventory) != 5 {
			t.Errorf("Latest = %+v, want third then second", latest)
		}
		last, ok, err := s.LastScan(ctx, "https://example.com/")
		if err != nil || !ok || !last.Equal(t0.Add(2*time.Hour)) {
			t.Errorf("LastScan = %v, %v, %v; want %v", last, ok, err, t0.Add(2*time.Hour))
		}
		if _, ok, err := s.LastScan(ctx, "never.example"); ok || err != nil {
			t.Errorf("LastScan of an unknown site = %v, %v", ok, err)
		}
		one, err := s.Summary(ctx, ids["other"])
		if err != nil || one.Site != "https://other.example/" {
			t.Errorf("Summary(other) = %+v, %v", one, err)
		}
		sites, err := s.Sites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sites) != 2 {
			t.Errorf("Sites = %q, want two sites", sites)
		}
		if _, err := s.Latest(ctx, "example.com", 0); err == nil {
			t.Error("Latest with n=0 succeeded")
		}
	})
}

func TestLoadMissing(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		s, _ := openAt(t, db)
		_, err := s.Load(context.Background(), 42)
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("Load(42) error = %v, want ErrNotFound", err)
		}
		if _, err := s.Summary(context.Background(), 42); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Summary(42) error = %v, want ErrNotFound", err)
		}
	})
}

func TestSaveRejectsBadScan(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		s, _ := openAt(t, db)
		if _, err := s.Save(context.Background(), nil); err == nil {
			t.Error("Save(nil) succeeded")
		}
		if _, err := s.Save(context.Background(), &result.Scan{}); err == nil {
			t.Error("Save of a scan without a site succeeded")
		}
	})
}

// TestSaveCancelledLeavesNothing cancels a save half-way through its rows.
func TestSaveCancelledLeavesNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx, cancel := context.WithCancel(context.Background())
		s, _ := openAt(t, db)
		if _, err := s.Save(ctx, testScan("https://example.com/", 3, t0)); err != nil {
			t.Fatal(err)
		}
		rows := 0
		s.afterRow = func() {
			rows++
			if rows == 50 {
				cancel()
			}
		}
		if _, err := s.Save(ctx, testScan("https://example.com/", 200, t0.Add(time.Hour))); err == nil {
			t.Fatal("cancelled Save succeeded")
		}
		s.afterRow = nil
		assertOnly(t, s, 1, cookieRows(3))
	})
}

// assertOnly checks that the database holds exactly wantScans scans and
// wantCookies cookie rows, and nothing orphaned.
func assertOnly(t *testing.T, s *Store, wantScans, wantCookies int) {
	t.Helper()
	var scans, cookies, orphans int
	err := s.db.QueryRow(`SELECT (SELECT count(*) FROM scans), (SELECT count(*) FROM cookies),
		(SELECT count(*) FROM cookies WHERE scan_id NOT IN (SELECT id FROM scans)) +
		(SELECT count(*) FROM findings WHERE scan_id NOT IN (SELECT id FROM scans)) +
		(SELECT count(*) FROM declared_cookies WHERE scan_id NOT IN (SELECT id FROM scans))`).Scan(&scans, &cookies, &orphans)
	if err != nil {
		t.Fatal(err)
	}
	if scans != wantScans || cookies != wantCookies || orphans != 0 {
		t.Errorf("database holds %d scans, %d cookie rows, %d orphan rows; want %d, %d, 0", scans, cookies, orphans, wantScans, wantCookies)
	}
}

const helperEnv = "COOKIESCAN_STORE_HELPER_DB"

// TestHelperProcess is not a test: TestKillMidSave runs the test binary again
// with this test selected and helperEnv set. It saves two scans, then starts
// a large one, says so on stdout and writes slowly until it is killed.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("helper process for TestKillMidSave")
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: open:", err)
		os.Exit(3)
	}
	for i := 0; i < 2; i++ {
		if _, err := s.Save(ctx, testScan("https://example.com/", 10, t0.Add(time.Duration(i)*time.Hour))); err != nil {
			fmt.Fprintln(os.Stderr, "helper: save:", err)
			os.Exit(3)
		}
	}
	rows := 0
	s.afterRow = func() {
		rows++
		if rows == 500 {
			fmt.Println("MID-WRITE")
		}
		if rows > 500 {
			time.Sleep(time.Millisecond)
		}
	}
	_, err = s.Save(ctx, testScan("https://example.com/", 100000, t0.Add(3*time.Hour)))
	// Reaching this line means the parent did not kill us in time.
	fmt.Fprintln(os.Stderr, "helper: the slow save finished:", err)
	os.Exit(4)
}

func TestKillMidSave(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		if testing.Short() {
			t.Skip("starts a child process")
		}
		path := db
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+path)
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if sc.Text() == "MID-WRITE" {
					ready <- true
					return
				}
			}
			ready <- false
		}()
		select {
		case ok := <-ready:
			if !ok {
				cmd.Wait()
				t.Fatal("helper ended without reaching the middle of its save")
			}
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("helper never reached the middle of its save")
		}
		// Let it write some more rows into the open transaction, then kill it
		// without any chance to clean up.
		time.Sleep(200 * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) || exitErr.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("helper was not killed by SIGKILL: %v", err)
		}

		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("Open after kill: %v", err)
		}
		defer s.Close()
		if !IsURL(path) {
			var check string
			if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil {
				t.Fatal(err)
			}
			if check != "ok" {
				t.Fatalf("integrity_check = %q", check)
			}
		}
		assertOnly(t, s, 2, 2*cookieRows(10))
		sums, err := s.Scans(context.Background(), "example.com")
		if err != nil {
			t.Fatal(err)
		}
		if len(sums) != 2 || !sums[0].StartedAt.Equal(t0) || !sums[1].StartedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("scans after kill = %+v, want the two saved before", sums)
		}
		// The database still takes scans.
		if _, err := s.Save(context.Background(), testScan("https://example.com/", 10, t0.Add(5*time.Hour))); err != nil {
			t.Fatalf("Save after kill: %v", err)
		}
	})
}

// TestConcurrentReaderSeesWholeScans reads from a second handle (as a second
// process would) while scans are being written slowly: every snapshot must
// hold whole scans only.
func TestConcurrentReaderSeesWholeScans(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		w, path := openAt(t, db)
		r, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		const perScan = 60
		w.afterRow = func() { time.Sleep(100 * time.Microsecond) }

		var wg sync.WaitGroup
		var done atomic.Bool
		var writeErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done.Store(true)
			for i := 0; i < 8; i++ {
				if _, err := w.Save(ctx, testScan("https://example.com/", perScan, t0.Add(time.Duration(i)*time.Minute))); err != nil {
					writeErr = err
					return
				}
			}
		}()
		seen := map[int]bool{}
		reads := 0
		for !done.Load() {
			var scans, cookies, findings int
			err := r.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM scans), (SELECT count(*) FROM cookies),
			(SELECT count(*) FROM findings)`).Scan(&scans, &cookies, &findings)
			if err != nil {
				t.Fatalf("read while writing: %v", err)
			}
			reads++
			seen[scans] = true
			if cookies != scans*cookieRows(perScan) || findings != scans*3 {
				t.Fatalf("reader saw a half scan: %d scans, %d cookie rows, %d findings", scans, cookies, findings)
			}
			sums, err := r.Scans(ctx, "example.com")
			if err != nil {
				t.Fatalf("Scans while writing: %v", err)
			}
			for _, sum := range sums {
				if sum.Cookies != perScan {
					t.Fatalf("summary of a half scan: %+v", sum)
				}
			}
		}
		wg.Wait()
		if writeErr != nil {
			t.Fatalf("writer: %v", writeErr)
		}
		if len(seen) < 2 {
			t.Errorf("reader only ever saw %v scans in %d reads; the test did not overlap reads and writes", seen, reads)
		}
		assertOnly(t, r, 8, 8*cookieRows(perScan))
	})
}

func TestSiteKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"example.com", "example.com"},
		{"https://Example.COM/", "example.com"},
		{"http://example.com:443", "example.com"},
		{"https://example.com:8443/de/", "example.com:8443/de"},
		{"  example.com/shop  ", "example.com/shop"},
	} {
		if got := SiteKey(c.in); got != c.want {
			t.Errorf("SiteKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/home")
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if p != filepath.Join("/data/home", "cookiescan", "history.db") {
		t.Errorf("DefaultPath with XDG_DATA_HOME = %q", p)
	}
}

func BenchmarkSave1000Cookies(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b)
	sc := testScan("https://example.com/", 1000, t0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Save(ctx, sc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad1000Cookies(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b)
	id, err := s.Save(ctx, testScan("https://example.com/", 1000, t0))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Load(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}
