// Package diff compares two scans of a site: which cookies appeared or
// vanished in each consent state, which changed vendor, category or
// lifespan, which findings are new or resolved, and how the declaration
// changed. It works on stored results only and knows nothing of browsers.
package diff

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/result"
)

// Options tune what counts as a change.
type Options struct {
	// LifespanDays is the absolute tolerance for a lifespan change, in days;
	// zero means 1. A re-crawl sets a cookie a few seconds or minutes later
	// and some sites round expiries, so small moves are noise.
	LifespanDays float64
	// LifespanRatio is the relative tolerance, a fraction of the longer
	// lifespan; zero means 0.05 (5%). The larger of the two tolerances wins.
	LifespanRatio float64
}

func (o Options) withDefaults() Options {
	if o.LifespanDays == 0 {
		o.LifespanDays = 1
	}
	if o.LifespanRatio == 0 {
		o.LifespanRatio = 0.05
	}
	return o
}

// Ref names one side of a diff.
type Ref struct {
	// ID is the store's id of the scan; zero when the scan was not stored.
	ID          int64     `json:"id,omitempty"`
	Site        string    `json:"site"`
	StartedAt   time.Time `json:"started_at"`
	ToolVersion string    `json:"tool_version,omitempty"`
}

// Cookie is a cookie as the diff shows it.
type Cookie struct {
	Name     string          `json:"name"`
	Domain   string          `json:"domain"`
	Path     string          `json:"path"`
	Vendor   string          `json:"vendor,omitempty"`
	Category cookie.Category `json:"category,omitempty"`
	// LifespanDays is 0 for a session cookie.
	LifespanDays float64 `json:"lifespan_days"`
	Session      bool    `json:"session"`
}

// StateChange lists the cookies that appeared or vanished in one consent state.
type StateChange struct {
	State    cookie.State `json:"state"`
	Appeared []Cookie     `json:"appeared"`
	Vanished []Cookie     `json:"vanished"`
}

// Change is one field of a cookie that changed between the scans.
type Change struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	// Field is "vendor", "category" or "lifespan".
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// DeclaredChange is one field of a declared cookie that changed.
type DeclaredChange struct {
	Name string `json:"name"`
	// Field is "vendor", "category", "lifespan" or "purpose".
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Declaration says how the declaration changed.
type Declaration struct {
	// Changed is true when the text hash differs, or a declaration was read
	// in one scan and not in the other.
	Changed  bool              `json:"changed"`
	FromHash string            `json:"from_hash,omitempty"`
	ToHash   string            `json:"to_hash,omitempty"`
	Added    []cookie.Declared `json:"added"`
	Removed  []cookie.Declared `json:"removed"`
	Modified []DeclaredChange  `json:"modified"`
}

// Result is what changed from scan A to scan B.
type Result struct {
	A Ref `json:"a"`
	B Ref `json:"b"`
	// States has one entry per consent state, the three known states first
	// in visiting order, empty lists included, so readers need not guess
	// whether a missing state means "no change" or "not compared".
	States []StateChange `json:"states"`
	// Changed lists cookies present in both scans whose vendor, category or
	// lifespan (beyond the tolerance) changed.
	Changed []Change `json:"changed"`
	// NewFindings are in B and not in A, by fingerprint; ResolvedFindings
	// the reverse. Baselined findings count as present: accepting a finding
	// does not resolve it.
	NewFindings      []audit.Finding `json:"new_findings"`
	ResolvedFindings []audit.Finding `json:"resolved_findings"`
	Declaration      Declaration     `json:"declaration"`
	// Counts are the sizes of the lists above, so a reader (or a CI job)
	// gets the totals first.
	Counts Counts `json:"counts"`
}

// Counts totals a diff. Appeared and Vanished count cookie-state pairs: a
// cookie that appeared in two states counts twice.
type Counts struct {
	Appeared         int `json:"appeared"`
	Vanished         int `json:"vanished"`
	Changed          int `json:"changed"`
	NewFindings      int `json:"new_findings"`
	ResolvedFindings int `json:"resolved_findings"`
	DeclaredAdded    int `json:"declared_added"`
	DeclaredRemoved  int `json:"declared_removed"`
	DeclaredModified int `json:"declared_modified"`
}

func (r Result) counts() Counts {
	c := Counts{Changed: len(r.Changed), NewFindings: len(r.NewFindings), ResolvedFindings: len(r.ResolvedFindings),
		DeclaredAdded: len(r.Declaration.Added), DeclaredRemoved: len(r.Declaration.Removed), DeclaredModified: len(r.Declaration.Modified)}
	for _, s := range r.States {
		c.Appeared += len(s.Appeared)
		c.Vanished += len(s.Vanished)
	}
	return c
}

// Empty reports whether nothing changed.
func (r Result) Empty() bool {
	for _, s := range r.States {
		if len(s.Appeared)+len(s.Vanished) > 0 {
			return false
		}
	}
	return len(r.Changed) == 0 && !r.FindingsChanged() && !r.Declaration.Changed
}

// FindingsChanged reports whether a finding is new or resolved.
func (r Result) FindingsChanged() bool {
	return len(r.NewFindings)+len(r.ResolvedFindings) > 0
}

// Diff compares scan a (older) with scan b (newer) with the default tolerances.
func Diff(a, b *result.Scan) Result { return Options{}.Diff(a, b) }

// Diff compares scan a (older) with scan b (newer). Every list in the
// result is sorted, so the same two scans always give the same result.
func (o Options) Diff(a, b *result.Scan) Result {
	o = o.withDefaults()
	r := Result{
		A:                Ref{Site: a.Site, StartedAt: a.StartedAt, ToolVersion: a.ToolVersion},
		B:                Ref{Site: b.Site, StartedAt: b.StartedAt, ToolVersion: b.ToolVersion},
		States:           []StateChange{},
		Changed:          []Change{},
		NewFindings:      []audit.Finding{},
		ResolvedFindings: []audit.Finding{},
	}
	r.States = diffStates(a.Inventory, b.Inventory)
	r.Changed = o.diffCookies(a.Inventory, b.Inventory)
	r.NewFindings, r.ResolvedFindings = diffFindings(a, b)
	r.Declaration = diffDeclaration(a.Declaration, b.Declaration)
	r.Counts = r.counts()
	return r
}

func toCookie(c cookie.Observed) Cookie {
	return Cookie{Name: c.Name, Domain: c.Domain, Path: c.Path, Vendor: c.Label.Vendor,
		Category: c.Label.Category, LifespanDays: c.LifespanDays, Session: c.Session}
}

func compareCookies(x, y Cookie) int {
	return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.Domain, y.Domain), cmp.Compare(x.Path, y.Path))
}

