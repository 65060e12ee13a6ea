package audit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/cookie"
)

const site = "https://www.shop.test/"

// ck builds an inventory cookie. Its states are given last.
func ck(name, domain string, party cookie.Party, cat cookie.Category, conf cookie.Confidence, vendor string, states ...cookie.State) cookie.Observed {
	return cookie.Observed{
		Name: name, Domain: domain, Path: "/", Party: party,
		Session: true, FirstSeenPage: site,
		SetBy: cookie.Setter{Kind: cookie.SetByScript, URL: "https://" + strings.TrimPrefix(domain, ".") + "/tag.js"},
		Label: cookie.Label{Vendor: vendor, Category: cat, Confidence: conf},
	}.WithStates(states...)
}

func persistent(c cookie.Observed, days float64) cookie.Observed {
	c.Session = false
	c.LifespanDays = days
	return c
}

// observation has the three states, the banner offering reject at its first
// layer and a verified reject, unless changed by the caller.
func observation() cookie.Observation {
	banner := cookie.ConsentOutcome{BannerFound: true, RejectAtFirstLayer: true, Platform: "Cookiebot",
		Buttons: []cookie.ConsentButton{{Label: "Allow all", Role: "accept"}, {Label: "Deny", Role: "reject"}}}
	before, accept, reject := banner, banner, banner
	before.Action, accept.Action, reject.Action = "none", "accept", "reject"
	accept.Verified, reject.Verified = true, true
	page := []cookie.PageVisit{{URL: site}}
	return cookie.Observation{
		Site: site, SiteDomain: "shop.test", Pages: []string{site},
		States: []cookie.StateObservation{
			{State: cookie.Before, Pages: page, Consent: before},
			{State: cookie.Accept, Pages: page, Consent: accept},
			{State: cookie.Reject, Pages: page, Consent: reject},
		},
	}
}

var (
	B, A, R = cookie.Before, cookie.Accept, cookie.Reject
	first   = cookie.FirstParty
	third   = cookie.ThirdParty
)

// only returns the findings of one rule as "subject@state severity".
func only(fs []Finding, rule string) []string {
	out := []string{}
	for _, f := range fs {
		if f.RuleID != rule {
			continue
		}
		subject := f.Vendor
		if f.Cookie != nil {
			subject = f.Cookie.Name
		}
		s := subject
		if f.State != "" {
			s += "@" + string(f.State)
		}
		out = append(out, s+" "+f.Severity.String())
	}
	return out
}

func declared(cookies []cookie.Declared, vendors ...cookie.DeclaredVendor) *cookie.Declaration {
	return &cookie.Declaration{URL: "https://www.shop.test/cookies", Cookies: cookies, Vendors: vendors}
}

