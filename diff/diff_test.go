package diff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/diff"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/store"
)

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

const site = "https://shop.example/"

func observed(name, domain string, days float64, vendor string, cat cookie.Category, states ...cookie.State) cookie.Observed {
	return cookie.Observed{Name: name, Domain: domain, Path: "/", LifespanDays: days, Session: days == 0,
		Label: cookie.Label{Vendor: vendor, Category: cat}}.WithStates(states...)
}

func finding(rule, name string, sev audit.Severity, st cookie.State) audit.Finding {
	return audit.Finding{RuleID: rule, Severity: sev, Site: site, State: st,
		Cookie: &audit.CookieRef{Name: name, Domain: ".shop.example"}, Message: rule + " " + name,
		Fingerprint: audit.Fingerprint(rule, "shop.example", name, ".shop.example", "", st)}
}

// scanA is last week's scan; scanB is this week's, where the site added a
// Meta pixel cookie before consent, _ga's lifespan grew from 400 to 730
// days, _gid's moved by less than the tolerance, and the declaration was
// edited to declare _fbp and shorten the session cookie's text.
func scanA() *result.Scan {
	return &result.Scan{
		Site: site, StartedAt: t0, ToolVersion: "1.0.0",
		Inventory: []cookie.Observed{
			observed("session", "shop.example", 0, "", cookie.Necessary, cookie.Before, cookie.Accept, cookie.Reject),
			observed("_ga", ".shop.example", 400, "Google Analytics", cookie.Statistics, cookie.Accept),
			observed("_gid", ".shop.example", 1, "Google Analytics", cookie.Statistics, cookie.Accept),
			observed("old_ab", ".shop.example", 30, "", cookie.Unclassified, cookie.Accept, cookie.Reject),
		},
		Findings: []audit.Finding{
			finding("after-reject", "old_ab", audit.High, cookie.Reject),
			finding("unknown-cookie", "old_ab", audit.Low, cookie.Accept),
		},
		Declaration: &cookie.Declaration{TextHash: "h1", Cookies: []cookie.Declared{
			{Name: "session", Category: cookie.Necessary, Lifespan: cookie.Lifespan{Kind: cookie.LifespanSession}},
			{Name: "_ga", Vendor: "Google", Category: cookie.Statistics, Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 730}},
			{Name: "old_ab", Category: cookie.Preferences, Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 30}},
		}},
	}
}

func scanB() *result.Scan {
	return &result.Scan{
		Site: site, StartedAt: t0.Add(7 * 24 * time.Hour), ToolVersion: "1.1.0",
		Inventory: []cookie.Observed{
			observed("session", "shop.example", 0, "", cookie.Necessary, cookie.Before, cookie.Accept, cookie.Reject),
			observed("_ga", ".shop.example", 730, "Google Analytics", cookie.Statistics, cookie.Accept),
			observed("_gid", ".shop.example", 1.5, "Google Analytics", cookie.Statistics, cookie.Accept),
			observed("_fbp", ".shop.example", 90, "Meta", cookie.Marketing, cookie.Before, cookie.Accept),
			observed("old_ab", ".shop.example", 30, "Optimizely", cookie.Preferences, cookie.Accept),
		},
		Findings: []audit.Finding{
			finding("pre-consent", "_fbp", audit.High, cookie.Before),
		},
		Baselined: []audit.Finding{
			finding("unknown-cookie", "old_ab", audit.Low, cookie.Accept),
		},
		Declaration: &cookie.Declaration{TextHash: "h2", Cookies: []cookie.Declared{
			{Name: "session", Category: cookie.Necessary, Lifespan: cookie.Lifespan{Kind: cookie.LifespanSession}},
			{Name: "_ga", Vendor: "Google", Category: cookie.Statistics, Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 730}},
			{Name: "_fbp", Vendor: "Meta", Category: cookie.Marketing, Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 90}},
			{Name: "old_ab", Category: cookie.Statistics, Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 60}},
		}},
	}
}

