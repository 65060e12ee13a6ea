package classifier_test

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/classifier"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/declaration"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

var showDeclared = flag.Int("declared.misses", 0, "print this many disagreements with the declarations' categories")

// declaredCookie is one cookie a real site's declaration files under a
// category, as its hand-made label says.
type declaredCookie struct {
	doc, name, vendor, lifespan string
	want                        cookie.Category
}

// declaredSets are the labelled real declarations, by how far the people
// who wrote the embedded database could have seen them.
var declaredSets = []struct {
	name, glob, why string
}{
	{"unseen", "../testdata/declarations/real/r[a-q]_*.expected.json", "collected after the database was last changed"},
	{"shared", "../../shared/data/declarations/*.expected.json", "the shared corpus, readable while the database was written"},
}

func loadDeclared(t *testing.T, glob string) []declaredCookie {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil {
		t.Fatal(err)
	}
	var out []declaredCookie
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Cookies []struct {
				Name, Vendor, Category, Lifespan string
			}
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range doc.Cookies {
			cat := cookie.Category(c.Category)
			if !slices.Contains([]cookie.Category{cookie.Necessary, cookie.Preferences, cookie.Statistics, cookie.Marketing}, cat) {
				continue
			}
			out = append(out, declaredCookie{doc: filepath.Base(f), name: c.Name, vendor: c.Vendor, lifespan: c.Lifespan, want: cat})
		}
	}
	return out
}

// company is the company a vendor belongs to.
func company(v *knowncookies.Vendor) string {
	if v.Company != "" {
		return v.Company
	}
	return v.Name
}

// placeholder is how declarations write the variable part of a name:
// _ga_<container-id>, intercom-id-#, _hjSession_*, _pk_id.[id].
var placeholder = regexp.MustCompile(`<[^>]{1,40}>|\[[^\]]{1,40}\]|\{[^}]{1,40}\}|[#*]+|x{3,}|X{3,}`)

// observedFromDeclared makes the cookie a scan would see from a declared
// one: the name with its placeholder filled in, the declared lifespan, and
// no value (a declaration rarely gives one). The domain, as far as the
// declaration tells it:
//   - a vendor written as a host (".google.com") is the cookie's domain,
//     third party when the host map knows it, else the site's own;
//   - a name the database knows only on some vendor's hosts is on that
//     host when the declaration names that vendor or its company
//     (LinkedIn's lidc on linkedin.com, Google's IDE on doubleclick.net),
//     and on the site when it names none or another known vendor (a site's
//     own "locale" cookie is not Facebook's, Stripe's "id" not
//     DoubleClick's);
//   - otherwise no domain and no party, as in a name lookup: guessing first
//     party would make every ad-tech id a site cookie.
func observedFromDeclared(db *knowncookies.DB, d declaredCookie) cookie.Observed {
	o := cookie.Observed{Name: placeholder.ReplaceAllString(d.name, "1A2B3C4D")}
	// "_pk_id*" stands for Matomo's _pk_id.1.a3f2: fill a placeholder with
	// the separators vendors use until the database knows the name.
	for _, sep := range []string{".1.", "_", "-", "."} {
		if o.Name == d.name {
			break
		}
		if _, found := db.Lookup(o.Name, ""); found {
			break
		}
		if n := placeholder.ReplaceAllString(d.name, sep+"1A2B3C4D"); n != d.name {
			if _, found := db.Lookup(n, ""); found {
				o.Name = n
			}
		}
	}
	site := func() {
		o.Domain, o.RegistrableDomain, o.Party, o.HostOnly = "www.site.example", "site.example", cookie.FirstParty, true
	}
	if host := strings.TrimPrefix(strings.ToLower(d.vendor), "."); strings.Contains(host, ".") && !strings.ContainsAny(host, " /") {
		if _, _, ok := db.VendorByHost(host); ok {
			o.Domain, o.Party = "."+host, cookie.ThirdParty
		} else {
			site()
		}
	} else if m, found := db.Lookup(o.Name, ""); found && len(m.Entry.Domains) > 0 {
		v, known := db.VendorByAlias(d.vendor)
		if !known && d.vendor != "" {
			return o // a vendor the database does not know: no telling
		}
		site()
		for _, host := range m.Entry.Domains {
			if hv, _, ok := db.VendorByHost(host); ok && known && company(hv) == company(v) {
				o.Domain, o.RegistrableDomain, o.Party, o.HostOnly = "."+host, "", cookie.ThirdParty, false
				break
			}
		}
	}
	l := declaration.ParseLifespan(d.lifespan)
	switch l.Kind {
	case cookie.LifespanSession:
		o.Session = true
	case cookie.LifespanBounded:
		o.LifespanDays = l.Days
	}
	return o
}