func TestRules(t *testing.T) {
	ga := ck("_ga", ".shop.test", first, cookie.Statistics, cookie.High, "Google Analytics", A)
	gaBefore := ck("_ga", ".shop.test", first, cookie.Statistics, cookie.High, "Google Analytics", B, A, R)
	session := ck("ASP.NET_SessionId", "www.shop.test", first, cookie.Necessary, cookie.High, "Microsoft", B, A, R)
	fbp := ck("_fbp", ".shop.test", first, cookie.Marketing, cookie.High, "Meta", A, R)
	opaque := ck("xq7", "www.shop.test", first, cookie.Unclassified, cookie.Low, "", B, A, R)
	guessed := ck("kbx", "www.shop.test", first, cookie.Statistics, cookie.Low, "", B)
	guessed.Label.Source, guessed.Label.Probability = "model", 0.52
	hj := ck("_hjSessionUser_123456", ".shop.test", first, cookie.Statistics, cookie.High, "Hotjar", A)
	criteo := ck("uid", ".criteo.com", third, cookie.Marketing, cookie.High, "Criteo", A)
	lidc := ck("lidc", ".linkedin.com", third, cookie.Marketing, cookie.High, "LinkedIn", A)
	lidc.Label.VendorCategory = cookie.Necessary
	adModel := ck("ad_setting", ".ads.test", third, cookie.Marketing, cookie.Medium, "Ads Inc", A)
	adModel.Label.Source, adModel.Label.Probability = "model", 0.68
	langDB := ck("lang", "www.shop.test", first, cookie.Preferences, cookie.High, "", A)
	langRule := ck("site_theme", "www.shop.test", first, cookie.Preferences, cookie.Medium, "", A)
	langRule.Label.Source = "heuristic"
	visitor := persistent(ck("Dynamicweb.VisitorID", "www.shop.test", first, cookie.Statistics, cookie.Medium, "Dynamicweb", A), 730)

	gaDecl := cookie.Declared{Name: "_ga", Vendor: "Google Analytics", Category: cookie.Statistics,
		Source: "_ga: Used to distinguish users. 2 years", Where: "table Statistics, row 1"}
	sessionDecl := cookie.Declared{Name: "ASP.NET_SessionId", Category: cookie.Necessary, Lifespan: cookie.Lifespan{Kind: cookie.LifespanSession}}

	unverified := observation()
	unverified.States[2].Consent.Verified = false
	unverified.States[2].Consent.Verification = "no consent cookie written after the click"

	noReject := observation()
	for i := range noReject.States {
		noReject.States[i].Consent.RejectAtFirstLayer = false
		noReject.States[i].Consent.Buttons = []cookie.ConsentButton{{Label: "OK", Role: "accept"}, {Label: "Settings", Role: "settings"}}
	}
	noBanner := observation()
	for i := range noBanner.States {
		noBanner.States[i].Consent = cookie.ConsentOutcome{Action: noBanner.States[i].Consent.Action}
	}

	tests := []struct {
		name string
		rule string
		in   Input
		want []string
	}{
		// undeclared-cookie
		{"undeclared: named cookie is declared", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ga}, Declaration: declared([]cookie.Declared{gaDecl})}, []string{}},
		{"undeclared: name differs in case only", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ga}, Declaration: declared([]cookie.Declared{{Name: "_GA"}})}, []string{}},
		{"undeclared: nothing declared", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ga, session, opaque}, Declaration: declared(nil)},
			[]string{"_ga high", "xq7 medium", "ASP.NET_SessionId low"}},
		{"undeclared: no declaration read, rule does not run", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ga}}, []string{}},
		{"undeclared: vendor-level declaration without names covers _ga", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ga}, Declaration: declared(nil, cookie.DeclaredVendor{Name: "Google Analytics"})}, []string{}},
		{"undeclared: vendor named through an alias", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{fbp}, Declaration: declared(nil, cookie.DeclaredVendor{Name: "Facebook"})}, []string{}},
		{"undeclared: vendor with listed names covers only those", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ga}, Declaration: declared([]cookie.Declared{{Name: "__utma", Vendor: "Google Analytics"}},
				cookie.DeclaredVendor{Name: "Google Analytics"})}, []string{"_ga high"}},
		{"undeclared: another vendor does not cover", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ga}, Declaration: declared(nil, cookie.DeclaredVendor{Name: "Google Ads"})}, []string{"_ga high"}},
		{"undeclared: star pattern", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{hj}, Declaration: declared([]cookie.Declared{{Name: "_hjSessionUser_*"}})}, []string{}},
		{"undeclared: hash pattern", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{hj}, Declaration: declared([]cookie.Declared{{Name: "_hjSessionUser_#"}})}, []string{}},
		{"undeclared: angle placeholder", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{hj}, Declaration: declared([]cookie.Declared{{Name: "_hjSessionUser_<site-id>"}})}, []string{}},
		{"undeclared: pattern regexp", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{hj}, Declaration: declared([]cookie.Declared{{Name: "_hjSessionUser_[id]", Pattern: true, PatternRegexp: `_hjSessionUser_\d+`}})}, []string{}},
		{"undeclared: pattern that does not fit", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{hj}, Declaration: declared([]cookie.Declared{{Name: "_hjSession_*"}})}, []string{"_hjSessionUser_123456 high"}},
		{"undeclared: a literal name is not a prefix", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{hj}, Declaration: declared([]cookie.Declared{{Name: "_hjSessionUser"}})}, []string{"_hjSessionUser_123456 high"}},
		{"undeclared: several names in one entry", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ga, fbp}, Declaration: declared([]cookie.Declared{{Name: "datr, _fbp, locale"}})}, []string{"_ga high"}},

		// pre-consent
		{"pre-consent: statistics cookie before consent", "pre-consent",
			Input{Observation: observation(), Inventory: []cookie.Observed{gaBefore}}, []string{"_ga@before high"}},
		{"pre-consent: only after accept", "pre-consent",
			Input{Observation: observation(), Inventory: []cookie.Observed{ga}}, []string{}},
		{"pre-consent: necessary cookie before consent", "pre-consent",
			Input{Observation: observation(), Inventory: []cookie.Observed{session}}, []string{}},
		{"pre-consent: unclassified cookie is medium", "pre-consent",
			Input{Observation: observation(), Inventory: []cookie.Observed{opaque}}, []string{"xq7@before medium"}},
		{"pre-consent: unclassified but declared necessary", "pre-consent",
			Input{Observation: observation(), Inventory: []cookie.Observed{opaque},
				Declaration: declared([]cookie.Declared{{Name: "xq7", Category: cookie.Necessary}})}, []string{}},
		{"pre-consent: declared necessary but known as statistics", "pre-consent",
			Input{Observation: observation(), Inventory: []cookie.Observed{gaBefore},
				Declaration: declared([]cookie.Declared{{Name: "_ga", Category: cookie.Necessary}})}, []string{"_ga@before high"}},
		{"pre-consent: no before state scanned", "pre-consent",
			Input{Inventory: []cookie.Observed{gaBefore}}, []string{}},

		// after-reject
		{"after-reject: verified reject", "after-reject",
			Input{Observation: observation(), Inventory: []cookie.Observed{fbp}}, []string{"_fbp@reject high"}},
		{"after-reject: unverified reject is lower", "after-reject",
			Input{Observation: unverified, Inventory: []cookie.Observed{fbp}}, []string{"_fbp@reject medium"}},
		{"after-reject: necessary cookie", "after-reject",
			Input{Observation: observation(), Inventory: []cookie.Observed{session}}, []string{}},
		{"after-reject: only after accept", "after-reject",
			Input{Observation: observation(), Inventory: []cookie.Observed{ga}}, []string{}},

		// declared-not-found
		{"declared-not-found: stale entry", "declared-not-found",
			Input{Observation: observation(), Inventory: []cookie.Observed{ga},
				Declaration: declared([]cookie.Declared{gaDecl, {Name: "DW_Extranet"}, {Name: "LOGIN_INFO, SID"}})},
			[]string{"DW_Extranet low", "LOGIN_INFO low", "SID low"}},
		{"declared-not-found: pattern seen", "declared-not-found",
			Input{Observation: observation(), Inventory: []cookie.Observed{hj},
				Declaration: declared([]cookie.Declared{{Name: "_hjSessionUser_*"}})}, []string{}},
		{"declared-not-found: vendor-level declaration names no cookie", "declared-not-found",
			Input{Observation: observation(), Declaration: declared(nil, cookie.DeclaredVendor{Name: "YouTube"})}, []string{}},

		// lifespan-exceeds-declared
		{"lifespan: two years declared one", "lifespan-exceeds-declared",
			Input{Inventory: []cookie.Observed{visitor}, Declaration: declared([]cookie.Declared{
				{Name: "Dynamicweb.VisitorID", Lifespan: cookie.Lifespan{Text: "1 year", Kind: cookie.LifespanBounded, Days: 365}}})},
			[]string{"Dynamicweb.VisitorID medium"}},
		{"lifespan: within tolerance", "lifespan-exceeds-declared",
			Input{Inventory: []cookie.Observed{persistent(visitor, 372)}, Declaration: declared([]cookie.Declared{
				{Name: "Dynamicweb.VisitorID", Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 365}}})},
			[]string{}},
		{"lifespan: just over tolerance", "lifespan-exceeds-declared",
			Input{Inventory: []cookie.Observed{persistent(visitor, 373)}, Declaration: declared([]cookie.Declared{
				{Name: "Dynamicweb.VisitorID", Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 365}}})},
			[]string{"Dynamicweb.VisitorID medium"}},
		{"lifespan: one day tolerance on short bounds", "lifespan-exceeds-declared",
			Input{Inventory: []cookie.Observed{persistent(visitor, 1.9)}, Declaration: declared([]cookie.Declared{
				{Name: "Dynamicweb.VisitorID", Lifespan: cookie.Lifespan{Kind: cookie.LifespanBounded, Days: 1}}})},
			[]string{}},
		{"lifespan: session declared, persistent seen", "lifespan-exceeds-declared",
			Input{Inventory: []cookie.Observed{persistent(session, 0.5)}, Declaration: declared([]cookie.Declared{sessionDecl})},
			[]string{"ASP.NET_SessionId medium"}},
		{"lifespan: session declared and seen", "lifespan-exceeds-declared",
			Input{Inventory: []cookie.Observed{session}, Declaration: declared([]cookie.Declared{sessionDecl})}, []string{}},
		{"lifespan: persistent without bound", "lifespan-exceeds-declared",
			Input{Inventory: []cookie.Observed{visitor}, Declaration: declared([]cookie.Declared{
				{Name: "Dynamicweb.VisitorID", Lifespan: cookie.Lifespan{Kind: cookie.LifespanPersistent}}})}, []string{}},

		// category-mismatch
		{"category: marketing declared necessary", "category-mismatch",
			Input{Inventory: []cookie.Observed{fbp}, Declaration: declared([]cookie.Declared{{Name: "_fbp", Category: cookie.Necessary, CategoryText: "Necessary cookies"}})},
			[]string{"_fbp high"}},
		{"category: marketing declared statistics", "category-mismatch",
			Input{Inventory: []cookie.Observed{fbp}, Declaration: declared([]cookie.Declared{{Name: "_fbp", Category: cookie.Statistics, CategoryText: "Statistik"}})},
			[]string{"_fbp medium"}},
		{"category: an inferred category is no claim of the site", "category-mismatch",
			Input{Inventory: []cookie.Observed{fbp}, Declaration: declared([]cookie.Declared{{Name: "_fbp", Category: cookie.Necessary}})},
			[]string{}},
		{"category: same category", "category-mismatch",
			Input{Inventory: []cookie.Observed{ga}, Declaration: declared([]cookie.Declared{gaDecl})}, []string{}},
		{"category: low-confidence label is not contradicted", "category-mismatch",
			Input{Inventory: []cookie.Observed{ck("_fbp", ".shop.test", first, cookie.Marketing, cookie.Low, "Meta", A)},
				Declaration: declared([]cookie.Declared{{Name: "_fbp", Category: cookie.Necessary, CategoryText: "Necessary"}})}, []string{}},
		{"category: declared as the vendor documents it", "category-mismatch",
			Input{Inventory: []cookie.Observed{lidc}, Declaration: declared([]cookie.Declared{{Name: "lidc", Category: cookie.Necessary, CategoryText: "Necessary"}})},
			[]string{"lidc low"}},
		{"category: a model's label weighs less than a documented one", "category-mismatch",
			Input{Inventory: []cookie.Observed{adModel}, Declaration: declared([]cookie.Declared{{Name: "ad_setting", Category: cookie.Necessary, CategoryText: "Necessary"}})},
			[]string{"ad_setting medium"}},
		{"category: a setting declared necessary is arguable, not a breach", "category-mismatch",
			Input{Inventory: []cookie.Observed{langDB, langRule}, Declaration: declared([]cookie.Declared{
				{Name: "lang", Category: cookie.Necessary, CategoryText: "Necessary"},
				{Name: "site_theme", Category: cookie.Necessary, CategoryText: "Necessary"}})},
			[]string{"lang medium", "site_theme low"}},
		{"category: vendor-level category", "category-mismatch",
			Input{Inventory: []cookie.Observed{fbp}, Declaration: declared(nil, cookie.DeclaredVendor{Name: "Facebook", Category: cookie.Necessary, CategoryText: "Nødvendige cookies"})},
			[]string{"_fbp high"}},

		// undeclared-vendor
		{"vendor: third-party cookie of an undeclared vendor", "undeclared-vendor",
			Input{Observation: observation(), Inventory: []cookie.Observed{criteo}, Declaration: declared(nil)}, []string{"Criteo medium"}},
		{"vendor: declared vendor", "undeclared-vendor",
			Input{Observation: observation(), Inventory: []cookie.Observed{criteo}, Declaration: declared(nil, cookie.DeclaredVendor{Name: "criteo"})}, []string{}},
		{"vendor: first-party cookie is not a third party", "undeclared-vendor",
			Input{Observation: observation(), Inventory: []cookie.Observed{hj}, Declaration: declared(nil)}, []string{}},
		{"vendor: requests only", "undeclared-vendor",
			Input{Observation: withRequest(observation(), cookie.Request{Host: "script.hotjar.com", Vendor: "Hotjar", Count: 3}), Declaration: declared(nil)},
			[]string{"Hotjar medium"}},
		{"vendor: requests to a vendor declared by alias", "undeclared-vendor",
			Input{Observation: withRequest(observation(), cookie.Request{Host: "googleads.g.doubleclick.net", Vendor: "Google Ads"}),
				Declaration: declared(nil, cookie.DeclaredVendor{Name: "Google AdWords"})}, []string{}},
		{"vendor: declared Google Analytics covers the tag manager that loads it", "undeclared-vendor",
			Input{Observation: withRequest(observation(), cookie.Request{Host: "www.googletagmanager.com", Vendor: "Google Tag Manager"}),
				Declaration: declared(nil, cookie.DeclaredVendor{Name: "Google Analytics"})}, []string{}},
		{"vendor: declared Google covers Google Analytics", "undeclared-vendor",
			Input{Observation: withRequest(observation(), cookie.Request{Host: "region1.google-analytics.com", Vendor: "Google Analytics"}),
				Declaration: declared(nil, cookie.DeclaredVendor{Name: "Google"})}, []string{}},
		{"vendor: declared Google Maps does not cover Google Ads", "undeclared-vendor",
			Input{Observation: withRequest(observation(), cookie.Request{Host: "googleads.g.doubleclick.net", Vendor: "Google Ads"}),
				Declaration: declared(nil, cookie.DeclaredVendor{Name: "Google Maps"})}, []string{"Google Ads medium"}},
		{"vendor: cookie declared by name covers its vendor", "undeclared-vendor",
			Input{Observation: observation(), Inventory: []cookie.Observed{criteo}, Declaration: declared([]cookie.Declared{{Name: "uid"}})}, []string{}},
		{"vendor: a name declared for another vendor does not cover a third-party cookie", "undeclared-vendor",
			Input{Observation: observation(), Inventory: []cookie.Observed{criteo}, Declaration: declared([]cookie.Declared{{Name: "uid", Vendor: "AddThis"}})},
			[]string{"Criteo medium"}},
		{"undeclared: a name declared for another vendor does not cover a third-party cookie", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{criteo}, Declaration: declared([]cookie.Declared{{Name: "uid", Vendor: "AddThis"}})},
			[]string{"uid high"}},
		{"undeclared: a first-party name declared under another vendor still counts", "undeclared-cookie",
			Input{Inventory: []cookie.Observed{ck("__utmc", ".shop.test", first, cookie.Statistics, cookie.High, "Google Analytics", B)},
				Declaration: declared([]cookie.Declared{{Name: "__utmc", Vendor: "Zopim"}})}, []string{}},
		{"vendor: the reader's canonical vendor name counts", "undeclared-vendor",
			Input{Observation: withRequest(observation(), cookie.Request{Host: "v2.zopim.com", Vendor: "Zendesk Chat"}),
				Declaration: declared(nil, cookie.DeclaredVendor{Name: "Zopim Live Chat Widget", Canonical: "Zendesk Chat"})}, []string{}},

		// no-reject-option
		{"no-reject: first layer has only OK and settings", "no-reject-option",
			Input{Observation: noReject, Inventory: []cookie.Observed{ga}}, []string{"@before high"}},
		{"no-reject: first layer has reject", "no-reject-option",
			Input{Observation: observation(), Inventory: []cookie.Observed{gaBefore}}, []string{}},
		{"no-reject: no banner while statistics cookie set", "no-reject-option",
			Input{Observation: noBanner, Inventory: []cookie.Observed{gaBefore}}, []string{" high"}},
		{"no-reject: no banner and only necessary cookies", "no-reject-option",
			Input{Observation: noBanner, Inventory: []cookie.Observed{session, ga}}, []string{}},

		// unknown-cookie
		{"unknown: opaque cookie", "unknown-cookie",
			Input{Inventory: []cookie.Observed{opaque}}, []string{"xq7 low"}},
		{"unknown: no label at all", "unknown-cookie",
			Input{Inventory: []cookie.Observed{{Name: "z", Domain: "www.shop.test"}}}, []string{"z low"}},
		{"unknown: known cookie", "unknown-cookie",
			Input{Inventory: []cookie.Observed{ga, session}}, []string{}},
		{"unknown: an unsure guess is not acted on", "unknown-cookie",
			Input{Inventory: []cookie.Observed{guessed}}, []string{"kbx low"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Site = site
			got := only(Run(tt.in, Options{}), tt.rule)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s findings (-want +got):\n%s", tt.rule, diff)
			}
		})
	}
}

