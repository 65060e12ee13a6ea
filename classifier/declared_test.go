package classifier_test

import (
	"cmp"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/classifier"
	"github.com/cookiescan/cookiescan/classifier/internal/cookieblock"
	"github.com/cookiescan/cookiescan/classifier/internal/logreg"
	"github.com/cookiescan/cookiescan/classifier/internal/training"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/testenv"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

var showDeclared = flag.Int("declared.misses", 0, "print this many disagreements with the declarations' categories")

// declaredSets are the labelled real declarations, by how far the people
// who wrote the embedded database could have seen them.
var declaredSets = []struct {
	name, glob, why string
}{
	{"unseen", "../testdata/declarations/real/[r-z][a-z]_*.expected.json", "collected after the database was last changed"},
	{"shared", "../../shared/data/declarations/*.expected.json", "the shared corpus, readable while the database was written"},
}

// TestDeclaredCategories measures the classifier against the categories
// real sites give their cookies in their published declarations: other
// sites than the CookieBlock crawl's, in sixteen languages, years later.
// A confident label that differs from the declared category is what the
// audit reports as category-mismatch, so the share of those that are the
// classifier's error, not the site's, is the false-accusation rate. It
// fails when confident labels agree with the unseen declarations less
// often than measured when this test was written, less a margin.
//
// The shipped model is trained on these declarations too (make train), so
// each declaration's cookies are labelled here by a model trained without
// that declaration: 5-fold cross-validation grouped by declaration, each
// fold's model trained as the shipped one is, on everything else.
func TestDeclaredCategories(t *testing.T) {
	data := testenv.SharedPath(t, "data")
	db, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	all, err := training.LoadAllDeclared("..", data)
	if err != nil {
		t.Fatal(err)
	}
	st := loadShippedTraining(t, data, db)
	labels := labelDeclaredByFold(t, st, db, all)
	// The same cookies labelled by a model trained on no declaration, to
	// show what training on them brings to sites of their kind.
	without := labelDeclaredWithout(t, st, db, all)
	for _, set := range declaredSets {
		files, err := filepath.Glob(set.glob)
		if err != nil {
			t.Fatal(err)
		}
		inSet := map[string]bool{}
		for _, f := range files {
			inSet[filepath.Base(f)] = true
		}
		var cookies []training.Declared
		var setLabels, setWithout []cookie.Label
		for i, d := range all {
			if inSet[d.Doc] {
				cookies = append(cookies, d)
				setLabels = append(setLabels, labels[i])
				setWithout = append(setWithout, without[i])
			}
		}
		if len(cookies) == 0 {
			t.Fatalf("%s: no labelled declarations at %s", set.name, set.glob)
		}
		agree, share := reportDeclared(t, set.name+" ("+set.why+")", cookies, setLabels, true)
		reportDeclared(t, set.name+", the model trained on no declaration", cookies, setWithout, false)
		if *showDeclared > 0 {
			for i, d := range cookies {
				a, b := setLabels[i], setWithout[i]
				conf := func(l cookie.Label) bool { return l.Category != cookie.Unclassified && l.Confidence != cookie.Low }
				if d.Want == cookie.Necessary && conf(a) && a.Category != cookie.Necessary && !(conf(b) && b.Category != cookie.Necessary) {
					t.Logf("    newly contradicts necessary: %s → %s (%s, %.2f) [%s]; without: %s %s", d.Name, a.Category, a.Source, a.Probability, d.Doc, b.Category, b.Confidence)
				}
			}
		}
		// Floors a little under the figures measured on the unseen set
		// (docs/classifier.md), so that a change that makes the labels the
		// audit acts on worse on other sites fails here.
		if set.name == "unseen" {
			// The eleventh batch's 553-cookie Cookiebot dialog, most of it
			// ad-tech no database documents, lowered the share above low
			// confidence from 85% to about 79% (docs/classifier.md).
			if agree < 82 {
				t.Errorf("unseen declarations: confident labels agree %.1f%% of the time, want at least 82%%", agree)
			}
			if share < 77 {
				t.Errorf("unseen declarations: %.1f%% of cookies labelled above low confidence, want at least 77%%", share)
			}
		}
	}
}

var newDeclared = flag.String("declared.new", "", "label the declarations matching this glob (label files) with the shipped model, as at first contact: they must not be in its training data")

// TestNewDeclarations measures the shipped model on declarations it was
// not trained on (a new blind batch, before it joins the repository and
// make train): -args -declared.new 'DIR/*.expected.json'.
func TestNewDeclarations(t *testing.T) {
	if *newDeclared == "" {
		t.Skip("no -declared.new glob given")
	}
	db, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := training.LoadDeclared(*newDeclared)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 {
		t.Fatalf("no categorised cookies in %s", *newDeclared)
	}
	c, err := classifier.New(classifier.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]cookie.Label, len(ds))
	for i, d := range ds {
		labels[i] = c.Classify(training.ObservedFromDeclared(db, d))
	}
	reportDeclared(t, *newDeclared, ds, labels, true)
}

