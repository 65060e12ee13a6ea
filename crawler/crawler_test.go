package crawler_test

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/hostmap"
)

var env *browsertest.Env

func TestMain(m *testing.M) { browsertest.Main(m, &env) }

func options() crawler.Options {
	return crawler.Options{Network: hostmap.Network{Insecure: true, ConnectTo: env.ConnectTo}, Timeout: 15 * time.Second}
}

// demoConsent clicks the demo banner's own buttons by id. The crawler's tests
// use it so that they test capture, not the consent engine (which has its
// own tests on every platform).
type demoConsent struct{}

func (demoConsent) Apply(ctx context.Context, action string) (cookie.ConsentOutcome, error) {
	out := cookie.ConsentOutcome{Action: action, BannerFound: true, Platform: "test"}
	var steps []string
	switch action {
	case "accept":
		steps = []string{"#cookie-ok"}
	case "reject":
		steps = []string{"#cookie-settings-open", "#cookie-reject"}
	}
	for _, sel := range steps {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
			return out, err
		}
		out.Clicked = append(out.Clicked, sel)
	}
	out.Verified = action != "none"
	return out, nil
}

// jarLine renders what the tests assert of a cookie: name, domain, party,
// session or lifespan in whole days, and how it was set.
func jarLine(c cookie.Observed) string {
	life := "session"
	if !c.Session {
		life = fmt.Sprintf("%dd", int(c.LifespanDays+0.5))
	}
	return fmt.Sprintf("%s %s %s %s %s", c.Name, c.Domain, c.Party, life, c.SetBy.Kind)
}

// inState is one state of a crawl with the cookies it saw, each with
// what that state saw of it: the per-state view the tests check.
type inState struct {
	*cookie.StateObservation
	Cookies []cookie.Observed
}

