package classifier

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// Options configures a Classifier.
type Options struct {
	// DB is the known-cookie database and host map. Nil means no database:
	// heuristics alone (used to measure them).
	DB *knowncookies.DB
	// SiteDomain is the scanned site: a URL, a host or a registrable domain.
	// It decides first and third party when an observed cookie does not say.
	SiteDomain string
	// NoHeuristics turns the heuristics and the model off, leaving database
	// and host map (used to measure the database alone).
	NoHeuristics bool
	// Model weighs the evidence for cookies the database does not settle.
	// Nil means the embedded model (DefaultModel).
	Model *Model
	// NoModel replaces the model by the hand-written heuristics of earlier
	// versions (used to compare them).
	NoModel bool
}

// Classifier labels cookies. It is immutable and safe for concurrent use.
type Classifier struct {
	db         *knowncookies.DB
	site       string // registrable domain of the site, lower case
	heuristics bool
	model      *Model // nil: heuristics
	// dbDecides says which database matches settle a label without the
	// model; the rest become the model's evidence.
	dbDecides func(knowncookies.Match) bool
}

// Sources of a label, as cookie.Label.Source spells them.
const (
	SourceHost      = "host"
	SourceHeuristic = "heuristic"
	SourceModel     = "model"
)

// New returns a classifier.
func New(opts Options) (*Classifier, error) {
	c := &Classifier{db: opts.DB, heuristics: !opts.NoHeuristics, model: opts.Model, dbDecides: vendorDocumented}
	if c.model == nil && !opts.NoModel {
		c.model = DefaultModel()
	}
	if !c.heuristics {
		c.model = nil
	}
	if opts.SiteDomain != "" {
		site, err := registrable(hostOf(opts.SiteDomain))
		if err != nil {
			return nil, fmt.Errorf("classifier: site domain %q: %w", opts.SiteDomain, err)
		}
		c.site = site
	}
	return c, nil
}

// hostOf takes the host out of a URL, or returns s as a host.
func hostOf(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil {
			return u.Hostname()
		}
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(s), "."), ".")
}

// registrable returns the eTLD+1 of a host (see cookie.RegistrableDomain).
func registrable(host string) (string, error) {
	if d := cookie.RegistrableDomain(host); d != "" {
		return d, nil
	}
	return "", fmt.Errorf("empty host")
}

// Party returns the cookie's party: the one it carries, or else first when
// its registrable domain is the site's and third otherwise. Without a site it
// returns the cookie's own (possibly empty) party.
func (c *Classifier) Party(o cookie.Observed) cookie.Party {
	if o.Party != "" || c.site == "" {
		return o.Party
	}
	rd := o.RegistrableDomain
	if rd == "" {
		var err error
		if rd, err = registrable(o.Domain); err != nil {
			return ""
		}
	}
	if rd == c.site {
		return cookie.FirstParty
	}
	return cookie.ThirdParty
}

// Classify labels one cookie. The order:
//
//  1. a --cookie-db entry of the user, or an exact name or pattern of the
//     embedded database (whose vendors document their cookies): the entry
//     decides, without the model, with the measured probability of its
//     source (dbProbability);
//  2. otherwise the model weighs all the evidence (a looser database match,
//     the vendor of the cookie's domain, party, lifespan, value, name), and
//     its best category is the label, with its probability; below
//     UnknownBelow (NecessaryFrom for necessary) a name rule or a tracking
//     vendor that set the cookie may still decide, and the label has low
//     confidence, which the audit treats as unclassified.
//
// Without a model (Options.NoModel), step 2 is the database, the host map
// and the hand-written heuristics.
func (c *Classifier) Classify(o cookie.Observed) cookie.Label {
	party := c.Party(o)
	domain := strings.TrimPrefix(strings.ToLower(o.Domain), ".")

	m, found := c.db.Lookup(o.Name, domain)
	if c.model != nil {
		return c.classifyWithModel(o, party, domain, m, found)
	}
	if found {
		return c.dbLabel(m, party, domain)
	}
	if l, ok := c.byCookieHost(domain, party); ok {
		return l
	}
	if !c.heuristics {
		return unclassified("no database entry and no known host")
	}
	f := features(o, party)
	rules := applyNameRules(o, f)
	if l, ok := rules.strong(); ok {
		return f.explained(l)
	}
	if l, ok := c.bySetter(o, party); ok {
		return l
	}
	return f.explained(rules.weak)
}

