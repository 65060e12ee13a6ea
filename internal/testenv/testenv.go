// Package testenv finds what tests need outside the repository: the shared
// material (seeds, data sets) that sits beside the project as ../shared.
package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SharedPath returns ../shared/<elem…> beside the module root. When it is
// absent the test skips, except under CI=true, where ../shared is always
// present and its absence is a failure.
func SharedPath(t testing.TB, elem ...string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testenv: module root (go.mod) not found above the test's folder")
		}
		dir = parent
	}
	p := filepath.Join(append([]string{dir, "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("testenv: %s is missing under CI=true: %v", p, err)
		}
		t.Skipf("testenv: %s not present (%v); skipping", p, err)
	}
	return p
}

// Labelled is a hand-labelled declaration: the document and its label file.
type Labelled struct {
	Document, Label string
}

// LabelledDeclarations pairs every NAME.expected.json in dir with the
// NAME.html, .txt, .js or .md beside it. It fails the test when dir holds
// no label or a label has no document.
func LabelledDeclarations(t testing.TB, dir string) []Labelled {
	t.Helper()
	labels, err := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	if err != nil || len(labels) == 0 {
		t.Fatalf("no labelled declarations in %s: %v", dir, err)
	}
	var out []Labelled
	for _, label := range labels {
		base := strings.TrimSuffix(label, ".expected.json")
		doc := ""
		for _, ext := range []string{".html", ".txt", ".js", ".md"} {
			if _, err := os.Stat(base + ext); err == nil {
				doc = base + ext
			}
		}
		if doc == "" {
			t.Fatalf("%s has no document beside it", label)
		}
		out = append(out, Labelled{Document: doc, Label: label})
	}
	return out
}
