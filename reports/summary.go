package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/textsafe"
)

// summary is the first screen of a report: does the site pass the consent
// checks, how many problems of which kind, and the worst ones in a sentence.
// HTML, PDF and Markdown render the same summary. Its score is an aid for
// comparing scans, not a legal opinion (docs/report.md gives the formula).
type summary struct {
	Verdict string
	Failed  bool
	Score   int
	Grade   string
	Checks  []check
	// BySeverity counts open findings per severity, most severe first.
	BySeverity []count
	// ByRule counts open findings per rule, in catalog order, rules with
	// none left out.
	ByRule []count
	// Top says the most serious problems in one sentence each.
	Top []string
}

type count struct {
	Name string
	ID   string
	N    int
}

// Check outcomes. "unverified" is a check that could not be decided, for
// example after-reject when the reject click could not be verified.
const (
	checkPass       = "pass"
	checkFail       = "fail"
	checkUnverified = "unverified"
	checkNotRun     = "not checked"
)

// check is the verdict on one consent question.
type check struct {
	Name, Status, Detail string
}

// Score weights: what one open finding of a severity costs, and the most
// one rule can cost, so that many cookies failing one rule weigh less than
// several rules failing. Changing them changes docs/report.md.
var severityWeight = map[audit.Severity]int{audit.Critical: 25, audit.High: 10, audit.Medium: 4, audit.Low: 1, audit.Info: 0}

const ruleCap = 30

// gradeBands maps a score to a letter, best first.
var gradeBands = []struct {
	min   int
	grade string
}{{90, "A"}, {75, "B"}, {60, "C"}, {40, "D"}, {0, "F"}}

// score is 100 minus the capped penalty of each rule, never below 0.
func score(fs []audit.Finding) int {
	perRule := map[string]int{}
	for _, f := range fs {
		perRule[f.RuleID] += severityWeight[f.Severity]
	}
	s := 100
	for _, p := range perRule {
		s -= min(p, ruleCap)
	}
	return max(s, 0)
}

func grade(score int) string {
	for _, b := range gradeBands {
		if score >= b.min {
			return b.grade
		}
	}
	return "F"
}

func (v view) summary() summary {
	sm := summary{Score: score(v.findings)}
	sm.Grade = grade(sm.Score)
	byRule := map[string][]audit.Finding{}
	for _, f := range v.findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
	}
	for sev := audit.Critical; sev >= audit.Info; sev-- {
		n := 0
		for _, f := range v.findings {
			if f.Severity == sev {
				n++
			}
		}
		sm.BySeverity = append(sm.BySeverity, count{Name: sev.String(), N: n})
	}
	for _, r := range v.rules() {
		if n := len(byRule[r.ID]); n > 0 {
			sm.ByRule = append(sm.ByRule, count{Name: r.Title, ID: r.ID, N: n})
		}
	}
	sm.Checks = v.checks(byRule)
	failed := 0
	for _, c := range sm.Checks {
		if c.Status == checkFail {
			failed++
		}
	}
	sm.Failed = failed > 0
	switch {
	case failed > 0:
		sm.Verdict = fmt.Sprintf("Not compliant: %d of %d consent checks failed", failed, len(sm.Checks))
	case slices.ContainsFunc(sm.Checks, func(c check) bool { return c.Status != checkPass }):
		sm.Verdict = "No check failed, but not every check could be decided"
	default:
		sm.Verdict = "Every consent check passed"
	}
	sm.Top = v.top(byRule, 3)
	return sm
}

// rules is the catalog, plus any rule id a finding carries that the catalog
// does not know (a report read from a newer version), so none is dropped.
func (v view) rules() []audit.Rule {
	rules := audit.Rules()
	for _, f := range append(slices.Clone(v.findings), v.baselined...) {
		if !slices.ContainsFunc(rules, func(r audit.Rule) bool { return r.ID == f.RuleID }) {
			rules = append(rules, audit.Rule{ID: f.RuleID, Title: f.RuleID, Severity: f.Severity})
		}
	}
	return rules
}

