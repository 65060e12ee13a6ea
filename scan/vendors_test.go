package scan

import (
	"testing"

	"github.com/cookiescan/cookiescan/knownCookies"
)

func TestDeclarationVendorsLeaveOutAcronyms(t *testing.T) {
	db, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := declarationVendors(db)
	for _, text := range []string{
		"This policy explains which cookies Kystbyg ApS sets on its website.",
		"Our cookies are set at the AT office.",
	} {
		if got := m.Match(text); len(got) != 0 {
			t.Errorf("Match(%q) = %+v, want no vendor", text, got)
		}
	}
	if got := m.Match("We use cookies from Hotjar to see how visitors use the site."); len(got) == 0 {
		t.Error("a database vendor named in a sentence about cookies was not found")
	}
	for name, want := range map[string]bool{"ApS": false, "APS": false, "IBM": false, "Hotjar": true, "Criteo": true, "Google Ads": true, "AT": false} {
		if got := safeProseName(name); got != want {
			t.Errorf("safeProseName(%q) = %v, want %v", name, got, want)
		}
	}
}
