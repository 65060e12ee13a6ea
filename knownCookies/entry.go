package knowncookies

import (
	"fmt"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// Source names of the built-in layers. A user file's source is "user:" and
// its path.
const (
	SourceEmbedded   = "embedded"
	SourceOpenCookie = "open-cookie-database"
	sourceUserPrefix = "user:"
)

// UserSource returns the source name of a user file.
func UserSource(path string) string { return sourceUserPrefix + path }

// Entry is one row of a known-cookie file.
type Entry struct {
	ID string `json:"id,omitempty"`
	// Vendor is the canonical vendor name when the row's platform is a known
	// vendor or one of its aliases; otherwise the platform as written.
	Vendor string `json:"vendor"`
	// Platform is the Platform column as written.
	Platform string          `json:"platform"`
	Category cookie.Category `json:"category"`
	// RawCategory is the Category column as written ("Functional", …).
	RawCategory string `json:"raw_category"`
	// Name is the cookie name, or the prefix when Wildcard is set.
	Name     string `json:"name"`
	Wildcard bool   `json:"wildcard"`
	// Domain is the Domain column as written; Domains are the host names
	// parsed from it, lower case, without a leading dot.
	Domain      string   `json:"domain,omitempty"`
	Domains     []string `json:"domains,omitempty"`
	Description string   `json:"description,omitempty"`
	Retention   string   `json:"retention,omitempty"`
	Controller  string   `json:"controller,omitempty"`
	PrivacyURL  string   `json:"privacy_url,omitempty"`
	// Source is the layer the entry came from: "embedded",
	// "open-cookie-database" or "user:PATH"; Line is its line in that file.
	Source string `json:"source"`
	Line   int    `json:"line"`
}

// Where returns "source:line" for messages.
func (e *Entry) Where() string { return fmt.Sprintf("%s:%d", e.Source, e.Line) }

// Pattern returns the name as a reader would write it: "_ga_*" for a prefix.
func (e *Entry) Pattern() string {
	if e.Wildcard {
		return e.Name + "*"
	}
	return e.Name
}

// ParseCategory maps a Category cell to a cookiescan category. It accepts the
// Open Cookie Database's words and cookiescan's own, so a user may write
// either. The Open Cookie Database's "Functional" means technically necessary
// (its README says so), not the "functional/preferences" class of consent
// banners; "Security" is necessary too.
func ParseCategory(s string) (cookie.Category, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "functional", "necessary", "strictly necessary", "essential", "security", "technical":
		return cookie.Necessary, nil
	case "personalization", "personalisation", "preferences", "preference":
		return cookie.Preferences, nil
	case "analytics", "statistics", "statistic", "performance":
		return cookie.Statistics, nil
	case "marketing", "advertising", "targeting":
		return cookie.Marketing, nil
	case "unclassified", "unknown":
		return cookie.Unclassified, nil
	}
	return "", fmt.Errorf("unknown category %q (want Functional, Personalization, Analytics, Marketing, Security, or necessary, preferences, statistics, marketing)", s)
}

// parseDomains turns a free-text Domain cell ("facebook.com (3rd party)",
// "a.com or b.com", ".example.com") into host names. Words that are not host
// names are dropped: the cell is prose in many rows.
func parseDomains(s string) []string {
	s = strings.ToLower(s)
	// Remove parenthesised remarks first: they hold prose, not hosts.
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth > 0 {
				depth--
			}
		case depth == 0:
			b.WriteRune(r)
		}
	}
	var out []string
	for _, f := range strings.FieldsFunc(b.String(), func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '|' || r == '\t' || r == '\n' || r == '/'
	}) {
		f = strings.TrimPrefix(f, "https:")
		f = strings.TrimPrefix(f, "http:")
		f = strings.TrimLeft(f, "*.")
		f = strings.TrimRight(f, ".")
		if !looksLikeHost(f) {
			continue
		}
		dup := false
		for _, o := range out {
			if o == f {
				dup = true
			}
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

func looksLikeHost(s string) bool {
	if len(s) < 3 || !strings.Contains(s, ".") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// domainMatches reports whether a cookie domain (lower case, no leading dot)
// falls under host h or h under it: an entry for "m.stripe.com" matches a
// cookie on ".stripe.com" and one for "youtube.com" matches ".www.youtube.com".
func domainMatches(cookieDomain, h string) bool {
	if cookieDomain == h {
		return true
	}
	if len(cookieDomain) > len(h) {
		return cookieDomain[len(cookieDomain)-len(h)-1] == '.' && strings.HasSuffix(cookieDomain, h)
	}
	return len(h) > len(cookieDomain) && h[len(h)-len(cookieDomain)-1] == '.' && strings.HasSuffix(h, cookieDomain) && strings.Contains(cookieDomain, ".")
}
