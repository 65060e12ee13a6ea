package knowncookies

import (
	"cmp"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// Layer is one set of entries with the source they came from. New takes
// layers strongest first.
type Layer struct {
	Source  string
	Entries []Entry
}

// MatchKind says how a cookie name matched an entry.
type MatchKind string

// The ways a name can match, in the order Lookup tries them.
const (
	MatchExact      MatchKind = "exact"
	MatchExactFold  MatchKind = "exact-case-insensitive"
	MatchPrefix     MatchKind = "prefix"
	MatchPrefixFold MatchKind = "prefix-case-insensitive"
)

// Match is the result of a lookup.
type Match struct {
	Entry *Entry
	Kind  MatchKind
	// DomainMatched is true when the entry names domains and the cookie's
	// domain is one of them; false for an entry without a domain.
	DomainMatched bool
}

// Duplicate is a name that one source lists more than once for the same
// domains. The first row wins; Conflicting says whether the rows disagree on
// the category.
type Duplicate struct {
	Source      string   `json:"source"`
	Name        string   `json:"name"`
	Lines       []int    `json:"lines"`
	Conflicting bool     `json:"conflicting"`
	Categories  []string `json:"categories"`
}

// DB is an immutable known-cookie database with its vendor list and host map.
// It is safe for concurrent use.
type DB struct {
	entries []Entry // owned copies, strongest layer first
	layers  []LayerStats

	exact map[string][]*Entry
	fold  map[string][]*Entry
	pre   prefixIndex
	preLo prefixIndex

	vendors []*Vendor
	byAlias map[string]*Vendor // lower-case name or alias
	byHost  map[string]*Vendor

	dups     []Duplicate
	warnings []error
}

// LayerStats counts the entries of one layer.
type LayerStats struct {
	Source    string `json:"source"`
	Entries   int    `json:"entries"`
	Wildcards int    `json:"wildcards"`
}

// New builds a database from vendor lists (earlier lists win for names and
// hosts) and cookie layers (strongest first).
func New(vendorLists [][]Vendor, layers ...Layer) *DB {
	db := &DB{
		exact:   map[string][]*Entry{},
		fold:    map[string][]*Entry{},
		pre:     newPrefixIndex(),
		preLo:   newPrefixIndex(),
		byAlias: map[string]*Vendor{},
		byHost:  map[string]*Vendor{},
	}
	for _, vs := range vendorLists {
		for i := range vs {
			db.addVendor(vs[i])
		}
	}

	n := 0
	for _, l := range layers {
		n += len(l.Entries)
	}
	db.entries = make([]Entry, 0, n)
	rank := map[*Entry]int{}
	for _, l := range layers {
		st := LayerStats{Source: l.Source, Entries: len(l.Entries)}
		for _, e := range l.Entries {
			if e.Wildcard {
				st.Wildcards++
			}
			db.entries = append(db.entries, e)
		}
		db.layers = append(db.layers, st)
	}
	// Rank entries by layer, then put domain-specific rows before generic
	// ones of the same layer, then keep file order; pointers are taken only
	// after the slice stops growing.
	i := 0
	for r, l := range layers {
		for range l.Entries {
			e := &db.entries[i]
			rank[e] = r
			if v, ok := db.byAlias[strings.ToLower(e.Platform)]; ok {
				e.Vendor = v.Name
			}
			if e.Wildcard {
				db.pre.add(e.Name, e)
				db.preLo.add(strings.ToLower(e.Name), e)
			} else {
				db.exact[e.Name] = append(db.exact[e.Name], e)
				lo := strings.ToLower(e.Name)
				db.fold[lo] = append(db.fold[lo], e)
			}
			i++
		}
	}
	order := func(a, b *Entry) int {
		if c := cmp.Compare(rank[a], rank[b]); c != 0 {
			return c
		}
		if c := boolOrder(len(a.Domains) > 0, len(b.Domains) > 0); c != 0 {
			return c
		}
		return cmp.Compare(a.Line, b.Line)
	}
	for _, m := range []map[string][]*Entry{db.exact, db.fold, db.pre.entries, db.preLo.entries} {
		for _, es := range m {
			slices.SortStableFunc(es, order)
		}
	}
	db.pre.finish()
	db.preLo.finish()
	db.addPlatformVendors()
	db.dups = findDuplicates(db.entries)
	return db
}

// boolOrder sorts true before false.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

func (db *DB) addVendor(v Vendor) {
	key := strings.ToLower(v.Name)
	target, known := db.byAlias[key]
	if !known {
		// A vendor from a later list may be a known vendor under another
		// name (third-party-web's "Facebook" is Meta): merge its hosts.
		for _, a := range v.Aliases {
			if t, ok := db.byAlias[strings.ToLower(a)]; ok {
				target, known = t, true
				break
			}
		}
	}
	if !known {
		nv := v
		nv.Hosts = nil
		target = &nv
		db.vendors = append(db.vendors, target)
		for _, name := range v.Names() {
			if _, taken := db.byAlias[strings.ToLower(name)]; !taken {
				db.byAlias[strings.ToLower(name)] = target
			}
		}
	}
	for _, h := range v.Hosts {
		if _, taken := db.byHost[h]; taken {
			continue
		}
		db.byHost[h] = target
		target.Hosts = append(target.Hosts, h)
	}
}

// addPlatformVendors gives every platform that no vendor list knows a vendor
// of its own, so that Vendors lists everything a label can name.
func (db *DB) addPlatformVendors() {
	type tally struct {
		v    *Vendor
		cats map[cookie.Category]int
	}
	seen := map[string]*tally{}
	var order []string
	for i := range db.entries {
		e := &db.entries[i]
		key := strings.ToLower(e.Platform)
		if key == "" {
			continue // a row may leave the platform empty; its label names no vendor
		}
		if _, ok := db.byAlias[key]; ok {
			continue
		}
		t, ok := seen[key]
		if !ok {
			t = &tally{v: &Vendor{Name: e.Platform, Company: e.Controller, PrivacyURL: e.PrivacyURL, Source: e.Source}, cats: map[cookie.Category]int{}}
			seen[key] = t
			order = append(order, key)
		}
		t.cats[e.Category]++
	}
	for _, key := range order {
		t := seen[key]
		best, bestN := cookie.Unclassified, 0
		for _, c := range cookie.Categories() {
			if t.cats[c] > bestN {
				best, bestN = c, t.cats[c]
			}
		}
		t.v.Category = best
		db.vendors = append(db.vendors, t.v)
		db.byAlias[key] = t.v
	}
}

func findDuplicates(es []Entry) []Duplicate {
	type key struct {
		source, name, domains string
		wild                  bool
	}
	groups := map[key][]*Entry{}
	var keys []key
	for i := range es {
		e := &es[i]
		k := key{e.Source, e.Name, strings.Join(e.Domains, " "), e.Wildcard}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], e)
	}
	var out []Duplicate
	for _, k := range keys {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		d := Duplicate{Source: k.source, Name: g[0].Pattern()}
		for _, e := range g {
			d.Lines = append(d.Lines, e.Line)
			d.Categories = append(d.Categories, string(e.Category))
			if e.Category != g[0].Category {
				d.Conflicting = true
			}
		}
		out = append(out, d)
	}
	return out
}

