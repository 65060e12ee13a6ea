package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/store"
)

// TestDiffRefusesDifferentSites: a diff of two sites' scans exits 2 with a
// message naming both and the flag, unless --allow-different-sites.
func TestDiffRefusesDifferentSites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	for _, sc := range []*result.Scan{{Site: "https://a.example/", StartedAt: t0}, {Site: "https://b.example/", StartedAt: t0.Add(time.Hour)}} {
		if _, err := s.Save(context.Background(), sc); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	code, out, errOut := runCLI(t, "diff", "1", "2", "--db", path)
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q; want exit 2 and no diff", code, out)
	}
	for _, want := range []string{"different sites", "https://a.example/", "https://b.example/", "--allow-different-sites"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	code, out, errOut = runCLI(t, "diff", "1", "2", "--allow-different-sites", "--db", path)
	if code != 0 || !strings.Contains(out, "scan 1") || !strings.Contains(errOut, "warning: comparing scans of different sites") {
		t.Errorf("with --allow-different-sites: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// TestPaperFlag: an unknown --paper fails before any browser starts.
func TestPaperFlag(t *testing.T) {
	code, _, errOut := runCLI(t, "scan", "https://example.invalid/", "--format", "pdf", "--output", t.TempDir(), "--paper", "a3")
	if code != 2 || !strings.Contains(errOut, `--paper "a3": use one of a4, letter`) {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}