// TestDeclaredCategories measures the classifier against the categories
// real sites give their cookies in their published declarations: other
// sites than the CookieBlock crawl's, in sixteen languages, years later.
// A confident label that differs from the declared category is what the
// audit reports as category-mismatch, so the share of those that are the
// classifier's error, not the site's, is the false-accusation rate. It
// fails when confident labels agree with the unseen declarations less
// often than measured when this test was written, less a margin.
func TestDeclaredCategories(t *testing.T) {
	db, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := classifier.New(classifier.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range declaredSets {
		cookies := loadDeclared(t, set.glob)
		if len(cookies) == 0 {
			if set.name == "unseen" || os.Getenv("CI") == "true" {
				t.Fatalf("%s: no labelled declarations at %s", set.name, set.glob)
			}
			t.Logf("%s: no labelled declarations at %s (../shared is not beside the repository)", set.name, set.glob)
			continue
		}
		var total, right, sure, sureRight, necDeclaredSure int
		misses := map[string]int{}
		type kind struct {
			source string
			cat    cookie.Category
			conf   cookie.Confidence
		}
		byKind := map[kind][2]int{}
		confusion := map[[2]cookie.Category]int{}
		docs := map[string]bool{}
		for _, d := range cookies {
			docs[d.doc] = true
			l := c.Classify(observedFromDeclared(db, d))
			total++
			if l.Category == d.want {
				right++
			}
			confusion[[2]cookie.Category{d.want, l.Category}]++
			confident := l.Category != cookie.Unclassified && l.Confidence != cookie.Low
			src := l.Source
			if src != classifier.SourceModel && src != classifier.SourceHeuristic {
				src = "database"
			}
			k := byKind[kind{src, l.Category, l.Confidence}]
			k[0]++
			if l.Category == d.want {
				k[1]++
			}
			byKind[kind{src, l.Category, l.Confidence}] = k
			if !confident {
				continue
			}
			sure++
			if l.Category == d.want {
				sureRight++
				continue
			}
			if d.want == cookie.Necessary {
				necDeclaredSure++
			}
			misses[fmt.Sprintf("%s declared %s, labelled %s (%s, p %.2f, %s) [%s]", d.name, d.want, l.Category, l.Confidence, l.Probability, l.Reason, d.doc)]++
		}
		t.Logf("%s (%s): %d cookies in %d declarations; same category %.1f%% (%d); labelled above low confidence %.1f%%, of which agree %.1f%% (%d/%d); confident disagreements where the site says necessary: %d",
			set.name, set.why, total, len(docs), pct(right, total), right, pct(sure, total), pct(sureRight, sure), sureRight, sure, necDeclaredSure)
		for _, want := range categories[:4] {
			var row []string
			for _, got := range categories {
				row = append(row, fmt.Sprintf("%s %d", got, confusion[[2]cookie.Category{want, got}]))
			}
			t.Logf("  declared %-12s → %s", want, strings.Join(row, ", "))
		}
		kinds := make([]kind, 0, len(byKind))
		for k := range byKind {
			kinds = append(kinds, k)
		}
		slices.SortFunc(kinds, func(a, b kind) int {
			return cmp.Or(cmp.Compare(a.source, b.source), cmp.Compare(a.cat, b.cat), cmp.Compare(a.conf, b.conf))
		})
		for _, k := range kinds {
			t.Logf("  %-9s %-12s %-6s %4d labels, agree %5.1f%%", k.source, k.cat, k.conf, byKind[k][0], pct(byKind[k][1], byKind[k][0]))
		}
		keys := make([]string, 0, len(misses))
		for k := range misses {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i >= *showDeclared {
				break
			}
			t.Logf("    %s", k)
		}
		// Floors a little under the figures measured on the unseen set
		// (docs/classifier.md), so that a change that makes the labels the
		// audit acts on worse on other sites fails here.
		if set.name == "unseen" {
			if got := pct(sureRight, sure); got < 83.5 {
				t.Errorf("unseen declarations: confident labels agree %.1f%% of the time, want at least 83.5%%", got)
			}
			if got := pct(sure, total); got < 84 {
				t.Errorf("unseen declarations: %.1f%% of cookies labelled above low confidence, want at least 84%%", got)
			}
		}
	}
}
