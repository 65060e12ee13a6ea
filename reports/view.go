package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// view is a scan prepared once for the human formats: findings sorted,
// inventory split per state and sorted, counts made. No writer sorts again.
type view struct {
	s         *result.Scan
	findings  []audit.Finding
	baselined []audit.Finding
	states    []stateView
	inventory []cookie.Observed
	failed    []cookie.PageVisit
	// undeclared holds the cookies an undeclared-cookie finding names.
	undeclared map[string]bool
}

// stateView is one consent state with the inventory cookies seen in it, each
// as that state saw it.
type stateView struct {
	State   cookie.State
	Consent cookie.ConsentOutcome
	Pages   int
	Cookies []cookie.Observed
}

func newView(s *result.Scan) view {
	v := view{
		s:          s,
		findings:   slices.Clone(s.Findings),
		baselined:  slices.Clone(s.Baselined),
		inventory:  slices.Clone(s.Inventory),
		failed:     s.FailedPages(),
		undeclared: map[string]bool{},
	}
	audit.Sort(v.findings)
	audit.Sort(v.baselined)
	slices.SortStableFunc(v.inventory, func(a, b cookie.Observed) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Path, b.Path))
	})
	for _, f := range append(slices.Clone(v.findings), v.baselined...) {
		if f.RuleID == "undeclared-cookie" && f.Cookie != nil {
			v.undeclared[f.Cookie.Name+"\x00"+f.Cookie.Domain] = true
		}
	}
	for _, st := range s.Observation.States {
		v.states = append(v.states, stateView{State: st.State, Consent: st.Consent, Pages: len(st.Pages),
			Cookies: cookie.SeenInState(v.inventory, st.State)})
	}
	return v
}

// declared says whether the declaration covers a cookie, as the audit found:
// "no" when an undeclared-cookie finding names it, "unknown" without a
// declaration.
func (v view) declared(c cookie.Observed) string {
	switch {
	case v.s.Declaration == nil:
		return "unknown"
	case v.undeclared[c.Name+"\x00"+c.Domain]:
		return "no"
	}
	return "yes"
}

// severityCounts counts the open findings per severity, most severe first.
func (v view) severityCounts() []string {
	var out []string
	for sev := audit.Critical; sev >= audit.Info; sev-- {
		n := 0
		for _, f := range v.findings {
			if f.Severity == sev {
				n++
			}
		}
		out = append(out, fmt.Sprintf("%s %d", sev, n))
	}
	return out
}

// consentText describes a state's consent outcome in one line. An
// unverified accept or reject is said loudly: it is not what it claims.
func consentText(st stateView) string {
	c := st.Consent
	platform := c.Platform
	if platform == "" {
		platform = "no platform detected"
	}
	if !c.BannerFound {
		platform += ", no banner"
	}
	if st.State == cookie.Before || c.Action == "none" {
		return platform
	}
	return fmt.Sprintf("%s, %s %s", platform, cmp.Or(c.Action, string(st.State)), cmp.Or(c.Verdict(), "UNVERIFIED"))
}

// subject names what a finding concerns: the cookie (name and domain) or the vendor.
func subject(f audit.Finding) string {
	if f.Cookie != nil {
		if f.Cookie.Domain == "" {
			return f.Cookie.Name
		}
		return f.Cookie.Name + " (" + f.Cookie.Domain + ")"
	}
	if f.Vendor != "" {
		return f.Vendor
	}
	return "site"
}

func statesText(ss []cookie.State) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, " ")
}

func category(c cookie.Observed) string {
	cat := string(c.Label.Category)
	if cat == "" {
		cat = string(cookie.Unclassified)
	}
	if c.Label.Confidence != "" {
		cat += " (" + string(c.Label.Confidence) + ")"
	}
	return cat
}

// Bounds for text from the website in the human formats.
const (
	maxName  = 80
	maxURL   = 160
	maxText  = 400
	maxValue = 64
)

// consentCaption describes how a state's choice was made, one fact a line:
// platform, what was clicked, how, and whether the stored consent confirmed
// it.
func consentCaption(st stateView) []string {
	c := st.Consent
	lines := []string{"Platform: " + cmp.Or(textsafe.Short(c.Platform, maxName), "none detected")}
	if !c.BannerFound {
		lines = append(lines, "No banner was shown")
	}
	if st.State == cookie.Before || c.Action == "none" || c.Action == "" {
		return append(lines, "No choice made (the state before consent)")
	}
	if len(c.Clicked) > 0 {
		var labels []string
		for _, l := range c.Clicked {
			labels = append(labels, "“"+textsafe.Short(l, maxName)+"”")
		}
		lines = append(lines, "Clicked: "+strings.Join(labels, " then "))
	} else {
		lines = append(lines, "Nothing was clicked")
	}
	if c.Method != "" {
		lines = append(lines, "Click method: "+textsafe.Short(c.Method, maxName))
	}
	v := cmp.Or(c.Verdict(), "UNVERIFIED")
	if c.Verification != "" {
		v += ": " + textsafe.Short(c.Verification, maxText)
	}
	if c.VerificationSource != "" {
		v += " (read from " + textsafe.Short(c.VerificationSource, maxName) + ")"
	}
	lines = append(lines, "Stored consent: "+v)
	if c.Warning != "" {
		lines = append(lines, "Warning: "+textsafe.Short(c.Warning, maxText))
	}
	if c.Error != "" {
		lines = append(lines, "Error: "+textsafe.Short(c.Error, maxText))
	}
	return lines
}
