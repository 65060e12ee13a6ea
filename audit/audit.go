package audit

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// Input is what the audit compares: the observation of the consent states,
// the classified inventory and the declaration.
type Input struct {
	// Site is the start URL of the scan.
	Site        string
	Observation cookie.Observation
	// Inventory is every cookie seen, merged over the states, with Seen
	// (what each state saw) and Label filled in.
	Inventory []cookie.Observed
	// Declaration is nil when none could be read. Then the rules that compare
	// with a declaration do not run: a missing declaration is reported by the
	// scan, not as one undeclared-cookie finding per cookie. A non-nil
	// declaration that names nothing makes every cookie undeclared.
	Declaration *cookie.Declaration
	// DeclarationSearch is set when the declaration was looked for on the
	// site (--declaration auto) and none was found: the no-declaration
	// finding says where it looked.
	DeclarationSearch *cookie.DeclarationSearch
}

// Options tune the audit. The zero value is ready to use.
type Options struct {
	// Vendors resolves vendor names; nil means DefaultVendors().
	Vendors VendorResolver
	// LifespanToleranceDays and LifespanToleranceRatio set how much longer
	// than declared a cookie may live before lifespan-exceeds-declared fires:
	// max(days, ratio × declared days). Zero means 1 day and 0.02 (2 %).
	LifespanToleranceDays  float64
	LifespanToleranceRatio float64
}

func (o Options) withDefaults() Options {
	if o.Vendors == nil {
		o.Vendors = DefaultVendors()
	}
	if o.LifespanToleranceDays <= 0 {
		o.LifespanToleranceDays = 1
	}
	if o.LifespanToleranceRatio <= 0 {
		o.LifespanToleranceRatio = 0.02
	}
	return o
}

// tolerance is the slack allowed over a declared bound of days.
func (o Options) tolerance(days float64) float64 {
	return math.Max(o.LifespanToleranceDays, o.LifespanToleranceRatio*days)
}

// Run applies every rule of the catalog and returns the findings, sorted
// with Sort. It does no I/O and reads no clock, so the same input always
// gives the same findings.
func Run(in Input, opts Options) []Finding {
	r := newRun(in, opts.withDefaults())
	var out []Finding
	for _, rule := range Rules() {
		out = append(out, rule.check(r, rule)...)
	}
	Sort(out)
	return out
}

