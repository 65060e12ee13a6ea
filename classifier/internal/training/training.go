// Package training turns labelled cookies into the classifier's model: the
// features of each cookie, a regularised logistic regression, site-grouped
// cross-validation and the generated Go file of weights. `make train` and the
// accuracy test share it, so what is measured is what is shipped.
package training

import (
	"bytes"
	"fmt"
	"go/format"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cookiescan/cookiescan/classifier"
	"github.com/cookiescan/cookiescan/classifier/internal/cookieblock"
	"github.com/cookiescan/cookiescan/classifier/internal/logreg"
	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// Hyper-parameters, chosen once by site-grouped cross-validation on the
// development crawl; see docs/classifier.md.
var Options = logreg.Options{Classes: len(classifier.ModelClasses), L2: 0.0005, Iterations: 300, Rate: 0.3}

// Folds is the number of site-grouped cross-validation folds.
const Folds = 5

// OCDFile is the Open Cookie Database in the data folder, and OCDWeight the
// weight of each of its entries as a training sample (EntrySamples).
const OCDFile = "open-cookie-database.csv"

var OCDWeight = 1.0

// LoadOCD reads the Open Cookie Database of the data folder and returns its
// entries as training samples for a classifier with database db.
func LoadOCD(data string, db *knowncookies.DB) ([]logreg.Sample, error) {
	f, err := os.Open(filepath.Join(data, OCDFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	es, err := knowncookies.Load(f, knowncookies.SourceOpenCookie)
	if err != nil {
		return nil, err
	}
	return EntrySamples(es, db, OCDWeight)
}

// ClassIndex returns the position of a category in classifier.ModelClasses.
func ClassIndex(c cookieblock.Cookie) int {
	for i, k := range classifier.ModelClasses {
		if k == c.Want {
			return i
		}
	}
	panic("training: category " + string(c.Want) + " is not a model class")
}

// Samples computes every cookie's features as the classifier would at run
// time on the cookie's site, with db as the known-cookie database (nil for
// none).
func Samples(cs []cookieblock.Cookie, db *knowncookies.DB) ([]logreg.Sample, error) {
	out := make([]logreg.Sample, len(cs))
	for i, c := range cs {
		cl, err := classifier.New(classifier.Options{DB: db, SiteDomain: c.Site, NoModel: true})
		if err != nil {
			return nil, fmt.Errorf("training: cookie %s on %s: %w", c.Obs.Name, c.Site, err)
		}
		out[i] = logreg.Sample{Features: cl.Features(c.Obs), Class: ClassIndex(c)}
	}
	return out, nil
}

// LookupView is a cookie as a name lookup gives it (`cookiescan lookup NAME
// --domain D`, a declaration's row, a HAR file without attributes): its
// name and domain, nothing else.
func LookupView(o cookie.Observed) cookie.Observed {
	return cookie.Observed{Name: o.Name, Domain: o.Domain}
}

// LookupWeight is the weight of each crawled cookie's LookupView as a
// training sample (LookupViews).
var LookupWeight = 0.5

// LookupViews returns every cookie's LookupView as a sample at
// LookupWeight, in the order of cs: the model then also learns what a
// cookie known only by name and domain is, which is all a lookup has.
// Under site-grouped cross-validation such cookies went from 81.0% to
// 83.6% right, whole cookies stayed at 84.5% (docs/classifier.md).
func LookupViews(cs []cookieblock.Cookie, db *knowncookies.DB) ([]logreg.Sample, error) {
	views := make([]cookieblock.Cookie, len(cs))
	for i, c := range cs {
		c.Obs = LookupView(c.Obs)
		views[i] = c
	}
	out, err := Samples(views, db)
	for i := range out {
		out[i].Weight = LookupWeight
	}
	return out, err
}

// Augment adds, for every sample with a database feature, a copy without
// them at weight w: the model then also learns what the other evidence says
// on its own, which is all it has for a cookie no database knows (most
// cookies of a site nobody has seen). The copies keep their sample's index
// in origin, so cross-validation keeps them in their site's fold.
func Augment(samples []logreg.Sample, w float64) (out []logreg.Sample, origin []int) {
	for i, s := range samples {
		out = append(out, s)
		origin = append(origin, i)
		var rest []string
		party := ""
		for _, f := range s.Features {
			if p, ok := strings.CutPrefix(f, "party:"); ok {
				party = p
			}
			if strings.HasPrefix(f, "db:none:") || !strings.HasPrefix(f, "db:") && !strings.HasPrefix(f, "dbvendor:") {
				rest = append(rest, f)
			}
		}
		if len(rest) < len(s.Features) {
			out = append(out, logreg.Sample{Features: append(rest, "db:none:"+party), Class: s.Class, Weight: w})
			origin = append(origin, i)
		}
	}
	return out, origin
}

// AugmentWeight is the weight of the copies Augment adds.
var AugmentWeight = 0.5

// Fit trains the model on samples, with Augment's copies, their views
// (LookupViews: views[i] is samples[i]'s; nil for none) and extra samples
// that belong to no site (EntrySamples, DeclaredSamples).
func Fit(samples, views, extra []logreg.Sample) *logreg.Model {
	aug, _ := Augment(samples, AugmentWeight)
	all := append(aug, views...)
	return logreg.Train(append(all, extra...), Options)
}

// OutOfFold trains on all folds but one and scores that one, for each fold:
// every cookie's scores come from a model that saw none of its site's
// labels, neither as the cookie nor as its view.
func OutOfFold(samples, views []logreg.Sample, folds []int, k int, extra []logreg.Sample) [][]float64 {
	out := make([][]float64, len(samples))
	for f := 0; f < k; f++ {
		var train, trainViews []logreg.Sample
		for i, s := range samples {
			if folds[i] != f {
				train = append(train, s)
				if views != nil {
					trainViews = append(trainViews, views[i])
				}
			}
		}
		m := Fit(train, trainViews, extra)
		for i, s := range samples {
			if folds[i] == f {
				out[i] = m.Logits(s.Features)
			}
		}
	}
	return out
}

// Calibrate fits, on out-of-fold scores, per-class offsets that make the
// arg-max right most often (logreg.FitOffsets; per-class thresholds) and
// adds them to the model's bias, which every cookie has; then it fits the
// temperature on the shifted scores and returns it.
func Calibrate(m *logreg.Model, oof [][]float64, classes []int) float64 {
	off := logreg.FitOffsets(oof, classes)
	b := m.Weights[logreg.Bias]
	if len(b) < len(off) {
		b = make([]float64, len(off))
		m.Weights[logreg.Bias] = b
	}
	shifted := make([][]float64, len(oof))
	for i, s := range oof {
		shifted[i] = make([]float64, len(s))
		for j := range s {
			shifted[i][j] = s[j] + off[j]
		}
	}
	for j := range off {
		b[j] += off[j]
	}
	return logreg.FitTemperature(shifted, classes)
}

// Model converts trained weights into the classifier's model.
func Model(m *logreg.Model, temperature float64) (*classifier.Model, error) {
	return classifier.NewModel(m.Weights, temperature)
}

// GoSource renders the weights as the generated Go file. Weights are rounded
// to 4 decimals and features whose weights all round to zero are dropped, so
// the file is small and stable.
func GoSource(m *logreg.Model, temperature float64, header string) ([]byte, error) {
	keys := make([]string, 0, len(m.Weights))
	for k, w := range m.Weights {
		keep := false
		for _, v := range w {
			if math.Abs(v) >= 0.00005 {
				keep = true
			}
		}
		if keep {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.WriteString("// Code generated by classifier/internal/train; DO NOT EDIT.\n\n")
	for _, line := range bytes.Split([]byte(header), []byte("\n")) {
		b.WriteString("// " + string(line) + "\n")
	}
	b.WriteString("\npackage classifier\n\n")
	fmt.Fprintf(&b, "const modelTemperature = %s\n\n", strconv.FormatFloat(temperature, 'f', -1, 64))
	b.WriteString("var modelWeights = map[string][4]float32{\n")
	for _, k := range keys {
		w := m.Weights[k]
		fmt.Fprintf(&b, "%s: {", strconv.Quote(k))
		for i, v := range w {
			if i > 0 {
				b.WriteString(", ")
			}
			v = math.Round(v*10000) / 10000
			if v == 0 {
				v = 0 // no "-0"
			}
			b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

// Extra returns the samples that belong to no crawled site, with their
// features computed with db: the Open Cookie Database's entries and the
// cookies of labelled declarations ds.
func Extra(data string, db *knowncookies.DB, ds []Declared) ([]logreg.Sample, error) {
	ocd, err := LoadOCD(data, db)
	if err != nil {
		return nil, err
	}
	decl, err := DeclaredSamples(ds, db, DeclaredWeight)
	if err != nil {
		return nil, err
	}
	return append(ocd, decl...), nil
}

// Train fits the model on the crawl's samples and their views (folds: each
// sample's site-grouped fold of k) and extra, and calibrates it on k-fold out-of-fold
// scores (Calibrate). The shipped model is Train with Folds folds; the
// accuracy tests call it with fewer inner folds inside their own.
func Train(samples, views []logreg.Sample, folds []int, k int, extra []logreg.Sample) (*logreg.Model, float64) {
	oof := OutOfFold(samples, views, folds, k, extra)
	classes := make([]int, len(samples))
	for i, s := range samples {
		classes[i] = s.Class
	}
	m := Fit(samples, views, extra)
	return m, Calibrate(m, oof, classes)
}

// Generate trains the shipped model on the development crawl and the
// Open Cookie Database in the folder data and the labelled declarations
// (LoadAllDeclared; repo is the repository's root), and returns the Go
// source of the weights file and a summary line.
func Generate(data, repo string) ([]byte, string, error) {
	cs, err := cookieblock.Load(filepath.Join(data, cookieblock.DevFile))
	if err != nil {
		return nil, "", err
	}
	db, err := knowncookies.Default()
	if err != nil {
		return nil, "", err
	}
	samples, err := Samples(cs, db)
	if err != nil {
		return nil, "", err
	}
	ds, err := LoadAllDeclared(repo, data)
	if err != nil {
		return nil, "", err
	}
	extra, err := Extra(data, db, ds)
	if err != nil {
		return nil, "", err
	}
	views, err := LookupViews(cs, db)
	if err != nil {
		return nil, "", err
	}
	m, temp := Train(samples, views, cookieblock.Folds(cs, Folds), Folds, extra)
	docs := map[string]bool{}
	for _, d := range ds {
		docs[d.Doc] = true
	}
	o := Options
	header := fmt.Sprintf("Multinomial logistic regression (L2 %g, %d AdaGrad iterations, rate %g; copies without\n"+
		"database features at weight %g, and as a name lookup sees them at weight %g) trained on the\n"+
		"%d labelled cookies of %s\n"+
		"(CookieBlock, MIT licence), %d samples of exact entries of %s (Apache-2.0)\n"+
		"at weight %g and the %d categorised cookies of %d labelled real declarations at weight %g;\n"+
		"per-class offsets and temperature fitted on %d-fold site-grouped out-of-fold scores.",
		o.L2, o.Iterations, o.Rate, AugmentWeight, LookupWeight, len(cs), cookieblock.DevFile, len(extra)-len(ds), OCDFile, OCDWeight,
		len(ds), len(docs), DeclaredWeight, Folds)
	src, err := GoSource(m, temp, header)
	if err != nil {
		return nil, "", err
	}
	return src, fmt.Sprintf("%d cookies, %d declared cookies in %d declarations, %d features, temperature %g", len(cs), len(ds), len(docs), len(m.Weights), temp), nil
}

// EntrySamples turns known-cookie entries (the Open Cookie Database) into
// extra training samples: a cookie of that name on the entry's domain (a
// third party) or on a stand-in first-party site, labelled with the entry's
// category, at weight w. They teach the model names and hosts that no
// labelled site showed. They carry the lifespan the entry writes
// ("1 year", "Session"), and no value or attributes.
func EntrySamples(entries []knowncookies.Entry, db *knowncookies.DB, w float64) ([]logreg.Sample, error) {
	const site = "https://www.example.org/"
	cl, err := classifier.New(classifier.Options{DB: db, SiteDomain: site, NoModel: true})
	if err != nil {
		return nil, err
	}
	var out []logreg.Sample
	for _, e := range entries {
		k := -1
		for i, c := range classifier.ModelClasses {
			if c == e.Category {
				k = i
			}
		}
		if k < 0 || e.Wildcard || strings.TrimSpace(e.Name) == "" {
			continue
		}
		o := cookie.Observed{Name: strings.TrimSpace(e.Name), Domain: ".example.org", Path: "/"}
		if len(e.Domains) > 0 {
			o.Domain = "." + e.Domains[0]
		}
		out = append(out, logreg.Sample{Features: cl.Features(withLifespan(o, e.Retention)), Class: k, Weight: w})
	}
	return out, nil
}
