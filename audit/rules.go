package audit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// Rule is one check of the catalog. Severity is the rule's default, the
// severity of its worst case; a finding may carry a lower one (for example
// after-reject when the reject could not be verified).
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    Severity `json:"severity"`
	Description string   `json:"description"`
	Help        string   `json:"help"`

	check func(r *run, rule Rule) []Finding
}

// Rules returns the catalog in its fixed order, which SARIF and JUnit
// follow. IDs are stable forever and never reused. It returns a new slice on
// each call, so no caller can change the catalog of another.
func Rules() []Rule {
	return []Rule{
		{
			ID: "undeclared-cookie", Title: "Cookie not in the declaration", Severity: High,
			Description: "The site sets a cookie that its cookie declaration names neither by name, nor by a pattern, nor through its vendor.",
			Help:        "Add the cookie (name, provider, purpose, lifespan, category) to the cookie declaration, or stop setting it.",
			check:       checkUndeclaredCookie,
		},
		{
			ID: "pre-consent", Title: "Non-necessary cookie set before consent", Severity: High,
			Description: "A cookie that is not strictly necessary was set before the visitor made any choice on the consent banner.",
			Help:        "Load the tag that sets this cookie only after consent for its category (for example through the consent platform's tag blocking or Google Consent Mode).",
			check:       checkPreConsent,
		},
		{
			ID: "after-reject", Title: "Non-necessary cookie set after reject-all", Severity: High,
			Description: "A cookie that is not strictly necessary was set although the visitor rejected all non-necessary cookies.",
			Help:        "Make sure the tag that sets this cookie honours a refusal; check that the consent platform blocks it after reject-all.",
			check:       checkAfterReject,
		},
		{
			ID: "declared-not-found", Title: "Declared cookie never seen", Severity: Low,
			Description: "The declaration names a cookie that was not seen on any scanned page in any consent state; the declaration may be stale.",
			Help:        "Remove cookies the site no longer sets from the declaration, or scan the pages where they are set.",
			check:       checkDeclaredNotFound,
		},
		{
			ID: "lifespan-exceeds-declared", Title: "Cookie lives longer than declared", Severity: Medium,
			Description: "The cookie's expiry lies further in the future than the lifespan the declaration gives for it.",
			Help:        "Shorten the cookie's expiry or correct the lifespan in the declaration.",
			check:       checkLifespan,
		},
		{
			ID: "category-mismatch", Title: "Declared category differs from the known one", Severity: High,
			Description: "The declaration puts the cookie in another category than the known-cookie database does, for example a marketing cookie declared as necessary.",
			Help:        "Declare the cookie under the category of what it does, and gate it on consent for that category.",
			check:       checkCategoryMismatch,
		},
		{
			ID: "undeclared-vendor", Title: "Third party not in the declaration", Severity: Medium,
			Description: "A third party sets cookies or receives requests from the site, and the declaration does not name it.",
			Help:        "Name the vendor and what it does in the declaration, or remove its tags.",
			check:       checkUndeclaredVendor,
		},
		{
			ID: "no-reject-option", Title: "No reject option at the first layer", Severity: High,
			Description: "The consent banner offers no way to reject at its first layer, or there is no banner although non-necessary cookies are set.",
			Help:        "Offer a reject-all button next to accept-all on the banner's first layer, as prominent as accept.",
			check:       checkNoRejectOption,
		},
		{
			ID: "no-declaration", Title: "No cookie declaration found", Severity: High,
			Description: "The site was searched for a cookie declaration (its page, its cookie and privacy links, its consent platform's declaration) and none was found, so no cookie it sets is declared.",
			Help:        "Publish a cookie declaration (names, providers, purposes, lifespans, categories) and link it from every page, or pass its address with --declaration.",
			check:       checkNoDeclaration,
		},
		{
			ID: "unknown-cookie", Title: "Cookie nobody could classify", Severity: Low,
			Description: "No cookie database knows this cookie and the heuristics are unsure of its purpose: a person should look at it.",
			Help:        "Find out what sets the cookie and why, then declare it and, if it is not necessary, gate it on consent.",
			check:       checkUnknownCookie,
		},
	}
}