func withRequest(o cookie.Observation, req cookie.Request) cookie.Observation {
	req.FirstPage, req.FirstURL = site, "https://"+req.Host+"/x"
	o.States[1].Requests = append(o.States[1].Requests, req)
	return o
}

func TestAfterRejectUnverifiedSaysSo(t *testing.T) {
	o := observation()
	o.States[2].Consent.Verified = false
	o.States[2].Consent.Verification = "no consent cookie written"
	fs := Run(Input{Site: site, Observation: o,
		Inventory: []cookie.Observed{ck("_fbp", ".shop.test", first, cookie.Marketing, cookie.High, "Meta", R)}}, Options{})
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(fs), fs)
	}
	msg := fs[0].Message
	if !strings.Contains(msg, "reject could not be verified") || !strings.Contains(msg, "no consent cookie written") {
		t.Errorf("message %q does not say the reject was unverified and why", msg)
	}
	if strings.Contains(msg, "set after reject-all") {
		t.Errorf("message %q presents an unverified reject as a reject", msg)
	}
}

// A category-mismatch that rests on the model's reading, not on a
// database, says so, and says how sure the model is.
func TestCategoryMismatchOnAModelLabelSaysSo(t *testing.T) {
	c := ck("ad_setting", ".ads.test", third, cookie.Marketing, cookie.Medium, "Ads Inc", A)
	c.Label.Source, c.Label.Probability = "model", 0.68
	fs := findingsOf(Run(Input{Site: site, Inventory: []cookie.Observed{c},
		Declaration: declared([]cookie.Declared{{Name: "ad_setting", Category: cookie.Necessary, CategoryText: "Necessary"}})}, Options{}), "category-mismatch")
	if len(fs) != 1 {
		t.Fatalf("got %d category-mismatch findings, want 1", len(fs))
	}
	msg := fs[0].Message
	for _, want := range []string{"classified as marketing from the evidence", "no database documents it", "uncertain (classifier probability 68%)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "known as") {
		t.Errorf("message %q presents the model's reading as known", msg)
	}
}

