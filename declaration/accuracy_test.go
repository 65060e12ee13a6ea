package declaration

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/testenv"
)

// The accuracy measurement: every labelled declaration we have (the shared
// corpus of real declarations, the seeds, the project's fixtures and the
// real declarations under testdata/declarations/real) is parsed and scored
// against its labels, following the scoring the corpus README suggests:
// names as a multiset compared case-sensitively after trimming, vendors as
// a set after case-folding, categories and lifespans on the entries whose
// names match and whose label is not null.
//
// Run it with `make declaration-accuracy`. It fails only where the seeds
// stop being exact; the rest is a measurement to read.

// counts are true positives, false positives and false negatives.
type counts struct{ tp, fp, fn int }

func (c counts) add(o counts) counts { return counts{c.tp + o.tp, c.fp + o.fp, c.fn + o.fn} }

func (c counts) prf() (p, r, f float64) {
	p, r = 1, 1
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// ratio is correct of total labelled values.
type ratio struct{ ok, n int }

func (r ratio) add(o ratio) ratio { return ratio{r.ok + o.ok, r.n + o.n} }

func (r ratio) String() string {
	if r.n == 0 {
		return "    -    "
	}
	return fmt.Sprintf("%.2f %2d/%-2d", float64(r.ok)/float64(r.n), r.ok, r.n)
}

// score is one document's result.
type score struct {
	names, vendors counts
	cats, lifes    ratio
	lang           ratio
	// misses lists what went wrong, for the verbose output.
	misses []string
}

// normLifespan is a lifespan compared after normalisation: case, spacing,
// a trailing full stop.
func normLifespan(s string) string {
	s = strings.ToLower(cleanSpace(s))
	return strings.TrimSpace(strings.TrimRight(s, ". "))
}

func scoreDeclaration(e expected, d *cookie.Declaration) score {
	var s score
	if e.Language != "" {
		s.lang.n = 1
		if d.Language == e.Language {
			s.lang.ok = 1
		} else {
			s.misses = append(s.misses, fmt.Sprintf("language %q, want %q", d.Language, e.Language))
		}
	}
	// Names: multiset, matched in document order so that the category and
	// lifespan of the n-th "_ga" are compared with the n-th label.
	got := map[string][]cookie.Declared{}
	for _, c := range d.Cookies {
		n := strings.TrimSpace(c.Name)
		got[n] = append(got[n], c)
	}
	used := map[string]int{}
	for _, w := range e.Cookies {
		n := strings.TrimSpace(w.Name)
		if used[n] >= len(got[n]) {
			s.names.fn++
			s.misses = append(s.misses, "missed name "+n)
			continue
		}
		g := got[n][used[n]]
		used[n]++
		s.names.tp++
		if w.Category != "" {
			ok := string(g.Category) == w.Category
			s.cats.n++
			if ok {
				s.cats.ok++
			} else {
				s.misses = append(s.misses, fmt.Sprintf("category of %s: %q, want %q", n, g.Category, w.Category))
			}
		}
		if w.Lifespan != "" {
			s.lifes.n++
			if normLifespan(g.Lifespan.Text) == normLifespan(w.Lifespan) {
				s.lifes.ok++
			} else {
				s.misses = append(s.misses, fmt.Sprintf("lifespan of %s: %q, want %q", n, g.Lifespan.Text, w.Lifespan))
			}
		}
	}
	var extra []string
	for n, gs := range got {
		for k := used[n]; k < len(gs); k++ {
			s.names.fp++
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	for _, n := range extra {
		s.misses = append(s.misses, "extra name "+n)
	}
	// Vendors: a set after case-folding.
	want := map[string]bool{}
	for _, v := range e.Vendors {
		want[strings.ToLower(strings.TrimSpace(v))] = true
	}
	have := map[string]bool{}
	for _, v := range d.Vendors {
		have[strings.ToLower(strings.TrimSpace(v.Name))] = true
	}
	for v := range want {
		if have[v] {
			s.vendors.tp++
		} else {
			s.vendors.fn++
			s.misses = append(s.misses, "missed vendor "+v)
		}
	}
	for v := range have {
		if !want[v] {
			s.vendors.fp++
			s.misses = append(s.misses, "extra vendor "+v)
		}
	}
	return s
}

// corpusSet is one group of labelled documents.
type corpusSet struct {
	name  string
	cases []corpusCase
}

func sharedDeclarationCases(t testing.TB) []corpusCase {
	dir := testenv.SharedPath(t, "data", "declarations")
	return labelledCases(t, dir)
}

// labelledCases is every labelled declaration in dir.
func labelledCases(t testing.TB, dir string) []corpusCase {
	var cs []corpusCase
	for _, l := range testenv.LabelledDeclarations(t, dir) {
		cs = append(cs, corpusCase{name: filepath.Base(l.Document), input: l.Document, expected: l.Label})
	}
	return cs
}

// heldOut are the shared documents whose text was never opened while the
// reader was restructured for issue 10 (only their scores were seen): their
// sub-total shows whether the changes generalise beyond what was read.
var heldOut = map[string]bool{
	"01_artxp_en.html": true, "04_collabhq_en.html": true, "05_payintelli_en.html": true, "11_averdi_no.html": true,
	"14_alfabetta_nl.txt": true, "19_kopiator_sv.html": true, "20_nextshow_da.html": true, "21_monsun_da.txt": true,
	"22_ding2_da.html": true, "25_menteora_it.txt": true,
}

func TestDeclarationAccuracy(t *testing.T) {
	sets := []corpusSet{
		{"shared corpus", sharedDeclarationCases(t)},
		{"seeds", seedCases(t)},
		{"fixtures", fixtureCases(t)},
	}
	if real, _ := filepath.Glob(filepath.Join("..", "testdata", "declarations", "real", "*.expected.json")); len(real) > 0 {
		sets = append(sets, corpusSet{"real (testdata)", labelledCases(t, filepath.Join("..", "testdata", "declarations", "real"))})
	}
	var out strings.Builder
	for _, set := range sets {
		fmt.Fprintf(&out, "\n## %s\n\n", set.name)
		fmt.Fprintf(&out, "| document | names P | names R | names F1 | vendors P | vendors R | vendors F1 | categories | lifespans | language |\n")
		fmt.Fprintf(&out, "|---|---|---|---|---|---|---|---|---|---|\n")
		var total, held score
		for _, c := range set.cases {
			e := loadExpected(t, c.expected)
			if e.HTTPEmpty {
				continue // drawn by script: scored by the browser fetcher's test
			}
			d := parseFile(t, c.input)
			s := scoreDeclaration(e, d)
			total.names = total.names.add(s.names)
			total.vendors = total.vendors.add(s.vendors)
			total.cats = total.cats.add(s.cats)
			total.lifes = total.lifes.add(s.lifes)
			total.lang = total.lang.add(s.lang)
			if heldOut[c.name] {
				held.names, held.vendors = held.names.add(s.names), held.vendors.add(s.vendors)
				held.cats, held.lifes, held.lang = held.cats.add(s.cats), held.lifes.add(s.lifes), held.lang.add(s.lang)
			}
			np, nr, nf := s.names.prf()
			vp, vr, vf := s.vendors.prf()
			lang := "-"
			if s.lang.n > 0 {
				lang = map[bool]string{true: "ok", false: "wrong"}[s.lang.ok == 1]
			}
			fmt.Fprintf(&out, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |\n", c.name, np, nr, nf, vp, vr, vf, s.cats, s.lifes, lang)
			if testing.Verbose() && len(s.misses) > 0 {
				t.Logf("%s:\n  %s", c.name, strings.Join(s.misses, "\n  "))
			}
			if set.name == "seeds" && (s.names.fp+s.names.fn+s.vendors.fp+s.vendors.fn > 0 || s.cats.ok != s.cats.n) {
				t.Errorf("seed %s is no longer exact: %s", c.name, strings.Join(s.misses, "; "))
			}
		}
		if held.names.tp+held.names.fn+held.vendors.tp+held.vendors.fn > 0 {
			np, nr, nf := held.names.prf()
			vp, vr, vf := held.vendors.prf()
			fmt.Fprintf(&out, "| *held out (%d documents)* | %.3f | %.3f | *%.3f* | %.3f | %.3f | *%.3f* | *%s* | *%s* | *%s* |\n",
				len(heldOut), np, nr, nf, vp, vr, vf, held.cats, held.lifes, held.lang)
		}
		np, nr, nf := total.names.prf()
		vp, vr, vf := total.vendors.prf()
		fmt.Fprintf(&out, "| **overall** | %.3f | %.3f | **%.3f** | %.3f | %.3f | **%.3f** | **%s** | **%s** | **%s** |\n", np, nr, nf, vp, vr, vf, total.cats, total.lifes, total.lang)
	}
	fmt.Print(out.String())
}