// Sort orders findings for reading: most severe first, then in catalog
// order, then by cookie or vendor and state. Reports sort with it too, so
// every format lists findings in the same order.
func Sort(fs []Finding) {
	order := map[string]int{}
	for i, r := range Rules() {
		order[r.ID] = i
	}
	key := func(f Finding) (string, string) {
		if f.Cookie != nil {
			return f.Cookie.Name, f.Cookie.Domain
		}
		return f.Vendor, ""
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
			return c
		}
		if c := cmp.Compare(order[a.RuleID], order[b.RuleID]); c != 0 {
			return c
		}
		an, ad := key(a)
		bn, bd := key(b)
		return cmp.Or(cmp.Compare(an, bn), cmp.Compare(ad, bd),
			cmp.Compare(a.State, b.State), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
}

// facts is what the run works out once per inventory cookie.
type facts struct {
	c         cookie.Observed
	vendorKey string
	m         match
	declared  bool
	// category is the category the rules act on, and categoryFrom where it
	// comes from: "classifier", "declaration" or "" (unclassified).
	category     cookie.Category
	categoryFrom string
}

// run holds one audit's prepared input.
type run struct {
	in       Input
	opts     Options
	siteHost string
	decl     *declIndex // nil without a declaration
	cookies  []facts
}

func newRun(in Input, opts Options) *run {
	r := &run{in: in, opts: opts, siteHost: siteHost(in)}
	if in.Declaration != nil {
		r.decl = newDeclIndex(in.Declaration, opts.Vendors)
	}
	for _, c := range in.Inventory {
		f := facts{c: c}
		if c.Label.Vendor != "" {
			f.vendorKey = opts.Vendors.Canonical(c.Label.Vendor)
		}
		if r.decl != nil {
			f.m, f.declared = r.decl.lookup(c.Name, f.vendorKey, c.Party == cookie.ThirdParty)
		}
		f.category, f.categoryFrom = effectiveCategory(c.Label, f)
		r.cookies = append(r.cookies, f)
	}
	return r
}

func siteHost(in Input) string {
	if u, err := url.Parse(in.Site); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	return strings.ToLower(in.Observation.SiteDomain)
}

// confident reports whether the classifier's label can be acted on: a real
// category with high or medium confidence.
func confident(l cookie.Label) bool {
	return l.Category != "" && l.Category != cookie.Unclassified &&
		(l.Confidence == cookie.High || l.Confidence == cookie.Medium)
}

// effectiveCategory decides the category the consent rules use. A confident
// classifier label wins, even over the declaration (a cookie the database
// knows as marketing is not made necessary by calling it so: that is a
// category-mismatch), with one exception: the model's own "necessary",
// which no database documents, does not silence the site's declaration
// that the cookie needs consent (such labels agreed with real sites'
// declarations about two times in three; docs/classifier.md). Without a
// confident label, the declaration's own category is taken at its word;
// without either, the cookie is unclassified, which needs consent until
// someone shows it is necessary.
func effectiveCategory(l cookie.Label, f facts) (cookie.Category, string) {
	if confident(l) {
		if modelNecessary(l) && f.declared {
			if cat := declaredCategory(f.m); cat.NeedsConsent() && cat != cookie.Unclassified {
				return cat, "declaration"
			}
		}
		return l.Category, "classifier"
	}
	if f.declared {
		if cat := declaredCategory(f.m); cat != "" && cat != cookie.Unclassified {
			return cat, "declaration"
		}
	}
	return cookie.Unclassified, ""
}

// modelNecessary reports a "necessary" that only the model gives: no
// database documents it, and it does not outweigh the site's own words.
func modelNecessary(l cookie.Label) bool {
	return l.Category == cookie.Necessary && l.Source == "model"
}

func declaredCategory(m match) cookie.Category {
	switch {
	case m.entry != nil:
		return m.entry.d.Category
	case m.vendor != nil:
		return m.vendor.Category
	}
	return ""
}

// state returns the observation of one state, or nil when it was not run.
func (r *run) state(s cookie.State) *cookie.StateObservation {
	return r.in.Observation.State(s)
}

// cookieFinding builds a finding about one cookie with the evidence every
// cookie finding carries; callers add the rule's own words. A finding about
// a state quotes the page and setter of that state.
func (r *run) cookieFinding(rule Rule, sev Severity, f facts, s cookie.State, msg string) Finding {
	page, setBy := f.c.FirstSeenPage, f.c.SetBy
	if sg, ok := f.c.In(s); ok {
		page, setBy = sg.FirstSeenPage, sg.SetBy
	}
	fd := Finding{
		RuleID:   rule.ID,
		Severity: sev,
		Site:     r.in.Site,
		PageURL:  page,
		State:    s,
		Cookie:   &CookieRef{Name: f.c.Name, Domain: f.c.Domain, Path: f.c.Path},
		Vendor:   f.c.Label.Vendor,
		Message:  msg,
		Evidence: Evidence{
			Setter:         setBy.URL,
			SetterKind:     string(setBy.Kind),
			Observed:       describeObserved(f),
			Classification: describeLabel(f.c.Label),
		},
		Fingerprint: Fingerprint(rule.ID, r.siteHost, f.c.Name, f.c.Domain, "", s),
	}
	r.addDeclared(&fd.Evidence, f)
	return fd
}

// addDeclared quotes the declaration where it covers the cookie.
func (r *run) addDeclared(ev *Evidence, f facts) {
	if r.decl == nil {
		return
	}
	ev.DeclarationURL = r.in.Declaration.URL
	if !f.declared {
		return
	}
	switch {
	case f.m.entry != nil:
		ev.DeclaredAs = f.m.how + " " + f.m.entry.name
		ev.Declared = bound(f.m.entry.d.Source, maxQuote)
		ev.DeclaredWhere = bound(f.m.entry.d.Where, maxQuote)
	case f.m.vendor != nil:
		ev.DeclaredAs = "vendor " + f.m.vendorName
		ev.Declared = bound(f.m.vendor.Source, maxQuote)
	default:
		ev.DeclaredAs = "vendor " + f.m.vendorName
	}
}

// maxQuote bounds quotes from the declaration: enough to check, small
// enough that a hostile page cannot bloat every report.
const maxQuote = 500

// bound cuts s to at most n bytes on a rune boundary and marks the cut.
func bound(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func describeObserved(f facts) string {
	c := f.c
	life := "session"
	if !c.Session {
		life = formatDays(c.LifespanDays)
	}
	states := make([]string, len(c.Seen))
	for i, sg := range c.Seen {
		states[i] = string(sg.State)
	}
	return fmt.Sprintf("%s cookie, lifespan %s, seen in: %s", c.Party, life, strings.Join(states, ", "))
}

func describeLabel(l cookie.Label) string {
	if l.Category == "" {
		return "not classified"
	}
	s := string(l.Category)
	if l.Vendor != "" {
		s = l.Vendor + ", " + s
	}
	if l.Confidence != "" {
		s += " (" + string(l.Confidence) + " confidence)"
	}
	if l.Reason != "" {
		s += ": " + bound(l.Reason, maxQuote)
	}
	return s
}

// formatDays writes a lifespan in days as people read it.
func formatDays(d float64) string {
	switch {
	case d >= 365 && math.Abs(d/365-math.Round(d/365)) < 0.02:
		if y := math.Round(d / 365); y > 1 {
			return fmt.Sprintf("%.0f days (%g years)", d, y)
		}
		return fmt.Sprintf("%.0f days (1 year)", d)
	}
	return cookie.FormatDays(d)
}
