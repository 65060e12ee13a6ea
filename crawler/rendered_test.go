package crawler

import (
	"context"
	"errors"
	"testing"
	"time"
)

// getAsync runs Get in the background; its answer arrives on the channel.
func getAsync(r *RenderedPages, u string) <-chan error {
	ch := make(chan error, 1)
	go func() {
		p, err := r.Get(context.Background(), u)
		if err == nil && p == nil {
			err = errors.New("nil page without an error")
		}
		ch <- err
	}()
	return ch
}

func waiting(t *testing.T, ch <-chan error, what string) {
	t.Helper()
	select {
	case err := <-ch:
		t.Fatalf("%s: answered (%v) while it should still wait", what, err)
	case <-time.After(50 * time.Millisecond):
	}
}

func answer(t *testing.T, ch <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no answer", what)
	}
	return nil
}

// deliver is what handOver does once a wanted page has settled.
func deliver(r *RenderedPages, p, html string) bool {
	w, ok := r.wanted(p)
	if !ok {
		return false
	}
	w.page = &RenderedPage{URL: p, FinalURL: p, HTML: []byte(html)}
	close(w.done)
	return true
}

func TestRenderedPagesHandOver(t *testing.T) {
	r := NewRenderedPages(0)
	home := getAsync(r, "https://WWW.example.test") // the plan's form: lower case, "/" path
	waiting(t, home, "Get before the plan")

	r.setPlan([]string{"https://www.example.test/", "https://www.example.test/cookies/", "https://www.example.test/about/"}, true)
	waiting(t, home, "Get of a planned page not yet visited")

	if err := answer(t, getAsync(r, "https://www.example.test/elsewhere/"), "unplanned page"); !errors.Is(err, ErrNotRendered) {
		t.Errorf("unplanned page: %v, want ErrNotRendered at once", err)
	}
	if !deliver(r, "https://www.example.test/", "<html>home</html>") {
		t.Fatal("the home page was asked for, but wanted says it was not")
	}
	if err := answer(t, home, "home"); err != nil {
		t.Fatalf("home: %v", err)
	}

	// A page visited before anyone asked is not handed over later: the
	// state does not go back to it, so nobody may wait for it.
	if deliver(r, "https://www.example.test/about/", "x") {
		t.Error("a page nobody asked for was handed over")
	}
	if err := answer(t, getAsync(r, "https://www.example.test/about/"), "page already visited"); !errors.Is(err, ErrNotRendered) {
		t.Errorf("page already visited: %v, want ErrNotRendered", err)
	}

	// The state ends without visiting a page asked for: the wait ends.
	cookies := getAsync(r, "https://www.example.test/cookies/#list")
	waiting(t, cookies, "cookie page")
	r.close()
	if err := answer(t, cookies, "cookie page after close"); !errors.Is(err, ErrNotRendered) {
		t.Errorf("after close: %v, want ErrNotRendered", err)
	}
	r.close() // twice is harmless
}

func TestRenderedPagesWithoutBeforeState(t *testing.T) {
	r := NewRenderedPages(0)
	r.setPlan([]string{"https://www.example.test/"}, false)
	if err := answer(t, getAsync(r, "https://www.example.test/"), "no before state"); !errors.Is(err, ErrNotRendered) {
		t.Errorf("without a before-consent state: %v, want ErrNotRendered at once", err)
	}
}

func TestRenderedPagesCrawlEndsBeforePlan(t *testing.T) {
	r := NewRenderedPages(0)
	ch := getAsync(r, "https://www.example.test/")
	r.close() // discovery failed: there will be no plan
	if err := answer(t, ch, "no plan"); !errors.Is(err, ErrNotRendered) {
		t.Errorf("crawl ended before its plan: %v, want ErrNotRendered", err)
	}
}

func TestRenderedPagesGetCancelled(t *testing.T) {
	r := NewRenderedPages(0)
	r.setPlan([]string{"https://www.example.test/"}, true)
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan error, 1)
	go func() { _, err := r.Get(ctx, "https://www.example.test/"); ch <- err }()
	cancel()
	if err := answer(t, ch, "cancelled"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Get: %v, want context.Canceled", err)
	}
}
