package crawler_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
)

// TestBadPages visits one page per kind of failure in one state and checks
// that each is named with its cause, and that the scan goes on after it.
func TestBadPages(t *testing.T) {
	b := env.Browser(t, false)
	opts := options()
	opts.Timeout = 3 * time.Second
	// One tab: with a 3 s --timeout, the hanging page's busy loop in one tab
	// can push the 20-redirect loop in another past it on 2 loaded cores.
	// The pool's failures are covered by hostilePagesInTabs.
	opts.Tabs = 1
	opts.States = []cookie.State{cookie.Before}
	base := "https://www.edgecases.test"
	opts.Pages = []string{
		base + "/home/", base + "/missing/", base + "/broken/", base + "/elsewhere/", base + "/loop-a/",
		base + "/hang/", base + "/alert/", base + "/download", base + "/report.bin", base + "/home/?again",
	}
	obs, err := crawler.Crawl(context.Background(), b, startURL(t, base+"/"), opts)
	if err != nil {
		t.Fatalf("Crawl: %v (a scan with some good pages must not fail)", err)
	}
	st := stateOf(obs, cookie.Before)
	want := []struct{ kind, text string }{
		{"", ""},
		{"http-status", "HTTP 404 Not Found"},
		{"http-status", "HTTP 500 Internal Server Error"},
		{"off-site-redirect", "redirects to another site (https://www.kystbyg.test/)"},
		{"redirect-loop", "redirects in a loop"},
		{"timeout", "did not finish loading within --timeout"},
		{"", ""},
		{"download", "starts a download (application/zip)"},
		{"download", "starts a download (application/octet-stream)"},
		{"", ""},
	}
	if len(st.Pages) != len(want) {
		t.Fatalf("got %d page results, want %d", len(st.Pages), len(want))
	}
	for i, w := range want {
		p := st.Pages[i]
		if string(p.ErrorKind) != w.kind || !strings.Contains(p.Error, w.text) || (w.kind != "" && !strings.HasPrefix(p.Error, p.URL)) {
			t.Errorf("%s: kind %q error %q; want kind %q, an error naming the page and containing %q", p.URL, p.ErrorKind, p.Error, w.kind, w.text)
		}
	}
	alert := st.Pages[6]
	if len(alert.Dialogs) != 1 || alert.Dialogs[0] != "alert: Welcome!" {
		t.Errorf("alert page dialogs = %v, want the dismissed alert", alert.Dialogs)
	}
	names := map[string]bool{}
	for _, c := range st.Cookies {
		names[c.Name] = true
		if strings.Contains(c.Domain, "kystbyg") {
			t.Errorf("cookie %s of %s entered the jar through the refused off-site redirect", c.Name, c.Domain)
		}
	}
	if !names["after_alert"] {
		t.Error("the cookie written after the alert is missing: the dialog blocked the page")
	}
}

// crashOnConsent crashes the renderer while "operating the banner".
type crashOnConsent struct{}

func (crashOnConsent) Apply(ctx context.Context, action string) (cookie.ConsentOutcome, error) {
	_ = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.Crash, cdp.Empty{})
		return err
	}))
	return cookie.ConsentOutcome{Action: action}, nil
}

func TestTabCrashIsRecordedAndTheScanGoesOn(t *testing.T) {
	b := env.Browser(t, false)
	opts := options()
	opts.Timeout = 5 * time.Second
	opts.States = []cookie.State{cookie.Before}
	opts.Consent = crashOnConsent{}
	opts.Pages = []string{"https://www.edgecases.test/home/", "https://www.edgecases.test/alert/"}
	obs, err := crawler.Crawl(context.Background(), b, startURL(t, "https://www.edgecases.test/"), opts)
	if err != nil {
		t.Fatal(err)
	}
	st := stateOf(obs, cookie.Before)
	if st.Pages[0].ErrorKind != "crash" || !strings.Contains(st.Pages[0].Error, "crashed") {
		t.Errorf("crashed page: kind %q error %q, want a crash naming the page", st.Pages[0].ErrorKind, st.Pages[0].Error)
	}
	if st.Pages[1].Failed() {
		t.Errorf("the page after the crash failed: %s", st.Pages[1].Error)
	}
	got := map[string]bool{}
	for _, c := range st.Cookies {
		got[c.Name] = true
	}
	if !got["edge_session"] || !got["after_alert"] {
		t.Errorf("cookies %v: want the crashed page's cookie kept and the next page's captured in the same browser context", got)
	}
}

// Failures of the whole site: the page names the cause and the crawl
// reports that no page loaded.
func TestUnreachableSites(t *testing.T) {
	// A port that was free a moment ago: nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := ln.Addr().String()
	ln.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<p>plain</p>") }))
	defer plain.Close()
	tests := []struct {
		name, url string
		browser   chrome.Options
		kind      string
		text      string
	}{
		{"unknown host", "https://no-such-host.invalid/", chrome.Options{}, "dns", "unknown host"},
		{"connection refused", "https://" + closedPort + "/", chrome.Options{}, "refused", "connection refused"},
		{"unsafe port", "http://127.0.0.1:1/", chrome.Options{}, "unsafe-port", "common web port"},
		{"https on a plain HTTP port", "https://" + plain.Listener.Addr().String() + "/", chrome.Options{}, "no-tls", "try the http:// URL"},
		{"untrusted certificate without -k", "https://www.kystbyg.test/", chrome.Options{Network: hostmap.Network{ConnectTo: env.ConnectTo}}, "tls", "pass -k/--insecure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := chrome.Start(context.Background(), tt.browser)
			if err != nil {
				browsertest.RequireBrowser(t, err)
			}
			defer b.Close()
			opts := crawler.Options{States: []cookie.State{cookie.Before}, Timeout: 5 * time.Second, Network: tt.browser.Network}
			obs, err := crawler.Crawl(context.Background(), b, startURL(t, tt.url), opts)
			if !errors.Is(err, crawler.ErrNoPages) {
				t.Fatalf("err = %v, want ErrNoPages", err)
			}
			p := stateOf(obs, cookie.Before).Pages[0]
			if string(p.ErrorKind) != tt.kind || !strings.Contains(p.Error, tt.text) || !strings.HasPrefix(p.Error, tt.url) {
				t.Errorf("page error kind %q %q; want %q naming the page and containing %q", p.ErrorKind, p.Error, tt.kind, tt.text)
			}
			if len(obs.DiscoveryErrors) == 0 {
				t.Errorf("discovery recorded no error for an unreachable start page")
			}
		})
	}
}
