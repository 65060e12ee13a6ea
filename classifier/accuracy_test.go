package classifier

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/testenv"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

var showMisses = flag.Int("accuracy.misses", 0, "print this many of the most frequent disagreements per configuration")

// sharedData returns ../shared/data beside the module root.
func sharedData(t testing.TB) string { return testenv.SharedPath(t, "data") }

// labelled is one cookie of the CookieBlock crawl with its declared purpose.
type labelled struct {
	obs  cookie.Observed
	site string
	want cookie.Category
}

func loadCrawl(t testing.TB, data string) []labelled {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(data, "cookieblock-example-crawl-20210213.dev.json"))
	if err != nil {
		t.Fatal(err)
	}
	var crawl map[string]struct {
		Name             string `json:"name"`
		Domain           string `json:"domain"`
		Path             string `json:"path"`
		FirstPartyDomain string `json:"first_party_domain"`
		Label            int    `json:"label"`
		Variable         []struct {
			Value    string  `json:"value"`
			Expiry   float64 `json:"expiry"`
			Session  bool    `json:"session"`
			HTTPOnly bool    `json:"http_only"`
			HostOnly bool    `json:"host_only"`
			Secure   bool    `json:"secure"`
			SameSite string  `json:"same_site"`
		} `json:"variable_data"`
	}
	if err := json.Unmarshal(raw, &crawl); err != nil {
		t.Fatal(err)
	}
	// CookieBlock's classes: 0 necessary, 1 functional (preferences),
	// 2 analytics, 3 advertising.
	classes := []cookie.Category{cookie.Necessary, cookie.Preferences, cookie.Statistics, cookie.Marketing}
	keys := make([]string, 0, len(crawl))
	for k := range crawl {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []labelled
	for _, k := range keys {
		c := crawl[k]
		if c.Label < 0 || c.Label >= len(classes) || len(c.Variable) == 0 {
			t.Fatalf("%s: unexpected label %d or no data", k, c.Label)
		}
		v := c.Variable[0]
		o := cookie.Observed{
			Name: c.Name, Domain: c.Domain, Path: c.Path, HostOnly: v.HostOnly,
			Value: v.Value, ValueLength: len(v.Value), Session: v.Session,
			Secure: v.Secure, HTTPOnly: v.HTTPOnly, SameSite: v.SameSite,
		}
		if !v.Session {
			o.LifespanDays = v.Expiry / 86400
		}
		out = append(out, labelled{obs: o, site: c.FirstPartyDomain, want: classes[c.Label]})
	}
	return out
}

type score struct {
	total, matched, matchedRight, labelled, labelledRight, right int
	misses                                                       map[string]int
}

func (s score) pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func measure(t *testing.T, set []labelled, db *knowncookies.DB, heuristics bool) score {
	t.Helper()
	s := score{misses: map[string]int{}}
	for _, l := range set {
		c, err := New(Options{DB: db, SiteDomain: l.site, NoHeuristics: !heuristics})
		if err != nil {
			t.Fatal(err)
		}
		got := c.Classify(l.obs)
		s.total++
		right := got.Category == l.want
		if right {
			s.right++
		}
		if got.Source != SourceHeuristic && got.Category != cookie.Unclassified {
			s.matched++
			if right {
				s.matchedRight++
			}
		}
		if got.Category != cookie.Unclassified {
			s.labelled++
			if right {
				s.labelledRight++
			}
		}
		if !right {
			s.misses[fmt.Sprintf("%s (%s) want %s got %s: %s", l.obs.Name, l.obs.Domain, l.want, got.Category, got.Reason)]++
		}
	}
	return s
}

