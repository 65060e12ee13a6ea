package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// always decides every site known and due when never scanned, else a day
// after its last scan.
func always(key string, last time.Time, scanned bool) (time.Time, bool) {
	if !scanned {
		return time.Time{}, true
	}
	return last.Add(24 * time.Hour), true
}

func queueSites(n int) []QueueSite {
	var out []QueueSite
	for i := range n {
		out = append(out, QueueSite{Key: fmt.Sprintf("site%02d.example", i), Cron: "@daily"})
	}
	return out
}

func TestQueueClaimSaveRelease(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		s, _ := openAt(t, db)
		if err := s.SyncQueue(ctx, queueSites(3)); err != nil {
			t.Fatal(err)
		}
		// Syncing again keeps what the queue knows.
		if err := s.SyncQueue(ctx, queueSites(3)); err != nil {
			t.Fatal(err)
		}
		c := Claim{Holder: "w1", DueBy: t0, Now: t0, For: time.Minute, Decide: always}
		var got []*Lease
		for {
			l, err := s.Claim(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if l == nil {
				break
			}
			got = append(got, l)
		}
		if len(got) != 3 || got[0].Key != "site00.example" || !got[0].Expires.Equal(t0.Add(time.Minute)) {
			t.Fatalf("claims = %+v, want the three sites once each", got)
		}
		if n, first, err := s.LeasedDue(ctx, t0, t0); err != nil || n != 3 || !first.Equal(t0.Add(time.Minute)) {
			t.Fatalf("LeasedDue = %d, %v, %v; want 3 until %v", n, first, err, t0.Add(time.Minute))
		}
		sc := testScan("https://site00.example/", 2, t0)
		if _, err := s.SaveLeased(ctx, sc, got[0], t0.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.Release(ctx, got[1], t0.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		// Saved and released sites are not due again this run, even once
		// every lease has run out.
		later := c
		later.Now = t0.Add(time.Hour)
		later.Holder = "w2"
		l, err := s.Claim(ctx, later)
		if err != nil || l == nil || l.Key != "site02.example" {
			t.Fatalf("claim after expiry = %+v, %v; want site02 (its holder's lease ran out)", l, err)
		}
		if l2, err := s.Claim(ctx, later); err != nil || l2 != nil {
			t.Fatalf("fourth claim = %+v, %v; want none", l2, err)
		}
		if _, err := s.SaveLeased(ctx, testScan("https://site02.example/", 1, later.Now), l, later.Now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		// A new run a day later finds the saved site due again.
		next := later
		next.DueBy, next.Now = t0.Add(25*time.Hour), t0.Add(25*time.Hour)
		if l, err := s.Claim(ctx, next); err != nil || l == nil || l.Key != "site00.example" {
			t.Fatalf("claim next day = %+v, %v; want site00", l, err)
		}
	})
}

// TestQueueLeaseLost: a worker whose lease ran out and was taken can neither
// renew nor save; nothing of its scan is stored.
func TestQueueLeaseLost(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		s, _ := openAt(t, db)
		if err := s.SyncQueue(ctx, queueSites(1)); err != nil {
			t.Fatal(err)
		}
		a, err := s.Claim(ctx, Claim{Holder: "a", DueBy: t0, Now: t0, For: time.Second, Decide: always})
		if err != nil || a == nil {
			t.Fatalf("claim a = %v, %v", a, err)
		}
		if l, err := s.Claim(ctx, Claim{Holder: "b", DueBy: t0, Now: t0.Add(500 * time.Millisecond), For: time.Second, Decide: always}); err != nil || l != nil {
			t.Fatalf("claim of a live lease = %+v, %v; want none", l, err)
		}
		b, err := s.Claim(ctx, Claim{Holder: "b", DueBy: t0, Now: t0.Add(2 * time.Second), For: time.Minute, Decide: always})
		if err != nil || b == nil || b.Key != a.Key {
			t.Fatalf("claim after expiry = %+v, %v", b, err)
		}
		if err := s.Renew(ctx, a, t0.Add(time.Hour)); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("renew of a taken lease: %v, want ErrLeaseLost", err)
		}
		if _, err := s.SaveLeased(ctx, testScan("https://site00.example/", 5, t0), a, t0.Add(24*time.Hour)); !errors.Is(err, ErrLeaseLost) {
			t.Errorf("save under a taken lease: %v, want ErrLeaseLost", err)
		}
		assertOnly(t, s, 0, 0)
		if err := s.Renew(ctx, b, t0.Add(time.Hour)); err != nil {
			t.Errorf("renew by the holder: %v", err)
		}
		if _, err := s.SaveLeased(ctx, testScan("https://site00.example/", 5, t0), b, t0.Add(24*time.Hour)); err != nil {
			t.Errorf("save by the holder: %v", err)
		}
		assertOnly(t, s, 1, cookieRows(5))
	})
}

