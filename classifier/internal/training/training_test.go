package training

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cookiescan/cookiescan/classifier/internal/logreg"
	"github.com/cookiescan/cookiescan/internal/testenv"
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
