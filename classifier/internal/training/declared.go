package training

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/classifier"
	"github.com/cookiescan/cookiescan/classifier/internal/logreg"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/declaration"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// Declared is one cookie that a real site's published declaration files
// under a category, as the declaration's hand-made label file says. Such
// labels are what the CookieBlock crawl's are (the purpose a site gives its
// own cookie), from other sites, other consent platforms and later years.
type Declared struct {
	Doc, Name, Vendor, Lifespan string
	Want                        cookie.Category
}

// Where the labelled declarations are: the repository's, collected blind
// (testdata/declarations/real), and the shared corpus beside it.
const (
	RepoDeclarations   = "testdata/declarations/real"
	SharedDeclarations = "declarations"
)

// DeclaredWeight is the weight of each declared cookie as a training
// sample. Half a crawled cookie's: with 2,876 declared cookies against the
// crawl's 1,098, weight 1 let the declarations' name-only samples outweigh
// the crawl where a cookie is known by name and domain only (row 3k: 82.5%
// at 1, 83.5% at 0.5, 83.0% at 0.25), for no gain on the declarations
// themselves (agreement 83.7% at both).
const DeclaredWeight = 0.5

// LoadDeclared reads the label files (*.expected.json) matching glob and
// returns their cookies whose category is one the model knows.
func LoadDeclared(glob string) ([]Declared, error) {
	files, err := filepath.Glob(glob)
	if err != nil {
		return nil, fmt.Errorf("training: declarations %s: %w", glob, err)
	}
	var out []Declared
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("training: %w", err)
		}
		var doc struct {
			Cookies []struct {
				Name, Vendor, Category, Lifespan string
			}
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("training: declaration labels %s: %w", f, err)
		}
		for _, c := range doc.Cookies {
			cat := cookie.Category(c.Category)
			if !slices.Contains(classifier.ModelClasses[:], cat) || strings.TrimSpace(c.Name) == "" {
				continue
			}
			out = append(out, Declared{Doc: filepath.Base(f), Name: c.Name, Vendor: c.Vendor, Lifespan: c.Lifespan, Want: cat})
		}
	}
	return out, nil
}

// LoadAllDeclared reads the repository's labelled declarations (repo is
// the repository's root) and the shared corpus's (data is the shared data
// folder; it may lack them).
func LoadAllDeclared(repo, data string) ([]Declared, error) {
	own, err := LoadDeclared(filepath.Join(repo, RepoDeclarations, "*.expected.json"))
	if err != nil {
		return nil, err
	}
	if len(own) == 0 {
		return nil, fmt.Errorf("training: no labelled declarations in %s (give the repository's root)", filepath.Join(repo, RepoDeclarations))
	}
	shared, err := LoadDeclared(filepath.Join(data, SharedDeclarations, "*.expected.json"))
	if err != nil {
		return nil, err
	}
	return append(own, shared...), nil
}

// placeholder is how declarations write the variable part of a name:
// _ga_<container-id>, intercom-id-#, _hjSession_*, _pk_id.[id].
var placeholder = regexp.MustCompile(`<[^>]{1,40}>|\[[^\]]{1,40}\]|\{[^}]{1,40}\}|[#*]+|x{3,}|X{3,}`)

// company is the company a vendor belongs to.
func company(v *knowncookies.Vendor) string {
	if v.Company != "" {
		return v.Company
	}
	return v.Name
}

// ObservedFromDeclared makes the cookie a scan would see from a declared
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
func ObservedFromDeclared(db *knowncookies.DB, d Declared) cookie.Observed {
	// Digits stand for the variable part: letters would be read as words
	// of the name ("1A2B" as "a", "b"), which the model weighs.
	const filler = "1234"
	o := cookie.Observed{Name: placeholder.ReplaceAllString(d.Name, filler)}
	// "_pk_id*" stands for Matomo's _pk_id.1.a3f2: fill a placeholder with
	// the separators vendors use until the database knows the name.
	for _, sep := range []string{".1.", "_", "-", "."} {
		if o.Name == d.Name {
			break
		}
		if _, found := db.Lookup(o.Name, ""); found {
			break
		}
		if n := placeholder.ReplaceAllString(d.Name, sep+filler); n != d.Name {
			if _, found := db.Lookup(n, ""); found {
				o.Name = n
			}
		}
	}
	site := func() {
		o.Domain, o.RegistrableDomain, o.Party, o.HostOnly = "www.site.example", "site.example", cookie.FirstParty, true
	}
	if host := strings.TrimPrefix(strings.ToLower(d.Vendor), "."); strings.Contains(host, ".") && !strings.ContainsAny(host, " /") {
		if _, _, ok := db.VendorByHost(host); ok {
			o.Domain, o.Party = "."+host, cookie.ThirdParty
		} else {
			site()
		}
	} else if m, found := db.Lookup(o.Name, ""); found && len(m.Entry.Domains) > 0 {
		v, known := db.VendorByAlias(d.Vendor)
		if !known && d.Vendor != "" {
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
	return withLifespan(o, d.Lifespan)
}

// withLifespan gives o the lifespan a declaration or a database entry
// writes ("2 years", "Session"), read as the declaration reader reads it;
// o keeps no lifespan when the text gives none.
func withLifespan(o cookie.Observed, text string) cookie.Observed {
	l := declaration.ParseLifespan(text)
	switch l.Kind {
	case cookie.LifespanSession:
		o.Session = true
	case cookie.LifespanBounded:
		o.LifespanDays = l.Days
	}
	return o
}

// DeclaredSamples turns declared cookies into training samples at weight
// w, their features computed with db as the classifier computes them for
// the cookie ObservedFromDeclared makes (its party is what that says).
func DeclaredSamples(ds []Declared, db *knowncookies.DB, w float64) ([]logreg.Sample, error) {
	cl, err := classifier.New(classifier.Options{DB: db, NoModel: true})
	if err != nil {
		return nil, err
	}
	out := make([]logreg.Sample, 0, len(ds))
	for _, d := range ds {
		k := slices.Index(classifier.ModelClasses[:], d.Want)
		out = append(out, logreg.Sample{Features: cl.Features(ObservedFromDeclared(db, d)), Class: k, Weight: w})
	}
	return out, nil
}
