// Package testenv finds what tests need outside the repository: the shared
// material (seeds, data sets) that sits beside the project as ../shared.
package testenv

import (
	"os"
	"path/filepath"
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
