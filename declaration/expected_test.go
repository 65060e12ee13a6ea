package declaration

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/testenv"
)

// expected is the shape of a *.expected.json: the seeds' format, which our
// own fixtures follow too.
type expected struct {
	Language string `json:"language"`
	Cookies  []struct {
		Name     string   `json:"name"`
		Vendor   string   `json:"vendor"`
		Category string   `json:"category"`
		Lifespan string   `json:"lifespan"`
		MaxDays  *float64 `json:"max_days"`
		// Persistent distinguishes "persistent, no bound" from "no
		// lifespan given" when max_days is null; the seeds only use the
		// former, so it defaults to true when lifespan text is given.
		Pattern bool `json:"pattern"`
	} `json:"cookies"`
	Vendors          []string           `json:"vendors"`
	VendorCategories map[string]*string `json:"vendor_categories"`
	Categories       []string           `json:"categories_declared"`
	Links            []string           `json:"declaration_links"`
	Consent          map[string]any     `json:"consent"`
	// HTTPEmpty marks a page whose declaration is drawn by script: a plain
	// HTTP fetch must find no cookies, and the rest of the file is what the
	// rendered page declares (checked by the browser fetcher's tests).
	HTTPEmpty bool `json:"http_fetch_finds_no_cookies"`
}

func loadExpected(t testing.TB, path string) expected {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var e expected
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return e
}

// cookieKey is how a declared cookie is compared: every field the
// expectation fixes.
func cookieKey(name, vendor, category, lifespan string, days *float64) string {
	d := "null"
	if days != nil {
		d = fmt.Sprintf("%g", math.Round(*days*1000)/1000)
	}
	return strings.Join([]string{name, vendor, category, lifespan, d}, " | ")
}

func gotCookieKey(c cookie.Declared) string {
	var days *float64
	switch c.Lifespan.Kind {
	case cookie.LifespanSession:
		z := 0.0
		days = &z
	case cookie.LifespanBounded:
		d := c.Lifespan.Days
		days = &d
	}
	return cookieKey(c.Name, c.Vendor, string(c.Category), c.Lifespan.Text, days)
}