// RuleByID returns the catalog entry for an id.
func RuleByID(id string) (Rule, bool) {
	i := slices.IndexFunc(Rules(), func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return Rule{}, false
	}
	return Rules()[i], true
}

// --- undeclared-cookie ---

func checkUndeclaredCookie(r *run, rule Rule) []Finding {
	if r.decl == nil {
		return nil
	}
	var out []Finding
	for _, f := range r.cookies {
		if f.declared {
			continue
		}
		// Every cookie must be declared, but one that needs consent and is
		// not declared hides tracking from the visitor.
		sev := High
		switch f.category {
		case cookie.Necessary:
			sev = Low
		case cookie.Unclassified:
			sev = Medium
		}
		msg := fmt.Sprintf("cookie %s (%s) is not in the cookie declaration", f.c.Name, f.c.Domain)
		if f.vendorKey != "" && r.decl.vendorHasNames[f.vendorKey] {
			msg += fmt.Sprintf("; the declaration lists cookies of %s, and not this one", r.decl.vendors[f.vendorKey])
		}
		out = append(out, r.cookieFinding(rule, sev, f, "", msg))
	}
	return out
}

// --- pre-consent ---

func checkPreConsent(r *run, rule Rule) []Finding {
	if r.state(cookie.Before) == nil {
		return nil
	}
	var out []Finding
	for _, f := range r.cookies {
		if !f.c.SeenIn(cookie.Before) || !f.category.NeedsConsent() {
			continue
		}
		sev := High
		msg := fmt.Sprintf("%s cookie %s was set before any consent choice", f.category, f.c.Name)
		if f.category == cookie.Unclassified {
			// Unclassified needs consent until shown necessary, but a person
			// should look before calling it a breach.
			sev = Medium
			msg = fmt.Sprintf("unclassified cookie %s was set before any consent choice; it needs consent unless it is shown to be necessary", f.c.Name)
		}
		sev = min(sev, declaredPreferenceSeverity(f))
		fd := r.cookieFinding(rule, sev, f, cookie.Before, msg+declaredOnly(f)+uncertainLabel(f))
		out = append(out, fd)
	}
	return out
}

// --- after-reject ---

func checkAfterReject(r *run, rule Rule) []Finding {
	st := r.state(cookie.Reject)
	if st == nil {
		return nil
	}
	var out []Finding
	for _, f := range r.cookies {
		if !f.c.SeenIn(cookie.Reject) || !f.category.NeedsConsent() {
			continue
		}
		sev := High
		if f.category == cookie.Unclassified {
			sev = Medium
		}
		msg := fmt.Sprintf("%s cookie %s was set after reject-all", f.category, f.c.Name)
		if !st.Consent.Verified {
			// An unverified reject is not a reject: the banner may not have
			// registered the click. Never present it as one, and rank it one
			// step lower until a person confirms.
			sev = Low
			if f.category != cookie.Unclassified {
				sev = Medium
			}
			why := st.Consent.Verification
			if why == "" {
				why = st.Consent.Error
			}
			if why == "" && !st.Consent.BannerFound {
				why = "no consent banner was found"
			}
			msg = fmt.Sprintf("%s cookie %s was set after an attempted reject-all; the reject could not be verified", f.category, f.c.Name)
			if why != "" {
				msg += " (" + why + ")"
			}
		}
		sev = min(sev, declaredPreferenceSeverity(f))
		out = append(out, r.cookieFinding(rule, sev, f, cookie.Reject, msg+declaredOnly(f)+uncertainLabel(f)))
	}
	return out
}