// Lookup finds the entry for a cookie: the exact name, then the name in any
// case, then the longest prefix (case-sensitive, then in any case). An entry
// that names domains is used only when the cookie's domain is one of them
// (or a subdomain); domain may be empty when unknown, and may carry the
// leading dot of a domain cookie. Within one step the strongest layer wins,
// and within a layer an entry for the cookie's domain beats a generic one.
func (db *DB) Lookup(name, domain string) (Match, bool) {
	if db == nil || name == "" {
		return Match{}, false
	}
	domain = normHost(domain)
	if e, dm := pick(db.exact[name], domain); e != nil {
		return Match{Entry: e, Kind: MatchExact, DomainMatched: dm}, true
	}
	lo := strings.ToLower(name)
	if e, dm := pick(db.fold[lo], domain); e != nil {
		return Match{Entry: e, Kind: MatchExactFold, DomainMatched: dm}, true
	}
	if e, dm := db.pre.longest(name, domain); e != nil {
		return Match{Entry: e, Kind: MatchPrefix, DomainMatched: dm}, true
	}
	if e, dm := db.preLo.longest(lo, domain); e != nil {
		return Match{Entry: e, Kind: MatchPrefixFold, DomainMatched: dm}, true
	}
	return Match{}, false
}

// pick chooses among entries of one name, already ordered by layer and
// specificity. With a domain, the first entry that is generic or names that
// domain wins. Without one, a generic entry of the best layer is preferred and
// a domain-specific entry is the fallback.
func pick(es []*Entry, domain string) (*Entry, bool) {
	if len(es) == 0 {
		return nil, false
	}
	if domain == "" {
		for _, e := range es {
			if len(e.Domains) == 0 {
				return e, false
			}
		}
		return es[0], false
	}
	for _, e := range es {
		if len(e.Domains) == 0 {
			return e, false
		}
		for _, d := range e.Domains {
			if domainMatches(domain, d) {
				return e, true
			}
		}
	}
	return nil, false
}