// statesOf lists the states of both inventories, known states first in
// visiting order, then any others by name.
func statesOf(invs ...[]cookie.Observed) []cookie.State {
	seen := map[cookie.State]bool{}
	for _, inv := range invs {
		for _, c := range inv {
			for _, sg := range c.Seen {
				seen[sg.State] = true
			}
		}
	}
	var out []cookie.State
	for _, s := range cookie.States() {
		out = append(out, s)
		delete(seen, s)
	}
	var rest []cookie.State
	for s := range seen {
		rest = append(rest, s)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func diffStates(a, b []cookie.Observed) []StateChange {
	var out []StateChange
	for _, st := range statesOf(a, b) {
		inA, inB := keysIn(a, st), keysIn(b, st)
		sc := StateChange{State: st, Appeared: []Cookie{}, Vanished: []Cookie{}}
		for k, i := range inB {
			if _, ok := inA[k]; !ok {
				sc.Appeared = append(sc.Appeared, toCookie(b[i]))
			}
		}
		for k, i := range inA {
			if _, ok := inB[k]; !ok {
				sc.Vanished = append(sc.Vanished, toCookie(a[i]))
			}
		}
		slices.SortFunc(sc.Appeared, compareCookies)
		slices.SortFunc(sc.Vanished, compareCookies)
		out = append(out, sc)
	}
	return out
}

// keysIn indexes the cookies seen in state st by their jar key.
func keysIn(inv []cookie.Observed, st cookie.State) map[string]int {
	out := make(map[string]int, len(inv))
	for i := range inv {
		if inv[i].SeenIn(st) {
			out[inv[i].Key()] = i
		}
	}
	return out
}

func (o Options) diffCookies(a, b []cookie.Observed) []Change {
	byKey := make(map[string]int, len(a))
	for i := range a {
		byKey[a[i].Key()] = i
	}
	out := []Change{}
	for _, nc := range b {
		i, ok := byKey[nc.Key()]
		if !ok {
			continue
		}
		oc := a[i]
		add := func(field, from, to string) {
			out = append(out, Change{Name: nc.Name, Domain: nc.Domain, Path: nc.Path, Field: field, From: from, To: to})
		}
		if oc.Label.Vendor != nc.Label.Vendor {
			add("vendor", oc.Label.Vendor, nc.Label.Vendor)
		}
		if oc.Label.Category != nc.Label.Category {
			add("category", string(oc.Label.Category), string(nc.Label.Category))
		}
		if o.lifespanChanged(oc, nc) {
			add("lifespan", oc.LifespanText(), nc.LifespanText())
		}
	}
	slices.SortFunc(out, func(x, y Change) int {
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.Domain, y.Domain),
			cmp.Compare(x.Path, y.Path), cmp.Compare(x.Field, y.Field))
	})
	return out
}

