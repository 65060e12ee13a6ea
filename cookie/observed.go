package cookie

import (
	"math"
	"strconv"
	"time"
)

// SetterKind says how a cookie came into the jar.
type SetterKind string

// How a cookie was set.
const (
	// SetByHeader: a Set-Cookie header on an HTTP response.
	SetByHeader SetterKind = "header"
	// SetByScript: a script wrote document.cookie (or used the CookieStore API).
	SetByScript SetterKind = "script"
	// SetByUnknown: the cookie appeared in the jar and no setter was seen.
	SetByUnknown SetterKind = "unknown"
)

// Setter is who set a cookie: the response URL of the Set-Cookie header, or the
// URL of the script that wrote document.cookie.
type Setter struct {
	Kind SetterKind `json:"kind"`
	URL  string     `json:"url,omitempty"`
}

// Observed is one cookie as the browser stored it. In a scan's inventory
// (the one cookie list of a scan) it is merged over the consent states in
// which the same (name, domain, path) was seen: the attributes are those of
// the first state that saw it, with the longest lifespan seen, and Seen
// keeps what each state saw. The crawler builds one per state before Merge.
type Observed struct {
	Name   string `json:"name"`
	Domain string `json:"domain"` // as the browser stores it: ".example.com" for a domain cookie
	Path   string `json:"path"`
	// HostOnly is true when the cookie had no Domain attribute.
	HostOnly bool `json:"host_only"`
	// ValueLength is the length of the value; the value itself stays out of
	// reports unless the user asks for it.
	ValueLength int `json:"value_length"`
	// Value is kept for the classifier's heuristics and cleared by the scan
	// pipeline before output unless values were asked for.
	Value string `json:"value,omitempty"`

	Session bool      `json:"session"`
	Expires time.Time `json:"expires,omitzero"`
	// LifespanDays is the time from when the cookie was set to its expiry, in
	// days; 0 for a session cookie.
	LifespanDays float64 `json:"lifespan_days"`

	Secure       bool   `json:"secure"`
	HTTPOnly     bool   `json:"http_only"`
	SameSite     string `json:"same_site,omitempty"`
	Partitioned  bool   `json:"partitioned"`
	PartitionKey string `json:"partition_key,omitempty"`

	Party Party `json:"party"`
	// RegistrableDomain is the cookie domain's eTLD+1 (Public Suffix List).
	RegistrableDomain string `json:"registrable_domain"`

	// FirstSeenPage is the earliest page, in the crawl plan's order, that
	// wrote the cookie and after which the jar held it (else the earliest
	// that wrote it, else the first read that found it): plan order, not
	// time, so that tabs visiting pages at once give the same answer.
	FirstSeenPage string    `json:"first_seen_page"`
	SetAt         time.Time `json:"set_at,omitzero"`
	SetBy         Setter    `json:"set_by"`

	// Removed is set when the cookie was seen being set but was never in the
	// jar when the crawler read it: "deleted" (the site expired it soon
	// after) or "gone" (no deletion seen: evicted by the browser's per-site
	// cap, or expired). It was set all the same, in the states listed.
	Removed string `json:"removed,omitempty"`

	// Seen is the cookie as each consent state saw it, in visiting order:
	// one entry per state in which it was seen. Empty before Merge.
	Seen []Sighting `json:"seen"`

	// Label is the classifier's verdict; empty until classified.
	Label Label `json:"label,omitzero"`
}

// Key identifies a cookie in a jar: RFC 6265 keys cookies by name, domain and path.
func (o Observed) Key() string { return o.Name + "\x00" + o.Domain + "\x00" + o.Path }

// Confidence is how sure the classifier is of a label.
type Confidence string

// The confidence levels.
const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// Label is what the classifier says of a cookie, and why.
type Label struct {
	Vendor     string     `json:"vendor,omitempty"`
	Category   Category   `json:"category"`
	Confidence Confidence `json:"confidence,omitempty"`
	// Probability is the classifier's calibrated probability that the
	// category is the one the site's own consent platform would give; 0
	// when no model was consulted.
	Probability float64 `json:"probability,omitempty"`
	Reason      string  `json:"reason,omitempty"`
	Source      string  `json:"source,omitempty"` // "embedded", "user:FILE", "open-cookie-database", "host", "heuristic"
	Description string  `json:"description,omitempty"`
	Retention   string  `json:"retention,omitempty"` // the lifespan the database gives
	PrivacyURL  string  `json:"privacy_url,omitempty"`
	// VendorCategory is the category the vendor documents, when the label
	// differs from it: a vendor's own necessary cookie set as a third
	// party takes the vendor's purpose, but a site that declares it as the
	// vendor documents it contradicts no fact.
	VendorCategory Category `json:"vendor_category,omitempty"`
}

// BlockedCookie is a Set-Cookie the browser refused, with its reasons as
// Chrome gives them (for example "ThirdPartyBlockedInUserPreferences").
type BlockedCookie struct {
	Name    string   `json:"name"`
	Domain  string   `json:"domain,omitempty"`
	Line    string   `json:"line,omitempty"` // the Set-Cookie line, bounded in size
	Reasons []string `json:"reasons"`
	URL     string   `json:"url"` // the response that carried it
	Page    string   `json:"page"`
	Party   Party    `json:"party"`
}

// Request is traffic to one third-party host in one consent state.
type Request struct {
	Host              string   `json:"host"`
	RegistrableDomain string   `json:"registrable_domain"`
	Count             int      `json:"count"`
	FirstURL          string   `json:"first_url"` // bounded in size
	FirstPage         string   `json:"first_page"`
	Types             []string `json:"types"` // Script, Image, XHR, Ping, …
	// Vendor is filled by the classifier from its host map.
	Vendor   string   `json:"vendor,omitempty"`
	Category Category `json:"category,omitempty"`
}

// StorageItem is one key a page wrote to Web Storage.
type StorageItem struct {
	Kind        string `json:"kind"` // "local" or "session"
	Origin      string `json:"origin"`
	Key         string `json:"key"`
	ValueLength int    `json:"value_length"`
	Page        string `json:"page"`
}

// FormatDays writes a lifespan given in days as people read it: "30 minutes",
// "1 hour", "5 hours", "1 day", "400 days".
func FormatDays(days float64) string {
	plural := func(n float64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.FormatFloat(n, 'f', 0, 64) + " " + unit + "s"
	}
	switch minutes := math.Round(days * 24 * 60); {
	case minutes < 60:
		return plural(math.Max(minutes, 1), "minute")
	case days < 1:
		return plural(math.Round(days*24), "hour")
	}
	return plural(math.Round(days), "day")
}
