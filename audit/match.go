package audit

import (
	"regexp"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// How a cookie was found in the declaration.
const (
	matchName    = "name"    // the declaration names the cookie
	matchPattern = "pattern" // a declared pattern fits the name
	matchVendor  = "vendor"  // the declaration names the vendor and none of its cookies
)

// declEntry is one name of a declared cookie, prepared for matching. A
// Declared whose Name lists several names ("__atuvc, loc, dt") gives one
// entry per name.
type declEntry struct {
	d      *cookie.Declared
	name   string
	re     *regexp.Regexp // nil for a literal name
	vendor string         // canonical vendor key, "" when none
}

// match says why a cookie counts as declared.
type match struct {
	how    string
	entry  *declEntry             // set for name and pattern matches
	vendor *cookie.DeclaredVendor // set for vendor matches when the vendor is listed
	// vendorName is the vendor as the declaration writes it.
	vendorName string
}

// declIndex is a declaration prepared for matching, built once per run.
type declIndex struct {
	decl    *cookie.Declaration
	entries []declEntry
	// vendors maps a canonical vendor key to how the declaration names it.
	vendors map[string]string
	// vendorListed points at the DeclaredVendor entry, when there is one.
	vendorListed map[string]*cookie.DeclaredVendor
	// vendorHasNames is true for a vendor the declaration names cookies for:
	// such a vendor covers only the cookies it names.
	vendorHasNames map[string]bool
}

func newDeclIndex(d *cookie.Declaration, vr VendorResolver) *declIndex {
	ix := &declIndex{
		decl:           d,
		vendors:        map[string]string{},
		vendorListed:   map[string]*cookie.DeclaredVendor{},
		vendorHasNames: map[string]bool{},
	}
	// The reader may already know a vendor's canonical name ("Zopim (Zendesk
	// Chat)" is Zendesk Chat); that name resolves where the written one may not.
	canonicalOf := map[string]string{}
	for i := range d.Vendors {
		v := &d.Vendors[i]
		if v.Canonical != "" {
			canonicalOf[v.Name] = v.Canonical
		}
		for _, written := range []string{v.Canonical, v.Name} {
			key := vr.Canonical(written)
			if key == "" {
				continue
			}
			if _, ok := ix.vendors[key]; !ok {
				ix.vendors[key] = v.Name
				ix.vendorListed[key] = v
			}
		}
	}
	for i := range d.Cookies {
		dc := &d.Cookies[i]
		vkey := ""
		if dc.Vendor != "" {
			vkey = vr.Canonical(dc.Vendor)
			if c, ok := canonicalOf[dc.Vendor]; ok && vr.Canonical(c) != "" {
				vkey = vr.Canonical(c)
			}
			if _, ok := ix.vendors[vkey]; !ok && vkey != "" {
				ix.vendors[vkey] = dc.Vendor
			}
		}
		names := dc.Names
		if names == nil {
			names = cookie.CompileNames(dc) // read from JSON: not compiled yet
		}
		for _, n := range names {
			e := declEntry{d: dc, name: n.Name, vendor: vkey, re: n.Re}
			ix.entries = append(ix.entries, e)
			if vkey != "" {
				ix.vendorHasNames[vkey] = true
			}
		}
	}
	return ix
}

// lookup finds why a cookie counts as declared. A name or pattern match wins
// over a vendor match, because it carries the declaration's own words about
// that cookie (its lifespan and category). vendorKey is the canonical key of
// the classifier's vendor for the cookie.
//
// A third-party cookie lives in its vendor's own domain, so a name declared
// under another vendor does not cover it: "uid" declared for AddThis says
// nothing of Criteo's uid on .criteo.com. A first-party cookie is the site's
// to name, and its declared name counts whatever vendor it stands under.
func (ix *declIndex) lookup(name, vendorKey string, thirdParty bool) (match, bool) {
	usable := func(e *declEntry) bool {
		return !thirdParty || e.vendor == "" || vendorKey == "" || e.vendor == vendorKey
	}
	for i := range ix.entries {
		if e := &ix.entries[i]; e.re == nil && e.name == name && usable(e) {
			return match{how: matchName, entry: e, vendorName: e.d.Vendor}, true
		}
	}
	for i := range ix.entries {
		if e := &ix.entries[i]; e.re == nil && strings.EqualFold(e.name, name) && usable(e) {
			return match{how: matchName, entry: e, vendorName: e.d.Vendor}, true
		}
	}
	for i := range ix.entries {
		if e := &ix.entries[i]; e.re != nil && e.re.MatchString(name) && usable(e) {
			return match{how: matchPattern, entry: e, vendorName: e.d.Vendor}, true
		}
	}
	if vendorKey == "" {
		return match{}, false
	}
	if written, ok := ix.vendors[vendorKey]; ok && !ix.vendorHasNames[vendorKey] {
		return match{how: matchVendor, vendor: ix.vendorListed[vendorKey], vendorName: written}, true
	}
	return match{}, false
}

// entryMatches reports whether a declared entry covers the cookie name.
func (e *declEntry) matches(name string) bool {
	if e.re != nil {
		return e.re.MatchString(name)
	}
	return strings.EqualFold(e.name, name)
}

// familyCover returns how the declaration writes a vendor that covers the
// observed vendor key through their company (see familyCovers), or "".
func (ix *declIndex) familyCover(key string) string {
	for k, written := range ix.vendors {
		if familyCovers(k, key) {
			return written
		}
	}
	return ""
}
