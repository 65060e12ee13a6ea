package consent

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/fixture"
	"github.com/cookiescan/cookiescan/internal/hostmap"
)

// One browser and one fixture server serve every browser test of the
// package; each test gets its own browser context.
type testEnv struct {
	browser *chrome.Browser
	server  *fixture.Server
	err     error // why there is no browser
}

// env is set once by TestMain before any test runs and only read after.
var env testEnv

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	srv, err := fixture.Start(newSitesWithLibs(filepath.Join("..", "..", "testdata", "sites")))
	if err != nil {
		fmt.Fprintln(os.Stderr, "fixture server:", err)
		return 1
	}
	defer srv.Close()
	env.server = srv
	if testing.Short() {
		env.err = fmt.Errorf("-short: browser tests skipped")
	} else {
		// Generous: on a loaded CI machine Chrome can take long to answer.
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		b, err := chrome.Start(ctx, chrome.Options{
			Network: hostmap.Network{Insecure: true, ConnectTo: []hostmap.Rule{{ToHost: "127.0.0.1", ToPort: srv.Port()}}},
		})
		cancel()
		if err != nil {
			env.err = err
		} else {
			env.browser = b
			defer b.Close()
		}
	}
	return m.Run()
}

// browserTab returns a tab in a fresh browser context, or skips the test
// when there is no browser (fails under CI=true, where one is required).
func browserTab(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := newBrowserTab(tb)
	tb.Cleanup(cancel)
	return ctx
}

// newBrowserTab is browserTab with the release in the caller's hands, for
// benchmarks that open a tab per iteration.
func newBrowserTab(tb testing.TB) (context.Context, context.CancelFunc) {
	tb.Helper()
	if env.browser == nil {
		if os.Getenv("CI") == "true" && !testing.Short() {
			tb.Fatalf("CI=true needs a browser: %v", env.err)
		}
		tb.Skipf("no browser: %v", env.err)
	}
	ctx, cancel := env.browser.NewContext()
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		tb.Fatalf("open tab: %v", err)
	}
	// The time limit goes on a child: on the first Do it would close the tab.
	tctx, tcancel := context.WithTimeout(ctx, 45*time.Second)
	return tctx, func() { tcancel(); cancel() }
}

// jar reads every cookie of the tab's browser context.
func jar(ctx context.Context) ([]*network.Cookie, error) {
	res, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(ctx).BrowserContextID})
	if err != nil {
		return nil, err
	}
	return res.Cookies, nil
}

func hasCookie(cs []*network.Cookie, name string) bool {
	for _, c := range cs {
		if c.Name == name {
			return true
		}
	}
	return false
}

func cookieNames(cs []*network.Cookie) string {
	var n []string
	for _, c := range cs {
		n = append(n, c.Name+"@"+c.Domain)
	}
	return strings.Join(n, " ")
}

// stateResult is one consent state run against a fixture.
type stateResult struct {
	Outcome  cookie.ConsentOutcome
	Cookies  []*network.Cookie // after the choice and one more page load
	Duration time.Duration     // of Apply alone
}

// runState loads the fixture, applies the action, then loads the page again,
// as the crawler loads its remaining pages, and waits for the fake platform
// to settle so that the trackers had their chance to run.
func runState(ctx context.Context, e *Engine, pageURL, action string) (stateResult, error) {
	var res stateResult
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		return res, fmt.Errorf("navigate: %w", err)
	}
	start := time.Now()
	out, err := e.Apply(ctx, action)
	res.Duration = time.Since(start)
	res.Outcome = out
	if err != nil {
		return res, err
	}
	if err := navigateOn(ctx, pageURL); err != nil {
		return res, fmt.Errorf("reload: %w", err)
	}
	// Wait until the trackers that the stored choice allows have run.
	deadline := time.Now().Add(3 * time.Second)
	for {
		cs, err := jar(ctx)
		if err != nil {
			return res, err
		}
		res.Cookies = cs
		if action == ActionAccept && hasCookie(cs, "mkt_id") && hasCookie(cs, "trk_uid") {
			return res, nil
		}
		if action != ActionAccept && time.Now().After(deadline.Add(-2*time.Second)) {
			return res, nil // a second is long enough for a tracker that would run
		}
		if time.Now().After(deadline) {
			return res, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// navigateOn loads url in a tab where a choice was just made. A platform
// that reloads the page after the choice (Complianz, 50 ms after a deny in
// its fixture) aborts a navigation that started before its own
// (net::ERR_ABORTED), often on a fast machine; the crawler lets the page
// settle first (its short timers run). Here an aborted navigation waits for
// the page's own load to end and is tried again, twice at most. A tab the
// choice left hanging still fails.
func navigateOn(ctx context.Context, url string) error {
	for attempt := 0; ; attempt++ {
		err := chromedp.Do(ctx, chromedp.Navigate(url))
		if err == nil || !strings.Contains(err.Error(), "ERR_ABORTED") || attempt == 2 {
			return err
		}
		time.Sleep(100 * time.Millisecond)
		for range 20 {
			if done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === 'complete'`)); err == nil && done {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
