package audit

import (
	"testing"

	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// TestDatabaseVendors checks the adapter over the known-cookie database's
// aliases, the way the scan pipeline wires it.
func TestDatabaseVendors(t *testing.T) {
	db, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := DatabaseVendors(db.VendorByAlias)
	for _, p := range [][2]string{
		{"Google AdWords", "Google Ads"},
		{"Zopim", "Zendesk Chat"},
		{"Add This", "AddThis"},
		{"Facebook", "Meta"},
	} {
		if r.Canonical(p[0]) != r.Canonical(p[1]) {
			t.Errorf("%q and %q should be one vendor: %q vs %q", p[0], p[1], r.Canonical(p[0]), r.Canonical(p[1]))
		}
	}
	if r.Canonical("Google Analytics") == r.Canonical("Google Ads") {
		t.Error("Google Analytics and Google Ads must stay apart")
	}
	var nilDB *knowncookies.DB
	if got := DatabaseVendors(nilDB.VendorByAlias).Canonical("Zopim"); got != "zendeskchat" {
		t.Errorf("nil database: Canonical(Zopim) = %q, want the built-in alias", got)
	}
}