func wantDiff() diff.Result {
	a, b := scanA(), scanB()
	return diff.Result{
		A: diff.Ref{Site: site, StartedAt: a.StartedAt, ToolVersion: "1.0.0"},
		B: diff.Ref{Site: site, StartedAt: b.StartedAt, ToolVersion: "1.1.0"},
		States: []diff.StateChange{
			{State: cookie.Before, Appeared: []diff.Cookie{{Name: "_fbp", Domain: ".shop.example", Path: "/", Vendor: "Meta", Category: cookie.Marketing, LifespanDays: 90}}, Vanished: []diff.Cookie{}},
			{State: cookie.Accept, Appeared: []diff.Cookie{{Name: "_fbp", Domain: ".shop.example", Path: "/", Vendor: "Meta", Category: cookie.Marketing, LifespanDays: 90}}, Vanished: []diff.Cookie{}},
			{State: cookie.Reject, Appeared: []diff.Cookie{}, Vanished: []diff.Cookie{{Name: "old_ab", Domain: ".shop.example", Path: "/", Category: cookie.Unclassified, LifespanDays: 30}}},
		},
		Changed: []diff.Change{
			{Name: "_ga", Domain: ".shop.example", Path: "/", Field: "lifespan", From: "400 days", To: "730 days"},
			{Name: "old_ab", Domain: ".shop.example", Path: "/", Field: "category", From: "unclassified", To: "preferences"},
			{Name: "old_ab", Domain: ".shop.example", Path: "/", Field: "vendor", From: "", To: "Optimizely"},
		},
		NewFindings:      []audit.Finding{finding("pre-consent", "_fbp", audit.High, cookie.Before)},
		ResolvedFindings: []audit.Finding{finding("after-reject", "old_ab", audit.High, cookie.Reject)},
		Declaration: diff.Declaration{
			Changed: true, FromHash: "h1", ToHash: "h2",
			Added:   []cookie.Declared{{Name: "_fbp", Vendor: "Meta", Category: cookie.Marketing, Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 90}}},
			Removed: []cookie.Declared{},
			Modified: []diff.DeclaredChange{
				{Name: "old_ab", Field: "category", From: "preferences", To: "statistics"},
				{Name: "old_ab", Field: "lifespan", From: "30 days", To: "60 days"},
			},
		},
		Counts: diff.Counts{Appeared: 2, Vanished: 1, Changed: 3, NewFindings: 1, ResolvedFindings: 1, DeclaredAdded: 1, DeclaredModified: 2},
	}
}

// TestDiffStoredScans saves both scans, loads them back and diffs them, so
// that the diff works on what the store gives back and not only on values
// built in memory.
func TestDiffStoredScans(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	idA, err := s.Save(ctx, scanA())
	if err != nil {
		t.Fatal(err)
	}
	idB, err := s.Save(ctx, scanB())
	if err != nil {
		t.Fatal(err)
	}
	latest, err := s.Latest(ctx, site, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 2 || latest[0].ID != idB || latest[1].ID != idA {
		t.Fatalf("Latest = %+v", latest)
	}
	got := diff.Diff(latest[1].Scan, latest[0].Scan)
	if d := cmp.Diff(wantDiff(), got); d != "" {
		t.Errorf("diff (-want +got):\n%s", d)
	}
	if got.Empty() || !got.FindingsChanged() {
		t.Errorf("Empty() = %v, FindingsChanged() = %v", got.Empty(), got.FindingsChanged())
	}
}

func TestDiffSameScanIsEmpty(t *testing.T) {
	r := diff.Diff(scanB(), scanB())
	if !r.Empty() || r.FindingsChanged() {
		t.Errorf("diff of a scan with itself is not empty: %+v", r)
	}
}

func TestDiffDeterministic(t *testing.T) {
	first, err := json.Marshal(diff.Diff(scanA(), scanB()))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		again, _ := json.Marshal(diff.Diff(scanA(), scanB()))
		if !bytes.Equal(first, again) {
			t.Fatalf("run %d differs:\n%s\n%s", i, first, again)
		}
	}
}

