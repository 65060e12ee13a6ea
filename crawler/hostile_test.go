package crawler_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

const hostile = "https://www.hostile.test"

// hostileTimeout is --timeout for the hostile pages: room for 20 redirects
// through request interception on a busy machine.
const hostileTimeout = 10 * time.Second

// crawlHostile visits pages of the hostile fixture in the before state.
func crawlHostile(t *testing.T, b *chrome.Browser, tabs int, consent crawler.ConsentApplier, pages ...string) (inState, time.Duration) {
	t.Helper()
	opts := options()
	opts.Tabs = tabs
	opts.Timeout = hostileTimeout
	opts.States = []cookie.State{cookie.Before}
	opts.Consent = consent
	for _, p := range pages {
		opts.Pages = append(opts.Pages, hostile+p)
	}
	start := time.Now()
	obs, err := crawler.Crawl(context.Background(), b, startURL(t, hostile+"/"), opts)
	if err != nil {
		t.Fatalf("Crawl: %v (a scan with good pages must not fail)", err)
	}
	return stateOf(obs, cookie.Before), time.Since(start)
}

func cookieNamed(st inState, name string) *cookie.Observed {
	for i := range st.Cookies {
		if st.Cookies[i].Name == name {
			return &st.Cookies[i]
		}
	}
	return nil
}

// The hostile pages share one browser, to keep the suite lean.
func TestHostile(t *testing.T) {
	b := env.Browser(t, false)
	t.Run("pages", func(t *testing.T) { hostilePages(t, b) })
	t.Run("pages in tabs", func(t *testing.T) { hostilePagesInTabs(t, b) })
	t.Run("beforeunload", func(t *testing.T) { beforeUnloadIsLeft(t, b) })
	t.Run("after a flood", func(t *testing.T) { pagesAfterFlood(t, b) })
}

// A page that writes document.cookie 7,000 times in a loop used to queue
// every write in the browser's cookie store, which then held up the loading
// of every later page of the site past --timeout. The hook passes a run of
// identical writes on once, so the pages after the flood load and what they
// set is there, while the page still reads back what it wrote and a write
// after a run wins over it (the repeat page).
func pagesAfterFlood(t *testing.T, b *chrome.Browser) {
	st, _ := crawlHostile(t, b, 2, nil, "/flood/", "/plain/", "/repeat/", "/set-delete/", "/forge/", "/flood/", "/refused/", "/ctrl/")
	for _, p := range st.Pages {
		if p.ErrorKind != "" {
			t.Errorf("%s: error %q (%s), want every page after the flood loaded", p.URL, p.Error, p.ErrorKind)
		}
	}
	for _, name := range []string{"before_flood", "after_flood", "plain_seen", "forged_error", "ctrl_seen", "rep_set", "rep_tail"} {
		if c := cookieNamed(st, name); c == nil || c.Removed != "" {
			t.Errorf("cookie %s: %+v, want it in the jar at the end", name, c)
		}
	}
	for name, want := range map[string]string{"rep_set": "2", "rep_last": "end"} {
		if c := cookieNamed(st, name); c == nil || c.Value != want {
			t.Errorf("cookie %s = %+v, want value %s: the write after a run must win over it", name, c, want)
		}
	}
	if c := cookieNamed(st, "rep_del"); c == nil || c.Removed == "" {
		t.Errorf("cookie rep_del = %+v, want it deleted by the page's last write", c)
	}
	if c := cookieNamed(st, "rep_view"); c == nil || c.Value != "ok" {
		t.Errorf("cookie rep_view = %+v, want ok: the page must read back what it wrote", c)
	}
	// Writes the browser refuses are not cookies: none is reported, as set
	// and gone or otherwise (the rules are checked against Chrome here).
	for _, c := range st.Cookies {
		if strings.HasPrefix(c.Name, "ref_") && c.Name != "ref_ok" || strings.HasPrefix(c.Name, "__") {
			t.Errorf("cookie %s (removed %q) reported, want nothing: the browser refused the write", c.Name, c.Removed)
		}
	}
	if c := cookieNamed(st, "ref_ok"); c == nil || c.Removed != "" {
		t.Errorf("cookie ref_ok = %+v, want it in the jar", c)
	}
	for _, page := range []string{"/flood/", "/repeat/"} {
		if !hasWarning(st.Warnings, page, "passed to the browser once per run") {
			t.Errorf("%s: the coalesced repeats are not reported: %q", page, st.Warnings)
		}
	}
	// 3,000 writes of rep_micro, each in a microtask of its own, are one run.
	if n := coalesced(st.Warnings, "/repeat/"); n < 2900 {
		t.Errorf("%d repeats on /repeat/ coalesced, want the microtask flood's (nearly 3,000) among them: %q", n, st.Warnings)
	}
	if c := cookieNamed(st, "rep_micro"); c == nil || c.Removed != "" {
		t.Errorf("cookie rep_micro = %+v, want it in the jar", c)
	}
}

