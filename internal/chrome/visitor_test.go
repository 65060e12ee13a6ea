package chrome_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// probePage reports what page script can learn about the browser, from the
// page and from a worker (workers do not see per-tab overrides).
const probePage = `<!doctype html><title>probe</title><script>
window.probe = (async () => {
  const ua = navigator.userAgentData;
  const hi = ua ? await ua.getHighEntropyValues(['fullVersionList', 'platform', 'uaFullVersion']) : null;
  const worker = await new Promise((res) => {
    const w = new Worker(URL.createObjectURL(new Blob(['postMessage({ua: navigator.userAgent, wd: navigator.webdriver, brands: navigator.userAgentData ? navigator.userAgentData.brands : null})'])));
    w.onmessage = (e) => res(e.data);
    setTimeout(() => res(null), 3000);
  });
  return { webdriver: navigator.webdriver, ua: navigator.userAgent, brands: ua ? ua.brands : null, high: hi,
    languages: navigator.languages, tz: Intl.DateTimeFormat().resolvedOptions().timeZone, worker };
})();
</script>`

type probe struct {
	Webdriver bool            `json:"webdriver"`
	UA        string          `json:"ua"`
	Brands    json.RawMessage `json:"brands"`
	High      json.RawMessage `json:"high"`
	Languages []string        `json:"languages"`
	TZ        string          `json:"tz"`
	Worker    *struct {
		UA     string          `json:"ua"`
		WD     bool            `json:"wd"`
		Brands json.RawMessage `json:"brands"`
	} `json:"worker"`
}

// TestVisitorLikeBrowser: banners that hide from automation (for example
// vanilla-cookieconsent's hideFromBots reads navigator.webdriver) must show,
// so no tab of a scan may look automated or headless: not in script, not in
// a worker, not in the request headers, in none of the three consent states
// (each a fresh browser context), nor in a tab opened later in one of them.
func TestVisitorLikeBrowser(t *testing.T) {
	var mu sync.Mutex
	var headers []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers = append(headers, r.Header.Clone())
		mu.Unlock()
		// Ask for the high-entropy hints too, as sites that fingerprint do.
		w.Header().Set("Accept-CH", "Sec-CH-UA-Full-Version-List, Sec-CH-UA-Platform-Version")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, probePage)
	}))
	defer srv.Close()

	if _, err := chrome.FindExec(); err != nil {
		browsertest.RequireBrowser(t, err)
	}
	b, err := chrome.Start(context.Background(), chrome.Options{Locale: "da-DK"})
	if err != nil {
		browsertest.RequireBrowser(t, err)
	}
	defer b.Close()

	check := func(t *testing.T, tab context.Context) {
		t.Helper()
		ctx, cancel := context.WithTimeout(tab, 30*time.Second)
		defer cancel()
		// Twice: the second load sends the hints that Accept-CH asked for.
		for range 2 {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
				t.Fatal(err)
			}
		}
		res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "window.probe.then(JSON.stringify)", AwaitPromise: new(true), ReturnByValue: new(true)})
		if err != nil || res.ExceptionDetails != nil {
			t.Fatalf("probe: %v %v", err, res.ExceptionDetails)
		}
		var raw string
		if err := json.Unmarshal(res.Result.Value, &raw); err != nil {
			t.Fatal(err)
		}
		var p probe
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			t.Fatal(err)
		}
		if p.Webdriver {
			t.Errorf("navigator.webdriver is true")
		}
		if p.Worker == nil {
			t.Errorf("the worker did not answer")
		} else if p.Worker.WD || strings.Contains(p.Worker.UA, "Headless") || strings.Contains(string(p.Worker.Brands), "Headless") {
			t.Errorf("worker looks automated: %+v", *p.Worker)
		}
		for what, v := range map[string]string{"userAgent": p.UA, "userAgentData.brands": string(p.Brands), "high-entropy hints": string(p.High)} {
			if strings.Contains(v, "Headless") || v == "" || v == "null" {
				t.Errorf("%s = %s", what, v)
			}
		}
		if !strings.Contains(string(p.High), `"Google Chrome"`) {
			t.Errorf("full version list %s lacks the Chrome brand a visitor's browser has", p.High)
		}
		if len(p.Languages) == 0 || p.Languages[0] != "da-DK" {
			t.Errorf("navigator.languages = %v, want da-DK first", p.Languages)
		}
		if p.TZ != "Europe/Copenhagen" {
			t.Errorf("time zone %q, want Europe/Copenhagen", p.TZ)
		}
	}
	for _, state := range []string{"before", "accept", "reject"} {
		t.Run(state, func(t *testing.T) {
			tab, cancel := b.NewContext()
			defer cancel()
			check(t, tab)
			// A second tab in the same browser context, as the crawler opens
			// after a crash.
			again, cancel2 := chromedp.NewContext(tab)
			defer cancel2()
			if err := b.PrepareTab(again); err != nil {
				t.Fatal(err)
			}
			check(t, again)
		})
	}
	// The crawler's tabs: a browser context without a tab of its own, and
	// tabs opened in it.
	t.Run("browser context tabs", func(t *testing.T) {
		bc, err := b.NewBrowserContext(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer bc.Close()
		for range 2 {
			tab, cancel, err := bc.NewTab()
			if err != nil {
				t.Fatal(err)
			}
			defer cancel()
			check(t, tab)
		}
	})
	mu.Lock()
	defer mu.Unlock()
	if len(headers) == 0 {
		t.Fatal("the server saw no request")
	}
	for _, h := range headers {
		for _, k := range []string{"User-Agent", "Sec-Ch-Ua", "Sec-Ch-Ua-Full-Version-List"} {
			if strings.Contains(h.Get(k), "Headless") {
				t.Errorf("%s: %s", k, h.Get(k))
			}
		}
		if h.Get("Sec-Ch-Ua") == "" {
			t.Errorf("no Sec-CH-UA header: a visitor's Chrome sends one")
		}
		if !strings.HasPrefix(h.Get("Accept-Language"), "da-DK") {
			t.Errorf("Accept-Language %q, want da-DK first", h.Get("Accept-Language"))
		}
	}
}

func TestParseLocale(t *testing.T) {
	for _, c := range []struct{ in, tag, tz, accept string }{
		{"", "en-US", "America/New_York", "en-US,en;q=0.9"},
		{"da", "da-DK", "Europe/Copenhagen", "da-DK,da;q=0.9,en;q=0.8"},
		{"nl_BE", "nl-BE", "Europe/Brussels", "nl-BE,nl;q=0.9,en;q=0.8"},
		{"de-CH", "de-CH", "Europe/Zurich", "de-CH,de;q=0.9,en;q=0.8"},
	} {
		l, err := chrome.ParseLocale(c.in)
		if err != nil || l.Tag != c.tag || l.TimeZone != c.tz || l.AcceptLanguage() != c.accept {
			t.Errorf("ParseLocale(%q) = %+v (%q), %v", c.in, l, l.AcceptLanguage(), err)
		}
	}
	for _, bad := range []string{"danish", "da-DK-x", "'; rm", "d"} {
		if _, err := chrome.ParseLocale(bad); err == nil || !strings.Contains(err.Error(), "language tag") {
			t.Errorf("ParseLocale(%q): %v", bad, err)
		}
	}
	if l := chrome.LocaleFromLang("sv-SE"); l.TimeZone != "Europe/Stockholm" {
		t.Errorf("LocaleFromLang(sv-SE) = %+v", l)
	}
	if l := chrome.LocaleFromLang("<script>"); l.Tag != "en-US" {
		t.Errorf("LocaleFromLang(junk) = %+v", l)
	}
}
