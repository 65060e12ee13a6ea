package reports

import (
	"cmp"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
)

// matrixRow is one cookie of the inventory across the consent states, so a
// reader sees at once what appears without consent.
type matrixRow struct {
	Name, Domain, Vendor, Category, Lifespan, Declared string
	Party                                              cookie.Party
	// In holds, per scanned state in view order, whether the cookie was seen.
	In []bool
	// WithoutConsent is set for a cookie that is not necessary and was seen
	// before consent or after reject.
	WithoutConsent bool
}

func (v view) matrix() []matrixRow {
	var rows []matrixRow
	for _, c := range v.inventory {
		r := matrixRow{Name: c.Name, Domain: c.Domain, Vendor: c.Label.Vendor, Category: category(c),
			Lifespan: lifespanCell(c), Declared: v.declared(c), Party: c.Party}
		for _, st := range v.states {
			in := c.SeenIn(st.State)
			r.In = append(r.In, in)
			if in && st.State != cookie.Accept && c.Label.Category != cookie.Necessary && c.Label.Category != "" &&
				c.Label.Category != cookie.Unclassified {
				r.WithoutConsent = true
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// vendorRow sets what the declaration names for one vendor beside what was
// observed from it.
type vendorRow struct {
	Vendor             string
	Declared, Observed []string
	// Status is "declared and observed", "declared, not observed" or
	// "observed, not declared".
	Status string
}

// vendors groups declared and observed cookies by vendor. Vendors are
// matched by their folded names; a cookie without a vendor is grouped under
// its registrable domain.
func (v view) vendors() []vendorRow {
	type acc struct {
		name               string
		declared, observed []string
	}
	byKey := map[string]*acc{}
	var order []string
	get := func(name string) *acc {
		k := audit.FoldVendor(name)
		if k == "" {
			k = strings.ToLower(name)
		}
		a, ok := byKey[k]
		if !ok {
			a = &acc{name: name}
			byKey[k] = a
			order = append(order, k)
		}
		return a
	}
	addOnce := func(list []string, s string) []string {
		if slices.Contains(list, s) {
			return list
		}
		return append(list, s)
	}
	if d := v.s.Declaration; d != nil {
		for _, c := range d.Cookies {
			a := get(cmp.Or(c.Vendor, "(no vendor given)"))
			a.declared = addOnce(a.declared, c.Name)
		}
		for _, vd := range d.Vendors {
			get(cmp.Or(vd.Canonical, vd.Name))
		}
	}
	for _, c := range v.inventory {
		a := get(cmp.Or(c.Label.Vendor, strings.TrimPrefix(c.RegistrableDomain, "."), strings.TrimPrefix(c.Domain, ".")))
		a.observed = addOnce(a.observed, c.Name)
	}
	var rows []vendorRow
	for _, k := range order {
		a := byKey[k]
		r := vendorRow{Vendor: a.name, Declared: a.declared, Observed: a.observed}
		switch {
		case len(a.observed) == 0:
			r.Status = "declared, not observed"
		case len(a.declared) == 0 && v.s.Declaration != nil && !v.vendorDeclared(a.name):
			r.Status = "observed, not declared"
		default:
			r.Status = "declared and observed"
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b vendorRow) int {
		return cmp.Compare(strings.ToLower(a.Vendor), strings.ToLower(b.Vendor))
	})
	return rows
}

// vendorDeclared says whether the declaration names a vendor in its vendor
// list (a vendor can be declared without naming its cookies).
func (v view) vendorDeclared(name string) bool {
	k := audit.FoldVendor(name)
	for _, vd := range v.s.Declaration.Vendors {
		if audit.FoldVendor(vd.Name) == k || audit.FoldVendor(vd.Canonical) == k {
			return true
		}
	}
	return false
}

// findingGroup is the findings of one rule, with the declaration quotes
// they cite listed once.
type findingGroup struct {
	Rule     audit.Rule
	Findings []groupedFinding
	Quotes   []string
}

type groupedFinding struct {
	audit.Finding
	Subject string
	// Quote is the 1-based index of the finding's quote in Quotes; 0: none.
	Quote int
}

func (v view) groups() []findingGroup {
	var gs []findingGroup
	for _, r := range v.rules() {
		g := findingGroup{Rule: r}
		for _, f := range v.findings {
			if f.RuleID != r.ID {
				continue
			}
			gf := groupedFinding{Finding: f, Subject: subject(f)}
			if q := f.Evidence.Declared; q != "" {
				i := slices.Index(g.Quotes, q)
				if i < 0 {
					g.Quotes = append(g.Quotes, q)
					i = len(g.Quotes) - 1
				}
				gf.Quote = i + 1
			}
			g.Findings = append(g.Findings, gf)
		}
		if len(g.Findings) > 0 {
			gs = append(gs, g)
		}
	}
	return gs
}

// stateDetail is what one consent state did besides setting cookies: pages,
// third parties contacted and Web Storage written.
type stateDetail struct {
	State    cookie.State
	Pages    []cookie.PageVisit
	Requests []cookie.Request
	Storage  []cookie.StorageItem
}

func (v view) stateDetails() []stateDetail {
	var out []stateDetail
	for _, st := range v.s.Observation.States {
		d := stateDetail{State: st.State, Pages: st.Pages, Requests: slices.Clone(st.Requests), Storage: slices.Clone(st.Storage)}
		slices.SortStableFunc(d.Requests, func(a, b cookie.Request) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Host, b.Host))
		})
		slices.SortStableFunc(d.Storage, func(a, b cookie.StorageItem) int {
			return cmp.Or(cmp.Compare(a.Origin, b.Origin), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key))
		})
		out = append(out, d)
	}
	return out
}

// lifespanCell is the cookie's lifespan, with what became of a cookie that
// was set but not in the jar at the end of the page: a reader must not take
// its absence from the browser for its absence from the visit.
func lifespanCell(c cookie.Observed) string {
	switch c.Removed {
	case "deleted":
		return c.LifespanText() + " (set, then deleted by the site)"
	case "gone":
		return c.LifespanText() + " (set, then gone: evicted or expired)"
	}
	return c.LifespanText()
}