// lifespanChanged: a move between session and persistent always counts; a
// change in days counts when it is beyond both noise margins.
func (o Options) lifespanChanged(a, b cookie.Observed) bool {
	if a.Session != b.Session {
		return true
	}
	if a.Session {
		return false
	}
	tol := math.Max(o.LifespanDays, o.LifespanRatio*math.Max(a.LifespanDays, b.LifespanDays))
	return math.Abs(a.LifespanDays-b.LifespanDays) > tol
}

func diffFindings(a, b *result.Scan) (added, resolved []audit.Finding) {
	prints := func(s *result.Scan) map[string]audit.Finding {
		out := map[string]audit.Finding{}
		for _, list := range [][]audit.Finding{s.Findings, s.Baselined} {
			for _, f := range list {
				if _, dup := out[f.Fingerprint]; !dup {
					out[f.Fingerprint] = f
				}
			}
		}
		return out
	}
	pa, pb := prints(a), prints(b)
	added, resolved = []audit.Finding{}, []audit.Finding{}
	for fp, f := range pb {
		if _, ok := pa[fp]; !ok {
			added = append(added, f)
		}
	}
	for fp, f := range pa {
		if _, ok := pb[fp]; !ok {
			resolved = append(resolved, f)
		}
	}
	slices.SortFunc(added, compareFindings)
	slices.SortFunc(resolved, compareFindings)
	return added, resolved
}

// compareFindings puts the most severe first, then by rule and fingerprint.
func compareFindings(x, y audit.Finding) int {
	return cmp.Or(cmp.Compare(y.Severity, x.Severity), cmp.Compare(x.RuleID, y.RuleID), cmp.Compare(x.Fingerprint, y.Fingerprint))
}

func diffDeclaration(a, b *cookie.Declaration) Declaration {
	d := Declaration{Added: []cookie.Declared{}, Removed: []cookie.Declared{}, Modified: []DeclaredChange{}}
	var ca, cb []cookie.Declared
	if a != nil {
		d.FromHash, ca = a.TextHash, a.Cookies
	}
	if b != nil {
		d.ToHash, cb = b.TextHash, b.Cookies
	}
	d.Changed = (a == nil) != (b == nil) || d.FromHash != d.ToHash
	// Declared cookies are matched by name: a declaration has no domain for
	// most entries, and a name it lists twice is compared by its first entry.
	byName := map[string]cookie.Declared{}
	for _, c := range ca {
		if _, dup := byName[c.Name]; !dup {
			byName[c.Name] = c
		}
	}
	inB := map[string]bool{}
	for _, nc := range cb {
		if inB[nc.Name] {
			continue
		}
		inB[nc.Name] = true
		oc, ok := byName[nc.Name]
		if !ok {
			d.Added = append(d.Added, nc)
			continue
		}
		add := func(field, from, to string) {
			d.Modified = append(d.Modified, DeclaredChange{Name: nc.Name, Field: field, From: from, To: to})
		}
		if oc.Vendor != nc.Vendor {
			add("vendor", oc.Vendor, nc.Vendor)
		}
		if oc.Category != nc.Category {
			add("category", string(oc.Category), string(nc.Category))
		}
		if oc.Lifespan.String() != nc.Lifespan.String() {
			add("lifespan", oc.Lifespan.String(), nc.Lifespan.String())
		}
		if oc.Purpose != nc.Purpose {
			add("purpose", oc.Purpose, nc.Purpose)
		}
	}
	for name, c := range byName {
		if !inB[name] {
			d.Removed = append(d.Removed, c)
		}
	}
	byDeclName := func(x, y cookie.Declared) int { return cmp.Compare(x.Name, y.Name) }
	slices.SortFunc(d.Added, byDeclName)
	slices.SortFunc(d.Removed, byDeclName)
	slices.SortFunc(d.Modified, func(x, y DeclaredChange) int {
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.Field, y.Field))
	})
	return d
}
