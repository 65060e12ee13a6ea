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
		// Database names that are ordinary words, in lower case: the words.
		"Podrá cambiar las cookies en su centro de preferencias.",
		"The legal basis for these cookies is your consent.",
	} {
		if got := m.Match(text); len(got) != 0 {
			t.Errorf("Match(%q) = %+v, want no vendor", text, got)
		}
	}
	for _, text := range []string{
		"We use cookies from Hotjar to see how visitors use the site.",
		"Cookies of Basis (formerly Centro) measure our campaigns.",
		"we use hotjar cookies", // the reader's own list matches in any case
	} {
		if got := m.Match(text); len(got) == 0 {
			t.Errorf("Match(%q): the database vendor it names was not found", text)
		}
	}
	for name, want := range map[string]bool{"ApS": false, "APS": false, "IBM": false, "Hotjar": true, "Criteo": true, "Google Ads": true, "AT": false} {
		if got := safeProseName(name); got != want {
			t.Errorf("safeProseName(%q) = %v, want %v", name, got, want)
		}
	}
}
