package classifier

import (
	"fmt"
	"math"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// TreeNode is one node of a regression tree of a Forest, in a flat table: an
// inner node sends an input x to Left when x[Feature] < Threshold and to
// Right otherwise; a leaf (Feature < 0) adds Value to its class's score.
type TreeNode struct {
	Feature     int16
	Threshold   float32
	Left, Right int32
	Value       float32
}

// Forest is a small gradient-boosted tree ensemble stacked on the logistic
// regression: it starts from the regression's calibrated scores and adds,
// per class, the leaves its trees reach for the cookie's numeric inputs
// (TreeInputs), which lets it weigh interactions the regression cannot
// (lifespan by party, value shape by database match, how sure the
// regression is). It is immutable.
type Forest struct {
	// Nodes holds every tree; Roots[r][k] is the root of round r's tree
	// for class k.
	Nodes []TreeNode
	Roots [][4]int32
}

// NewForest checks a tree table and returns it as a Forest.
func NewForest(nodes []TreeNode, roots [][4]int32) (*Forest, error) {
	n := int32(len(nodes))
	for i, nd := range nodes {
		if nd.Feature < 0 {
			continue
		}
		if int(nd.Feature) >= NumTreeInputs {
			return nil, fmt.Errorf("classifier: tree node %d splits on input %d, there are %d", i, nd.Feature, NumTreeInputs)
		}
		// Children come after their parent, so every walk ends.
		if nd.Left <= int32(i) || nd.Right <= int32(i) || nd.Left >= n || nd.Right >= n {
			return nil, fmt.Errorf("classifier: tree node %d has children %d and %d out of order or range", i, nd.Left, nd.Right)
		}
	}
	for r, rs := range roots {
		for _, root := range rs {
			if root < 0 || root >= n {
				return nil, fmt.Errorf("classifier: tree root %d of round %d out of range", root, r)
			}
		}
	}
	return &Forest{Nodes: nodes, Roots: roots}, nil
}

// add adds the trees' leaves for input x to the scores z.
func (f *Forest) add(x *[NumTreeInputs]float64, z *[4]float64) {
	for _, rs := range f.Roots {
		for k, i := range rs {
			nd := &f.Nodes[i]
			for nd.Feature >= 0 {
				if x[nd.Feature] < float64(nd.Threshold) {
					nd = &f.Nodes[nd.Left]
				} else {
					nd = &f.Nodes[nd.Right]
				}
			}
			z[k] += float64(nd.Value)
		}
	}
}

// The numeric inputs of the trees, in order. The first block is the
// regression's view (its calibrated probabilities and how far the best is
// ahead); the rest describe the cookie itself.
const (
	tiProbNecessary = iota
	tiProbPreferences
	tiProbStatistics
	tiProbMarketing
	tiMargin
	tiThirdParty
	tiSession
	tiLogDays
	tiValueLen
	tiValueKind
	tiIDKind
	tiHostOnly
	tiHTTPOnly
	tiSecure
	tiSameSite
	tiSubPath
	tiDBCategory
	tiDBMatch
	tiDBDomain
	tiHostCategory
	tiSetterCategory
	tiNameLen
	tiNameDigits
	tiNameUpper
	tiNameUnderscore
	tiRule
	tiWeak
	NumTreeInputs
)

// TreeInputNames names the trees' inputs, for the generated file and docs.
var TreeInputNames = [NumTreeInputs]string{
	"p(necessary)", "p(preferences)", "p(statistics)", "p(marketing)", "margin",
	"third party", "session", "log2 lifespan days", "value length", "value kind", "identifier kind",
	"host-only", "HttpOnly", "Secure", "SameSite", "sub-path",
	"database category", "database match", "database names the domain", "cookie domain's vendor category", "setter's vendor category",
	"name length", "digits in name", "upper case in name", "leading underscores", "name rule", "weak name rule",
}

// categoryCode numbers categories for the trees: 0 none, then ModelClasses.
func categoryCode(c cookie.Category) float64 {
	for i, k := range ModelClasses {
		if k == c {
			return float64(i + 1)
		}
	}
	return 0
}

var valueKinds = []string{"empty", "flag", "small-number", "number", "timestamp", "short-text", "text", "long", "json", "consent-words"}

var idKinds = []string{"", "UUID", "random identifier", "numeric identifier"}

func indexOf(xs []string, s string) float64 {
	for i, x := range xs {
		if x == s {
			return float64(i)
		}
	}
	return float64(len(xs))
}

// cookieInputs fills the inputs that describe the cookie (all but the
// regression's view); hf are the heuristics' features of it.
func (c *Classifier) cookieInputs(o cookie.Observed, party cookie.Party, domain string, m knowncookies.Match, found bool, hf feature, x *[NumTreeInputs]float64) {
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	x[tiThirdParty] = b(party == cookie.ThirdParty)
	if party == "" {
		x[tiThirdParty] = 0.5
	}
	x[tiSession] = b(hf.session)
	x[tiLogDays] = -1
	if !hf.session && hf.days > 0 {
		x[tiLogDays] = math.Log2(1 + hf.days)
	}
	x[tiValueLen] = float64(len(o.Value))
	x[tiValueKind] = indexOf(valueKinds, valueKind(o.Value))
	x[tiIDKind] = indexOf(idKinds, hf.idKind)
	x[tiHostOnly], x[tiHTTPOnly], x[tiSecure] = b(o.HostOnly), b(o.HTTPOnly), b(o.Secure)
	x[tiSameSite] = indexOf([]string{"unset", "", "lax", "strict", "none", "no_restriction"}, strings.ToLower(o.SameSite))
	x[tiSubPath] = b(o.Path != "" && o.Path != "/")
	if found {
		x[tiDBCategory] = categoryCode(m.Entry.Category)
		x[tiDBMatch] = indexOf([]string{"", string(knowncookies.MatchExact), string(knowncookies.MatchExactFold), string(knowncookies.MatchPrefix), string(knowncookies.MatchPrefixFold)}, string(m.Kind))
		if m.Entry.Source != knowncookies.SourceEmbedded {
			x[tiDBMatch] += 5
		}
		x[tiDBDomain] = b(m.DomainMatched)
	}
	if v, _, ok := c.db.VendorByHost(domain); ok {
		x[tiHostCategory] = categoryCode(v.Category)
	}
	if o.SetBy.URL != "" {
		if v, _, ok := c.db.VendorByHost(hostOf(o.SetBy.URL)); ok && !v.TagManager {
			x[tiSetterCategory] = categoryCode(v.Category)
		}
	}
	x[tiNameLen] = float64(len(o.Name))
	var digits, upper float64
	for i := 0; i < len(o.Name); i++ {
		switch ch := o.Name[i]; {
		case ch >= '0' && ch <= '9':
			digits++
		case ch >= 'A' && ch <= 'Z':
			upper++
		}
	}
	x[tiNameDigits], x[tiNameUpper] = digits, upper
	x[tiNameUnderscore] = float64(len(o.Name) - len(strings.TrimLeft(o.Name, "_")))
	if l, ok := strongHeuristic(o, hf); ok {
		x[tiRule] = categoryCode(l.Category)
	} else if l := weakHeuristic(o, hf); l.Category != cookie.Unclassified {
		x[tiWeak] = categoryCode(l.Category)
	}
}

// regressionInputs fills the regression's view from its calibrated scores.
func regressionInputs(z [4]float64, x *[NumTreeInputs]float64) {
	p := softmax(z)
	copy(x[tiProbNecessary:tiProbMarketing+1], p[:])
	first, second := 0.0, 0.0
	for _, v := range p {
		if v > first {
			first, second = v, first
		} else if v > second {
			second = v
		}
	}
	x[tiMargin] = first - second
}

// TreeInputs returns the trees' inputs for a cookie whose calibrated
// regression scores are z, as the classifier computes them at run time.
// Training uses it, so what is trained is what runs.
func (c *Classifier) TreeInputs(o cookie.Observed, z [4]float64) [NumTreeInputs]float64 {
	party := c.Party(o)
	domain := strings.TrimPrefix(strings.ToLower(o.Domain), ".")
	m, found := c.db.Lookup(o.Name, domain)
	hf := features(o, party)
	hf.quiet = true
	var x [NumTreeInputs]float64
	c.cookieInputs(o, party, domain, m, found, hf, &x)
	regressionInputs(z, &x)
	return x
}

func softmax(z [4]float64) [4]float64 {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = max(mx, v)
	}
	sum := 0.0
	for i, v := range z {
		z[i] = math.Exp(v - mx)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
	return z
}