// diffSets returns the lines only in want and only in got.
func diffSets(want, got []string) (missing, extra []string) {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	for k, n := range count {
		for ; n > 0; n-- {
			missing = append(missing, k)
		}
		for ; n < 0; n++ {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}

// compareExpected reports every way d differs from e.
func compareExpected(e expected, d *cookie.Declaration) []string {
	var problems []string
	var want, got []string
	for _, c := range e.Cookies {
		want = append(want, cookieKey(c.Name, c.Vendor, c.Category, c.Lifespan, c.MaxDays))
	}
	for _, c := range d.Cookies {
		got = append(got, gotCookieKey(c))
	}
	missing, extra := diffSets(want, got)
	for _, m := range missing {
		problems = append(problems, "missing cookie: "+m)
	}
	for _, x := range extra {
		problems = append(problems, "unexpected cookie: "+x)
	}
	for _, c := range e.Cookies {
		if !c.Pattern {
			continue
		}
		for _, g := range d.Cookies {
			if g.Name == c.Name && (!g.Pattern || g.PatternRegexp == "") {
				problems = append(problems, "cookie "+c.Name+" should be a pattern")
			}
		}
	}
	var gv []string
	byName := map[string]cookie.DeclaredVendor{}
	for _, v := range d.Vendors {
		gv = append(gv, v.Name)
		byName[v.Name] = v
	}
	missing, extra = diffSets(e.Vendors, gv)
	for _, m := range missing {
		problems = append(problems, "missing vendor: "+m)
	}
	for _, x := range extra {
		problems = append(problems, "unexpected vendor: "+x)
	}
	for name, cat := range e.VendorCategories {
		want := ""
		if cat != nil {
			want = *cat
		}
		if v, ok := byName[name]; ok && string(v.Category) != want {
			problems = append(problems, fmt.Sprintf("vendor %s: category %q, want %q", name, v.Category, want))
		}
	}
	var gc []string
	for _, c := range d.Categories {
		gc = append(gc, string(c))
	}
	missing, extra = diffSets(e.Categories, gc)
	for _, m := range missing {
		problems = append(problems, "missing category: "+m)
	}
	for _, x := range extra {
		problems = append(problems, "unexpected category: "+x)
	}
	missing, extra = diffSets(e.Links, d.Links)
	for _, m := range missing {
		problems = append(problems, "missing link: "+m)
	}
	for _, x := range extra {
		problems = append(problems, "unexpected link: "+x)
	}
	if e.Language != "" && d.Language != e.Language {
		problems = append(problems, fmt.Sprintf("language %q, want %q", d.Language, e.Language))
	}
	if r, ok := e.Consent["reject_option"]; ok {
		switch {
		case r == nil && d.RejectOption != nil:
			problems = append(problems, fmt.Sprintf("reject_option %v, want null", *d.RejectOption))
		case r != nil && d.RejectOption == nil:
			problems = append(problems, fmt.Sprintf("reject_option null, want %v", r))
		case r != nil && *d.RejectOption != r.(bool):
			problems = append(problems, fmt.Sprintf("reject_option %v, want %v", *d.RejectOption, r))
		}
	}
	wantDays := 0.0
	if v, ok := e.Consent["consent_lifespan_days"].(float64); ok {
		wantDays = v
	}
	if d.ConsentLifespanDays != wantDays {
		problems = append(problems, fmt.Sprintf("consent_lifespan_days %g, want %g", d.ConsentLifespanDays, wantDays))
	}
	return problems
}

// seedDir finds ../shared/seeds beside the repository. Outside the
// project's CI it may be absent: the test skips, except under CI=true.
func seedDir(t testing.TB) string { return testenv.SharedPath(t, "seeds") }

// corpusCase is one declaration with its expectation.
type corpusCase struct {
	name, input, expected string
}

func seedCases(t testing.TB) []corpusCase {
	dir := seedDir(t)
	inputs, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no seeds in %s: %v", dir, err)
	}
	var cs []corpusCase
	for _, in := range inputs {
		cs = append(cs, corpusCase{name: filepath.Base(in), input: in, expected: strings.TrimSuffix(in, ".txt") + ".expected.json"})
	}
	return cs
}

func fixtureCases(t testing.TB) []corpusCase {
	dir := filepath.Join("..", "testdata", "declarations")
	exps, err := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	if err != nil || len(exps) == 0 {
		t.Fatalf("no fixtures in %s: %v", dir, err)
	}
	var cs []corpusCase
	for _, e := range exps {
		base := strings.TrimSuffix(e, ".expected.json")
		var in string
		for _, ext := range []string{".html", ".txt", ".js"} {
			if _, err := os.Stat(base + ext); err == nil {
				in = base + ext
			}
		}
		if in == "" {
			t.Fatalf("fixture %s has no input beside it", e)
		}
		cs = append(cs, corpusCase{name: filepath.Base(in), input: in, expected: e})
	}
	return cs
}

func parseFile(t testing.TB, path string) *cookie.Declaration {
	t.Helper()
	page, err := LoadFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(page, Options{})
	if err != nil && d == nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return d
}

func TestSeeds(t *testing.T) {
	for _, c := range seedCases(t) {
		t.Run(c.name, func(t *testing.T) {
			d := parseFile(t, c.input)
			for _, p := range compareExpected(loadExpected(t, c.expected), d) {
				t.Error(p)
			}
		})
	}
}

func TestFixtures(t *testing.T) {
	for _, c := range fixtureCases(t) {
		t.Run(c.name, func(t *testing.T) {
			e := loadExpected(t, c.expected)
			d := parseFile(t, c.input)
			if e.HTTPEmpty {
				if len(d.Cookies) != 0 {
					t.Errorf("the page as served declares %d cookies; its declaration is drawn by script and should need a browser", len(d.Cookies))
				}
				return
			}
			for _, p := range compareExpected(e, d) {
				t.Error(p)
			}
		})
	}
}
