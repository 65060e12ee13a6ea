package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/result"
)

func outputScan() *result.Scan {
	return &result.Scan{
		SchemaVersion: result.SchemaVersion, Site: "https://www.shop.test/",
		Findings: []audit.Finding{
			{RuleID: "pre-consent", Severity: audit.High, Cookie: &audit.CookieRef{Name: "_ga"}, Message: "m", Fingerprint: "f-pre"},
			{RuleID: "unknown-cookie", Severity: audit.Low, Cookie: &audit.CookieRef{Name: "xq7"}, Message: "m", Fingerprint: "f-unknown"},
		},
	}
}

// parseOutputFlags registers the flags on a throwaway command and parses args,
// as cobra does for scan and demo.
func parseOutputFlags(t *testing.T, args ...string) *outputFlags {
	t.Helper()
	var f outputFlags
	cmd := &cobra.Command{Use: "x"}
	addOutputFlags(cmd, &f)
	if err := cmd.Flags().Parse(args); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestWriteOutputsFailOn(t *testing.T) {
	for _, tt := range []struct {
		name     string
		args     []string
		wantFail bool
	}{
		{"default never fails", nil, false},
		{"severity at a finding", []string{"--fail-on", "high"}, true},
		{"severity above every finding", []string{"--fail-on", "critical"}, false},
		{"severity below", []string{"--fail-on", "low"}, true},
		{"rule present", []string{"--fail-on", "undeclared-cookie,unknown-cookie"}, true},
		{"rule absent", []string{"--fail-on", "undeclared-cookie,after-reject"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := parseOutputFlags(t, append([]string{"--format", "json"}, tt.args...)...)
			var stdout, stderr bytes.Buffer
			err := writeOutputs(context.Background(), outputScan(), f, &stdout, &stderr)
			if got := errors.Is(err, errFindings); got != tt.wantFail {
				t.Fatalf("writeOutputs error = %v, want errFindings %v", err, tt.wantFail)
			}
			if !tt.wantFail && err != nil {
				t.Fatal(err)
			}
			if !json.Valid(stdout.Bytes()) {
				t.Errorf("stdout is not the JSON report: %.200s", stdout.String())
			}
		})
	}
}

func TestWriteOutputsErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"--format", "docx"}, "valid formats: table, json"},
		{"several formats on stdout", []string{"--format", "json,csv"}, "need --output"},
		{"unknown fail-on", []string{"--fail-on", "hihg"}, `"hihg" is neither a severity`},
		{"missing baseline", []string{"--format", "json", "--baseline", "/nonexistent/b.json"}, "--baseline"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := parseOutputFlags(t, tt.args...)
			err := writeOutputs(context.Background(), outputScan(), f, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil || errors.Is(err, errFindings) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestWriteOutputsFilesAndBaseline(t *testing.T) {
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")

	// First run: every format to files, and accept what was found.
	f := parseOutputFlags(t, "--format", "table,json,csv,md,html,junit,sarif", "--output", dir,
		"--write-baseline", baseline, "--fail-on", "high")
	var stderr bytes.Buffer
	if err := writeOutputs(context.Background(), outputScan(), f, &bytes.Buffer{}, &stderr); !errors.Is(err, errFindings) {
		t.Fatalf("first run: %v, want errFindings", err)
	}
	for _, name := range []string{"txt", "json", "csv", "findings.csv", "md", "html", "junit.xml", "sarif"} {
		info, err := os.Stat(filepath.Join(dir, "cookiescan-report."+name))
		if err != nil || info.Size() == 0 {
			t.Errorf("report cookiescan-report.%s: %v", name, err)
		}
	}

	// Second run with the baseline and one new finding: only the new one counts.
	s := outputScan()
	s.Findings = append(s.Findings, audit.Finding{RuleID: "after-reject", Severity: audit.High, Message: "m", Fingerprint: "f-new"})
	f = parseOutputFlags(t, "--format", "json", "--baseline", baseline, "--fail-on", "high")
	var stdout bytes.Buffer
	stderr.Reset()
	err := writeOutputs(context.Background(), s, f, &stdout, &stderr)
	if !errors.Is(err, errFindings) {
		t.Fatalf("second run: %v, want errFindings for the new finding", err)
	}
	if got := prints(s.Findings); !slices.Equal(got, []string{"f-new"}) {
		t.Errorf("remaining findings %v, want [f-new]", got)
	}
	if got := prints(s.Baselined); !slices.Equal(got, []string{"f-pre", "f-unknown"}) {
		t.Errorf("baselined %v", got)
	}
	var report result.Scan
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil || len(report.Baselined) != 2 {
		t.Errorf("JSON report does not carry the baselined findings: %v", err)
	}

	// Third run: the problems are fixed, so the baseline's entries are unused.
	s = outputScan()
	s.Findings = nil
	stderr.Reset()
	if err := writeOutputs(context.Background(), s, f, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatalf("third run: %v", err)
	}
	if n := strings.Count(stderr.String(), "matched no finding"); n != 2 {
		t.Errorf("want 2 unused-entry warnings, got %d:\n%s", n, stderr.String())
	}
}

func prints(fs []audit.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Fingerprint)
	}
	slices.Sort(out)
	return out
}
