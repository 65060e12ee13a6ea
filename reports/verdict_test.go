package reports

import (
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
)

// A reject that the platform's own record contradicts is said as such in
// every human format, with where it was read, never as a mere "unverified"
// and never as verified.
func TestContradictedRejectShownInEveryFormat(t *testing.T) {
	s := loadScan(t)
	found := false
	for i := range s.Observation.States {
		st := &s.Observation.States[i]
		if st.State != cookie.Reject {
			continue
		}
		found = true
		st.Consent.Verified = false
		st.Consent.VerificationState = "contradicted"
		st.Consent.Verification = "the stored consent grants marketing"
		st.Consent.VerificationSource = "cookie CookieConsent"
		st.Consent.Warning = "consent script present but slow"
	}
	if !found {
		t.Fatal("testdata/report.json has no reject state")
	}
	for _, format := range []string{"table", "md", "html"} {
		out := string(render(t, format, s))
		if !strings.Contains(out, "CONTRADICTED") {
			t.Errorf("%s: no CONTRADICTED for the reject state", format)
		}
	}
	html := string(render(t, "html", s))
	for _, want := range []string{"cookie CookieConsent", "consent script present but slow", "opposite of reject-all"} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}

// A cookie set and then removed still appears in the matrix, marked so.
func TestRemovedCookieMarkedInMatrix(t *testing.T) {
	s := loadScan(t)
	if len(s.Inventory) == 0 {
		t.Fatal("testdata/report.json has no cookies")
	}
	s.Inventory[0].Removed = "deleted"
	name := s.Inventory[0].Name
	for _, format := range []string{"md", "html"} {
		out := string(render(t, format, s))
		if !strings.Contains(out, "set, then deleted by the site") || !strings.Contains(out, name) {
			t.Errorf("%s: removed cookie %s not marked", format, name)
		}
	}
}
