package knowncookies

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
)

const header = "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n"

func mustLoad(t *testing.T, source, body string) []Entry {
	t.Helper()
	es, err := Load(strings.NewReader(header+body), source)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return es
}

func TestLookupOrder(t *testing.T) {
	user := mustLoad(t, "user:a.csv", ""+
		"1,UserVendor,Marketing,shared,,,,,,0\n")
	emb := mustLoad(t, SourceEmbedded, ""+
		"2,Exact,Functional,Token,,,,,,0\n"+
		"3,Folded,Analytics,sessionid,,,,,,0\n"+
		"4,Short,Analytics,_ga_,,,,,,1\n"+
		"5,Long,Marketing,_ga_XYZ,,,,,,1\n"+
		"6,Shared,Analytics,shared,,,,,,0\n"+
		"7,LinkedIn,Personalization,lang,linkedin.com,,,,,0\n"+
		"8,Generic,Functional,lang,,,,,,0\n"+
		"9,Stripe,Security,m,m.stripe.com,,,,,0\n"+
		"10,Tiny,Marketing,tp,,,,,,1\n"+
		"11,TinySep,Analytics,mp_,,,,,,1\n"+
		"12,Fb,Marketing,fr,facebook.com (3rd party),,,,,0\n")
	db := New(nil, Layer{Source: "user:a.csv", Entries: user}, Layer{Source: SourceEmbedded, Entries: emb})

	tests := []struct {
		name, cookie, domain string
		wantPlatform         string
		wantKind             MatchKind
		wantDomainMatch      bool
		wantNone             bool
	}{
		{name: "exact case-sensitive", cookie: "Token", wantPlatform: "Exact", wantKind: MatchExact},
		{name: "exact in another case", cookie: "TOKEN", wantPlatform: "Exact", wantKind: MatchExactFold},
		{name: "folded entry", cookie: "SessionID", wantPlatform: "Folded", wantKind: MatchExactFold},
		{name: "longest prefix wins", cookie: "_ga_XYZ123", wantPlatform: "Long", wantKind: MatchPrefix},
		{name: "shorter prefix", cookie: "_ga_ABC", wantPlatform: "Short", wantKind: MatchPrefix},
		{name: "prefix in another case", cookie: "_GA_abc", wantPlatform: "Short", wantKind: MatchPrefixFold},
		{name: "name equal to a prefix", cookie: "_ga_", wantPlatform: "Short", wantKind: MatchPrefix},
		{name: "user layer wins", cookie: "shared", wantPlatform: "UserVendor", wantKind: MatchExact},
		{name: "domain entry for its domain", cookie: "lang", domain: ".www.linkedin.com", wantPlatform: "LinkedIn", wantKind: MatchExact, wantDomainMatch: true},
		{name: "generic entry elsewhere", cookie: "lang", domain: "example.com", wantPlatform: "Generic", wantKind: MatchExact},
		{name: "generic preferred without domain", cookie: "lang", wantPlatform: "Generic", wantKind: MatchExact},
		{name: "entry host below cookie domain", cookie: "m", domain: ".stripe.com", wantPlatform: "Stripe", wantKind: MatchExact, wantDomainMatch: true},
		{name: "domain-only entry skipped elsewhere", cookie: "m", domain: "example.com", wantNone: true},
		{name: "annotated domain parsed", cookie: "fr", domain: ".facebook.com", wantPlatform: "Fb", wantKind: MatchExact, wantDomainMatch: true},
		{name: "annotated domain elsewhere", cookie: "fr", domain: "example.fr", wantNone: true},
		{name: "short prefix needs a separator", cookie: "tpl_state", wantNone: true},
		{name: "short prefix with digit", cookie: "tp123", wantPlatform: "Tiny", wantKind: MatchPrefix},
		{name: "short prefix with separator", cookie: "tp_x", wantPlatform: "Tiny", wantKind: MatchPrefix},
		{name: "short prefix ending in separator", cookie: "mp_abc_mixpanel", wantPlatform: "TinySep", wantKind: MatchPrefix},
		{name: "unknown", cookie: "nothing-here", wantNone: true},
		{name: "empty", cookie: "", wantNone: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := db.Lookup(tc.cookie, tc.domain)
			if tc.wantNone {
				if ok {
					t.Fatalf("Lookup(%q, %q) = %s (%s), want no match", tc.cookie, tc.domain, m.Entry.Platform, m.Kind)
				}
				return
			}
			if !ok {
				t.Fatalf("Lookup(%q, %q): no match, want %s", tc.cookie, tc.domain, tc.wantPlatform)
			}
			if m.Entry.Platform != tc.wantPlatform || m.Kind != tc.wantKind || m.DomainMatched != tc.wantDomainMatch {
				t.Errorf("Lookup(%q, %q) = %s/%s/domain=%v, want %s/%s/domain=%v", tc.cookie, tc.domain,
					m.Entry.Platform, m.Kind, m.DomainMatched, tc.wantPlatform, tc.wantKind, tc.wantDomainMatch)
			}
		})
	}
}