func TestDiffLifespanTolerance(t *testing.T) {
	for _, c := range []struct {
		name     string
		from, to float64
		want     bool
	}{
		{"small absolute move", 1, 1.9, false},
		{"beyond a day", 1, 2.5, true},
		{"within 5% of a long lifespan", 390, 400, false},
		{"beyond 5%", 365, 400, true},
		{"session to persistent", 0, 0.5, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := &result.Scan{Inventory: []cookie.Observed{observed("x", "a", c.from, "", "", cookie.Accept)}}
			b := &result.Scan{Inventory: []cookie.Observed{observed("x", "a", c.to, "", "", cookie.Accept)}}
			got := len(diff.Diff(a, b).Changed) == 1
			if got != c.want {
				t.Errorf("%v → %v days: changed = %v, want %v", c.from, c.to, got, c.want)
			}
		})
	}
}

func TestDiffDeclarationAppears(t *testing.T) {
	a, b := scanA(), scanA()
	a.Declaration = nil
	r := diff.Diff(a, b)
	if !r.Declaration.Changed || len(r.Declaration.Added) != 3 || r.Declaration.FromHash != "" {
		t.Errorf("declaration found only in B: %+v", r.Declaration)
	}
}

func TestWriteFormats(t *testing.T) {
	r := diff.Diff(scanA(), scanB())
	r.A.ID, r.B.ID = 3, 7

	var tbl bytes.Buffer
	if err := diff.Write(&tbl, "table", r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"scan 3 (2026-05-04 10:00 UTC) → scan 7 (2026-05-11 10:00 UTC)",
		"_fbp", "appeared", "400 days", "730 days", "pre-consent", "resolved", "Declaration changed (text hash h1 → h2)"} {
		if !strings.Contains(tbl.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tbl.String())
		}
	}

	var js bytes.Buffer
	if err := diff.Write(&js, "json", r); err != nil {
		t.Fatal(err)
	}
	var back struct {
		SchemaVersion int `json:"schema_version"`
		diff.Result
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.SchemaVersion != diff.JSONSchemaVersion {
		t.Errorf("schema_version = %d", back.SchemaVersion)
	}
	if d := cmp.Diff(r, back.Result); d != "" {
		t.Errorf("json round trip (-want +got):\n%s", d)
	}

	if err := diff.Write(&js, "pdf", r); err == nil || !strings.Contains(err.Error(), "table, json, html") {
		t.Errorf("unknown format error = %v", err)
	}

	var none bytes.Buffer
	if err := diff.Write(&none, "table", diff.Diff(scanA(), scanA())); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(none.String(), "No changes.") {
		t.Errorf("empty diff table: %s", none.String())
	}
}