// declaredOnly says where a consent rule's category came from when it is
// the site's declaration and not a classification: the site's own words are
// the evidence.
func declaredOnly(f facts) string {
	if undocumentedPreferenceDeclaredNecessary(f) {
		return "; the site declares it necessary, and no database documents it as preferences (settings such as a language are exempt from consent in many readings)"
	}
	if f.categoryFrom != "declaration" {
		return ""
	}
	if modelNecessary(f.c.Label) {
		return fmt.Sprintf("; the site's declaration files it under %s (cookiescan's model guessed necessary at %.0f%%, which no database documents)", f.category, 100*f.c.Label.Probability)
	}
	return fmt.Sprintf("; the site's declaration files it under %s", f.category)
}

// declaredPreferenceSeverity caps a consent finding that rests on the site
// filing under preferences a cookie the model took for necessary: whether a
// functional or preference cookie is exempt from consent is read differently
// across platforms and member states, so it is a question for a person
// (medium), where marketing or statistics by the site's own words is not.
//
// The same holds the other way round: a setting (language, display) that
// the model or a name rule took for preferences, with no database to say
// so, while the site declares it necessary.
func declaredPreferenceSeverity(f facts) Severity {
	if f.categoryFrom == "declaration" && f.category == cookie.Preferences && modelNecessary(f.c.Label) {
		return Medium
	}
	if undocumentedPreferenceDeclaredNecessary(f) {
		return Medium
	}
	return Critical
}

// undocumentedPreferenceDeclaredNecessary reports a cookie the classifier
// calls preferences, with no database to say so, that the site declares
// necessary.
func undocumentedPreferenceDeclaredNecessary(f facts) bool {
	return f.categoryFrom == "classifier" && f.category == cookie.Preferences && !documented(f.c.Label) &&
		f.declared && declaredCategory(f.m) == cookie.Necessary
}

// uncertainProbability is the classifier probability below which a model's
// label is called uncertain in the findings that rest on it. Under
// site-grouped cross-validation with the embedded entries held out, model
// labels from 0.6 to 0.75 were right 75% of the time, from 0.75 to 0.9 84%
// and above 0.9 93% (docs/classifier.md).
const uncertainProbability = 0.75

// uncertainLabel says so when a consent finding rests on a category the
// classifier is unsure of (a low-confidence label, or a model label below
// uncertainProbability), so nobody acts on it as on a documented fact. The
// declaration's own category and database entries are not in doubt here.
func uncertainLabel(f facts) string {
	if f.categoryFrom != "classifier" || f.category == cookie.Unclassified {
		return ""
	}
	// Low-confidence labels never get here: the rules treat them as
	// unclassified, and those findings already say a person must look.
	l := f.c.Label
	if l.Source == "model" && l.Probability > 0 && l.Probability < uncertainProbability {
		return fmt.Sprintf("; the category %s is uncertain (classifier probability %.0f%%): confirm before acting", f.category, 100*l.Probability)
	}
	return ""
}

// --- declared-not-found ---

func checkDeclaredNotFound(r *run, rule Rule) []Finding {
	if r.decl == nil || len(r.in.Observation.States) == 0 {
		return nil
	}
	var out []Finding
	seen := map[string]bool{}
	for i := range r.decl.entries {
		e := &r.decl.entries[i]
		if seen[strings.ToLower(e.name)] {
			continue // a name declared twice (two vendors list __utma) is one finding
		}
		seen[strings.ToLower(e.name)] = true
		if slices.ContainsFunc(r.cookies, func(f facts) bool { return e.matches(f.c.Name) }) {
			continue
		}
		fd := Finding{
			RuleID:   rule.ID,
			Severity: rule.Severity,
			Site:     r.in.Site,
			Cookie:   &CookieRef{Name: e.name},
			Vendor:   e.d.Vendor,
			Message: fmt.Sprintf("the declaration names cookie %s, which was not seen on the %d pages scanned in any consent state",
				e.name, len(r.in.Observation.Pages)),
			Evidence: Evidence{
				Declared:       bound(e.d.Source, maxQuote),
				DeclaredWhere:  bound(e.d.Where, maxQuote),
				DeclaredAs:     kindOf(e) + " " + e.name,
				DeclarationURL: r.in.Declaration.URL,
			},
			Fingerprint: Fingerprint(rule.ID, r.siteHost, e.name, "", "", ""),
		}
		out = append(out, fd)
	}
	return out
}