// TestQueueDecide: sites the worker does not schedule are left alone, and a
// site with a recent scan in the history is not due.
func TestQueueDecide(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		s, _ := openAt(t, db)
		if _, err := s.Save(ctx, testScan("https://site01.example/", 1, t0.Add(-time.Hour))); err != nil {
			t.Fatal(err)
		}
		if err := s.SyncQueue(ctx, queueSites(3)); err != nil {
			t.Fatal(err)
		}
		decide := func(key string, last time.Time, scanned bool) (time.Time, bool) {
			if key == "site00.example" {
				return time.Time{}, false
			}
			return always(key, last, scanned)
		}
		var keys []string
		for {
			l, err := s.Claim(ctx, Claim{Holder: "w", DueBy: t0, Now: t0, For: time.Minute, Decide: decide})
			if err != nil {
				t.Fatal(err)
			}
			if l == nil {
				break
			}
			keys = append(keys, l.Key)
		}
		if len(keys) != 1 || keys[0] != "site02.example" {
			t.Errorf("claimed %q, want only site02 (site00 unknown, site01 scanned an hour ago)", keys)
		}
		// A changed cron decides again.
		if err := s.SyncQueue(ctx, []QueueSite{{Key: "site01.example", Cron: "@hourly"}}); err != nil {
			t.Fatal(err)
		}
		hourly := func(key string, last time.Time, scanned bool) (time.Time, bool) {
			return last.Add(time.Hour), key != "site00.example"
		}
		l, err := s.Claim(ctx, Claim{Holder: "w", DueBy: t0, Now: t0, For: time.Minute, Decide: hourly})
		if err != nil || l == nil || l.Key != "site01.example" {
			t.Errorf("claim after a cron change = %+v, %v; want site01", l, err)
		}
	})
}

// TestQueueConcurrentClaims: workers with their own connections claim at
// once; every site goes to exactly one.
func TestQueueConcurrentClaims(t *testing.T) {
	eachDialect(t, func(t *testing.T, db string) {
		ctx := context.Background()
		s, _ := openAt(t, db)
		const sites, workers = 40, 6
		if err := s.SyncQueue(ctx, queueSites(sites)); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		claimed := map[string]string{}
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ws, err := Open(ctx, db)
				if err != nil {
					t.Error(err)
					return
				}
				defer ws.Close()
				holder := fmt.Sprintf("w%d", w)
				for {
					l, err := ws.Claim(ctx, Claim{Holder: holder, DueBy: t0, Now: t0, For: time.Minute, Decide: always})
					if err != nil {
						t.Error(err)
						return
					}
					if l == nil {
						return
					}
					mu.Lock()
					if prev, ok := claimed[l.Key]; ok {
						t.Errorf("%s claimed by %s and %s", l.Key, prev, holder)
					}
					claimed[l.Key] = holder
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(claimed) != sites {
			t.Errorf("%d of %d sites claimed", len(claimed), sites)
		}
	})
}
