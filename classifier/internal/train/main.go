// Command train trains the classifier's model on the labelled CookieBlock
// crawl and the Open Cookie Database in ../shared/data and on the labelled
// real declarations, and writes classifier/weights_gen.go. It is
// deterministic: run twice, it writes the same file. Run it with `make train`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/cookiescan/cookiescan/classifier/internal/cookieblock"
	"github.com/cookiescan/cookiescan/classifier/internal/training"
)

func main() {
	data := flag.String("data", "../shared/data", "folder holding "+cookieblock.DevFile)
	repo := flag.String("repo", ".", "the repository's root, holding "+training.RepoDeclarations)
	out := flag.String("out", "classifier/weights_gen.go", "generated Go file to write")
	flag.Parse()
	src, summary, err := training.Generate(*data, *repo)
	if err == nil {
		err = os.WriteFile(*out, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "train:", err, "(give the data folder with -data and the repository with -repo)")
		os.Exit(1)
	}
	fmt.Printf("wrote %s: %s\n", *out, summary)
}
