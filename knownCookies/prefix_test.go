package knowncookies

import (
	"os"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/internal/testenv"
)

// openCookieDatabase loads the Open Cookie Database from ../shared/data, or
// skips (fails under CI=true) when it is absent.
func openCookieDatabase(t testing.TB) []Entry {
	t.Helper()
	f, err := os.Open(testenv.SharedPath(t, "data", "open-cookie-database.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	es, err := Load(f, SourceOpenCookie)
	if err != nil {
		t.Fatalf("the Open Cookie Database must load without malformed rows: %v", err)
	}
	return es
}

// TestShortPrefixGuard measures how many exact names of one vendor a short
// wildcard prefix of another vendor would swallow, with and without the
// separator rule of bounded. A name is swallowed when its own vendor's entry
// is absent and a prefix of another vendor matches it.
func TestShortPrefixGuard(t *testing.T) {
	ocd := openCookieDatabase(t)
	emb, err := EmbeddedEntries()
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]Entry(nil), emb...), ocd...)
	var prefixes, names []*Entry
	for i := range all {
		if all[i].Wildcard {
			prefixes = append(prefixes, &all[i])
		} else {
			names = append(names, &all[i])
		}
	}
	swallowed := func(guard bool) (n int, examples []string) {
		for _, e := range names {
			for _, p := range prefixes {
				if p.Vendor == e.Vendor || !strings.HasPrefix(e.Name, p.Name) {
					continue
				}
				if guard && !bounded(p.Name, e.Name) {
					continue
				}
				if len(p.Name) < minFreePrefix {
					n++
					if len(examples) < 5 {
						examples = append(examples, p.Pattern()+" ("+p.Platform+") ⊃ "+e.Name+" ("+e.Platform+")")
					}
				}
				break
			}
		}
		return n, examples
	}
	without, ex := swallowed(false)
	with, exWith := swallowed(true)
	t.Logf("exact names of other vendors that a prefix shorter than %d characters would match: %d without the rule, %d with it", minFreePrefix, without, with)
	t.Logf("without the rule, e.g.: %s", strings.Join(ex, "; "))
	if len(exWith) > 0 {
		t.Logf("with the rule, still: %s", strings.Join(exWith, "; "))
	}
	if without < 20 {
		t.Errorf("expected the Open Cookie Database's short prefixes to swallow many names without the rule, got %d", without)
	}
	if with*5 > without {
		t.Errorf("the rule saves too little: %d → %d", without, with)
	}

	// And in the index itself: Marfeel's "_s" must not claim Shopify's "_shopify_y".
	db := New(nil, Layer{Source: SourceOpenCookie, Entries: ocd})
	if m, ok := db.Lookup("_shopify_y", ""); ok && m.Entry.Name == "_s" {
		t.Errorf("_shopify_y matched the short prefix _s")
	}
}
