package cookie

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMerge(t *testing.T) {
	ga := func(page string, days float64, removed string) Observed {
		return Observed{Name: "_ga", Domain: ".shop.test", Path: "/", LifespanDays: days, FirstSeenPage: page,
			Removed: removed, SetBy: Setter{Kind: SetByScript, URL: page + "tag.js"}}
	}
	other := Observed{Name: "sid", Domain: "www.shop.test", Path: "/", Session: true}
	inv := Merge([]StateCookies{
		{State: Before, Cookies: []Observed{ga("https://www.shop.test/a/", 30, "gone")}},
		{State: Accept, Cookies: []Observed{other, ga("https://www.shop.test/b/", 400, "")}},
		{State: Reject},
	})
	if len(inv) != 2 || inv[0].Name != "_ga" || inv[1].Name != "sid" {
		t.Fatalf("inventory = %+v, want _ga then sid", inv)
	}
	c := inv[0]
	if d := cmp.Diff([]State{Before, Accept}, c.States()); d != "" {
		t.Errorf("states (-want +got):\n%s", d)
	}
	// The first state's page, the longest lifespan, and not transient since
	// the accept state found it in the jar.
	if c.FirstSeenPage != "https://www.shop.test/a/" || c.LifespanDays != 400 || c.Removed != "" {
		t.Errorf("merged = page %q, %v days, removed %q", c.FirstSeenPage, c.LifespanDays, c.Removed)
	}
	// Each state keeps what it saw.
	b, _ := c.In(Before)
	a, _ := c.In(Accept)
	if b.FirstSeenPage != "https://www.shop.test/a/" || b.Removed != "gone" || b.LifespanDays != 30 ||
		a.FirstSeenPage != "https://www.shop.test/b/" || a.SetBy.URL != "https://www.shop.test/b/tag.js" || a.LifespanDays != 400 {
		t.Errorf("sightings: before %+v, accept %+v", b, a)
	}
	if c.SeenIn(Reject) {
		t.Error("seen in reject, which saw nothing")
	}
	if got := SeenInState(inv, Before); len(got) != 1 || got[0].LifespanDays != 30 || got[0].Removed != "gone" {
		t.Errorf("before's view = %+v, want _ga as before saw it", got)
	}
}