// startURL parses a start URL as the scan does, once.
func startURL(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := crawler.ParseStartURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func stateOf(res *crawler.Result, s cookie.State) inState {
	return inState{res.State(s), cookie.SeenInState(res.Inventory, s)}
}

func jar(st inState) []string {
	var lines []string
	for _, c := range st.Cookies {
		lines = append(lines, jarLine(c))
	}
	sort.Strings(lines)
	return lines
}

// Lifespans are whole days from the time the cookie was set. Chrome caps every
// expiry at 400 days, so a "2 years" cookie lives 400 days.
var (
	demoBefore = []string{
		"ASP.NET_SessionId www.kystbyg.test first session header",
		"Dynamicweb.VisitDate www.kystbyg.test first 365d header",
		"Dynamicweb.VisitorID www.kystbyg.test first 400d header",
		"VISITOR_INFO1_LIVE .youtube.com third 180d header",
		"YSC .youtube.com third session header",
		"__Secure-ROLLOUT_TOKEN .youtube.com third 180d header",
		"__utma .kystbyg.test first 400d script",
		"__utmb .kystbyg.test first 0d script",
		"__utmc .kystbyg.test first session script",
		"__utmz .kystbyg.test first 180d script",
		"kbx_t www.kystbyg.test first 30d script",
	}
	demoReject = sortedUnion(demoBefore,
		"_fbp .kystbyg.test first 90d script",
		"fr .facebook.com third 90d header",
		"kystbyg_consent www.kystbyg.test first 365d script",
	)
	demoAccept = sortedUnion(demoReject,
		"__atuvc .kystbyg.test first 395d script",
		"__atuvs .kystbyg.test first 0d script",
		"__zlcmid .kystbyg.test first 365d script",
		"_ga .kystbyg.test first 400d script",
		"_ga_KYST123 .kystbyg.test first 400d script",
		"_gcl_au .kystbyg.test first 90d script",
		"_hjSessionUser_3141592 .kystbyg.test first 365d script",
		"_hjSession_3141592 .kystbyg.test first 0d script",
		"cto_bundle .kystbyg.test first 395d script",
		"loc .addthis.com third 395d header",
		"uid .addthis.com third 395d header",
		"uid .criteo.com third 395d header",
	)
)

func sortedUnion(base []string, more ...string) []string {
	out := append(append([]string(nil), base...), more...)
	sort.Strings(out)
	return out
}

// tabCounts are the pool sizes the exact-set tests run with: one tab (pages
// one after another) and the most the default opens, asked for explicitly:
// left to choose, a state of a few pages keeps to one tab (TabsFor), and the
// pool would go untested. The output must not differ.
var tabCounts = []int{1, crawler.DefaultTabs()}

func tabsName(n int) string { return fmt.Sprintf("tabs=%d", n) }

func crawlDemo(t *testing.T, blockThirdParty bool, tabs int) *crawler.Result {
	t.Helper()
	b := env.Browser(t, blockThirdParty)
	opts := options()
	opts.Consent = demoConsent{}
	opts.Tabs = tabs
	obs, err := crawler.Crawl(context.Background(), b, startURL(t, "https://www.kystbyg.test/"), opts)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	return obs
}

func TestDemoCookiesPerState(t *testing.T) {
	for _, tabs := range tabCounts {
		t.Run(tabsName(tabs), func(t *testing.T) { demoCookiesPerState(t, tabs) })
	}
}

func demoCookiesPerState(t *testing.T, tabs int) {
	obs := crawlDemo(t, false, tabs)
	want := map[cookie.State][]string{cookie.Before: demoBefore, cookie.Accept: demoAccept, cookie.Reject: demoReject}
	for _, s := range cookie.States() {
		st := stateOf(obs, s)
		if st.StateObservation == nil {
			t.Fatalf("no observation for state %s", s)
		}
		if diff := cmp.Diff(want[s], jar(st)); diff != "" {
			t.Errorf("state %s: cookie jar (-want +got):\n%s", s, diff)
		}
		for _, p := range st.Pages {
			if p.Failed() {
				t.Errorf("state %s: page %s failed: %s", s, p.URL, p.Error)
			}
		}
	}

	// Who set it and where it first appeared.
	before := stateOf(obs, cookie.Before)
	setters := map[string]string{}
	for _, c := range before.Cookies {
		setters[c.Name] = c.SetBy.URL + " @" + c.FirstSeenPage
	}
	for name, want := range map[string]string{
		"__utma":             "https://www.google-analytics.com/ga.js @https://www.kystbyg.test/",
		"kbx_t":              "https://www.kystbyg.test/js/site.js @https://www.kystbyg.test/",
		"ASP.NET_SessionId":  "https://www.kystbyg.test/ @https://www.kystbyg.test/",
		"VISITOR_INFO1_LIVE": "https://www.youtube.com/embed/kystbyg-site-tour @https://www.kystbyg.test/projects/",
	} {
		if setters[name] != want {
			t.Errorf("%s: setter and first page = %q, want %q", name, setters[name], want)
		}
	}
	accept := stateOf(obs, cookie.Accept)
	for _, c := range accept.Cookies {
		if c.Name == "__zlcmid" && c.FirstSeenPage != "https://www.kystbyg.test/contact/" {
			t.Errorf("__zlcmid first seen on %s, want the contact page (the only page with the chat)", c.FirstSeenPage)
		}
		if c.Name == "_fbp" && c.SetBy.URL != "https://connect.facebook.net/en_US/fbevents.js" {
			t.Errorf("_fbp set by %q, want the pixel script", c.SetBy.URL)
		}
	}

	// Third-party hosts contacted per state.
	hosts := func(st inState) []string {
		var out []string
		for _, r := range st.Requests {
			out = append(out, r.Host)
		}
		return out
	}
	if diff := cmp.Diff([]string{"www.google-analytics.com", "www.youtube.com"}, hosts(before)); diff != "" {
		t.Errorf("before: third-party hosts (-want +got):\n%s", diff)
	}
	for _, h := range []string{"static.criteo.net", "sslwidget.criteo.com", "in.hotjar.com", "www.facebook.com", "region1.google-analytics.com", "v2.zopim.com"} {
		if !strings.Contains(strings.Join(hosts(accept), " "), h) {
			t.Errorf("accept: no request to %s recorded; got %v", h, hosts(accept))
		}
	}
	if got := strings.Join(hosts(stateOf(obs, cookie.Reject)), " "); strings.Contains(got, "criteo") || !strings.Contains(got, "www.facebook.com") {
		t.Errorf("reject: hosts %v: want the leaking Facebook pixel and no Criteo", got)
	}
	// Google Consent Mode signals on the GA4 beacon.
	if len(accept.Consent.ConsentMode) == 0 || accept.Consent.ConsentMode[0].Value == "" {
		t.Errorf("accept: no Consent Mode signal recorded from the gcs/gcd parameters")
	}
	// Partitioned (CHIPS) cookies are keyed by the top-level site.
	for _, c := range before.Cookies {
		if c.Name == "__Secure-ROLLOUT_TOKEN" && (!c.Partitioned || c.PartitionKey != "https://kystbyg.test") {
			t.Errorf("%s: partitioned %v key %q, want a cookie partitioned under https://kystbyg.test", c.Name, c.Partitioned, c.PartitionKey)
		}
		if c.Name == "VISITOR_INFO1_LIVE" && c.Partitioned {
			t.Errorf("%s is not partitioned, but was recorded so", c.Name)
		}
	}
	// Web Storage is recorded too: the scan must see more than cookies.
	var storage []string
	for _, it := range before.Storage {
		storage = append(storage, it.Kind+" "+it.Origin+" "+it.Key+" @"+it.Page)
	}
	wantStorage := []string{
		"session https://www.kystbyg.test kystbyg_visit_start @https://www.kystbyg.test/",
		"local https://www.youtube.com yt-remote-device-id @https://www.kystbyg.test/projects/",
	}
	if diff := cmp.Diff(wantStorage, storage); diff != "" {
		t.Errorf("before: Web Storage (-want +got):\n%s", diff)
	}
	if len(obs.Pages) != 7 {
		t.Errorf("pages = %d %v, want the 7 public pages", len(obs.Pages), obs.Pages)
	}
}

func TestBlockThirdPartyCookies(t *testing.T) {
	obs := crawlDemo(t, true, 0)
	before := stateOf(obs, cookie.Before)
	partitioned := false
	for _, c := range before.Cookies {
		switch {
		case c.Party == cookie.ThirdParty && c.Partitioned:
			// Browsers that block third-party cookies still accept
			// partitioned ones: a scan must not miss them.
			partitioned = partitioned || c.Name == "__Secure-ROLLOUT_TOKEN"
		case c.Party == cookie.ThirdParty:
			t.Errorf("third-party cookie %s on %s stored although third-party cookies are blocked", c.Name, c.Domain)
		}
	}
	if !partitioned {
		t.Error("the partitioned YouTube cookie was not stored with third-party cookies blocked")
	}
	var blocked []string
	for _, b := range before.Blocked {
		blocked = append(blocked, b.Name+" "+b.Domain+" "+strings.Join(b.Reasons, ","))
	}
	sort.Strings(blocked)
	want := []string{
		"VISITOR_INFO1_LIVE .youtube.com UserPreferences",
		"YSC .youtube.com UserPreferences",
	}
	if diff := cmp.Diff(want, blocked); diff != "" {
		t.Errorf("blocked Set-Cookie attempts (-want +got):\n%s", diff)
	}
	accept := stateOf(obs, cookie.Accept)
	var acceptBlocked []string
	for _, b := range accept.Blocked {
		acceptBlocked = append(acceptBlocked, b.Name+" "+b.Domain)
	}
	for _, w := range []string{"fr .facebook.com", "uid .criteo.com", "uid .addthis.com"} {
		if !strings.Contains(strings.Join(acceptBlocked, "|"), w) {
			t.Errorf("accept: blocked attempt %q not recorded; got %v", w, acceptBlocked)
		}
	}
}

func TestLateTrackersAreCaught(t *testing.T) {
	for _, tabs := range tabCounts {
		t.Run(tabsName(tabs), func(t *testing.T) { lateTrackersAreCaught(t, tabs) })
	}
}

func lateTrackersAreCaught(t *testing.T, tabs int) {
	b := env.Browser(t, false)
	opts := options()
	opts.Tabs = tabs
	opts.States = []cookie.State{cookie.Before}
	const lazy = "https://www.lazyload.test/"
	opts.Pages = []string{lazy}
	if tabs != 1 {
		// The lazy page in the pool, beside other pages.
		opts.Pages = []string{lazy + "second.html", lazy + "second.html?2", lazy, lazy + "second.html?3"}
	}
	obs, err := crawler.Crawl(context.Background(), b, startURL(t, lazy), opts)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(jar(stateOf(obs, cookie.Before)), "\n")
	for _, want := range []string{
		"bcookie .linkedin.com third 365d header",     // fired by a timer 1.2 s after load
		"_hjSessionUser_3141592 .lazyload.test first", // fired only on scrolling to the bottom
		"fr .facebook.com third",                      // a scroll listener registered after load, then a pixel
	} {
		if !strings.Contains(got, want) {
			t.Errorf("late tracker cookie %q not captured; jar:\n%s", want, got)
		}
	}
}

// Several pages set the same cookies; with several tabs, a later page of the
// plan sets `shared` before the page that comes first in the plan does. The
// first page and the setter follow the plan, so they are the same with one
// tab and with several.
func TestAttributionFollowsPlanOrder(t *testing.T) {
	const site = "https://www.sharedjar.test/"
	want := []string{
		"other @" + site + "three/ by script " + site + "js/now.js",
		"shared @" + site + "one/ by script " + site + "js/late.js",
	}
	got := map[int][]string{}
	for _, tabs := range tabCounts {
		t.Run(tabsName(tabs), func(t *testing.T) {
			b := env.Browser(t, false)
			opts := options()
			opts.Tabs = tabs
			opts.States = []cookie.State{cookie.Before}
			opts.Pages = []string{site, site + "one/", site + "two/", site + "three/", site + "four/"}
			obs, err := crawler.Crawl(context.Background(), b, startURL(t, site), opts)
			if err != nil {
				t.Fatal(err)
			}
			st := stateOf(obs, cookie.Before)
			for _, p := range st.Pages {
				if p.Failed() {
					t.Errorf("page %s failed: %s", p.URL, p.Error)
				}
			}
			for _, c := range st.Cookies {
				got[tabs] = append(got[tabs], fmt.Sprintf("%s @%s by %s %s", c.Name, c.FirstSeenPage, c.SetBy.Kind, c.SetBy.URL))
			}
			if diff := cmp.Diff(want, got[tabs]); diff != "" {
				t.Errorf("cookies, first page and setter (-want +got):\n%s", diff)
			}
		})
	}
	one, many := tabCounts[0], tabCounts[1]
	if diff := cmp.Diff(got[one], got[many]); diff != "" {
		t.Errorf("one tab against %d (-one +%d):\n%s", many, many, diff)
	}
}