// reportDeclared prints how labels compare with the declared categories
// of cookies (name: the set's; details: by source, and the disagreements
// too) and returns the share of confident labels
// that agree and the share of cookies labelled above low confidence.
func reportDeclared(t *testing.T, name string, cookies []training.Declared, setLabels []cookie.Label, details bool) (agree, share float64) {
	t.Helper()
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
	for i, d := range cookies {
		docs[d.Doc] = true
		l := setLabels[i]
		total++
		if l.Category == d.Want {
			right++
		}
		confusion[[2]cookie.Category{d.Want, l.Category}]++
		confident := l.Category != cookie.Unclassified && l.Confidence != cookie.Low
		src := l.Source
		if src != classifier.SourceModel && src != classifier.SourceHeuristic {
			src = "database"
		}
		k := byKind[kind{src, l.Category, l.Confidence}]
		k[0]++
		if l.Category == d.Want {
			k[1]++
		}
		byKind[kind{src, l.Category, l.Confidence}] = k
		if !confident {
			continue
		}
		sure++
		if l.Category == d.Want {
			sureRight++
			continue
		}
		if d.Want == cookie.Necessary {
			necDeclaredSure++
		}
		misses[fmt.Sprintf("%s declared %s, labelled %s (%s, p %.2f, %s) [%s]", d.Name, d.Want, l.Category, l.Confidence, l.Probability, l.Reason, d.Doc)]++
	}
	t.Logf("%s: %d cookies in %d declarations; same category %.1f%% (%d); labelled above low confidence %.1f%%, of which agree %.1f%% (%d/%d); confident disagreements where the site says necessary: %d",
		name, total, len(docs), pct(right, total), right, pct(sure, total), pct(sureRight, sure), sureRight, sure, necDeclaredSure)
	if !details {
		return pct(sureRight, sure), pct(sure, total)
	}
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
	return pct(sureRight, sure), pct(sure, total)
}

// declaredFolds is the number of declaration-grouped folds.
const declaredFolds = 5

// shippedTraining is what every model of the test is trained on besides
// declarations: the crawl's samples and their lookup views, and the Open
// Cookie Database's samples, computed once.
type shippedTraining struct {
	samples, views, ocd []logreg.Sample
	folds               []int
}

func loadShippedTraining(t *testing.T, data string, db *knowncookies.DB) shippedTraining {
	t.Helper()
	crawl, err := cookieblock.Load(filepath.Join(data, cookieblock.DevFile))
	if err != nil {
		t.Fatal(err)
	}
	var st shippedTraining
	if st.samples, err = training.Samples(crawl, db); err != nil {
		t.Fatal(err)
	}
	if st.views, err = training.LookupViews(crawl, db); err != nil {
		t.Fatal(err)
	}
	if st.ocd, err = training.LoadOCD(data, db); err != nil {
		t.Fatal(err)
	}
	st.folds = cookieblock.Folds(crawl, training.Folds)
	return st
}

// classifierWith trains a model as the shipped one is, on declarations ds
// besides the rest, and returns a classifier that uses it.
func (st shippedTraining) classifierWith(t *testing.T, db *knowncookies.DB, ds []training.Declared) *classifier.Classifier {
	t.Helper()
	decl, err := training.DeclaredSamples(ds, db, training.DeclaredWeight)
	if err != nil {
		t.Fatal(err)
	}
	extra := append(slices.Clone(st.ocd), decl...)
	m, err := training.Model(training.Train(st.samples, st.views, st.folds, training.Folds, extra))
	if err != nil {
		t.Fatal(err)
	}
	c, err := classifier.New(classifier.Options{DB: db, Model: m})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// labelDeclaredByFold labels every declared cookie with a model trained,
// as the shipped one is, on the crawl, the Open Cookie Database and the
// declarations of the other folds (folds by declaration, in name order).
func labelDeclaredByFold(t *testing.T, st shippedTraining, db *knowncookies.DB, all []training.Declared) []cookie.Label {
	t.Helper()
	var docs []string
	for _, d := range all {
		docs = append(docs, d.Doc)
	}
	slices.Sort(docs)
	docs = slices.Compact(docs)
	fold := map[string]int{}
	for i, d := range docs {
		fold[d] = i % declaredFolds
	}
	out := make([]cookie.Label, len(all))
	for f := 0; f < declaredFolds; f++ {
		var train []training.Declared
		for _, d := range all {
			if fold[d.Doc] != f {
				train = append(train, d)
			}
		}
		c := st.classifierWith(t, db, train)
		for i, d := range all {
			if fold[d.Doc] == f {
				out[i] = c.Classify(training.ObservedFromDeclared(db, d))
			}
		}
	}
	return out
}

// labelDeclaredWithout labels every declared cookie with a model trained
// as the shipped one is but on no declaration.
func labelDeclaredWithout(t *testing.T, st shippedTraining, db *knowncookies.DB, all []training.Declared) []cookie.Label {
	t.Helper()
	c := st.classifierWith(t, db, nil)
	out := make([]cookie.Label, len(all))
	for i, d := range all {
		out[i] = c.Classify(training.ObservedFromDeclared(db, d))
	}
	return out
}