func TestLoadGood(t *testing.T) {
	// Columns in another order, a BOM, quoted commas, a "NAME*" prefix
	// without the flag, a blank line, cookiescan's own category words.
	body := "\ufeffCookie / Data Key name,Category,Platform,Wildcard match,Domain,Description\n" +
		"_pk_id.,Analytics,Matomo,1,,\"Visitor id, per site\"\n" +
		"\n" +
		"SSPR_*,Functional,Some,0,,\n" +
		"pref,preferences,Mine,0,\".Example.COM, b.example.org (first party)\",\n"
	es, err := Load(strings.NewReader(body), "user:x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 {
		t.Fatalf("got %d entries, want 3", len(es))
	}
	if e := es[0]; e.Name != "_pk_id." || !e.Wildcard || e.Category != cookie.Statistics || e.Description != "Visitor id, per site" || e.Line != 2 {
		t.Errorf("row 1 = %+v", e)
	}
	if e := es[1]; e.Name != "SSPR_" || !e.Wildcard || e.Category != cookie.Necessary || e.Line != 4 {
		t.Errorf("row 2 = %+v", e)
	}
	if e := es[2]; e.Category != cookie.Preferences || strings.Join(e.Domains, " ") != "example.com b.example.org" || e.Source != "user:x.csv" {
		t.Errorf("row 3 = %+v", e)
	}
}