// checks answers the five consent questions from the findings and the
// observation. A question whose state was not scanned is "not checked";
// a reject that could not be verified leaves after-reject "unverified"
// unless cookies were found anyway.
func (v view) checks(byRule map[string][]audit.Finding) []check {
	st := func(s cookie.State) *stateView {
		for i := range v.states {
			if v.states[i].State == s {
				return &v.states[i]
			}
		}
		return nil
	}
	names := func(fs []audit.Finding) string {
		var out []string
		seen := map[string]bool{}
		for _, f := range fs {
			n := subjectName(f)
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
		return listSome(out, 4)
	}
	var cs []check

	c := check{Name: "No non-necessary cookie before consent"}
	switch fs := byRule["pre-consent"]; {
	case st(cookie.Before) == nil:
		c.Status, c.Detail = checkNotRun, "the before-consent state was not scanned"
	case len(fs) > 0:
		c.Status, c.Detail = checkFail, fmt.Sprintf("%d set before any choice: %s", len(fs), names(fs))
	default:
		c.Status, c.Detail = checkPass, fmt.Sprintf("%d cookies before consent, all necessary or unclassified", len(st(cookie.Before).Cookies))
	}
	cs = append(cs, c)

	c = check{Name: "No non-necessary cookie after reject-all"}
	switch fs, rs := byRule["after-reject"], st(cookie.Reject); {
	case rs == nil:
		c.Status, c.Detail = checkNotRun, "the reject state was not scanned"
	case len(fs) > 0:
		c.Status, c.Detail = checkFail, fmt.Sprintf("%d set or kept after reject: %s", len(fs), names(fs))
		switch {
		case rs.Consent.Verdict() == "CONTRADICTED":
			c.Detail += " (the platform's own record shows the opposite of reject-all)"
		case !rs.Consent.Verified:
			c.Detail += " (the reject click could not be verified)"
		}
	case rs.Consent.Verdict() == "CONTRADICTED":
		c.Status, c.Detail = checkFail, "the platform's own record shows the opposite of reject-all: "+cmp.Or(textsafe.Short(rs.Consent.Verification, maxText), "no detail recorded")
	case !rs.Consent.Verified:
		c.Status, c.Detail = checkUnverified, "the reject click could not be verified: "+cmp.Or(textsafe.Short(rs.Consent.Verification, maxText), "no reason recorded")
	default:
		c.Status, c.Detail = checkPass, "reject verified; no non-necessary cookie after it"
	}
	cs = append(cs, c)

	c = check{Name: "Every cookie and third party declared"}
	fs := append(slices.Clone(byRule["undeclared-cookie"]), byRule["undeclared-vendor"]...)
	switch {
	case v.s.Declaration == nil:
		c.Status, c.Detail = checkNotRun, "no declaration was read"
	case len(fs) > 0:
		c.Status, c.Detail = checkFail, fmt.Sprintf("%d not declared: %s", len(fs), names(fs))
	default:
		c.Status, c.Detail = checkPass, fmt.Sprintf("all %d cookies covered by the declaration", len(v.inventory))
	}
	cs = append(cs, c)

	c = check{Name: "A reject option at the first layer"}
	bs := st(cookie.Before)
	switch fs := byRule["no-reject-option"]; {
	case len(fs) > 0:
		c.Status, c.Detail = checkFail, textsafe.Short(fs[0].Message, maxText)
	case bs != nil && bs.Consent.BannerFound && bs.Consent.RejectAtFirstLayer:
		c.Status, c.Detail = checkPass, "the banner offers reject at its first layer"
	case bs != nil && !bs.Consent.BannerFound:
		c.Status, c.Detail = checkPass, "no banner, and none needed: no rule found a non-necessary cookie that needs one"
	default:
		c.Status, c.Detail = checkUnverified, "the banner's first layer could not be read"
	}
	cs = append(cs, c)

	c = check{Name: "A cookie declaration found"}
	if d := v.s.Declaration; d != nil {
		c.Status, c.Detail = checkPass, fmt.Sprintf("%s: %d cookies, %d vendors", textsafe.Short(d.URL, maxURL), len(d.Cookies), len(d.Vendors))
	} else {
		c.Status, c.Detail = checkFail, cmp.Or(textsafe.Short(v.s.DeclarationError, maxText), "none read")
	}
	cs = append(cs, c)
	return cs
}

// top says the n most serious rules in one sentence each: rules ordered by
// their worst finding, then by how many findings they have.
func (v view) top(byRule map[string][]audit.Finding, n int) []string {
	type group struct {
		rule audit.Rule
		fs   []audit.Finding
	}
	var gs []group
	for _, r := range v.rules() {
		if fs := byRule[r.ID]; len(fs) > 0 {
			gs = append(gs, group{r, fs})
		}
	}
	worst := func(fs []audit.Finding) audit.Severity {
		w := audit.Info
		for _, f := range fs {
			w = max(w, f.Severity)
		}
		return w
	}
	slices.SortStableFunc(gs, func(a, b group) int {
		return cmp.Or(cmp.Compare(worst(b.fs), worst(a.fs)), cmp.Compare(len(b.fs), len(a.fs)))
	})
	var out []string
	for _, g := range gs[:min(n, len(gs))] {
		var subjects []string
		seen := map[string]bool{}
		for _, f := range g.fs {
			if s := subjectName(f); !seen[s] {
				seen[s] = true
				subjects = append(subjects, s)
			}
		}
		out = append(out, fmt.Sprintf("%s (%s, %d): %s.", g.rule.Title, worst(g.fs), len(g.fs), listSome(subjects, 4)))
	}
	return out
}

// subjectName is what a finding is about, short: a cookie name, a vendor,
// or "the site".
func subjectName(f audit.Finding) string {
	switch {
	case f.Cookie != nil:
		return textsafe.Short(f.Cookie.Name, maxName)
	case f.Vendor != "":
		return textsafe.Short(f.Vendor, maxName)
	}
	return "the site"
}

// listSome joins up to n items and says how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