func kindOf(e *declEntry) string {
	if e.re != nil {
		return matchPattern
	}
	return matchName
}

// --- lifespan-exceeds-declared ---

func checkLifespan(r *run, rule Rule) []Finding {
	var out []Finding
	for _, f := range r.cookies {
		if !f.declared || f.m.entry == nil || f.c.Session {
			continue // a session cookie never outlives a declared lifespan
		}
		declared := f.m.entry.d.Lifespan
		maxDays, ok := declared.MaxDays()
		if !ok {
			continue // "persistent" or no lifespan: nothing to exceed
		}
		var msg string
		switch {
		case declared.Kind == cookie.LifespanSession:
			msg = fmt.Sprintf("cookie %s is declared as a session cookie but persists for %s", f.c.Name, formatDays(f.c.LifespanDays))
		case f.c.LifespanDays > maxDays+r.opts.tolerance(maxDays):
			msg = fmt.Sprintf("cookie %s lives %s, longer than the declared %s", f.c.Name, formatDays(f.c.LifespanDays), formatDays(maxDays))
		default:
			continue
		}
		if declared.Text != "" {
			msg += fmt.Sprintf(" (%q)", bound(declared.Text, 120))
		}
		out = append(out, r.cookieFinding(rule, rule.Severity, f, "", msg))
	}
	return out
}

// --- category-mismatch ---

func checkCategoryMismatch(r *run, rule Rule) []Finding {
	var out []Finding
	for _, f := range r.cookies {
		if !f.declared || !confident(f.c.Label) {
			continue
		}
		// Only a category the declaration states in its own words can
		// contradict the known one: a category the reader inferred (from
		// the vendor, or a purpose word) is not the site's claim.
		declared, stated := statedCategory(f.m)
		known := f.c.Label.Category
		if stated == "" || declared == "" || declared == cookie.Unclassified || declared == known {
			continue
		}
		// Declaring a cookie less intrusive than it is misleads the visitor;
		// declaring it necessary lets it skip consent altogether.
		sev := Low
		switch {
		case declared == f.c.Label.VendorCategory:
			// The site follows the vendor's own documentation; only
			// cookiescan's reading of it as a third party's cookie differs.
		case declared == cookie.Necessary && known == cookie.Preferences:
			// A setting the visitor chose (language, display) is exempt
			// from consent in many readings of the interface-customisation
			// exemption, so calling it necessary is arguable, not a breach.
			sev = Medium
		case declared == cookie.Necessary:
			sev = High
		case declared.Rank() < known.Rank():
			sev = Medium
		}
		msg := fmt.Sprintf("cookie %s is declared as %s (%q) but known as %s", f.c.Name, declared, bound(stated, 80), known)
		if !documented(f.c.Label) {
			// No database documents the cookie: the category is the
			// classifier's reading of the evidence, not a fact to hold the
			// site's word against at full weight.
			sev = max(Low, sev-1)
			msg = fmt.Sprintf("cookie %s is declared as %s (%q) but classified as %s from the evidence (no database documents it)", f.c.Name, declared, bound(stated, 80), known)
		}
		if f.c.Label.Vendor != "" {
			msg += " (" + f.c.Label.Vendor + ")"
		}
		if declared == f.c.Label.VendorCategory {
			msg += fmt.Sprintf("; its vendor documents it as %s for the vendor's own service, as the site does, but as a third-party cookie it exists only because the site embeds that vendor", declared)
		}
		msg += uncertainLabel(f)
		out = append(out, r.cookieFinding(rule, sev, f, "", msg))
	}
	return out
}

// documented reports whether a known-cookie database (the embedded one, the
// Open Cookie Database, a user's file) settled the label, rather than the
// model, a name rule or the cookie domain's vendor. A label without a
// source (a result saved by an older version) is taken as before.
func documented(l cookie.Label) bool {
	switch l.Source {
	case "model", "heuristic", "host":
		return false
	}
	return true
}