func TestLoadMalformed(t *testing.T) {
	body := header +
		"1,Good,Analytics,ok,,,,,,0\n" +
		"2,Bad,Tasty,badcat,,,,,,0\n" +
		"3,Bad,Analytics,,,,,,,0\n" +
		"4,Bad,Analytics,short\n" +
		"5,Bad,Marketing,wild,,,,,,yes\n" +
		"6,Bad,Marketing,\"broken,,,,,,0\n"
	es, err := Load(strings.NewReader(body), "user:bad.csv")
	var me *MalformedError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want *MalformedError", err)
	}
	if len(es) != 1 || es[0].Name != "ok" {
		t.Errorf("good entries = %+v, want only \"ok\"", es)
	}
	wantLines := []int{3, 4, 5, 6, 7}
	if len(me.Rows) != len(wantLines) {
		t.Fatalf("rows = %v, want lines %v", me.Rows, wantLines)
	}
	for i, r := range me.Rows {
		if r.Line != wantLines[i] || r.File != "user:bad.csv" {
			t.Errorf("row %d = %v, want line %d", i, r, wantLines[i])
		}
	}
	for _, want := range []string{"user:bad.csv:3: cookie \"badcat\": unknown category", "user:bad.csv:4: empty cookie name", "user:bad.csv:5: 4 fields", "user:bad.csv:6: cookie \"wild\": wildcard match"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestLoadNotCSV(t *testing.T) {
	for _, body := range []string{"", "a,b,c\n1,2,3\n"} {
		if _, err := Load(strings.NewReader(body), "x"); !errors.Is(err, ErrNoHeader) {
			t.Errorf("Load(%q) = %v, want ErrNoHeader", body, err)
		}
	}
}

func TestDuplicates(t *testing.T) {
	es := mustLoad(t, "user:d.csv", ""+
		"1,A,Marketing,token,,,,,,0\n"+
		"2,B,Functional,token,,,,,,0\n"+
		"3,C,Analytics,other,,,,,,0\n"+
		"4,D,Analytics,other,,,,,,0\n"+
		"5,E,Analytics,token,x.com,,,,,0\n")
	db := New(nil, Layer{Source: "user:d.csv", Entries: es})
	m, ok := db.Lookup("token", "")
	if !ok || m.Entry.Platform != "A" {
		t.Fatalf("first row must win, got %+v", m.Entry)
	}
	d := db.Duplicates()
	if len(d) != 2 {
		t.Fatalf("duplicates = %+v, want 2", d)
	}
	if d[0].Name != "token" || !d[0].Conflicting || len(d[0].Lines) != 2 || d[0].Lines[0] != 2 || d[0].Lines[1] != 3 {
		t.Errorf("duplicate 1 = %+v", d[0])
	}
	if d[1].Name != "other" || d[1].Conflicting {
		t.Errorf("duplicate 2 = %+v", d[1])
	}
}

func TestEmbedded(t *testing.T) {
	db, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(db.Entries()); n < 800 {
		t.Errorf("embedded database has %d entries, want at least 800", n)
	}
	if n := db.HostCount(); n < 400 {
		t.Errorf("host map has %d hosts, want at least 400", n)
	}
	if d := db.Duplicates(); len(d) > 0 {
		t.Errorf("embedded database has duplicates: %+v", d)
	}
	// Every platform of the cookie file is a vendor of the vendor file.
	vs, err := EmbeddedVendors()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, v := range vs {
		names[v.Name] = true
	}
	for _, e := range db.Entries() {
		if !names[e.Platform] {
			t.Errorf("%s: platform %q is not in vendors.json", e.Where(), e.Platform)
		}
	}
	// No alias or host names two vendors.
	seen := map[string]string{}
	for _, v := range vs {
		for _, n := range v.Names() {
			k := strings.ToLower(n)
			if o, ok := seen[k]; ok && o != v.Name {
				t.Errorf("name %q belongs to %q and %q", n, o, v.Name)
			}
			seen[k] = v.Name
		}
	}
}

func TestVendorAPI(t *testing.T) {
	db, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	aliases := map[string]string{
		"Google AdWords": "Google Ads", "zopim": "Zendesk Chat", "Add This": "AddThis", "Facebook": "Meta",
		" Twitter ": "X", "Episerver": "Optimizely CMS", "AppNexus": "Xandr", "Dynamicweb": "Dynamicweb",
	}
	for alias, want := range aliases {
		v, ok := db.VendorByAlias(alias)
		if !ok || v.Name != want {
			t.Errorf("VendorByAlias(%q) = %v, want %s", alias, v, want)
		}
	}
	hosts := map[string]string{
		"stats.g.doubleclick.net": "Google Analytics", "googleads.g.doubleclick.net": "Google Ads",
		"x.doubleclick.net": "Google Ads", "connect.facebook.net": "Meta", "static.criteo.net": "Criteo",
		"v2.zopim.com": "Zendesk Chat", "s7.addthis.com": "AddThis", "www.youtube.com": "YouTube",
		"fonts.gstatic.com": "Google Fonts", "www.google-analytics.com": "Google Analytics",
	}
	for host, want := range hosts {
		v, _, ok := db.VendorByHost(host)
		if !ok || v.Name != want {
			t.Errorf("VendorByHost(%q) = %v, want %s", host, v, want)
		}
	}
	if _, _, ok := db.VendorByHost("example.com"); ok {
		t.Error("VendorByHost(example.com) matched")
	}
	if _, _, ok := db.VendorByHost("com"); ok {
		t.Error("VendorByHost(com) matched")
	}
	// A name as a declaration writes it: a name or alias, or a provider
	// column's host, with or without scheme, www and path.
	named := map[string]string{
		"Facebook": "Meta", "adnxs.com": "Xandr", ".doubleclick.net": "Google Ads",
		"https://www.facebook.com/privacy": "Meta", "static.criteo.net": "Criteo",
	}
	for name, want := range named {
		v, ok := db.VendorNamed(name)
		if !ok || v.Name != want {
			t.Errorf("VendorNamed(%q) = %v, want %s", name, v, want)
		}
	}
	for _, name := range []string{"Google Inc.", "example.com", "Kystbyg", "mail@facebook.com"} {
		if v, ok := db.VendorNamed(name); ok {
			t.Errorf("VendorNamed(%q) = %s, want none", name, v.Name)
		}
	}
}

func TestOpenLayers(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The download knows _ga differently and knows a name nobody else does.
	write(filepath.Join(cache, CookieDBFile), header+
		"1,Downloaded,Marketing,_ga,,,,,,0\n"+
		"2,Downloaded,Marketing,only_downloaded,,,,,,0\n")
	first, second := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	write(first, header+"1,First,Functional,mine,,,,,,0\n1,First,Functional,_gid,,,,,,0\n")
	write(second, header+"1,Second,Marketing,mine,,,,,,0\n")

	db, err := Open(t.Context(), OpenOptions{UserFiles: []string{first, second}, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	check := func(db *DB, name, wantPlatform string) {
		t.Helper()
		m, ok := db.Lookup(name, "")
		got := ""
		if ok {
			got = m.Entry.Platform
		}
		if got != wantPlatform {
			t.Errorf("Lookup(%q) platform = %q, want %q", name, got, wantPlatform)
		}
	}
	check(db, "mine", "Second")                // a later user file wins
	check(db, "_gid", "First")                 // user file beats embedded
	check(db, "_ga", "Google Analytics")       // embedded beats download
	check(db, "only_downloaded", "Downloaded") // download fills gaps
	offline, err := Open(t.Context(), OpenOptions{Offline: true, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	check(offline, "only_downloaded", "")

	write(second, header+"1,Second,Nonsense,mine,,,,,,0\n")
	_, err = Open(t.Context(), OpenOptions{UserFiles: []string{second}, Offline: true})
	var me *MalformedError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "b.csv:2") {
		t.Errorf("Open with a malformed user file = %v, want a MalformedError naming b.csv:2", err)
	}
	if _, err := Open(t.Context(), OpenOptions{UserFiles: []string{filepath.Join(dir, "missing.csv")}, Offline: true}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open with a missing file = %v, want ErrNotExist", err)
	}
}

func TestParseCategory(t *testing.T) {
	want := map[string]cookie.Category{
		"Functional": cookie.Necessary, "Security": cookie.Necessary, "Necessary": cookie.Necessary,
		"Personalization": cookie.Preferences, "Analytics": cookie.Statistics, "Marketing": cookie.Marketing,
		" statistics ": cookie.Statistics,
	}
	for in, w := range want {
		if got, err := ParseCategory(in); err != nil || got != w {
			t.Errorf("ParseCategory(%q) = %q, %v; want %q", in, got, err, w)
		}
	}
	if _, err := ParseCategory("Tasty"); err == nil {
		t.Error("ParseCategory(Tasty) succeeded")
	}
}
