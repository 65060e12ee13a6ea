package classifier

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

func embedded(t testing.TB) *knowncookies.DB {
	t.Helper()
	db, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func newClassifier(t testing.TB, db *knowncookies.DB, site string) *Classifier {
	t.Helper()
	c, err := New(Options{DB: db, SiteDomain: site})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDemoSite classifies the cookies the demo site (testdata/sites/demo,
// www.kystbyg.test, a Dynamicweb site) and its third parties set.
//
// Judgements: YouTube's VISITOR_INFO1_LIVE and YSC are marketing, since
// YouTube uses them for recommendations and ad measurement across sites;
// Zendesk Chat's __zlcmid is preferences: it keeps the visitor's chat
// conversation, a feature the visitor uses, but no more than that.
func TestDemoSite(t *testing.T) {
	const page = "https://www.kystbyg.test/"
	first := func(name, value string, days float64) cookie.Observed {
		return cookie.Observed{Name: name, Domain: ".kystbyg.test", Path: "/", Value: value, LifespanDays: days, Session: days == 0,
			SetBy: cookie.Setter{Kind: cookie.SetByHeader, URL: page}}
	}
	third := func(name, domain, value string, days float64, setter string) cookie.Observed {
		return cookie.Observed{Name: name, Domain: domain, Path: "/", Value: value, LifespanDays: days, Session: days == 0,
			SetBy: cookie.Setter{Kind: cookie.SetByHeader, URL: setter}}
	}
	obs := []cookie.Observed{
		{Name: "ASP.NET_SessionId", Domain: "www.kystbyg.test", HostOnly: true, Path: "/", Value: "q2w3e4r5t6y7u8i9o0p1a2s3", Session: true},
		first("Dynamicweb.VisitorID", "7f3c9a1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b", 730),
		first("Dynamicweb.VisitDate", "2026-11-21", 365),
		first("__utma", "123456789.987654321.1763700000.1763700000.1763700000.1", 730),
		first("__utmb", "123456789.1.10.1763700000", 0.02),
		first("__utmc", "123456789", 0),
		first("__utmz", "123456789.1763700000.1.1.utmcsr=(direct)|utmccn=(direct)|utmcmd=(none)", 180),
		first("__utmv", "123456789.|1=segment=pro=1", 730),
		first("_ga", "GA1.1.1234567890.1763700000", 400),
		first("_ga_XXXXXXX", "GS1.1.1763700000.1.0.1763700000.0.0.0", 400),
		first("_gid", "GA1.1.987654321.1763700000", 1),
		third("VISITOR_INFO1_LIVE", ".youtube.com", "Zx9_aB3cD4e", 180, "https://www.youtube.com/embed/abc"),
		third("YSC", ".youtube.com", "q1w2e3r4t5y", 0, "https://www.youtube.com/embed/abc"),
		{Name: "_fbp", Domain: ".kystbyg.test", Path: "/", Value: "fb.1.1763700000000.1234567890", LifespanDays: 90,
			SetBy: cookie.Setter{Kind: cookie.SetByScript, URL: "https://connect.facebook.net/en_US/fbevents.js"}},
		third("fr", ".facebook.com", "0abcDEF123.AWX", 90, "https://www.facebook.com/tr/"),
		first("__atuvc", "1%7C47", 395),
		first("__atuvs", "691f3c2d0a1b2c3d000", 0.02),
		first("__zlcmid", "1AbCdEfGhIjKlMn", 365),
	}
	want := map[string]struct {
		vendor string
		cat    cookie.Category
		party  cookie.Party
	}{
		"ASP.NET_SessionId":    {"Dynamicweb", cookie.Necessary, cookie.FirstParty},
		"Dynamicweb.VisitorID": {"Dynamicweb", cookie.Necessary, cookie.FirstParty},
		"Dynamicweb.VisitDate": {"Dynamicweb", cookie.Necessary, cookie.FirstParty},
		"__utma":               {"Google Analytics", cookie.Statistics, cookie.FirstParty},
		"__utmb":               {"Google Analytics", cookie.Statistics, cookie.FirstParty},
		"__utmc":               {"Google Analytics", cookie.Statistics, cookie.FirstParty},
		"__utmz":               {"Google Analytics", cookie.Statistics, cookie.FirstParty},
		"__utmv":               {"Google Analytics", cookie.Statistics, cookie.FirstParty},
		"_ga":                  {"Google Analytics", cookie.Statistics, cookie.FirstParty},
		"_ga_XXXXXXX":          {"Google Analytics", cookie.Statistics, cookie.FirstParty},
		"_gid":                 {"Google Analytics", cookie.Statistics, cookie.FirstParty},
		"VISITOR_INFO1_LIVE":   {"YouTube", cookie.Marketing, cookie.ThirdParty},
		"YSC":                  {"YouTube", cookie.Marketing, cookie.ThirdParty},
		"_fbp":                 {"Meta", cookie.Marketing, cookie.FirstParty},
		"fr":                   {"Meta", cookie.Marketing, cookie.ThirdParty},
		"__atuvc":              {"AddThis", cookie.Marketing, cookie.FirstParty},
		"__atuvs":              {"AddThis", cookie.Marketing, cookie.FirstParty},
		"__zlcmid":             {"Zendesk Chat", cookie.Preferences, cookie.FirstParty},
	}
	c := newClassifier(t, embedded(t), page)
	c.ClassifyAll(obs)
	for _, o := range obs {
		w, ok := want[o.Name]
		if !ok {
			t.Fatalf("no expectation for %s", o.Name)
		}
		if o.Label.Vendor != w.vendor || o.Label.Category != w.cat || o.Party != w.party {
			t.Errorf("%s on %s: got %s / %s / %s (%s), want %s / %s / %s", o.Name, o.Domain,
				o.Label.Vendor, o.Label.Category, o.Party, o.Label.Reason, w.vendor, w.cat, w.party)
		}
		if o.Label.Confidence != cookie.High {
			t.Errorf("%s: confidence %s, want high (%s)", o.Name, o.Label.Confidence, o.Label.Reason)
		}
		if o.Label.Reason == "" || o.Label.Source != knowncookies.SourceEmbedded {
			t.Errorf("%s: reason %q, source %q", o.Name, o.Label.Reason, o.Label.Source)
		}
		if o.RegistrableDomain == "" {
			t.Errorf("%s: registrable domain not filled", o.Name)
		}
	}
	if got := obs[0].Label.Reason; !strings.Contains(got, "Dynamicweb, which is built on ASP.NET") {
		t.Errorf("ASP.NET_SessionId reason %q does not say why it is Dynamicweb's", got)
	}
}

// Without a Dynamicweb cookie in the jar, ASP.NET_SessionId is ASP.NET's.
func TestPlatformNeedsEvidence(t *testing.T) {
	obs := []cookie.Observed{{Name: "ASP.NET_SessionId", Domain: "shop.example.com", Session: true}}
	newClassifier(t, embedded(t), "shop.example.com").ClassifyAll(obs)
	if l := obs[0].Label; l.Vendor != "ASP.NET" || l.Category != cookie.Necessary {
		t.Errorf("got %+v", l)
	}
}

func TestThirdPartyNecessaryOfTracker(t *testing.T) {
	c := newClassifier(t, embedded(t), "example.com")
	// LinkedIn calls lidc necessary (it routes requests to a data centre);
	// for the site that embeds LinkedIn's tag it is LinkedIn's marketing.
	l := c.Classify(cookie.Observed{Name: "lidc", Domain: ".linkedin.com"})
	if l.Category != cookie.Marketing || !strings.Contains(l.Reason, "only because the site embeds LinkedIn") {
		t.Errorf("lidc: %+v", l)
	}
	// Cloudflare's bot cookie on someone else's domain stays necessary.
	l = c.Classify(cookie.Observed{Name: "__cf_bm", Domain: ".vendor.example.net"})
	if l.Category != cookie.Necessary || l.Vendor != "Cloudflare" {
		t.Errorf("__cf_bm: %+v", l)
	}
	// First party, LinkedIn's own site: necessary.
	l = newClassifier(t, embedded(t), "www.linkedin.com").Classify(cookie.Observed{Name: "lidc", Domain: ".linkedin.com"})
	if l.Category != cookie.Necessary {
		t.Errorf("lidc first party: %+v", l)
	}
}

// TestHostLabels checks the host map and setter rules of the hand-written
// path (NoModel); TestModel checks the same evidence through the model.
func TestHostLabels(t *testing.T) {
	c, err := New(Options{DB: embedded(t), SiteDomain: "example.com", NoModel: true})
	if err != nil {
		t.Fatal(err)
	}
	l := c.Classify(cookie.Observed{Name: "zz_unknown", Domain: ".x.doubleclick.net", Value: "abc"})
	if l.Vendor != "Google Ads" || l.Category != cookie.Marketing || l.Source != SourceHost || !strings.Contains(l.Reason, "doubleclick.net") {
		t.Errorf("cookie on doubleclick: %+v", l)
	}
	l = c.Classify(cookie.Observed{Name: "zz_unknown", Domain: ".example.com", Value: "abc", LifespanDays: 30,
		SetBy: cookie.Setter{Kind: cookie.SetByScript, URL: "https://static.hotjar.com/c/hotjar-1.js"}})
	if l.Vendor != "Hotjar" || l.Category != cookie.Statistics || l.Confidence != cookie.Low || !strings.Contains(l.Reason, "set by host static.hotjar.com") {
		t.Errorf("cookie set by Hotjar's script: %+v", l)
	}
	// A tag manager's script writes cookies for other tags: no attribution.
	l = c.Classify(cookie.Observed{Name: "zz_unknown", Domain: ".example.com", Value: "abc", LifespanDays: 30,
		SetBy: cookie.Setter{Kind: cookie.SetByScript, URL: "https://www.googletagmanager.com/gtm.js?id=GTM-1"}})
	if l.Vendor != "" || l.Category != cookie.Unclassified {
		t.Errorf("cookie set by GTM: %+v", l)
	}

	reqs := []cookie.Request{{Host: "www.google-analytics.com"}, {Host: "cdn.example-unknown.org"}, {Host: "v2.zopim.com"}}
	c.ClassifyRequests(reqs)
	if reqs[0].Vendor != "Google Analytics" || reqs[0].Category != cookie.Statistics || reqs[0].RegistrableDomain != "google-analytics.com" {
		t.Errorf("request 0: %+v", reqs[0])
	}
	if reqs[1].Vendor != "" || reqs[1].Category != "" {
		t.Errorf("request 1: %+v", reqs[1])
	}
	if reqs[2].Vendor != "Zendesk Chat" {
		t.Errorf("request 2: %+v", reqs[2])
	}
}

// TestHeuristics checks the name rules, which the model uses as features and
// falls back on when it is unsure; NoModel shows them alone.
func TestHeuristics(t *testing.T) {
	c, err := New(Options{SiteDomain: "example.com", NoModel: true})
	if err != nil {
		t.Fatal(err)
	}
	const uuid = "3f2b8c1e-9a7d-4e5f-b6c3-2d1e0f9a8b7c"
	tests := []struct {
		name   string
		obs    cookie.Observed
		want   cookie.Category
		reason string
	}{
		{"session id", cookie.Observed{Name: "myapp_session", Domain: "example.com", Session: true, Value: "x8Yz0qWeRt1234567890abcd"}, cookie.Necessary, "session id"},
		{"csrf", cookie.Observed{Name: "XSRF-TOKEN", Domain: "example.com", Session: true}, cookie.Necessary, "request-forgery"},
		{"consent", cookie.Observed{Name: "site_cookie_consent", Domain: ".example.com", LifespanDays: 365, Value: "all"}, cookie.Necessary, "consent"},
		{"load balancer", cookie.Observed{Name: "lb_route", Domain: "example.com", Session: true, Value: "node3"}, cookie.Necessary, "load balancer"},
		{"language", cookie.Observed{Name: "siteLanguage", Domain: "example.com", LifespanDays: 365, Value: "da"}, cookie.Preferences, "language"},
		{"currency", cookie.Observed{Name: "currency", Domain: "example.com", LifespanDays: 30, Value: "EUR"}, cookie.Preferences, "language"},
		{"a user's settings are no sign-in", cookie.Observed{Name: "user_prefs", Domain: "example.com", LifespanDays: 365, Value: "dark"}, cookie.Preferences, "display setting"},
		{"a page view is no display setting", cookie.Observed{Name: "news_page_view", Domain: "example.com", LifespanDays: 365, Value: "12"}, cookie.Statistics, "analytics"},
		{"sign-in", cookie.Observed{Name: "user_token", Domain: "example.com", LifespanDays: 14, Value: uuid}, cookie.Necessary, "sign-in"},
		{"cart", cookie.Observed{Name: "shop_cart_id", Domain: "example.com", LifespanDays: 14, Value: uuid}, cookie.Necessary, "cart"},
		{"hash name", cookie.Observed{Name: "a5f3c6a11b03839d46af9fb43c97c188", Domain: "example.com", Session: true}, cookie.Necessary, "hash"},
		{"third-party id", cookie.Observed{Name: "zq", Domain: ".adtech.example.net", LifespanDays: 400, Value: uuid}, cookie.Marketing, "UUID value, 400-day lifespan, third party"},
		{"third-party id numeric", cookie.Observed{Name: "zq", Domain: ".adtech.example.net", LifespanDays: 90, Value: "1613226782706.1497060586"}, cookie.Marketing, "numeric identifier"},
		{"campaign word", cookie.Observed{Name: "utm_source", Domain: "example.com", LifespanDays: 30, Value: "newsletter"}, cookie.Marketing, "attribution"},
		{"analytics word", cookie.Observed{Name: "visitor_count", Domain: "example.com", LifespanDays: 365, Value: "3"}, cookie.Statistics, "analytics"},
		{"first-party id stays unsure", cookie.Observed{Name: "zq", Domain: "example.com", LifespanDays: 400, Value: uuid}, cookie.Unclassified, "unsure"},
		{"third-party session flag stays unsure", cookie.Observed{Name: "zq", Domain: ".other.example.net", Session: true, Value: "1"}, cookie.Unclassified, "unsure"},
		{"lifespan from dates", cookie.Observed{Name: "zq", Domain: ".adtech.example.net", Value: uuid,
			SetAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}, cookie.Marketing, "365-day lifespan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := c.Classify(tc.obs)
			if l.Category != tc.want || !strings.Contains(l.Reason, tc.reason) || l.Source != SourceHeuristic {
				t.Errorf("Classify(%s) = %s (%s), want %s with %q", tc.obs.Name, l.Category, l.Reason, tc.want, tc.reason)
			}
			if l.Confidence == cookie.High {
				t.Errorf("a heuristic must not claim high confidence: %+v", l)
			}
		})
	}
}

func TestIdentifierKind(t *testing.T) {
	ids := map[string]string{
		"3f2b8c1e-9a7d-4e5f-b6c3-2d1e0f9a8b7c": "UUID",
		"GA1.2.1234567890.1613226782":          "random identifier",
		"1613226782706.1497060586":             "numeric identifier",
		"AQEDAT9xYz3kPq0BAAABd8mNqR0AAAF37":    "random identifier",
		"1":                                    "",
		"true":                                 "",
		"en-GB":                                "",
		"1613226782":                           "",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":       "",
	}
	for v, want := range ids {
		if got := identifierKind(v); got != want {
			t.Errorf("identifierKind(%q) = %q, want %q", v, got, want)
		}
	}
}

func TestParty(t *testing.T) {
	c := newClassifier(t, nil, "https://www.shop.co.uk/basket")
	for domain, want := range map[string]cookie.Party{
		".shop.co.uk": cookie.FirstParty, "www.shop.co.uk": cookie.FirstParty,
		".other.co.uk": cookie.ThirdParty, ".co.uk.example.com": cookie.ThirdParty,
	} {
		if got := c.Party(cookie.Observed{Domain: domain}); got != want {
			t.Errorf("Party(%s) = %s, want %s", domain, got, want)
		}
	}
	// The crawler's party stands.
	if got := c.Party(cookie.Observed{Domain: ".other.co.uk", Party: cookie.FirstParty}); got != cookie.FirstParty {
		t.Errorf("the crawler's party was overridden: %s", got)
	}
	if _, err := New(Options{SiteDomain: "https://"}); err == nil {
		t.Error("New accepted a site without a host")
	}
}

func TestNoDatabaseNoHeuristics(t *testing.T) {
	c, err := New(Options{NoHeuristics: true})
	if err != nil {
		t.Fatal(err)
	}
	if l := c.Classify(cookie.Observed{Name: "_ga", Domain: ".example.com"}); l.Category != cookie.Unclassified {
		t.Errorf("got %+v", l)
	}
}

func ExampleClassifier_Classify() {
	db, err := knowncookies.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := New(Options{DB: db, SiteDomain: "www.example.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	l := c.Classify(cookie.Observed{Name: "_ga_ABC123", Domain: ".example.com"})
	fmt.Println(l.Vendor, "/", l.Category, "/", l.Confidence)
	fmt.Println(l.Reason)
	// Output:
	// Google Analytics / statistics / high
	// pattern _ga_<…> in embedded database
}
