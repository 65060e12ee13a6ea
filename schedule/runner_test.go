package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/store"
)

// fakeSites answers scans from a table the test edits between runs.
type fakeSites struct {
	mu      sync.Mutex
	now     time.Time
	cookies map[string][]string // site URL -> cookie names
	calls   map[string]int
}

func (f *fakeSites) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeSites) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func (f *fakeSites) set(url string, names ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cookies[url] = names
}

// scan returns a scan in which every cookie is a marketing cookie set before
// consent, with one pre-consent finding each.
func (f *fakeSites) scan(ctx context.Context, s Site) (*result.Scan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[s.URL]++
	sc := &result.Scan{Site: s.URL, StartedAt: f.now, FinishedAt: f.now.Add(time.Minute), ToolVersion: "test"}
	for _, n := range f.cookies[s.URL] {
		sc.Inventory = append(sc.Inventory, cookie.Observed{Name: n, Domain: ".x", Path: "/", LifespanDays: 30,
			Label: cookie.Label{Category: cookie.Marketing}}.WithStates(cookie.Before, cookie.Accept))
		sc.Findings = append(sc.Findings, audit.Finding{RuleID: "pre-consent", Severity: audit.High, Site: s.URL,
			State: cookie.Before, Cookie: &audit.CookieRef{Name: n, Domain: ".x"},
			Fingerprint: audit.Fingerprint("pre-consent", s.URL, n, ".x", "", cookie.Before)})
	}
	return sc, nil
}

type hookLog struct {
	mu   sync.Mutex
	got  []Notification
	fail atomic.Int32 // answer 500 this many more times
}

func (h *hookLog) handler(w http.ResponseWriter, r *http.Request) {
	if h.fail.Add(-1) >= 0 {
		http.Error(w, "not now", http.StatusInternalServerError)
		return
	}
	var n Notification
	if err := json.NewDecoder(r.Body).Decode(&n); err != nil || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.got = append(h.got, n)
	h.mu.Unlock()
}

func (h *hookLog) notifications() []Notification {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Notification(nil), h.got...)
}

func newRunner(t *testing.T, fs *fakeSites) (*Runner, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &Runner{
		Store: st, Scan: fs.scan, Parallel: 2, Now: fs.clock,
		Webhook: Webhook{Backoff: time.Millisecond, Timeout: 2 * time.Second},
	}, st
}