// Entries returns every entry, strongest layer first. The slice is shared:
// do not modify it.
func (db *DB) Entries() []Entry { return db.entries }

// Layers returns the entry counts of each layer, strongest first.
func (db *DB) Layers() []LayerStats { return slices.Clone(db.layers) }

// Duplicates lists names that one source lists twice for the same domains.
func (db *DB) Duplicates() []Duplicate { return slices.Clone(db.dups) }

// Warnings lists problems found while opening the database that did not stop
// it, such as malformed rows in the downloaded Open Cookie Database.
func (db *DB) Warnings() []error { return slices.Clone(db.warnings) }

// Vendors returns every vendor: the embedded list first, then vendors only the
// third-party-web entities know, then platforms of cookie files that no list
// knows. The vendors are shared: do not modify them.
func (db *DB) Vendors() []*Vendor { return slices.Clone(db.vendors) }

// VendorByAlias finds a vendor by its canonical name or an alias, ignoring
// case and surrounding space: "Google AdWords" → Google Ads, "Zopim" →
// Zendesk Chat, "Facebook" → Meta.
func (db *DB) VendorByAlias(name string) (*Vendor, bool) {
	if db == nil {
		return nil, false
	}
	v, ok := db.byAlias[strings.ToLower(strings.TrimSpace(name))]
	return v, ok
}

// VendorNamed finds the vendor a declaration or a person names: by name or
// alias, else, when the name is written as a host ("adnxs.com",
// ".google.com", "https://www.facebook.com/"), by that host, as consent
// platforms' provider columns name a vendor.
func (db *DB) VendorNamed(name string) (*Vendor, bool) {
	if v, ok := db.VendorByAlias(name); ok {
		return v, true
	}
	h := strings.TrimSpace(name)
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if !strings.Contains(h, ".") || strings.ContainsAny(h, " \t@") {
		return nil, false
	}
	v, _, ok := db.VendorByHost(h)
	return v, ok
}

// VendorByHost finds the vendor of a host: the longest host in the map that
// is the host or one of its parent domains.
func (db *DB) VendorByHost(host string) (*Vendor, string, bool) {
	if db == nil {
		return nil, "", false
	}
	h := normHost(host)
	for strings.Contains(h, ".") {
		if v, ok := db.byHost[h]; ok {
			return v, h, true
		}
		h = h[strings.IndexByte(h, '.')+1:]
	}
	return nil, "", false
}

// HostCount is the number of hosts in the host map.
func (db *DB) HostCount() int { return len(db.byHost) }
