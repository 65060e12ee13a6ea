package training

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/classifier/internal/logreg"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/testenv"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// TestWeightsUpToDate retrains from ../shared/data and the repository's
// labelled declarations and compares with the embedded file: the shipped
// weights are exactly what `make train` makes.
func TestWeightsUpToDate(t *testing.T) {
	src, _, err := Generate(testenv.SharedPath(t, "data"), filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile(filepath.Join("..", "..", "weights_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, have) {
		t.Error("classifier/weights_gen.go is not what training makes now: run make train")
	}
}

func TestAugment(t *testing.T) {
	in := []logreg.Sample{
		{Features: []string{"bias", "party:third", "db:marketing", "dbvendor:X", "tok:id"}, Class: 3},
		{Features: []string{"bias", "party:first", "db:none:first", "tok:id"}, Class: 0},
	}
	out, origin := Augment(in, 0.5)
	if len(out) != 3 || origin[1] != 0 || origin[2] != 1 {
		t.Fatalf("augmented %d samples (origins %v), want 3 with the copy from sample 0", len(out), origin)
	}
	want := []string{"bias", "party:third", "tok:id", "db:none:third"}
	if got := out[1].Features; len(got) != len(want) || got[3] != want[3] || out[1].Weight != 0.5 {
		t.Errorf("copy %v weight %g, want %v weight 0.5", got, out[1].Weight, want)
	}
}

// TestEntrySamplesCarryTheRetention: an Open Cookie Database entry teaches
// the lifespan it writes, and an entry that writes none teaches no lifespan.
// Entries without one used to carry "lifespan unknown", which two thousand
// of them, most filed Functional, made evidence for necessary: every cookie
// a lookup knows only by name then leaned that way.
func TestEntrySamplesCarryTheRetention(t *testing.T) {
	db, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	entries := []knowncookies.Entry{
		{Name: "zz_year", Category: cookie.Statistics, Retention: "1 year"},
		{Name: "zz_session", Category: cookie.Necessary, Retention: "Session"},
		{Name: "zz_none", Category: cookie.Necessary},
	}
	samples, err := EntrySamples(entries, db, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != len(entries) {
		t.Fatalf("%d samples for %d entries", len(samples), len(entries))
	}
	lifeOf := func(s logreg.Sample) []string {
		var out []string
		for _, f := range s.Features {
			if strings.HasPrefix(f, "life:") {
				out = append(out, f)
			}
		}
		return out
	}
	for i, want := range [][]string{{"life:1y", "life:1y:first"}, {"life:session", "life:session:first"}, nil} {
		if got := lifeOf(samples[i]); !slices.Equal(got, want) {
			t.Errorf("%s (retention %q): lifespan features %q, want %q", entries[i].Name, entries[i].Retention, got, want)
		}
	}
}
