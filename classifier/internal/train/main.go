// Command train trains the classifier's model on the labelled CookieBlock
// crawl in ../shared/data and writes classifier/weights_gen.go and classifier/forest_gen.go. It is
// deterministic: run twice, it writes the same file. Run it with `make train`.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cookiescan/cookiescan/classifier/internal/cookieblock"
	"github.com/cookiescan/cookiescan/classifier/internal/training"
)

// ForestFile is the generated trees file, written beside the weights.
const ForestFile = "forest_gen.go"

func main() {
	data := flag.String("data", "../shared/data", "folder holding "+cookieblock.DevFile)
	out := flag.String("out", "classifier/weights_gen.go", "generated Go file to write")
	flag.Parse()
	weights, forest, summary, err := training.Generate(*data)
	if err == nil {
		err = os.WriteFile(*out, weights, 0o644)
	}
	trees := filepath.Join(filepath.Dir(*out), ForestFile)
	if err == nil {
		err = os.WriteFile(trees, forest, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "train:", err, "(give the data folder with -data)")
		os.Exit(1)
	}
	fmt.Printf("wrote %s and %s: %s\n", *out, trees, summary)
}
