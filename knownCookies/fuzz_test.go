package knowncookies

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load: it must never panic, every entry
// it returns must be usable, and every rejected row must carry a line.
func FuzzLoad(f *testing.F) {
	f.Add(header + "1,A,Analytics,_ga,,,,,,0\n")
	f.Add(header + "1,A,Analytics,_ga_,x.com (3rd party) or y.com,,,,,1\n")
	f.Add(header + "1,A,Tasty,x,,,,,,2\n\"unterminated")
	f.Add("Cookie / Data Key name,Category,Platform\n*,Marketing,\n")
	f.Fuzz(func(t *testing.T, body string) {
		es, err := Load(strings.NewReader(body), "fuzz")
		var me *MalformedError
		if err != nil && !errors.As(err, &me) && !errors.Is(err, ErrNoHeader) && !strings.HasPrefix(err.Error(), "fuzz: read") {
			t.Fatalf("unexpected error type: %v", err)
		}
		if me != nil {
			for _, r := range me.Rows {
				if r.Line < 1 {
					t.Fatalf("row error without a line: %v", r)
				}
			}
		}
		for _, e := range es {
			if e.Name == "" || e.Category == "" {
				t.Fatalf("unusable entry %+v", e)
			}
		}
		db := New(nil, Layer{Source: "fuzz", Entries: es})
		for _, e := range es {
			if _, ok := db.Lookup(e.Name, ""); !ok && !e.Wildcard {
				t.Fatalf("entry %q not found", e.Name)
			}
		}
	})
}
