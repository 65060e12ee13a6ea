package scan

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/result"
)

// ExitCode is what a finished scan means for a process or a CI job.
type ExitCode int

// The exit codes of every command that scans (scan, demo, schedule --once).
const (
	// ExitOK: the scan ran and nothing crossed the fail policy.
	ExitOK ExitCode = 0
	// ExitFindings: findings remain that cross the fail policy.
	ExitFindings ExitCode = 1
	// ExitFailure: the scan could not run or finish, the command was used
	// wrongly, or a history that was asked for could not be written (the
	// reports are still written first).
	ExitFailure ExitCode = 2
)

// FailPolicy says which findings fail a build: a severity threshold, rule
// ids, a maximum number of findings, or any mix. The zero value fails
// nothing.
type FailPolicy struct {
	// MinSeverity fails on a finding at or above it; nil: no threshold.
	MinSeverity *audit.Severity
	// Rules fail on a finding of one of these rule ids.
	Rules []string
	// MaxFindings fails when more findings than this remain; nil: no limit.
	MaxFindings *int
}

// ParseFailPolicy reads "high", "undeclared-cookie,pre-consent", "none" or a
// mix of one severity and rule ids, as --fail-on and a schedule's fail_on
// take them.
func ParseFailPolicy(s string) (FailPolicy, error) {
	var p FailPolicy
	for _, tok := range strings.Split(s, ",") {
		tok = strings.TrimSpace(tok)
		if tok == "" || tok == "none" {
			continue
		}
		if sev, err := audit.ParseSeverity(tok); err == nil {
			p.MinSeverity = &sev
			continue
		}
		if _, ok := audit.RuleByID(tok); !ok {
			var ids []string
			for _, r := range audit.Rules() {
				ids = append(ids, r.ID)
			}
			return FailPolicy{}, fmt.Errorf("%q is neither a severity (info, low, medium, high, critical) nor a rule id (%s)",
				tok, strings.Join(ids, ", "))
		}
		p.Rules = append(p.Rules, tok)
	}
	return p, nil
}

// Fails reports whether one finding crosses the policy.
func (p FailPolicy) Fails(f audit.Finding) bool {
	return (p.MinSeverity != nil && f.Severity >= *p.MinSeverity) || slices.Contains(p.Rules, f.RuleID)
}

// Policy is what happens to a scan's findings after the scan: the baseline
// that accepts known ones, and the policy that decides the verdict.
type Policy struct {
	// Baseline accepts known findings; nil accepts none. Read it with
	// ReadBaseline before the scan, so that a bad file costs no scan.
	Baseline *audit.Baseline
	FailOn   FailPolicy
	// Accept are further rules that accept findings (a configuration file's
	// ignore rules); they apply after the baseline, and what they accept
	// counts as baselined.
	Accept []Acceptor
	// Now is the clock for baseline expiry; nil means time.Now.
	Now func() time.Time
}

// Acceptor accepts some findings at time now: remaining are those it does
// not accept; warnings name its rules that expired or matched nothing.
type Acceptor interface {
	Accept(fs []audit.Finding, now time.Time) (remaining, accepted []audit.Finding, warnings []string)
}

// Verdict is the outcome of Finish.
type Verdict struct {
	// Failing are the findings that cross the fail policy.
	Failing []audit.Finding
	// TooMany is set when more findings remain than FailPolicy.MaxFindings.
	TooMany bool
	// Warnings are baseline entries that matched nothing or have expired.
	Warnings []string
	Code     ExitCode
}

// Failed reports whether the findings cross the fail policy.
func (v Verdict) Failed() bool { return v.Code == ExitFindings }

// Finish applies the policy to a scan: the baseline moves the findings it
// accepts to res.Baselined (they never count), and the remaining findings
// give the verdict. The CLI and the schedule both finish a scan here, so a
// baseline and a fail policy mean the same in both.
func Finish(res *result.Scan, p Policy) Verdict {
	var v Verdict
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	if p.Baseline != nil {
		remaining, accepted, warnings := p.Baseline.Apply(res.Findings, now())
		res.Findings = remaining
		res.Baselined = append(res.Baselined, accepted...)
		v.Warnings = warnings
	}
	for _, a := range p.Accept {
		remaining, accepted, warnings := a.Accept(res.Findings, now())
		res.Findings = remaining
		res.Baselined = append(res.Baselined, accepted...)
		v.Warnings = append(v.Warnings, warnings...)
	}
	for _, f := range res.Findings {
		if p.FailOn.Fails(f) {
			v.Failing = append(v.Failing, f)
		}
	}
	v.TooMany = p.FailOn.MaxFindings != nil && len(res.Findings) > *p.FailOn.MaxFindings
	if len(v.Failing) > 0 || v.TooMany {
		v.Code = ExitFindings
	}
	return v
}

// ReadBaseline reads a baseline file or an earlier JSON report (see
// audit.ReadBaseline).
func ReadBaseline(path string) (*audit.Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := audit.ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}