// The model's own "necessary", which no database documents, does not
// silence the site's own declaration that a cookie needs consent: set before
// any choice, it is a pre-consent finding that says whose category it is. A
// database's "necessary" still holds (that is a category-mismatch).
func TestModelNecessaryDoesNotOverruleTheDeclaration(t *testing.T) {
	guessed := ck("promo_seen", "www.shop.test", first, cookie.Necessary, cookie.Medium, "", B, A)
	guessed.Label.Source, guessed.Label.Probability = "model", 0.66
	known := ck("ASP.NET_SessionId", "www.shop.test", first, cookie.Necessary, cookie.High, "", B, A)
	known.Label.Source = "embedded"
	decl := declared([]cookie.Declared{
		{Name: "promo_seen", Category: cookie.Marketing, CategoryText: "Marketing"},
		{Name: "ASP.NET_SessionId", Category: cookie.Marketing, CategoryText: "Marketing"},
	})
	fs := findingsOf(Run(Input{Site: site, Observation: observation(), Inventory: []cookie.Observed{guessed, known}, Declaration: decl}, Options{}), "pre-consent")
	if len(fs) != 1 || fs[0].Cookie == nil || fs[0].Cookie.Name != "promo_seen" {
		t.Fatalf("pre-consent findings %v, want one, for promo_seen", fs)
	}
	for _, want := range []string{"marketing cookie promo_seen", "declaration files it under marketing", "guessed necessary at 66%"} {
		if !strings.Contains(fs[0].Message, want) {
			t.Errorf("message %q does not say %q", fs[0].Message, want)
		}
	}
	if fs[0].Severity != High {
		t.Errorf("severity %v, want high: the site itself says the cookie needs consent", fs[0].Severity)
	}
	// Filed under preferences, it is a question for a person: whether a
	// functional or preference cookie is exempt is read differently.
	pref := ck("ui_mode", "www.shop.test", first, cookie.Necessary, cookie.Medium, "", B, A)
	pref.Label.Source, pref.Label.Probability = "model", 0.7
	decl = declared([]cookie.Declared{{Name: "ui_mode", Category: cookie.Preferences, CategoryText: "Preferences"}})
	fs = findingsOf(Run(Input{Site: site, Observation: observation(), Inventory: []cookie.Observed{pref}, Declaration: decl}, Options{}), "pre-consent")
	if len(fs) != 1 || fs[0].Severity != Medium {
		t.Errorf("pre-consent findings %v, want one at medium for a cookie the site files under preferences", fs)
	}
}

