package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/config"
	"github.com/cookiescan/cookiescan/internal/atomicfile"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/reports"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/scan"
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
	paper         string
	// print prints the pdf format with the scan's browser; runScan sets it.
	print reports.PrintFunc
}

func addOutputFlags(cmd *cobra.Command, f *outputFlags) {
	fl := cmd.Flags()
	fl.StringSliceVar(&f.formats, "format", []string{"table"},
		"report formats, comma-separated: "+strings.Join(reports.Formats(), ", "))
	fl.StringVarP(&f.outputDir, "output", "o", "",
		"write one file per format into this folder ("+reports.DefaultStem+".<ext>) instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", "none",
		"exit 1 when a finding remains at or above a severity (info, low, medium, high, critical), or of the given rule ids (comma-separated); none never fails")
	fl.StringVar(&f.baseline, "baseline", "",
		"accept the findings listed in this baseline file or earlier JSON report; only new findings count for --fail-on")
	fl.StringVar(&f.writeBaseline, "write-baseline", "",
		"write the current findings as a baseline file to accept them in later runs")
	fl.IntVar(&f.width, "width", 0, "width of the table format (default: the terminal's width, else 100)")
	fl.StringVar(&f.paper, "paper", "a4", "paper of the pdf format: a4 or letter")
}

// policy checks the output flags and reads the baseline before a scan
// starts, so that a typo does not cost a whole scan.
func (f *outputFlags) policy() (scan.Policy, error) {
	if err := reports.Check(f.formats); err != nil {
		return scan.Policy{}, fmt.Errorf("--format: %w", err)
	}
	if f.outputDir == "" && len(f.formats) > 1 {
		return scan.Policy{}, fmt.Errorf("--format %s: several formats need --output DIR, one file each", strings.Join(f.formats, ","))
	}
	if !slices.Contains(chrome.Papers(), strings.ToLower(f.paper)) {
		return scan.Policy{}, fmt.Errorf("--paper %q: use one of %s", f.paper, strings.Join(chrome.Papers(), ", "))
	}
	failOn, err := scan.ParseFailPolicy(f.failOn)
	if err != nil {
		return scan.Policy{}, fmt.Errorf("--fail-on: %w", err)
	}
	p := scan.Policy{FailOn: failOn}
	if f.baseline != "" {
		if p.Baseline, err = scan.ReadBaseline(f.baseline); err != nil {
			return scan.Policy{}, fmt.Errorf("--baseline: %w", err)
		}
	}
	return p, nil
}

// finishScan is the CLI's side of the post-scan path: scan.Finish, the
// reports (stdout or reports.WriteFiles), and the baseline file if asked.
func finishScan(ctx context.Context, s *result.Scan, policy scan.Policy, f *outputFlags, stdout, stderr io.Writer) (scan.Verdict, error) {
	// The configuration file's ignore rules accept findings by cookie name,
	// as the baseline does by fingerprint; both count as accepted.
	policy.Accept = append(policy.Accept, ignoreAcceptors(ctx)...)
	v := scan.Finish(s, policy)
	for _, w := range v.Warnings {
		fmt.Fprintln(stderr, "cookiescan: warning:", w)
	}
	if err := ctx.Err(); err != nil {
		return v, err
	}
	opts := tableLook(stdout, f.width)
	opts.Print, opts.Paper = f.print, f.paper
	if f.outputDir == "" {
		w, err := reports.New(f.formats[0], opts)
		if err != nil {
			return v, fmt.Errorf("--format: %w", err)
		}
		if err := w.Write(stdout, s); err != nil {
			return v, fmt.Errorf("write %s report: %w", f.formats[0], err)
		}
	} else {
		written, err := reports.WriteFiles(f.outputDir, []string{reports.DefaultStem}, f.formats, s, opts)
		for _, path := range written {
			fmt.Fprintf(stderr, "cookiescan: wrote %s\n", path)
		}
		if err != nil {
			return v, fmt.Errorf("--output %s: %w", f.outputDir, err)
		}
	}
	if f.writeBaseline != "" {
		all := append(slices.Clone(s.Findings), s.Baselined...)
		b := audit.NewBaseline(all, "accepted with --write-baseline on "+time.Now().UTC().Format(time.DateOnly))
		if err := atomicfile.Write(f.writeBaseline, b.Write); err != nil {
			return v, fmt.Errorf("--write-baseline: %w", err)
		}
		fmt.Fprintf(stderr, "cookiescan: wrote baseline %s (%d entries)\n", f.writeBaseline, len(b.Entries))
	}
	if v.Failed() {
		fmt.Fprintf(stderr, "cookiescan: %d finding(s) at or above --fail-on %s\n", len(v.Failing), f.failOn)
	}
	return v, nil
}

// writeOutputs checks the flags and finishes a scan that is already made
// (tests and `demo` share the path with `scan`); errFindings when findings
// cross --fail-on.
func writeOutputs(ctx context.Context, s *result.Scan, f *outputFlags, stdout, stderr io.Writer) error {
	policy, err := f.policy()
	if err != nil {
		return err
	}
	v, err := finishScan(ctx, s, policy, f, stdout, stderr)
	if err != nil {
		return err
	}
	if v.Failed() {
		return errFindings
	}
	return nil
}

// ignoreAcceptors are the configuration file's ignore rules, for scan.Policy.
func ignoreAcceptors(ctx context.Context) []scan.Acceptor {
	if rules := config.IgnoreRules(ctx); len(rules) > 0 {
		return []scan.Acceptor{config.IgnoreSet(rules)}
	}
	return nil
}