// vendorDocumented says whether a database match settles a label: any entry
// of a user's file, and the embedded database's exact names and documented
// patterns (_ga_<container>). A name matched only in another case, and the
// Open Cookie Database's entries (which has conflicting duplicates and is not
// reviewed with the code), are evidence for the model.
func vendorDocumented(m knowncookies.Match) bool {
	e := m.Entry
	switch {
	case strings.HasPrefix(e.Source, "user:"):
		return true
	case e.Source == knowncookies.SourceEmbedded:
		return m.Kind == knowncookies.MatchExact || m.Kind == knowncookies.MatchPrefix
	}
	return false
}

func (c *Classifier) classifyWithModel(o cookie.Observed, party cookie.Party, domain string, m knowncookies.Match, found bool) cookie.Label {
	// A vendor-documented entry decides without the model: its probability
	// is how often such entries agreed with the sites' own labels
	// (DBProbability), so a database hit costs a lookup, not a prediction.
	if found && c.dbDecides(m) {
		return c.dbLabel(m, party, domain)
	}
	var buf [48]string
	hf := features(o, party)
	rules := applyNameRules(o, hf)
	feats := c.features(o, party, domain, m, found, hf, rules, buf[:0])
	p := c.model.Predict(feats)
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	cat, prob := ModelClasses[best], p[best]
	l := cookie.Label{Category: cat, Probability: round3(prob), Source: SourceModel, Confidence: cookie.Medium}
	if prob >= HighFrom {
		l.Confidence = cookie.High
	}
	// The vendor: the looser database match's, else the cookie domain's.
	// Concatenated rather than formatted: every model label builds it.
	head := "model: " + string(cat) + " with probability " + percent(prob)
	l.Reason = head
	if found {
		e := m.Entry
		l.Vendor, l.Description, l.Retention, l.PrivacyURL = e.Vendor, e.Description, e.Retention, e.PrivacyURL
		l.Reason += fmt.Sprintf("; %s in %s (%s, not decisive)", e.Pattern(), describeSource(e.Source), m.Kind)
	} else if party != cookie.FirstParty {
		if v, host, ok := c.db.VendorByHost(domain); ok {
			l.Vendor, l.PrivacyURL = v.Name, v.PrivacyURL
			l.Reason += fmt.Sprintf("; cookie domain %s → %s (%s host %s)", domain, v.Name, hostSource(v), host)
		}
	}
	why := c.model.evidence(feats, best, 3)
	if len(why) > 0 {
		l.Reason += "; evidence: " + strings.Join(why, ", ")
	}
	need := threshold(cat)
	// Without any evidence for it, a category is only the prior of the
	// training data (most cookies there are marketing): not a label.
	if prob >= need && len(why) > 0 {
		return l
	}
	// Unsure: the name rules of earlier versions, then the setter's vendor,
	// may still know (they fire on words no training site used).
	s, ok := rules.purpose, rules.hasPurpose
	// bar is the probability the model must give a rule's category for
	// the rule's label to be acted on.
	bar := 0.0
	if !ok {
		if s, ok = rules.function, rules.hasFunction; ok && s.Category == cookie.Necessary {
			bar = FunctionRuleFrom
		}
	}
	if ok {
		s = hf.explained(s)
	} else {
		s, ok = c.bySetter(o, party)
		bar = threshold(s.Category)
	}
	if !ok {
		if w := rules.weak; w.Category != cookie.Unclassified && w.Confidence != cookie.Low {
			s, ok, bar = hf.explained(w), true, threshold(w.Category)
		}
	}
	if ok {
		for i, k := range ModelClasses {
			if k == s.Category {
				s.Probability = round3(p[i])
			}
		}
		s.Reason += fmt.Sprintf("; the model alone is unsure (%s at %.0f%%)", cat, 100*prob)
		// A rule the model gives less than its bar is a guess too: the
		// audit must not act on it as on a label. A setter or weak name
		// rule needs the model's threshold. A rule that calls a cookie
		// necessary for what it holds (a session, a sign-in, a cart, a
		// route) needs only FunctionRuleFrom: it fires on words no training
		// site used, but a model that finds necessary unlikely has seen
		// other evidence (a tracker's prefix, as in Hotjar's
		// _hjAbsoluteSessionInProgress), and a necessary label silences
		// the gravest findings. A language or display setting keeps its
		// preferences label, and a rule on the purpose (consent records,
		// request-forgery tokens) holds whatever the model learned from
		// names seen elsewhere: a site's own consent cookie, which no
		// training site named alike, would otherwise be reported as set
		// after reject.
		if s.Probability < bar && s.Confidence != cookie.Low {
			s.Confidence = cookie.Low
			s.Reason += fmt.Sprintf("; %s has %.0f%%, under the %.0f%% needed, so it counts as unclassified", s.Category, 100*s.Probability, 100*bar)
		}
		return s
	}
	// Unsure: the label is the model's best guess at low confidence. The
	// audit acts on no low-confidence label (the consent rules treat the
	// cookie as unclassified and raise unknown-cookie), but the guess, with
	// its probability, is the best answer there is (right about half of the
	// time, docs/classifier.md). Except "necessary": whoever reads only the
	// category (a CSV export, a CI job on the JSON) would take the cookie
	// for one that needs no consent, so a necessary guess stays
	// unclassified, with the guess in the reason. Every other guess errs
	// towards consent, as unclassified does.
	unsure := fmt.Sprintf("unsure: the model's best guess is %s at %.0f%%, under the %.0f%% needed, so it counts as unclassified", cat, 100*prob, 100*need)
	if prob >= need {
		unsure = fmt.Sprintf("unsure: nothing about the cookie points to a category (the model's prior favours %s at %.0f%%), so it counts as unclassified", cat, 100*prob)
	}
	guess := cat
	if guess == cookie.Necessary {
		guess = cookie.Unclassified
	}
	return cookie.Label{
		Vendor:      l.Vendor,
		Category:    guess,
		Confidence:  cookie.Low,
		Probability: l.Probability,
		Source:      SourceModel,
		Reason:      unsure + strings.TrimPrefix(l.Reason, head),
		PrivacyURL:  l.PrivacyURL,
	}
}

