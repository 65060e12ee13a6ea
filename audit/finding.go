package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// Severity orders findings for --fail-on and for reading.
type Severity int

// The severities, lowest first.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity in its canonical spelling.
func ParseSeverity(text string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(text, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want info, low, medium, high or critical)", text)
}

// MarshalText makes JSON and flags share one spelling.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText is the inverse of MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// CookieRef names the cookie a finding concerns.
type CookieRef struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path,omitempty"`
}

// Evidence is what proves a finding, in a form an auditor can check.
type Evidence struct {
	// Setter is the Set-Cookie response URL or the script that wrote the
	// cookie, and SetterKind says which ("header", "script", "unknown").
	Setter     string `json:"setter,omitempty"`
	SetterKind string `json:"setter_kind,omitempty"`
	// Observed describes what was seen (lifespan, category, states).
	Observed string `json:"observed,omitempty"`
	// Declared quotes the declaration's own words, and DeclaredWhere says
	// where they stand.
	Declared      string `json:"declared,omitempty"`
	DeclaredWhere string `json:"declared_where,omitempty"`
	// DeclaredAs says how the declaration covers the cookie: "name _ga",
	// "pattern _ga_#" or "vendor Google Analytics".
	DeclaredAs string `json:"declared_as,omitempty"`
	// DeclarationURL is the page the declaration was read from.
	DeclarationURL string `json:"declaration_url,omitempty"`
	// Classification is the classifier's reason.
	Classification string `json:"classification,omitempty"`
}

// Finding is one discrepancy between what a site does and what its
// declaration and the consent rules allow. It carries no timestamp: the scan
// time is metadata of the result.
type Finding struct {
	RuleID   string       `json:"rule_id"`
	Severity Severity     `json:"severity"`
	Site     string       `json:"site"`
	PageURL  string       `json:"page_url,omitempty"`
	State    cookie.State `json:"state,omitempty"`
	Cookie   *CookieRef   `json:"cookie,omitempty"`
	Vendor   string       `json:"vendor,omitempty"`
	Message  string       `json:"message"`
	Evidence Evidence     `json:"evidence"`
	// Fingerprint is stable across re-crawls; see Fingerprint.
	Fingerprint string `json:"fingerprint"`
}

// Fingerprint identifies a finding across scans of the same site. It hashes
// the rule, the site's host, the cookie name and domain (or the vendor) and
// the consent state, and leaves out the value, the page and the time, so a
// re-crawl that meets the same problem on another page gives the same print.
func Fingerprint(ruleID, siteHost, cookieName, cookieDomain, vendor string, state cookie.State) string {
	h := sha256.New()
	for _, part := range []string{ruleID, strings.ToLower(siteHost), cookieName, strings.ToLower(cookieDomain), vendor, string(state)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