// The other way round: a language setting that a name rule (or the model)
// took for preferences, with no database behind it, while the site
// declares it necessary, is a question for a person (medium) that says
// so; a database's preferences label stays a high finding.
func TestUndocumentedPreferencesAgainstADeclaredNecessary(t *testing.T) {
	rule := ck("site_lang", "www.shop.test", first, cookie.Preferences, cookie.Medium, "", B, A)
	rule.Label.Source = "heuristic"
	known := ck("wp_lang", "www.shop.test", first, cookie.Preferences, cookie.High, "", B, A)
	known.Label.Source = "embedded"
	decl := declared([]cookie.Declared{
		{Name: "site_lang", Category: cookie.Necessary, CategoryText: "Necessary"},
		{Name: "wp_lang", Category: cookie.Necessary, CategoryText: "Necessary"},
	})
	fs := findingsOf(Run(Input{Site: site, Observation: observation(), Inventory: []cookie.Observed{rule, known}, Declaration: decl}, Options{}), "pre-consent")
	got := map[string]Finding{}
	for _, f := range fs {
		got[f.Cookie.Name] = f
	}
	if f, ok := got["site_lang"]; !ok || f.Severity != Medium || !strings.Contains(f.Message, "the site declares it necessary") {
		t.Errorf("site_lang: %+v, want a medium pre-consent finding that says the site declares it necessary", f)
	}
	if f, ok := got["wp_lang"]; !ok || f.Severity != High {
		t.Errorf("wp_lang: %+v, want a high pre-consent finding (a database documents it as preferences)", f)
	}
}

