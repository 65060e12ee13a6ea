package classifier_test

import (
	"strings"

	"github.com/cookiescan/cookiescan/classifier/internal/cookieblock"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// corroboration says which embedded entries and vendor hosts an external
// source confirms: an Open Cookie Database row of the same name (or prefix)
// and category, or a host third-party-web knows. Those were not derived from
// the development half's labels; every other embedded entry may have been,
// since the database was written with that half in view.
type corroboration struct {
	ocd   map[string]bool // "name|wildcard|category"
	hosts *knowncookies.DB
}

func newCorroboration(ocd []knowncookies.Entry, tpw []knowncookies.Vendor) corroboration {
	c := corroboration{ocd: map[string]bool{}, hosts: knowncookies.New([][]knowncookies.Vendor{tpw})}
	for _, e := range ocd {
		c.ocd[entryKey(e)] = true
	}
	return c
}

func entryKey(e knowncookies.Entry) string {
	w := "0"
	if e.Wildcard {
		w = "1"
	}
	return strings.TrimSpace(e.Name) + "|" + w + "|" + string(e.Category)
}

// heldOutDB returns, for one cross-validation fold, the embedded database
// without what the fold's test sites could have taught its authors: every
// entry that matches a test cookie and that the Open Cookie Database does not
// confirm, and every vendor host that is a test cookie's domain and that
// third-party-web does not know. The held-out counts are returned too.
//
// With lenient, an entry that also matches a cookie of a training site
// stays: it could have been written from that site's label, which the fold
// may use, as its model uses the training sites' labels.
func heldOutDB(set []cookieblock.Cookie, folds []int, f int, entries []knowncookies.Entry, vendors []knowncookies.Vendor, corr corroboration, lenient bool) (*knowncookies.DB, int, int) {
	full := knowncookies.New([][]knowncookies.Vendor{vendors}, knowncookies.Layer{Source: knowncookies.SourceEmbedded, Entries: entries})
	dropEntry := map[int]bool{} // line
	dropHost := map[string]bool{}
	seenInTraining := map[int]bool{}
	if lenient {
		for i, c := range set {
			if folds[i] != f {
				if m, ok := full.Lookup(c.Obs.Name, c.Obs.Domain); ok {
					seenInTraining[m.Entry.Line] = true
				}
			}
		}
	}
	for i, c := range set {
		if folds[i] != f {
			continue
		}
		domain := strings.TrimPrefix(strings.ToLower(c.Obs.Domain), ".")
		// Every entry a lookup could reach for this name: exact, case-folded
		// and prefix matches are all knowledge of this cookie.
		for _, name := range []string{c.Obs.Name} {
			db := full
			for {
				m, ok := db.Lookup(name, domain)
				if !ok || dropEntry[m.Entry.Line] {
					break
				}
				if corr.ocd[entryKey(*m.Entry)] || seenInTraining[m.Entry.Line] {
					break
				}
				dropEntry[m.Entry.Line] = true
				db = knowncookies.New([][]knowncookies.Vendor{vendors}, knowncookies.Layer{Source: knowncookies.SourceEmbedded, Entries: keep(entries, dropEntry)})
			}
		}
		if v, host, ok := full.VendorByHost(domain); ok && v.Source == knowncookies.SourceEmbedded {
			if _, _, known := corr.hosts.VendorByHost(host); !known {
				dropHost[host] = true
			}
		}
	}
	vs := make([]knowncookies.Vendor, len(vendors))
	for i, v := range vendors {
		v.Hosts = nil
		for _, h := range vendors[i].Hosts {
			if !dropHost[h] {
				v.Hosts = append(v.Hosts, h)
			}
		}
		vs[i] = v
	}
	return knowncookies.New([][]knowncookies.Vendor{vs}, knowncookies.Layer{Source: knowncookies.SourceEmbedded, Entries: keep(entries, dropEntry)}), len(dropEntry), len(dropHost)
}

func keep(entries []knowncookies.Entry, drop map[int]bool) []knowncookies.Entry {
	var out []knowncookies.Entry
	for _, e := range entries {
		if !drop[e.Line] {
			out = append(out, e)
		}
	}
	return out
}
