package classifier_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cookiescan/cookiescan/classifier"
	"github.com/cookiescan/cookiescan/classifier/internal/cookieblock"
	"github.com/cookiescan/cookiescan/classifier/internal/logreg"
	"github.com/cookiescan/cookiescan/classifier/internal/training"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/testenv"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

func TestExp(t *testing.T) {
	if os.Getenv("EXP") == "" {
		t.Skip()
	}
	if v := os.Getenv("AUG"); v != "" {
		training.AugmentWeight, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("L2"); v != "" {
		training.Options.L2, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("OCDW"); v != "" {
		training.OCDWeight, _ = strconv.ParseFloat(v, 64)
	}
	data := testenv.SharedPath(t, "data")
	set, _ := cookieblock.Load(filepath.Join(data, cookieblock.DevFile))
	vendors, _ := knowncookies.EmbeddedVendors()
	ocdEntries, _ := knowncookies.Load(openData(t, data, "open-cookie-database.csv"), knowncookies.SourceOpenCookie)
	tpw, _ := knowncookies.LoadEntities(openData(t, data, "third-party-web-entities.json"), knowncookies.SourceThirdPartyWeb)
	entries, _ := knowncookies.EmbeddedEntries()
	extra := func(db *knowncookies.DB) []logreg.Sample {
		ex, err := training.LoadOCD(data, db)
		if err != nil {
			t.Fatal(err)
		}
		return ex
	}
	corr := newCorroboration(ocdEntries, tpw)
	folds := cookieblock.Folds(set, training.Folds)
	heldDBs := make([]*knowncookies.DB, training.Folds)
	for f := range heldDBs {
		heldDBs[f], _, _ = heldOutDB(set, folds, f, entries, vendors, corr, os.Getenv("LENIENT") != "")
	}
	labels := crossValidate(t, set, func(f int) *knowncookies.DB { return heldDBs[f] }, extra)
	tl := score(set, result{"3h", labels})
	tl.log(t, "(3h)")
	tl.details(t)
	// Threshold sweep on the unclassified: what if the guess were taken.
	for _, th := range []float64{0.45, 0.40, 0.35, 0.30, 0} {
		for _, nth := range []float64{0.60, 0.50, 0.45, 0.40, 0} {
			right := tl.right
			for i, l := range labels {
				if l.Category != cookie.Unclassified || l.Source != classifier.SourceModel {
					continue
				}
				g := guessOf(l)
				need := th
				if g == cookie.Necessary {
					need = max(th, nth)
				}
				if l.Probability >= need && g == set[i].Want {
					right++
				}
			}
			t.Logf("unknown below %.2f, necessary from %.2f: right %.1f%%", th, max(th, nth), pct(right, len(set)))
		}
	}
}