func TestEvidence(t *testing.T) {
	c := ck("_ga", ".shop.test", first, cookie.Marketing, cookie.High, "Google Analytics", B, A)
	c.FirstSeenPage = "https://www.shop.test/accept-page"
	// The before state saw it on another page, set by another URL.
	c.Seen[0].FirstSeenPage = "https://www.shop.test/landing"
	c.Seen[0].SetBy = cookie.Setter{Kind: cookie.SetByHeader, URL: "https://www.shop.test/collect"}
	o := observation()
	decl := declared([]cookie.Declared{{Name: "_ga", Category: cookie.Necessary, CategoryText: "Necessary",
		Source: "_ga — necessary for the shop", Where: `table "Necessary", row 3`}})
	fs := Run(Input{Site: site, Observation: o, Inventory: []cookie.Observed{c}, Declaration: decl}, Options{})

	var pre, mismatch *Finding
	for i := range fs {
		switch fs[i].RuleID {
		case "pre-consent":
			pre = &fs[i]
		case "category-mismatch":
			mismatch = &fs[i]
		}
	}
	if pre == nil || mismatch == nil {
		t.Fatalf("want pre-consent and category-mismatch findings, got %v", only(fs, "pre-consent"))
	}
	wantPre := Evidence{
		Setter: "https://www.shop.test/collect", SetterKind: "header",
		Observed:       "first cookie, lifespan session, seen in: before, accept",
		Classification: "Google Analytics, marketing (high confidence)",
		Declared:       "_ga — necessary for the shop", DeclaredWhere: `table "Necessary", row 3`,
		DeclaredAs: "name _ga", DeclarationURL: "https://www.shop.test/cookies",
	}
	if diff := cmp.Diff(wantPre, pre.Evidence); diff != "" {
		t.Errorf("pre-consent evidence (-want +got):\n%s", diff)
	}
	if pre.PageURL != "https://www.shop.test/landing" {
		t.Errorf("pre-consent page = %q, want the page of the before state", pre.PageURL)
	}
	if pre.Fingerprint == mismatch.Fingerprint || pre.Fingerprint == "" {
		t.Errorf("fingerprints must be set and differ per rule: %q %q", pre.Fingerprint, mismatch.Fingerprint)
	}
}

