package declaration_test

import (
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/declaration"
)

// The declaration's own Type column says Statistics for _ga, under a
// heading about marketing: the audit must not report "_ga is declared as
// marketing" while quoting the row that says Statistics. A category-mismatch
// may only come from a category the declaration states, and it quotes it.
func TestTypeColumnIsTheStatedCategory(t *testing.T) {
	page := &declaration.Page{URL: "https://shop.test/cookies", ContentType: "text/html", Body: []byte(`
<h2>Marketing and other cookies</h2>
<table><tr><th>Name</th><th>Provider</th><th>Purpose</th><th>Expiry</th><th>Type</th></tr>
<tr><td>_ga</td><td>Google</td><td>Distinguishes visitors.</td><td>2 years</td><td>Statistics</td></tr>
<tr><td>_fbp</td><td>Meta</td><td>Delivers adverts.</td><td>3 months</td><td>Necessary</td></tr>
</table>`)}
	d, err := declaration.Parse(page, declaration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inv := []cookie.Observed{
		cookie.Observed{Name: "_ga", Domain: ".shop.test", Party: cookie.FirstParty,
			Label: cookie.Label{Vendor: "Google Analytics", Category: cookie.Statistics, Confidence: cookie.High}}.WithStates(cookie.Accept),
		cookie.Observed{Name: "_fbp", Domain: ".shop.test", Party: cookie.FirstParty,
			Label: cookie.Label{Vendor: "Meta", Category: cookie.Marketing, Confidence: cookie.High}}.WithStates(cookie.Accept),
	}
	var mismatches []audit.Finding
	for _, f := range audit.Run(audit.Input{Site: "https://shop.test/", Inventory: inv, Declaration: d}, audit.Options{}) {
		if f.RuleID == "category-mismatch" {
			mismatches = append(mismatches, f)
		}
	}
	if len(mismatches) != 1 || mismatches[0].Cookie.Name != "_fbp" {
		t.Fatalf("category-mismatch findings %+v, want only _fbp (declared necessary)", mismatches)
	}
	if msg := mismatches[0].Message; !strings.Contains(msg, `declared as necessary ("Necessary")`) {
		t.Errorf("message %q does not quote the declaration's own word", msg)
	}
}
