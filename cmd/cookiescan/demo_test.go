package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/internal/browsertest"
)

// TestDemoFailOnAndBaseline is the CI story: the demo site has high findings,
// so --fail-on high exits 1; a baseline written by that run accepts them, and
// the same scan with the baseline exits 0.
func TestDemoFailOnAndBaseline(t *testing.T) {
	browsertest.NeedBrowser(t)
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")
	out := filepath.Join(dir, "out")

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"demo", "--quiet", "--fail-on", "high", "--write-baseline", baseline,
		"--format", "json,sarif,junit,html,csv,md,table", "--output", out}, &stdout, &stderr)
	if code != exitFindings {
		t.Fatalf("demo --fail-on high: exit %d, want %d\n%s", code, exitFindings, stderr.String())
	}
	for _, name := range []string{"cookiescan-report.json", "cookiescan-report.sarif", "cookiescan-report.junit.xml", "cookiescan-report.html", "cookiescan-report.csv", "cookiescan-report.md", "cookiescan-report.txt"} {
		if fi, err := os.Stat(filepath.Join(out, name)); err != nil || fi.Size() == 0 {
			t.Errorf("report %s: %v", name, err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(out, "cookiescan-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var first struct {
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(raw, &first); err != nil || len(first.Findings) == 0 {
		t.Fatalf("first run: %d findings, %v", len(first.Findings), err)
	}

	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"demo", "--quiet", "--fail-on", "high", "--baseline", baseline, "--format", "json"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("demo with the baseline of the same scan: exit %d, want 0\n%s", code, stderr.String())
	}
	var second struct {
		Findings  []json.RawMessage `json:"findings"`
		Baselined []json.RawMessage `json:"baselined"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &second); err != nil {
		t.Fatal(err)
	}
	if len(second.Findings) != 0 || len(second.Baselined) != len(first.Findings) {
		t.Errorf("with the baseline: %d findings left, %d baselined; want 0 and %d", len(second.Findings), len(second.Baselined), len(first.Findings))
	}
}

func TestScanUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"scan"},
		{"scan", "ftp://example.com/"},
		{"scan", "https://example.com/", "--connect-to", "a:b"},
		{"scan", "https://example.com/", "--states", "maybe"},
		{"scan", "https://example.com/", "--format", "pdf"},
		{"scan", "https://example.com/", "--fail-on", "sometimes"},
		{"scan", "https://example.com/", "--max-pages", "0"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitFailure || stderr.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with a message", args, code, stderr.String())
		}
	}
}

// A site that cannot be reached: the scan could not run (exit 2), and the
// message names the page and the cause.
func TestScanUnreachableSiteExits2(t *testing.T) {
	browsertest.NeedBrowser(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "https://no-such-host.invalid/", "--quiet", "--states", "before", "--declaration", "none"}, &stdout, &stderr)
	if code != exitFailure {
		t.Fatalf("exit %d, want %d", code, exitFailure)
	}
	msg := stderr.String()
	if !strings.Contains(msg, "https://no-such-host.invalid/") || !strings.Contains(msg, "unknown host") {
		t.Errorf("stderr does not name the page and the cause:\n%s", msg)
	}
}