func (s score) log(t *testing.T, name string) {
	t.Helper()
	t.Logf("%-34s coverage %5.1f%% (%d/%d)  agreement on matched %5.1f%% (%d/%d)  labelled %5.1f%%  right when labelled %5.1f%%  right overall %5.1f%% (%d/%d)",
		name, s.pct(s.matched, s.total), s.matched, s.total, s.pct(s.matchedRight, s.matched), s.matchedRight, s.matched,
		s.pct(s.labelled, s.total), s.pct(s.labelledRight, s.labelled), s.pct(s.right, s.total), s.right, s.total)
	if *showMisses > 0 {
		type kv struct {
			k string
			n int
		}
		var all []kv
		for k, n := range s.misses {
			all = append(all, kv{k, n})
		}
		slices.SortFunc(all, func(a, b kv) int {
			if c := cmp.Compare(b.n, a.n); c != 0 {
				return c
			}
			return cmp.Compare(a.k, b.k)
		})
		for i, m := range all {
			if i == *showMisses {
				break
			}
			t.Logf("    %3d× %s", m.n, m.k)
		}
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAccuracyCookieBlock measures the classifier against the purposes that
// 106 sites declared for their cookies (CookieBlock's development sample).
// Coverage is the share of cookies a database or the host map labels;
// agreement is the share of those labels that match the site's declaration.
// Run: go test ./classifier -run TestAccuracy -v
func TestAccuracyCookieBlock(t *testing.T) {
	data := sharedData(t)
	set := loadCrawl(t, data)

	embedded, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	copyFile(t, filepath.Join(data, "open-cookie-database.csv"), filepath.Join(cache, knowncookies.CookieDBFile))
	copyFile(t, filepath.Join(data, "third-party-web-entities.json"), filepath.Join(cache, knowncookies.EntitiesFile))
	withOCD, err := knowncookies.Open(t.Context(), knowncookies.OpenOptions{CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(data, "open-cookie-database.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ocdEntries, err := knowncookies.Load(f, knowncookies.SourceOpenCookie)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	ocdOnly := knowncookies.New(nil, knowncookies.Layer{Source: knowncookies.SourceOpenCookie, Entries: ocdEntries})

	a := measure(t, set, embedded, false)
	aH := measure(t, set, embedded, true)
	b := measure(t, set, withOCD, false)
	bH := measure(t, set, withOCD, true)
	ref := measure(t, set, ocdOnly, false)
	c := measure(t, set, nil, true)

	t.Logf("CookieBlock development sample: %d cookies of %d declared purposes", len(set), 4)
	a.log(t, "(a) embedded database alone")
	aH.log(t, "(a+h) embedded + heuristics")
	b.log(t, "(b) embedded + OCD + 3pw hosts")
	bH.log(t, "(b+h) embedded + OCD + heuristics")
	ref.log(t, "(ref) Open Cookie Database alone")
	c.log(t, "(c) heuristics alone")

	t.Logf("ceiling: the sites disagree among themselves; the majority purpose per cookie name would be right for %.1f%% of all cookies", ceiling(set))

	// The floors sit a little under the measured figures, so that a change
	// that makes the database or the rules worse fails here. The issue aimed
	// at 90% agreement for (a); the measured figure is 88.9% (see the
	// report), the rest being cookies whose sites declare them against the
	// vendor's own documentation (_ga as necessary, HubSpot as marketing).
	floors := []struct {
		name      string
		got, want float64
	}{
		{"(a) coverage", a.pct(a.matched, a.total), 90},
		{"(a) agreement", a.pct(a.matchedRight, a.matched), 88},
		{"(b) coverage", b.pct(b.matched, b.total), 93},
		{"(b) agreement", b.pct(b.matchedRight, b.matched), 87},
		{"(a+h) right overall", aH.pct(aH.right, aH.total), 84},
		{"(c) labelled", c.pct(c.labelled, c.total), 40},
		{"(c) right when labelled", c.pct(c.labelledRight, c.labelled), 75},
	}
	for _, fl := range floors {
		if fl.got < fl.want {
			t.Errorf("%s = %.1f%%, want at least %.0f%%", fl.name, fl.got, fl.want)
		}
	}
}

// ceiling is the share of cookies that the majority purpose of their name
// gets right: what a classifier keyed on the name alone could at best reach
// on this sample, since sites declare the same cookie differently.
func ceiling(set []labelled) float64 {
	counts := map[string]map[cookie.Category]int{}
	for _, l := range set {
		k := l.obs.Name
		if counts[k] == nil {
			counts[k] = map[cookie.Category]int{}
		}
		counts[k][l.want]++
	}
	best := 0
	for _, m := range counts {
		top := 0
		for _, n := range m {
			top = max(top, n)
		}
		best += top
	}
	return 100 * float64(best) / float64(len(set))
}