func TestFingerprintStableAcrossPages(t *testing.T) {
	run := func(page string) []Finding {
		c := ck("_ga", ".shop.test", first, cookie.Statistics, cookie.High, "Google Analytics", B)
		c.FirstSeenPage = page
		c.Value = "GA1.2." + page
		return Run(Input{Site: site, Observation: observation(), Inventory: []cookie.Observed{c}, Declaration: declared(nil)}, Options{})
	}
	a, b := run("https://www.shop.test/a"), run("https://www.shop.test/b")
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("got %d and %d findings", len(a), len(b))
	}
	for i := range a {
		if a[i].Fingerprint != b[i].Fingerprint {
			t.Errorf("%s: fingerprint changed with the page: %s vs %s", a[i].RuleID, a[i].Fingerprint, b[i].Fingerprint)
		}
	}
}

func TestSortOrder(t *testing.T) {
	fs := Run(Input{Site: site, Observation: observation(), Declaration: declared(nil),
		Inventory: []cookie.Observed{
			ck("xq7", "www.shop.test", first, cookie.Unclassified, cookie.Low, "", B),
			ck("_ga", ".shop.test", first, cookie.Statistics, cookie.High, "Google Analytics", B),
		}}, Options{})
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s %s %s", f.Severity, f.RuleID, f.Cookie.Name))
	}
	want := []string{
		"high undeclared-cookie _ga",
		"high pre-consent _ga",
		"medium undeclared-cookie xq7",
		"medium pre-consent xq7",
		"low unknown-cookie xq7",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestVendorResolver(t *testing.T) {
	r := DefaultVendors()
	same := [][2]string{
		{"Google AdWords", "Google Ads"},
		{"Zopim", "Zendesk Chat"},
		{"Zopim Chat", "zendesk-chat"},
		{"Add This", "AddThis"},
		{"Facebook", "Meta"},
		{"Google Inc.", "google"},
	}
	for _, p := range same {
		if r.Canonical(p[0]) != r.Canonical(p[1]) {
			t.Errorf("%q and %q should be the same vendor: %q vs %q", p[0], p[1], r.Canonical(p[0]), r.Canonical(p[1]))
		}
	}
	differ := [][2]string{{"Google Analytics", "Google Ads"}, {"Meta", "Metabase"}, {"Inc", "Ltd"}}
	for _, p := range differ {
		if r.Canonical(p[0]) == r.Canonical(p[1]) {
			t.Errorf("%q and %q should differ, both %q", p[0], p[1], r.Canonical(p[0]))
		}
	}
	chain := ChainResolver{NewAliasResolver(map[string]string{"Hotjar Ltd Analytics": "Hotjar"}), r}
	if chain.Canonical("Hotjar Ltd Analytics") != "hotjar" || chain.Canonical("Facebook") != "meta" || chain.Canonical("Criteo") != "criteo" {
		t.Errorf("chain: %q %q %q", chain.Canonical("Hotjar Ltd Analytics"), chain.Canonical("Facebook"), chain.Canonical("Criteo"))
	}
}

func TestRuleCatalog(t *testing.T) {
	want := []string{"undeclared-cookie", "pre-consent", "after-reject", "declared-not-found",
		"lifespan-exceeds-declared", "category-mismatch", "undeclared-vendor", "no-reject-option", "no-declaration", "unknown-cookie"}
	var got []string
	for _, r := range Rules() {
		got = append(got, r.ID)
		if r.Title == "" || r.Description == "" || r.Help == "" || r.check == nil {
			t.Errorf("rule %s is incomplete", r.ID)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("catalog (-want +got):\n%s", diff)
	}
	if _, ok := RuleByID("pre-consent"); !ok {
		t.Error("RuleByID(pre-consent) not found")
	}
	if _, ok := RuleByID("nope"); ok {
		t.Error("RuleByID(nope) found")
	}
}

// A site searched for a declaration without one gets one high finding that
// says where the search looked; with a declaration, or without a search
// (--declaration none), there is none.
func TestNoDeclaration(t *testing.T) {
	search := &cookie.DeclarationSearch{Site: site, Looked: []string{
		site + ": the site's page; links followed from it",
		"https://www.shop.test/privacy: no cookie declaration",
	}}
	ga := ck("_ga", ".shop.test", first, cookie.Statistics, cookie.High, "Google Analytics", B)
	var fs []Finding
	for _, f := range Run(Input{Site: site, Inventory: []cookie.Observed{ga}, DeclarationSearch: search}, Options{}) {
		if f.RuleID == "no-declaration" {
			fs = append(fs, f)
		}
	}
	if len(fs) != 1 {
		t.Fatalf("want one no-declaration finding, got %d", len(fs))
	}
	f := fs[0]
	if f.Severity != High || !strings.Contains(f.Evidence.Observed, "https://www.shop.test/privacy: no cookie declaration") {
		t.Errorf("finding %+v: want high, with where it looked", f)
	}
	if got := only(Run(Input{Site: site, Inventory: []cookie.Observed{ga}, DeclarationSearch: search, Declaration: declared(nil)}, Options{}), "no-declaration"); len(got) != 0 {
		t.Errorf("with a declaration: %v", got)
	}
	if got := only(Run(Input{Site: site, Inventory: []cookie.Observed{ga}}, Options{}), "no-declaration"); len(got) != 0 {
		t.Errorf("without a search: %v", got)
	}
	// A page that could not be read may hold the declaration: the finding
	// says it is uncertain and is not high.
	unread := *search
	unread.Looked = append(unread.Looked, "https://www.shop.test/cookies: timeout")
	unread.Unread = 1
	for _, f := range Run(Input{Site: site, Inventory: []cookie.Observed{ga}, DeclarationSearch: &unread}, Options{}) {
		if f.RuleID == "no-declaration" && (f.Severity != Medium || !strings.Contains(f.Message, "uncertain")) {
			t.Errorf("incomplete search: %+v, want medium and uncertain", f)
		}
	}
}

// A consent finding that rests on an unsure label says so; one that rests on
// a sure label or on the declaration's own category does not.
func TestConsentFindingsSayWhenTheLabelIsUncertain(t *testing.T) {
	sure := ck("_fbp", ".shop.test", first, cookie.Marketing, cookie.High, "Meta", B, R)
	unsureModel := ck("xq_id", ".shop.test", first, cookie.Marketing, cookie.Medium, "", B, R)
	unsureModel.Label.Source, unsureModel.Label.Probability = "model", 0.58
	lowHeuristic := ck("tk", ".shop.test", first, cookie.Statistics, cookie.Low, "", B, R)
	lowHeuristic.Label.Reason = "name of a token"
	sureModel := ck("zz_id", ".shop.test", first, cookie.Marketing, cookie.High, "", B, R)
	sureModel.Label.Source, sureModel.Label.Probability = "model", 0.93
	fs := Run(Input{Site: site, Observation: observation(),
		Inventory: []cookie.Observed{sure, unsureModel, lowHeuristic, sureModel}}, Options{})
	got := map[string]bool{}
	for _, f := range fs {
		if f.RuleID != "pre-consent" && f.RuleID != "after-reject" {
			continue
		}
		uncertain := strings.Contains(f.Message, "is uncertain")
		if prev, ok := got[f.Cookie.Name]; ok && prev != uncertain {
			t.Errorf("%s: pre-consent and after-reject disagree on uncertainty", f.Cookie.Name)
		}
		got[f.Cookie.Name] = uncertain
	}
	// tk's low-confidence label is not acted on at all: it is reported as
	// unclassified, which says a person must look.
	want := map[string]bool{"_fbp": false, "xq_id": true, "tk": false, "zz_id": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("uncertain per cookie (-want +got):\n%s", diff)
	}
	for _, f := range fs {
		if f.Cookie != nil && f.Cookie.Name == "xq_id" && !strings.Contains(f.Message, "58%") {
			t.Errorf("message %q does not give the probability", f.Message)
		}
		if f.RuleID == "pre-consent" && f.Cookie.Name == "tk" && !strings.Contains(f.Message, "unclassified cookie tk") {
			t.Errorf("message %q acts on a low-confidence label", f.Message)
		}
	}
}

// A finding on a cookie the classifier is unsure of names the guess it did
// not act on, so the person who looks starts from it.
func TestUnknownCookieNamesTheGuess(t *testing.T) {
	guess := ck("kbx", "www.shop.test", first, cookie.Statistics, cookie.Low, "", B)
	guess.Label.Source, guess.Label.Probability = "model", 0.52
	necessary := ck("kbn", "www.shop.test", first, cookie.Unclassified, cookie.Low, "", B)
	necessary.Label.Source, necessary.Label.Probability = "model", 0.55
	necessary.Label.Reason = "unsure: the model's best guess is necessary at 55%, under the 85% needed, so it counts as unclassified"
	want := map[string]string{
		"kbx": "best guess, statistics at 52%, is too unsure to act on",
		"kbn": "classifier unsure: the model's best guess is necessary at 55%",
	}
	fs := findingsOf(Run(Input{Site: site, Inventory: []cookie.Observed{guess, necessary}}, Options{}), "unknown-cookie")
	if len(fs) != 2 {
		t.Fatalf("got %d unknown-cookie findings, want 2: %+v", len(fs), fs)
	}
	for _, f := range fs {
		if w := want[f.Cookie.Name]; !strings.Contains(f.Message, w) {
			t.Errorf("%s: message %q, want it to contain %q", f.Cookie.Name, f.Message, w)
		}
	}
}

// findingsOf returns the findings of one rule.
func findingsOf(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}