// percent writes a probability as a whole percentage, as "%.0f%%" does.
func percent(p float64) string {
	return strconv.FormatFloat(100*p, 'f', 0, 64) + "%"
}

// threshold is the probability a model label of category cat needs to be
// acted on (UnknownBelow; NecessaryFrom for necessary).
func threshold(cat cookie.Category) float64 {
	if cat == cookie.Necessary {
		return NecessaryFrom
	}
	return UnknownBelow
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

func (c *Classifier) dbLabel(m knowncookies.Match, party cookie.Party, domain string) cookie.Label {
	e := m.Entry
	conf := cookie.High
	var how string
	switch m.Kind {
	case knowncookies.MatchExact:
		how = "exact name"
	case knowncookies.MatchExactFold:
		how, conf = "name in another case ("+e.Name+")", cookie.Medium
	case knowncookies.MatchPrefix, knowncookies.MatchPrefixFold:
		how = "pattern " + e.Name + "<…>"
		if len(e.Name) < 4 || m.Kind == knowncookies.MatchPrefixFold {
			conf = cookie.Medium
		}
	}
	var reason string
	if e.Source == knowncookies.SourceEmbedded && m.Kind == knowncookies.MatchExact {
		reason = "exact name in embedded database" // the common case, without allocating
	} else {
		reason = how + " in " + describeSource(e.Source)
		if e.Source != knowncookies.SourceEmbedded {
			reason += fmt.Sprintf(" (line %d)", e.Line)
		}
	}
	if m.DomainMatched {
		reason += ", for domain " + strings.Join(e.Domains, " / ")
	}
	if e.Source == knowncookies.SourceOpenCookie && conf == cookie.High {
		// The downloaded database is not reviewed with the code and has
		// conflicting duplicates; trust it a step less.
		conf = cookie.Medium
	}
	cat, vendorCat := e.Category, cookie.Category("")
	// A cookie a tracking vendor calls necessary (LinkedIn's lidc routes
	// requests, Google's CONSENT keeps Google's own consent) is necessary
	// for the vendor's service, not for the visited site: as a third-party
	// cookie it exists only because the site embeds that vendor, so it
	// takes the vendor's purpose. Preferences stay: they serve the visitor.
	// The exception: a cookie on the host of a necessary service (a consent
	// platform's domain such as consensu.org) serves that service.
	if cat == cookie.Necessary && party == cookie.ThirdParty && !c.onNecessaryHost(domain) {
		if v, ok := c.db.VendorByAlias(e.Vendor); ok && (v.Category == cookie.Marketing || v.Category == cookie.Statistics) {
			cat, vendorCat = v.Category, e.Category
			reason += fmt.Sprintf("; necessary for %s's own service, but as a third-party cookie here it exists only because the site embeds %s, so %s", v.Name, v.Name, v.Category)
		}
	}
	return cookie.Label{
		Vendor:      e.Vendor,
		Category:    cat,
		Confidence:  conf,
		Probability: dbProbability(e.Source),
		Reason:      reason,
		Source:      e.Source,
		Description: e.Description,
		Retention:   e.Retention,
		PrivacyURL:  e.PrivacyURL,

		VendorCategory: vendorCat,
	}
}

// Probabilities of database labels, measured per source and match as the
// share of the development crawl's cookies on which such labels agreed with
// the site's own label, with the entries that match a fold's test cookies
// and that no external source confirms held out (docs/classifier.md;
// TestAccuracyCookieBlock fails when a figure drifts from the measurement).
// A user's own file is the user's decision: probability 1.
// The Open Cookie Database's entries decide only without a model (they are
// its evidence otherwise); ProbOpenCookie is their share right in that
// configuration, 82% (make accuracy, row 5).
const (
	ProbEmbedded   = 0.92
	ProbOpenCookie = 0.82
)

// dbProbability is the probability of a label an entry of source gives.
func dbProbability(source string) float64 {
	switch {
	case strings.HasPrefix(source, "user:"):
		return 1
	case source == knowncookies.SourceOpenCookie:
		return ProbOpenCookie
	}
	return ProbEmbedded
}

// onNecessaryHost reports whether a cookie domain belongs to a vendor whose
// service is necessary (a CDN, a consent platform, a payment provider).
func (c *Classifier) onNecessaryHost(domain string) bool {
	v, _, ok := c.db.VendorByHost(domain)
	return ok && v.Category == cookie.Necessary
}

func describeSource(s string) string {
	switch s {
	case knowncookies.SourceEmbedded:
		return "embedded database"
	case knowncookies.SourceOpenCookie:
		return "Open Cookie Database"
	}
	return "user database " + strings.TrimPrefix(s, "user:")
}

func unclassified(reason string) cookie.Label {
	return cookie.Label{Category: cookie.Unclassified, Confidence: cookie.Low, Reason: reason, Source: SourceHeuristic}
}

// byCookieHost labels a cookie whose domain belongs to a known vendor: a
// cookie on .doubleclick.net is Google Ads' whatever its name. A first-party
// cookie is left alone: on the vendor's own site every cookie would match.
func (c *Classifier) byCookieHost(domain string, party cookie.Party) (cookie.Label, bool) {
	if party == cookie.FirstParty {
		return cookie.Label{}, false
	}
	v, host, ok := c.db.VendorByHost(domain)
	if !ok || v.Category == cookie.Unclassified {
		return cookie.Label{}, false
	}
	return cookie.Label{
		Vendor:     v.Name,
		Category:   v.Category,
		Confidence: cookie.Medium,
		Reason:     fmt.Sprintf("cookie domain %s → %s (%s host %s)", domain, v.Name, hostSource(v), host),
		Source:     SourceHost,
		PrivacyURL: v.PrivacyURL,
	}, true
}

func hostSource(v *knowncookies.Vendor) string {
	if v.Source == knowncookies.SourceThirdPartyWeb {
		return "third-party-web"
	}
	return "known"
}

// bySetter labels a cookie by the third-party host whose response or script
// set it, when that host belongs to a tracking vendor. Tag managers and
// vendors of necessary services are skipped: the script of a tag manager or a
// CDN writes cookies for whatever code it carries.
func (c *Classifier) bySetter(o cookie.Observed, party cookie.Party) (cookie.Label, bool) {
	if o.SetBy.URL == "" {
		return cookie.Label{}, false
	}
	host := hostOf(o.SetBy.URL)
	if c.site != "" {
		if rd, err := registrable(host); err == nil && rd == c.site {
			return cookie.Label{}, false
		}
	}
	v, _, ok := c.db.VendorByHost(host)
	if !ok || v.TagManager || (v.Category != cookie.Statistics && v.Category != cookie.Marketing) {
		return cookie.Label{}, false
	}
	conf := cookie.Low
	if party == cookie.ThirdParty {
		conf = cookie.Medium
	}
	return cookie.Label{
		Vendor:     v.Name,
		Category:   v.Category,
		Confidence: conf,
		Reason:     fmt.Sprintf("set by host %s → %s", host, v.Name),
		Source:     SourceHost,
		PrivacyURL: v.PrivacyURL,
	}, true
}

// ClassifyAll labels cookies in place and fills Party and RegistrableDomain
// where the crawler left them empty. It then puts a framework's session
// cookie (ASP.NET_SessionId, PHPSESSID) to the platform the site runs when
// the same jar shows that platform (Dynamicweb runs on ASP.NET), since that
// is whom a declaration names.
func (c *Classifier) ClassifyAll(obs []cookie.Observed) {
	for i := range obs {
		o := &obs[i]
		if o.RegistrableDomain == "" {
			if rd, err := registrable(o.Domain); err == nil {
				o.RegistrableDomain = rd
			}
		}
		if o.Party == "" {
			o.Party = c.Party(*o)
		}
		o.Label = c.Classify(*o)
	}
	c.attributePlatform(obs)
}

func (c *Classifier) attributePlatform(obs []cookie.Observed) {
	if c.db == nil {
		return
	}
	// Count the first-party cookies of each platform vendor, by framework.
	count := map[string]map[string]int{} // framework → platform → cookies
	for _, o := range obs {
		if o.Party == cookie.ThirdParty || o.Label.Vendor == "" {
			continue
		}
		v, ok := c.db.VendorByAlias(o.Label.Vendor)
		if !ok || v.RunsOn == "" {
			continue
		}
		if count[v.RunsOn] == nil {
			count[v.RunsOn] = map[string]int{}
		}
		count[v.RunsOn][v.Name]++
	}
	for i := range obs {
		o := &obs[i]
		platforms := count[o.Label.Vendor]
		if len(platforms) == 0 || o.Party == cookie.ThirdParty {
			continue
		}
		names := make([]string, 0, len(platforms))
		for n := range platforms {
			names = append(names, n)
		}
		slices.SortFunc(names, func(a, b string) int {
			if d := cmp.Compare(platforms[b], platforms[a]); d != 0 {
				return d
			}
			return cmp.Compare(a, b)
		})
		fw := o.Label.Vendor
		o.Label.Vendor = names[0]
		o.Label.Reason += fmt.Sprintf("; the site runs %s, which is built on %s", names[0], fw)
	}
}

// ClassifyRequests fills Vendor and Category of third-party requests from the
// host map; a host no map knows is left empty.
func (c *Classifier) ClassifyRequests(reqs []cookie.Request) {
	for i := range reqs {
		r := &reqs[i]
		if r.RegistrableDomain == "" {
			if rd, err := registrable(r.Host); err == nil {
				r.RegistrableDomain = rd
			}
		}
		if v, _, ok := c.db.VendorByHost(r.Host); ok {
			r.Vendor, r.Category = v.Name, v.Category
		}
	}
}