// statedCategory returns the category the declaration states for the
// match and the words that state it; "" when the category was inferred.
func statedCategory(m match) (cookie.Category, string) {
	switch {
	case m.entry != nil:
		return m.entry.d.Category, m.entry.d.CategoryText
	case m.vendor != nil:
		return m.vendor.Category, m.vendor.CategoryText
	}
	return "", ""
}

// --- undeclared-vendor ---

// thirdParty is one vendor seen as a third party, with its first trace.
type thirdParty struct {
	name, key       string
	page, url, what string
	states          []cookie.State
	covered         bool // one of its cookies is declared by name or pattern
}

func checkUndeclaredVendor(r *run, rule Rule) []Finding {
	if r.decl == nil {
		return nil
	}
	var order []string
	parties := map[string]*thirdParty{}
	note := func(name string, s []cookie.State, page, url, what string) *thirdParty {
		key := r.opts.Vendors.Canonical(name)
		tp, ok := parties[key]
		if !ok {
			tp = &thirdParty{name: name, key: key, page: page, url: url, what: what}
			parties[key] = tp
			order = append(order, key)
		}
		for _, st := range s {
			if !slices.Contains(tp.states, st) {
				tp.states = append(tp.states, st)
			}
		}
		return tp
	}
	for _, f := range r.cookies {
		if f.c.Party != cookie.ThirdParty || f.c.Label.Vendor == "" || f.vendorKey == "" {
			continue
		}
		tp := note(f.c.Label.Vendor, f.c.States(), f.c.FirstSeenPage, f.c.SetBy.URL, "sets cookie "+f.c.Name)
		if f.declared && f.m.how != matchVendor {
			tp.covered = true
		}
	}
	for _, st := range r.in.Observation.States {
		for _, req := range st.Requests {
			if req.Vendor == "" || r.opts.Vendors.Canonical(req.Vendor) == "" {
				continue
			}
			note(req.Vendor, []cookie.State{st.State}, req.FirstPage, req.FirstURL,
				fmt.Sprintf("receives requests at %s", req.Host))
		}
	}
	var out []Finding
	for _, key := range order {
		tp := parties[key]
		if _, named := r.decl.vendors[key]; named || tp.covered {
			continue
		}
		if by := r.decl.familyCover(key); by != "" {
			continue // Google Analytics declared: its loader is too
		}
		states := make([]string, len(tp.states))
		for i, s := range tp.states {
			states[i] = string(s)
		}
		out = append(out, Finding{
			RuleID:   rule.ID,
			Severity: rule.Severity,
			Site:     r.in.Site,
			PageURL:  tp.page,
			Vendor:   tp.name,
			Message:  fmt.Sprintf("third party %s %s and is not named in the declaration", tp.name, tp.what),
			Evidence: Evidence{
				Setter:         tp.url,
				Observed:       "seen in: " + strings.Join(states, ", "),
				DeclarationURL: r.in.Declaration.URL,
			},
			Fingerprint: Fingerprint(rule.ID, r.siteHost, "", "", key, ""),
		})
	}
	return out
}

// --- no-reject-option ---