// One scan over the hostile pages: an endless script as the first page, a
// cookie flood, forged stacks, a cookie set and deleted, the per-site cap,
// headers with control characters and a 30-redirect chain. Each failure
// stays with its page; every other page loads, and what each set is known.
// One tab: the cap page evicts cookies of the pages before it, and with
// several tabs those may be pages loading at the same time (as in a
// visitor's browser); hostilePagesInTabs covers the pool.
func hostilePages(t *testing.T, b *chrome.Browser) {
	st, took := crawlHostile(t, b, 1, nil, "/hang/", "/plain/", "/forge/", "/set-delete/", "/cap/", "/ctrl/", "/chain/", "/", "/flood/")
	// Generous: one --timeout for the hang, a few seconds for each other
	// page on a busy machine. The old code spent --timeout on every page
	// after the hang.
	if limit := hostileTimeout + 9*8*time.Second; took > limit {
		t.Errorf("the scan took %s, want well under %s", took, limit)
	}
	wantErr := map[string]string{
		"/hang/":  "timeout",
		"/chain/": "too-many-redirects",
	}
	for _, p := range st.Pages {
		path := strings.TrimPrefix(p.URL, hostile)
		if path == "/flood/" && p.ErrorKind == "timeout" {
			// The browser's own cookie store may take longer than --timeout
			// over 7,000 writes on a busy machine; the page's cookies must
			// be there all the same (below).
			continue
		}
		if string(p.ErrorKind) != wantErr[path] {
			t.Errorf("%s: error %q (%s), want kind %q", path, p.Error, p.ErrorKind, wantErr[path])
		}
		if path == "/chain/" && !strings.Contains(p.Error, "more than 20 times") {
			t.Errorf("chain error %q, want it called too many redirects, not a loop", p.Error)
		}
	}
	for _, name := range []string{"hang_seen", "plain_seen", "before_flood", "ctrl_seen"} {
		if c := cookieNamed(st, name); c == nil || c.Removed != "" {
			t.Errorf("cookie %s: %+v, want it in the jar", name, c)
		}
	}
	// The browser's cookie store may still be working through the flood when
	// the jar is read last; the hook saw the write all the same.
	if c := cookieNamed(st, "after_flood"); c == nil || c.SetBy.URL != hostile+"/flood/" {
		t.Errorf("cookie after_flood: %+v, want it recorded, set by the flood page", c)
	}
	if !hasWarning(st.Warnings, "/flood/", "6999 times") {
		t.Errorf("the flood's repeated writes are not reported: %q", st.Warnings)
	}
	for _, name := range []string{"forged_error", "forged_pst"} {
		c := cookieNamed(st, name)
		if c == nil || c.SetBy.URL != hostile+"/forge/" {
			t.Errorf("cookie %s set by %+v, want the page's own inline script (%s/forge/), not what the page forged", name, c, hostile)
		}
	}
	if c := cookieNamed(st, "transient"); c == nil || c.Removed != "deleted" || c.SetBy.Kind != cookie.SetByHeader || c.FirstSeenPage != hostile+"/set-delete/" {
		t.Errorf("transient cookie = %+v, want it recorded as set by the header and deleted", c)
	}
	capped, gone := 0, 0
	for _, c := range st.Cookies {
		if strings.HasPrefix(c.Name, "cap") {
			capped++
			if c.Removed == "gone" {
				gone++
			}
		}
	}
	if c := cookieNamed(st, "cap000"); capped != 200 || gone == 0 || c == nil || c.Removed != "gone" {
		t.Errorf("%d cap cookies (%d gone), cap000 = %+v; want all 200, the evicted ones marked gone", capped, gone, c)
	}
}