// TestHTMLEscapesHostileInput puts markup and script in every text a site
// controls and checks that none of it reaches the page live.
func TestHTMLEscapesHostileInput(t *testing.T) {
	evil := `<script>alert("x")</script>`
	a := scanA()
	b := scanB()
	b.Site = `https://shop.example/"><img src=x onerror=alert(1)>`
	b.Inventory = append(b.Inventory, observed(evil, ".evil.example", 1, `<b>vendor</b>`, cookie.Marketing, cookie.Before))
	b.Findings = append(b.Findings, audit.Finding{RuleID: "undeclared-cookie", Severity: audit.Medium, Message: evil, Vendor: evil, Fingerprint: "f-evil"})
	b.Declaration.Cookies = append(b.Declaration.Cookies, cookie.Declared{Name: evil, Purpose: evil})
	var out bytes.Buffer
	if err := diff.Write(&out, "html", diff.Diff(a, b)); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	for _, bad := range []string{"<script>", "<img", "<b>vendor"} {
		if strings.Contains(page, bad) {
			t.Errorf("html contains live %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&lt;b&gt;vendor&lt;/b&gt;", "What changed on"} {
		if !strings.Contains(page, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	// Self-contained: nothing is fetched from elsewhere.
	for _, ext := range []string{"<link", "<iframe", "@import", "url("} {
		if strings.Contains(page, ext) {
			t.Errorf("html is not self-contained: found %q", ext)
		}
	}
}

func TestTableStripsControlCharacters(t *testing.T) {
	b := scanA()
	b.Inventory = append(b.Inventory, observed("evil\x1b[31m\r", ".x", 1, "", cookie.Marketing, cookie.Before))
	var out bytes.Buffer
	if err := diff.Write(&out, "table", diff.Diff(scanA(), b)); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\r") {
		t.Errorf("table carries control characters: %q", out.String())
	}
}

// bigScan has n cookies over the three states and n/10 findings.
func bigScan(n int, shift float64) *result.Scan {
	s := &result.Scan{Site: site, StartedAt: t0, Declaration: &cookie.Declaration{TextHash: fmt.Sprint(shift)}}
	for i := 0; i < n; i++ {
		st := cookie.States()[i%3]
		s.Inventory = append(s.Inventory, observed(fmt.Sprintf("c%05d", i), ".shop.example", float64(i%500)+shift, "V", cookie.Marketing, st, cookie.Accept))
		s.Declaration.Cookies = append(s.Declaration.Cookies, cookie.Declared{Name: fmt.Sprintf("c%05d", i), Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: float64(i) + shift}})
		if i%10 == 0 {
			s.Findings = append(s.Findings, finding("pre-consent", fmt.Sprintf("c%05d-%v", i, shift), audit.High, cookie.Before))
		}
	}
	return s
}

func BenchmarkDiff1000Cookies(b *testing.B) {
	x, y := bigScan(1000, 0), bigScan(1000, 30)
	y.Inventory = y.Inventory[50:]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := diff.Diff(x, y); r.Empty() {
			b.Fatal("empty diff")
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden renders a diff in every format, and an empty diff, against
// reviewed files. The diff has a 30-minute cookie (its lifespan is written
// as the main report writes it) and a finding on a cookie without a domain
// (no empty parentheses).
func TestGolden(t *testing.T) {
	b := scanB()
	b.Inventory = append(b.Inventory, observed("__utmb", ".shop.example", 30.0/24/60, "Google Analytics", cookie.Statistics, cookie.Accept))
	hj := finding("declared-not-found", "_hjid", audit.Low, "")
	hj.Cookie.Domain = ""
	hj.Fingerprint = "f-hjid"
	b.Findings = append(b.Findings, hj)
	r := diff.Diff(scanA(), b)
	r.A.ID, r.B.ID = 3, 7
	empty := diff.Diff(scanA(), scanA())
	empty.A.ID, empty.B.ID = 3, 4
	// Only a finding changed: every other section says "none".
	more := scanA()
	more.Findings = append(more.Findings, hj)
	one := diff.Diff(scanA(), more)
	one.A.ID, one.B.ID = 3, 5
	for _, tc := range []struct {
		name, format string
		r            diff.Result
	}{
		{"diff.txt", "table", r}, {"diff.html", "html", r}, {"diff.json", "json", r},
		{"empty.txt", "table", empty}, {"empty.html", "html", empty},
		{"finding.txt", "table", one}, {"finding.html", "html", one},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := diff.Write(&buf, tc.format, tc.r); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./diff -run TestGolden -update and review the file)", err)
			}
			if d := cmp.Diff(string(want), buf.String()); d != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", tc.format, path, d)
			}
		})
	}
}

// TestOutputCleanedAndBounded: a cookie name with a bidi override and an
// 8,000-character message reach neither the table nor the page raw, and no
// table line grows without bound.
func TestOutputCleanedAndBounded(t *testing.T) {
	a, b := scanA(), scanB()
	name := "abc\u202Egpj.exe" + strings.Repeat("x", 8000)
	b.Inventory = append(b.Inventory, observed(name, ".evil.example", 1, "v", cookie.Marketing, cookie.Before))
	b.Findings = append(b.Findings, audit.Finding{RuleID: "undeclared-cookie", Severity: audit.Medium, Message: strings.Repeat("m", 8000), Fingerprint: "f-long"})
	for _, format := range []string{"table", "html"} {
		var out bytes.Buffer
		if err := diff.Write(&out, format, diff.Diff(a, b)); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsRune(out.String(), '\u202E') {
			t.Errorf("%s output holds a raw U+202E", format)
		}
		if format != "table" {
			continue
		}
		for _, line := range strings.Split(out.String(), "\n") {
			if n := len([]rune(line)); n > 1000 {
				t.Fatalf("table line of %d characters: %.80s…", n, line)
			}
		}
	}
}
