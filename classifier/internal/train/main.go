// Command train trains the classifier's model on the labelled
// CookieBlock crawl in ../shared/data and writes classifier/weights_gen.go.
// It is deterministic: run twice, it writes the same file. Run it with
// `make train`.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cookiescan/cookiescan/classifier/internal/cookieblock"
	"github.com/cookiescan/cookiescan/classifier/internal/logreg"
	"github.com/cookiescan/cookiescan/classifier/internal/training"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

func main() {
	data := flag.String("data", "../shared/data", "folder holding "+cookieblock.DevFile)
	out := flag.String("out", "classifier/weights_gen.go", "generated Go file to write")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(data, out string) error {
	cs, err := cookieblock.Load(filepath.Join(data, cookieblock.DevFile))
	if err != nil {
		return fmt.Errorf("%w (give the folder with -data)", err)
	}
	db, err := knowncookies.Default()
	if err != nil {
		return err
	}
	samples, err := training.Samples(cs, db)
	if err != nil {
		return err
	}
	folds := cookieblock.Folds(cs, training.Folds)
	oof := training.OutOfFold(samples, folds, training.Folds)
	classes := make([]int, len(samples))
	for i, s := range samples {
		classes[i] = s.Class
	}
	temp := logreg.FitTemperature(oof, classes)
	m := training.Fit(samples)
	o := training.Options
	header := fmt.Sprintf("Multinomial logistic regression (L2 %g, %d AdaGrad iterations, rate %g) trained on\n"+
		"the %d labelled cookies of %s (CookieBlock, MIT licence);\n"+
		"temperature fitted on %d-fold site-grouped out-of-fold scores.", o.L2, o.Iterations, o.Rate, len(cs), cookieblock.DevFile, training.Folds)
	src, err := training.GoSource(m, temp, header)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d cookies, %d features, temperature %g\n", out, len(cs), len(m.Weights), temp)
	return nil
}
