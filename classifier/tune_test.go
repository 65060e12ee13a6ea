package classifier_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cookiescan/cookiescan/classifier/internal/cookieblock"
	"github.com/cookiescan/cookiescan/classifier/internal/training"
	"github.com/cookiescan/cookiescan/internal/testenv"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

func TestTune(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	data := testenv.SharedPath(t, "data")
	set, _ := cookieblock.Load(filepath.Join(data, cookieblock.DevFile))
	embedded, _ := knowncookies.Default()
	for _, l2 := range []float64{0.0003, 0.001, 0.002, 0.005} {
		for _, it := range []int{300, 800} {
			training.Options.L2 = l2
			training.Options.Iterations = it
			if r, err := strconv.ParseFloat(os.Getenv("RATE"), 64); err == nil {
				training.Options.Rate = r
			}
			ls := crossValidate(t, set, embedded)
			tl := score(set, result{labels: ls})
			ls7 := crossValidate(t, set, nil)
			t7 := score(set, result{labels: ls7})
			t.Logf("l2 %g it %d: (3) %.1f%% cov %.1f%%  (7) %.1f%%", l2, it, pct(tl.right, tl.total), pct(tl.covered, tl.total), pct(t7.right, t7.total))
		}
	}
}