// The protections hold in every tab of the pool: a page that hangs in one
// tab has its tab replaced and the other pages go on; a flood and forged
// stacks in tabs loading at the same time are each recorded against their
// own page.
func hostilePagesInTabs(t *testing.T, b *chrome.Browser) {
	st, _ := crawlHostile(t, b, 3, nil, "/plain/", "/hang/", "/flood/", "/forge/", "/set-delete/")
	for _, p := range st.Pages {
		path := strings.TrimPrefix(p.URL, hostile)
		switch {
		case path == "/hang/" && p.ErrorKind != cookie.FailTimeout:
			t.Errorf("%s: error %q (%s), want a timeout", path, p.Error, p.ErrorKind)
		case path != "/hang/" && p.ErrorKind != "" && p.ErrorKind != cookie.FailTimeout:
			// A page beside the busy loop may run past --timeout on two
			// loaded cores (docs/tabs.md); what it set is still recorded
			// against it (below). Any other failure is the hang's leaking.
			t.Errorf("%s: error %q (%s), want none", path, p.Error, p.ErrorKind)
		}
	}
	for name, page := range map[string]string{"hang_seen": "/hang/", "plain_seen": "/plain/", "before_flood": "/flood/", "forged_error": "/forge/", "forged_pst": "/forge/"} {
		if c := cookieNamed(st, name); c == nil || c.FirstSeenPage != hostile+page {
			t.Errorf("cookie %s: %+v, want it first seen on %s", name, c, page)
		}
	}
	for _, name := range []string{"forged_error", "forged_pst"} {
		if c := cookieNamed(st, name); c == nil || c.SetBy.URL != hostile+"/forge/" {
			t.Errorf("cookie %s set by %+v, want the page's own inline script", name, c)
		}
	}
	if c := cookieNamed(st, "after_flood"); c == nil || c.SetBy.URL != hostile+"/flood/" {
		t.Errorf("cookie after_flood: %+v, want it set by the flood page", c)
	}
	if !hasWarning(st.Warnings, "/flood/", "6999 times") {
		t.Errorf("the flood's repeated writes are not reported: %q", st.Warnings)
	}
	if c := cookieNamed(st, "transient"); c == nil || c.Removed != "deleted" || c.FirstSeenPage != hostile+"/set-delete/" {
		t.Errorf("transient cookie = %+v, want it recorded as set and deleted on its page", c)
	}
}

// stayClick clicks the page, which gives it the user activation a
// beforeunload dialog needs.
type stayClick struct{}

func (stayClick) Apply(ctx context.Context, action string) (cookie.ConsentOutcome, error) {
	err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#stay"), chromedp.NodeVisible))
	return cookie.ConsentOutcome{Action: action}, err
}

// A first page that asks "leave this page?" is left: the next pages load.
func beforeUnloadIsLeft(t *testing.T, b *chrome.Browser) {
	st, _ := crawlHostile(t, b, 0, stayClick{}, "/leave/", "/plain/", "/")
	for _, p := range st.Pages {
		if p.Error != "" {
			t.Errorf("%s: %s", p.URL, p.Error)
		}
	}
	if st.Consent.Error != "" {
		t.Fatalf("the click that arms beforeunload failed: %s", st.Consent.Error)
	}
	if cookieNamed(st, "plain_seen") == nil {
		t.Error("the page after the beforeunload page set nothing: it never loaded")
	}
}

// coalesced reads how many back-to-back repeats the warning of a page says
// were passed on once per run.
func coalesced(ws []string, page string) int {
	for _, w := range ws {
		if !strings.Contains(w, page) {
			continue
		}
		if m := regexp.MustCompile(`(\d+) of them were back-to-back`).FindStringSubmatch(w); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 0
}