func writeSchedule(t *testing.T, dir, hook string) *File {
	t.Helper()
	text := fmt.Sprintf(`defaults:
  cron: "0 3 * * 1"
  formats: [html, json]
  webhook: %s
sites:
  - url: https://a.example/
  - url: https://b.example/
  - url: https://c.example/
    formats: [csv]
`, hook)
	path := filepath.Join(dir, "schedule.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRunOnceThenChange(t *testing.T) {
	ctx := context.Background()
	hooks := &hookLog{}
	srv := httptest.NewServer(http.HandlerFunc(hooks.handler))
	defer srv.Close()
	dir := t.TempDir()
	f := writeSchedule(t, dir, srv.URL)

	// Wednesday noon: every site is due because none was ever scanned.
	fs := &fakeSites{now: time.Date(2026, 5, 6, 12, 0, 0, 0, time.Local), cookies: map[string][]string{}, calls: map[string]int{}}
	fs.set("https://a.example/", "_ga")
	fs.set("https://b.example/")
	fs.set("https://c.example/", "_fbp", "_gcl_au")
	r, st := newRunner(t, fs)

	out, err := r.RunOnce(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 3 {
		t.Fatalf("first run: %d outcomes, want 3", len(out))
	}
	for _, o := range out {
		if o.Err != nil || o.ScanID == 0 || o.Diff != nil {
			t.Errorf("first run of %s: %+v", o.Site.Name, o)
		}
	}
	// Three reports of each site's formats, dated and latest.
	var files []string
	filepath.WalkDir(filepath.Join(dir, "reports"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	want := []string{
		"reports/a.example/a.example-20260506T" + utcHHMMSS(fs.now) + "Z.html",
		"reports/a.example/a.example-20260506T" + utcHHMMSS(fs.now) + "Z.json",
		"reports/a.example/a.example-latest.html",
		"reports/a.example/a.example-latest.json",
		"reports/b.example/b.example-20260506T" + utcHHMMSS(fs.now) + "Z.html",
		"reports/b.example/b.example-20260506T" + utcHHMMSS(fs.now) + "Z.json",
		"reports/b.example/b.example-latest.html",
		"reports/b.example/b.example-latest.json",
		"reports/c.example/c.example-20260506T" + utcHHMMSS(fs.now) + "Z.csv",
		"reports/c.example/c.example-20260506T" + utcHHMMSS(fs.now) + "Z.findings.csv",
		"reports/c.example/c.example-latest.csv",
		"reports/c.example/c.example-latest.findings.csv",
	}
	if d := cmp.Diff(want, files); d != "" {
		t.Errorf("report files (-want +got):\n%s", d)
	}
	body, err := os.ReadFile(filepath.Join(dir, "reports/c.example/c.example-latest.csv"))
	if err != nil || !strings.Contains(string(body), "_fbp") || !strings.Contains(string(body), "_gcl_au") {
		t.Errorf("c latest report = %q, %v; want the CSV report with _fbp and _gcl_au", body, err)
	}
	for _, site := range []string{"a.example", "b.example", "c.example"} {
		if sums, err := st.Scans(ctx, site); err != nil || len(sums) != 1 {
			t.Errorf("stored scans of %s: %d, %v", site, len(sums), err)
		}
	}
	// The first scan of a and c has findings, all new: two notifications.
	if n := hooks.notifications(); len(n) != 2 {
		t.Errorf("first run sent %d notifications, want 2 (a and c)", len(n))
	}

	// An hour later nothing is due: the cron fires on Monday.
	fs.advance(time.Hour)
	if out, err := r.RunOnce(ctx, f); err != nil || len(out) != 0 {
		t.Fatalf("second run an hour later: %d outcomes, %v; want none due", len(out), err)
	}

	// Next Monday 04:00, after the 03:00 fire: all due. Site b added a cookie.
	fs.advance(4*24*time.Hour + 15*time.Hour)
	fs.set("https://b.example/", "_fbp")
	out, err = r.RunOnce(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 3 {
		t.Fatalf("run after the cron fired: %d outcomes, want 3", len(out))
	}
	for _, o := range out {
		if o.Err != nil || o.Diff == nil || o.PreviousID == 0 {
			t.Fatalf("second run of %s: %+v", o.Site.Name, o)
		}
		if o.Site.Name != "b.example" {
			if !o.Diff.Empty() {
				t.Errorf("%s did not change but its diff is %+v", o.Site.Name, o.Diff)
			}
			continue
		}
		appeared := o.Diff.States[0]
		if appeared.State != cookie.Before || len(appeared.Appeared) != 1 || appeared.Appeared[0].Name != "_fbp" {
			t.Errorf("diff of b before consent = %+v, want _fbp appeared", appeared)
		}
		if len(o.Diff.NewFindings) != 1 || o.Diff.NewFindings[0].Cookie.Name != "_fbp" || !o.Notified {
			t.Errorf("b: new findings %+v, notified %v", o.Diff.NewFindings, o.Notified)
		}
	}
	n := hooks.notifications()
	if len(n) != 3 {
		t.Fatalf("%d notifications in all, want 3", len(n))
	}
	last := n[2]
	if last.Name != "b.example" || last.Event != "findings-changed" || len(last.NewFindings) != 1 ||
		last.PreviousScanID == 0 || last.ScanID == last.PreviousScanID || last.Findings["high"] != 1 {
		t.Errorf("notification for b = %+v", last)
	}
	for _, site := range []string{"a.example", "b.example", "c.example"} {
		if sums, _ := st.Scans(ctx, site); len(sums) != 2 {
			t.Errorf("%s has %d stored scans, want 2", site, len(sums))
		}
	}
}

func utcHHMMSS(t time.Time) string { return t.UTC().Format("150405") }

func TestRunOnceRejectsUnknownFormat(t *testing.T) {
	fs := &fakeSites{now: time.Now(), cookies: map[string][]string{}, calls: map[string]int{}}
	r, _ := newRunner(t, fs)
	f, err := Parse(filepath.Join(t.TempDir(), "s.yaml"), []byte("sites:\n  - url: https://a.example/\n    cron: '@daily'\n    formats: [docx]\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.RunOnce(context.Background(), f)
	if err == nil || !strings.Contains(err.Error(), `s.yaml:2: site 1 (https://a.example/): format "docx": unknown report format "docx"`) {
		t.Fatalf("error = %v", err)
	}
	if len(fs.calls) != 0 {
		t.Errorf("scans ran despite a bad format: %v", fs.calls)
	}
}

func TestParallelBoundAndTimeout(t *testing.T) {
	var running, peak atomic.Int32
	fs := &fakeSites{now: time.Now(), cookies: map[string][]string{}, calls: map[string]int{}}
	r, st := newRunner(t, fs)
	r.Parallel = 2
	r.Scan = func(ctx context.Context, s Site) (*result.Scan, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if s.Name == "slow" {
			<-ctx.Done() // a site that never answers
			return nil, ctx.Err()
		}
		time.Sleep(30 * time.Millisecond)
		return &result.Scan{Site: s.URL, StartedAt: time.Now()}, nil
	}
	var sites []Site
	for i := 0; i < 5; i++ {
		sites = append(sites, Site{Name: fmt.Sprint("s", i), URL: fmt.Sprintf("https://s%d.example/", i),
			Formats: []string{"json"}, Output: t.TempDir(), Timeout: time.Minute})
	}
	sites = append(sites, Site{Name: "slow", URL: "https://slow.example/", Formats: []string{"json"},
		Output: t.TempDir(), Timeout: 50 * time.Millisecond})
	out := r.RunSites(context.Background(), sites)
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrency = %d, want 2", p)
	}
	for _, o := range out[:5] {
		if o.Err != nil || o.ScanID == 0 {
			t.Errorf("%s: %+v", o.Site.Name, o)
		}
	}
	slow := out[5]
	if slow.Err == nil || !strings.Contains(slow.Err.Error(), "the site's timeout is 50ms") || slow.ScanID != 0 {
		t.Errorf("slow site outcome = %+v", slow)
	}
	if sums, _ := st.Scans(context.Background(), "slow.example"); len(sums) != 0 {
		t.Errorf("a timed-out scan was stored: %+v", sums)
	}
}

// TestDaemonRunsAndStopsCleanly runs a daemon with a one-second cron, lets
// it store a few scans, then cancels it while a scan is in progress: the
// daemon must return, the abandoned scan must not be stored, and the store
// must hold only whole scans.
func TestDaemonRunsAndStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("waits on a real clock")
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f, err := Parse(filepath.Join(t.TempDir(), "s.yaml"), []byte("sites:\n  - url: https://a.example/\n    cron: '@every 1s'\n    formats: [json]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var scans atomic.Int32
	blocked := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	r := &Runner{Store: st, Parallel: 1, Scan: func(sctx context.Context, s Site) (*result.Scan, error) {
		if scans.Add(1) == 3 {
			close(blocked) // the third scan hangs until the daemon is stopped
			<-sctx.Done()
			return nil, sctx.Err()
		}
		return &result.Scan{Site: s.URL, StartedAt: time.Now()}, nil
	}}
	done := make(chan error, 1)
	go func() { done <- r.Daemon(ctx, f) }()
	select {
	case <-blocked:
	case <-time.After(10 * time.Second):
		t.Fatal("daemon did not reach a third scan")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Daemon returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("daemon did not stop")
	}
	sums, err := st.Scans(context.Background(), "a.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 {
		t.Errorf("%d scans stored, want the 2 finished before the stop", len(sums))
	}
}

func TestDueUsesStoreAndCron(t *testing.T) {
	fs := &fakeSites{now: time.Date(2026, 5, 6, 12, 0, 0, 0, time.UTC), cookies: map[string][]string{}, calls: map[string]int{}}
	r, st := newRunner(t, fs)
	f, err := Parse(filepath.Join(t.TempDir(), "s.yaml"), []byte("sites:\n  - url: https://a.example/\n    cron: '0 * * * *'\n  - url: https://b.example/\n    cron: '0 * * * *'\n"))
	if err != nil {
		t.Fatal(err)
	}
	// a was scanned at 11:30, before the 12:00 fire: due. b at 12:00:00, not due.
	for url, at := range map[string]time.Time{"https://a.example/": fs.now.Add(-30 * time.Minute), "https://b.example/": fs.now} {
		if _, err := st.Save(context.Background(), &result.Scan{Site: url, StartedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	due, err := r.Due(context.Background(), f.Sites, fs.now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Name != "a.example" {
		t.Errorf("due = %+v, want only a.example", due)
	}
}
