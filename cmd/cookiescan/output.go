package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/reports"
	"github.com/cookiescan/cookiescan/result"
)

// outputFlags are the flags that decide what is written where and when the
// command fails; `scan` and `demo` share them.
type outputFlags struct {
	formats       []string
	outputDir     string
	failOn        string
	baseline      string
	writeBaseline string
	width         int
}

func addOutputFlags(cmd *cobra.Command, f *outputFlags) {
	fl := cmd.Flags()
	fl.StringSliceVar(&f.formats, "format", []string{"table"},
		"report formats, comma-separated: "+strings.Join(reports.Formats(), ", "))
	fl.StringVarP(&f.outputDir, "output", "o", "",
		"write one file per format into this folder (cookiescan-report.<ext>) instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", "none",
		"exit 1 when a finding remains at or above a severity (info, low, medium, high, critical), or of the given rule ids (comma-separated); none never fails")
	fl.StringVar(&f.baseline, "baseline", "",
		"accept the findings listed in this baseline file or earlier JSON report; only new findings count for --fail-on")
	fl.StringVar(&f.writeBaseline, "write-baseline", "",
		"write the current findings as a baseline file to accept them in later runs")
	fl.IntVar(&f.width, "width", 100, "width of the terminal table")
}

// failPolicy is --fail-on parsed: a severity threshold, rule ids, or both.
type failPolicy struct {
	minSeverity *audit.Severity
	rules       []string
}

func (p failPolicy) fails(f audit.Finding) bool {
	return (p.minSeverity != nil && f.Severity >= *p.minSeverity) || slices.Contains(p.rules, f.RuleID)
}

// parseFailOn reads "high", "undeclared-cookie,pre-consent", "none" or a mix
// of a severity and rule ids.
func parseFailOn(s string) (failPolicy, error) {
	var p failPolicy
	for _, tok := range strings.Split(s, ",") {
		tok = strings.TrimSpace(tok)
		switch {
		case tok == "" || tok == "none":
			continue
		case isSeverity(tok):
			sev, _ := audit.ParseSeverity(tok)
			p.minSeverity = &sev
		default:
			if _, ok := audit.RuleByID(tok); !ok {
				var ids []string
				for _, r := range audit.Rules() {
					ids = append(ids, r.ID)
				}
				return failPolicy{}, fmt.Errorf("--fail-on: %q is neither a severity (info, low, medium, high, critical) nor a rule id (%s)",
					tok, strings.Join(ids, ", "))
			}
			p.rules = append(p.rules, tok)
		}
	}
	return p, nil
}

func isSeverity(s string) bool {
	_, err := audit.ParseSeverity(s)
	return err == nil
}

// validate checks the flags before a scan starts, so a typo does not cost
// a whole scan. writeOutputs calls it too.
func (f *outputFlags) validate() error {
	if len(f.formats) == 0 {
		return errors.New("--format: give at least one format")
	}
	for _, name := range f.formats {
		if _, err := reports.New(name, reports.Options{}); err != nil {
			return fmt.Errorf("--format: %w", err)
		}
	}
	if f.outputDir == "" && len(f.formats) > 1 {
		return fmt.Errorf("--format %s: several formats need --output DIR, one file each", strings.Join(f.formats, ","))
	}
	if _, err := parseFailOn(f.failOn); err != nil {
		return err
	}
	return nil
}

// writeOutputs applies the baseline (moving accepted findings to
// s.Baselined), writes every asked format, writes a baseline if asked, and
// returns errFindings when findings at or above --fail-on remain. A write
// error is returned wrapped; it is never errFindings.
func writeOutputs(ctx context.Context, s *result.Scan, f *outputFlags, stdout, stderr io.Writer) error {
	if err := f.validate(); err != nil {
		return err
	}
	policy, _ := parseFailOn(f.failOn)
	if f.baseline != "" {
		if err := applyBaseline(s, f.baseline, time.Now(), stderr); err != nil {
			return err
		}
	}
	if f.outputDir != "" {
		if err := os.MkdirAll(f.outputDir, 0o755); err != nil {
			return fmt.Errorf("--output: %w", err)
		}
	}
	for _, name := range f.formats {
		if err := ctx.Err(); err != nil {
			return err
		}
		w, err := reports.New(name, reports.Options{Width: f.width})
		if err != nil {
			return fmt.Errorf("--format: %w", err)
		}
		if f.outputDir == "" {
			if err := w.Write(stdout, s); err != nil {
				return fmt.Errorf("write %s report: %w", name, err)
			}
			continue
		}
		file, err := reports.FileName(name)
		if err != nil {
			return err
		}
		path := filepath.Join(f.outputDir, file)
		if err := writeFile(path, func(out io.Writer) error { return w.Write(out, s) }); err != nil {
			return fmt.Errorf("write %s report: %w", name, err)
		}
		fmt.Fprintf(stderr, "cookiescan: wrote %s\n", path)
	}
	if f.writeBaseline != "" {
		all := append(slices.Clone(s.Findings), s.Baselined...)
		b := audit.NewBaseline(all, "accepted with --write-baseline on "+time.Now().UTC().Format("2006-01-02"))
		if err := writeFile(f.writeBaseline, b.Write); err != nil {
			return fmt.Errorf("--write-baseline: %w", err)
		}
		fmt.Fprintf(stderr, "cookiescan: wrote baseline %s (%d entries)\n", f.writeBaseline, len(b.Entries))
	}
	n := 0
	for _, fd := range s.Findings {
		if policy.fails(fd) {
			n++
		}
	}
	if n > 0 {
		fmt.Fprintf(stderr, "cookiescan: %d finding(s) at or above --fail-on %s\n", n, f.failOn)
		return errFindings
	}
	return nil
}

// applyBaseline moves the findings the baseline accepts to s.Baselined and
// prints a warning for each unused or expired entry.
func applyBaseline(s *result.Scan, path string, now time.Time, stderr io.Writer) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("--baseline: %w", err)
	}
	defer file.Close()
	b, err := audit.ReadBaseline(file)
	if err != nil {
		return fmt.Errorf("--baseline %s: %w", path, err)
	}
	remaining, accepted, warnings := b.Apply(s.Findings, now)
	s.Findings = remaining
	s.Baselined = append(s.Baselined, accepted...)
	for _, w := range warnings {
		fmt.Fprintln(stderr, "cookiescan: warning:", w)
	}
	return nil
}

// writeFile renders into memory first, so a failed render leaves no
// half-written report, then writes the file.
func writeFile(path string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return nil
}
