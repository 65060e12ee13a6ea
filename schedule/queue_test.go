package schedule

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/internal/pgtest"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/store"
)

// TestMain stops the PostgreSQL cluster the queue tests may have started.
func TestMain(m *testing.M) { pgtest.Main(m) }

// eachDB runs f against a fresh SQLite file and a fresh PostgreSQL database.
func eachDB(t *testing.T, f func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "history.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, pgtest.Database(t)) })
}

// sitesFile writes a schedule of n sites, reports in json only.
func sitesFile(t *testing.T, n int) *File {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("defaults:\n  cron: \"0 3 * * 1\"\n  formats: [json]\n  output: " + filepath.Join(dir, "reports") + "\nsites:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - url: https://site%02d.example/\n", i)
	}
	path := filepath.Join(dir, "sites.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// counter is a scan that counts its calls per site.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
	// block, when it names a site, makes its scan wait for cancellation.
	block string
	delay time.Duration
}

func (c *counter) scan(ctx context.Context, s Site) (*result.Scan, error) {
	c.mu.Lock()
	c.calls[s.URL]++
	c.mu.Unlock()
	if s.URL == c.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	time.Sleep(c.delay)
	now := time.Now().UTC()
	return &result.Scan{Site: s.URL, StartedAt: now, FinishedAt: now, ToolVersion: "test"}, nil
}

func openDB(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestWorkersShareOneRun: three workers with their own connections run one
// schedule at once; every site is scanned by exactly one of them, and a
// second run finds nothing due.
func TestWorkersShareOneRun(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		const sites = 12
		f := sitesFile(t, sites)
		c := &counter{calls: map[string]int{}, delay: 20 * time.Millisecond}
		var wg sync.WaitGroup
		outs := make([][]Outcome, 3)
		for w := range 3 {
			r := &Runner{Store: openDB(t, db), Scan: c.scan, Parallel: 2, Holder: fmt.Sprintf("w%d", w), Lease: 5 * time.Second}
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if outs[w], err = r.RunOnce(context.Background(), f); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		total := 0
		for _, o := range outs {
			for _, x := range o {
				if x.Err != nil || x.ScanID == 0 {
					t.Errorf("%s: %v (scan %d)", x.Site.Name, x.Err, x.ScanID)
				}
			}
			total += len(o)
		}
		if total != sites || len(c.calls) != sites {
			t.Errorf("%d outcomes over %d sites scanned; want %d", total, len(c.calls), sites)
		}
		for url, n := range c.calls {
			if n != 1 {
				t.Errorf("%s scanned %d times", url, n)
			}
		}
		again, err := (&Runner{Store: openDB(t, db), Scan: c.scan}).RunOnce(context.Background(), f)
		if err != nil || len(again) != 0 {
			t.Errorf("second run = %d outcomes, %v; want nothing due", len(again), err)
		}
	})
}

// TestDeadWorkersSiteTakenOver: a site held by a worker that stopped
// renewing its lease is scanned by another once the lease runs out.
func TestDeadWorkersSiteTakenOver(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		ctx := context.Background()
		f := sitesFile(t, 3)
		st := openDB(t, db)
		q := make([]store.QueueSite, len(f.Sites))
		for i, s := range f.Sites {
			q[i] = store.QueueSite{Key: store.SiteKey(s.URL), Cron: s.Cron}
		}
		if err := st.SyncQueue(ctx, q); err != nil {
			t.Fatal(err)
		}
		dead, err := st.Claim(ctx, store.Claim{Holder: "dead", DueBy: time.Now(), Now: time.Now(), For: 300 * time.Millisecond,
			Decide: func(string, time.Time, bool) (time.Time, bool) { return time.Time{}, true }})
		if err != nil || dead == nil {
			t.Fatalf("claim = %v, %v", dead, err)
		}
		c := &counter{calls: map[string]int{}}
		r := &Runner{Store: st, Scan: c.scan, Holder: "alive", Lease: 300 * time.Millisecond}
		outs, err := r.RunOnce(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(outs) != 3 || len(c.calls) != 3 {
			t.Fatalf("%d outcomes, %d sites scanned; want 3 (the dead worker's site too)", len(outs), len(c.calls))
		}
		for _, o := range outs {
			if o.Err != nil || o.ScanID == 0 {
				t.Errorf("%s: %v", o.Site.Name, o.Err)
			}
		}
	})
}

// TestLostLeaseStoresNothing: a worker whose lease is taken while it scans
// stops that scan and stores nothing of it.
func TestLostLeaseStoresNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		ctx := context.Background()
		f := sitesFile(t, 1)
		st := openDB(t, db)
		c := &counter{calls: map[string]int{}, block: f.Sites[0].URL}
		r := &Runner{Store: st, Scan: c.scan, Holder: "slow", Lease: 600 * time.Millisecond}
		done := make(chan []Outcome)
		go func() {
			outs, err := r.RunOnce(ctx, f)
			if err != nil {
				t.Error(err)
			}
			done <- outs
		}()
		// Another worker whose clock says the lease ran out takes the site.
		thief := openDB(t, db)
		var l *store.Lease
		for l == nil {
			time.Sleep(50 * time.Millisecond)
			var err error
			l, err = thief.Claim(ctx, store.Claim{Holder: "thief", DueBy: time.Now(), Now: time.Now().Add(time.Hour), For: 2 * time.Hour,
				Decide: func(string, time.Time, bool) (time.Time, bool) { return time.Time{}, true }})
			if err != nil {
				t.Fatal(err)
			}
		}
		// The thief scans and saves; the slow worker, which waits while
		// the site is held, then ends its run.
		time.Sleep(time.Second)
		now := time.Now().UTC()
		if _, err := thief.SaveLeased(ctx, &result.Scan{Site: f.Sites[0].URL, StartedAt: now, FinishedAt: now, ToolVersion: "thief"}, l, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		outs := <-done
		if len(outs) != 1 || !errors.Is(outs[0].Err, store.ErrLeaseLost) {
			t.Fatalf("outcomes = %+v; want one with ErrLeaseLost", outs)
		}
		latest, err := st.Latest(ctx, f.Sites[0].URL, 5)
		if err != nil || len(latest) != 1 || latest[0].Scan.ToolVersion != "thief" {
			t.Errorf("stored scans = %+v, %v; want the thief's only", latest, err)
		}
	})
}
