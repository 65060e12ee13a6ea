package scan_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
	"github.com/cookiescan/cookiescan/scan"
)

// drawnSite is a site whose cookie declaration a script draws from data it
// fetches after the load event, as consent platforms' declaration widgets
// do. It counts the pages Chrome loads (requests for a document); the
// scan's own Go clients send no Sec-Fetch-Dest.
type drawnSite struct {
	mu    sync.Mutex
	loads map[string]int
}

const drawnHome = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour Tea</title></head>
<body><h1>Harbour Tea</h1><p>Loose-leaf tea from the harbour.</p>
<script>document.cookie = "ht_visit=1; path=/";</script>
<footer><a href="/about/">About us</a> <a href="/cookie-policy/">Cookie policy</a></footer></body></html>`

const drawnAbout = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>About</title></head>
<body><h1>About Harbour Tea</h1><p>Since 1998.</p><a href="/">Home</a></body></html>`

const drawnPolicy = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Cookie policy</title></head>
<body><h1>Cookie policy</h1><p>The cookies we set are listed below.</p><div id="cookie-list"></div>
<script>
fetch("/cookie-data.json").then(function (r) { return r.json(); }).then(function (rows) {
  var t = document.createElement("table"), head = t.insertRow();
  ["Name", "Provider", "Purpose", "Category", "Expiry"].forEach(function (c) { var th = document.createElement("th"); th.textContent = c; head.appendChild(th); });
  rows.forEach(function (r) { var tr = t.insertRow(); r.forEach(function (c) { tr.insertCell().textContent = c; }); });
  document.getElementById("cookie-list").appendChild(t);
});
</script><a href="/">Home</a></body></html>`

const drawnData = `[["ht_visit", "Harbour Tea", "Keeps the basket", "Necessary", "Session"],
 ["_ga", "Google", "Distinguishes visitors", "Statistics", "2 years"]]`

func (s *drawnSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Sec-Fetch-Dest") == "document" {
		s.mu.Lock()
		s.loads[r.URL.Path]++
		s.mu.Unlock()
	}
	body, typ := "", "text/html; charset=utf-8"
	switch r.URL.Path {
	case "/":
		body = drawnHome
	case "/about/":
		body = drawnAbout
	case "/cookie-policy/":
		body = drawnPolicy
	case "/cookie-data.json":
		body, typ = drawnData, "application/json"
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", typ)
	fmt.Fprint(w, body)
}

func (s *drawnSite) pageLoads() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.loads {
		out[k] = v
	}
	return out
}

// TestDeclarationReadFromTheCrawl: the declaration's pages are read from the
// before-consent state's own visit of them, as rendered there (the table
// the script drew after the load is in it), and are not loaded once more in
// a browser context of their own: each page is loaded once per state.
func TestDeclarationReadFromTheCrawl(t *testing.T) {
	site := &drawnSite{loads: map[string]int{}}
	srv := httptest.NewTLSServer(site)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	network := hostmap.Network{Insecure: true, ConnectTo: []hostmap.Rule{{ToHost: "127.0.0.1", ToPort: port}}}

	b, err := chrome.Start(context.Background(), chrome.Options{Network: network})
	if err != nil {
		browsertest.RequireBrowser(t, err)
	}
	defer b.Close()
	res, err := scan.Run(context.Background(), scan.Options{
		URL:        "https://www.harbourtea.test/",
		Browser:    chrome.Options{Network: network},
		UseBrowser: b,
		NoConsent:  true,
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	if res.Declaration == nil {
		t.Fatalf("no declaration read: %s", res.DeclarationError)
	}
	var got []string
	for _, c := range res.Declaration.Cookies {
		got = append(got, c.Name+" "+string(c.Category))
	}
	if diff := cmp.Diff([]string{"ht_visit necessary", "_ga statistics"}, got); diff != "" {
		t.Errorf("declared cookies (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(res.Declaration.URL, "/cookie-policy/") {
		t.Errorf("declaration read from %q, want the cookie policy page", res.Declaration.URL)
	}
	states := len(res.Observation.States)
	want := map[string]int{"/": states, "/about/": states, "/cookie-policy/": states}
	if diff := cmp.Diff(want, site.pageLoads()); diff != "" {
		t.Errorf("pages Chrome loaded (-want +got): one load per state and none for the declaration:\n%s", diff)
	}
}

// TestBadCrawlOptionsDoNotStrandTheDeclaration: the declaration reader waits
// for the crawl's plan; a crawl that refuses its options must still release
// it, so the scan returns the error instead of hanging.
func TestBadCrawlOptionsDoNotStrandTheDeclaration(t *testing.T) {
	opts := demoOptions()
	opts.UseBrowser = env.Browser(t, false)
	opts.Crawler.Tabs = 1000
	done := make(chan error, 1)
	go func() {
		_, err := scan.Run(context.Background(), opts)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "Tabs 1000") {
			t.Errorf("scan with 1000 tabs: %v, want the crawler's refusal", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the scan did not return: the declaration reader is left waiting for a crawl that never started")
	}
}