func checkNoRejectOption(r *run, rule Rule) []Finding {
	// The first layer is judged where the visitor meets it: before any
	// choice, else in whichever state saw the banner.
	var banner *cookie.StateObservation
	for _, s := range cookie.States() {
		if st := r.state(s); st != nil && st.Consent.BannerFound {
			banner = st
			break
		}
	}
	fd := Finding{RuleID: rule.ID, Severity: rule.Severity, Site: r.in.Site,
		Fingerprint: Fingerprint(rule.ID, r.siteHost, "", "", "", "")}
	if banner != nil {
		if banner.Consent.RejectAtFirstLayer {
			return nil
		}
		labels := make([]string, len(banner.Consent.Buttons))
		for i, b := range banner.Consent.Buttons {
			labels[i] = fmt.Sprintf("%q (%s)", bound(b.Label, 80), b.Role)
		}
		platform := banner.Consent.Platform
		if platform == "" {
			platform = "unknown platform"
		}
		fd.State = banner.State
		if len(banner.Pages) > 0 {
			fd.PageURL = banner.Pages[0].URL
		}
		fd.Message = fmt.Sprintf("the consent banner (%s) offers no reject option at its first layer", platform)
		fd.Evidence.Observed = "first-layer buttons: " + strings.Join(labels, ", ")
		if len(labels) == 0 {
			fd.Evidence.Observed = "first layer: no buttons recognised"
		}
		return []Finding{fd}
	}
	// No banner anywhere: a finding only if something needed consent.
	var needs []string
	for _, f := range r.cookies {
		if f.category.NeedsConsent() && (f.c.SeenIn(cookie.Before) || f.c.SeenIn(cookie.Reject)) {
			needs = append(needs, f.c.Name)
		}
	}
	if len(needs) == 0 || len(r.in.Observation.States) == 0 {
		return nil
	}
	if len(needs) > 10 {
		needs = append(needs[:10], fmt.Sprintf("and %d more", len(needs)-10))
	}
	if len(r.in.Observation.Pages) > 0 {
		fd.PageURL = r.in.Observation.Pages[0]
	}
	fd.Message = "no consent banner was found although cookies that need consent are set"
	fd.Evidence.Observed = "cookies that need consent: " + strings.Join(needs, ", ")
	return []Finding{fd}
}

// --- no-declaration ---

func checkNoDeclaration(r *run, rule Rule) []Finding {
	search := r.in.DeclarationSearch
	if r.in.Declaration != nil || search == nil {
		return nil
	}
	looked := search.Looked
	if len(looked) > 10 {
		looked = append(looked[:10:10], fmt.Sprintf("and %d more", len(search.Looked)-10))
	}
	fd := Finding{RuleID: rule.ID, Severity: rule.Severity, Site: r.in.Site,
		Fingerprint: Fingerprint(rule.ID, r.siteHost, "", "", "", "")}
	fd.PageURL = search.Site
	fd.Message = fmt.Sprintf("no cookie declaration was found on the site (%d cookies seen)", len(r.cookies))
	if search.Unread > 0 {
		// Pages that could not be read may hold it: say so, and do not
		// claim the worst.
		fd.Severity = Medium
		fd.Message += fmt.Sprintf("; uncertain: %d of the pages looked at could not be read", search.Unread)
	}
	fd.Evidence.Observed = "looked at: " + bound(strings.Join(looked, "; "), 2000)
	return []Finding{fd}
}

// --- unknown-cookie ---

// guessOf names the classifier's unsure guess, which the rules do not act
// on, so the person who looks starts from it.
func guessOf(l cookie.Label) string {
	switch {
	case l.Source != "model" || l.Probability <= 0:
		return ""
	case l.Category != "" && l.Category != cookie.Unclassified:
		return fmt.Sprintf("the classifier's best guess, %s at %.0f%%, is too unsure to act on", l.Category, 100*l.Probability)
	case strings.HasPrefix(l.Reason, "unsure: "):
		return "classifier " + l.Reason
	}
	return ""
}

func checkUnknownCookie(r *run, rule Rule) []Finding {
	var out []Finding
	for _, f := range r.cookies {
		l := f.c.Label
		if l.Category != "" && l.Category != cookie.Unclassified && l.Confidence != cookie.Low {
			continue
		}
		msg := fmt.Sprintf("no database knows cookie %s and the heuristics are unsure; a person should look at it", f.c.Name)
		if f.categoryFrom == "declaration" {
			msg += fmt.Sprintf(" (the declaration calls it %s)", f.category)
		}
		if g := guessOf(l); g != "" {
			msg += "; " + g
		}
		out = append(out, r.cookieFinding(rule, rule.Severity, f, "", msg))
	}
	return out
}
