package cookie

import "time"

// LifespanKind says what kind of lifespan a declaration gives.
type LifespanKind string

// The kinds of declared lifespan.
const (
	LifespanUnknown    LifespanKind = ""
	LifespanSession    LifespanKind = "session"
	LifespanBounded    LifespanKind = "bounded"    // Days holds the upper bound
	LifespanPersistent LifespanKind = "persistent" // persistent, no bound given
)

// Lifespan is a lifespan as a declaration writes it and as a number.
type Lifespan struct {
	Text string       `json:"text,omitempty"`
	Kind LifespanKind `json:"kind,omitempty"`
	// Days is the upper bound in days when Kind is bounded.
	Days float64 `json:"days,omitempty"`
}

// MaxDays returns the longest lifespan the declaration allows, in days, and
// whether it gives a bound at all: 0 for session, Days for bounded.
func (l Lifespan) MaxDays() (float64, bool) {
	switch l.Kind {
	case LifespanSession:
		return 0, true
	case LifespanBounded:
		return l.Days, true
	}
	return 0, false
}

// Declared is one cookie a declaration names.
type Declared struct {
	Name string `json:"name"`
	// Pattern is true when Name stands for many names: "_ga_#", "_hjSession_*",
	// "_ga_<container-id>". PatternRegexp is the same as a Go regexp.
	Pattern       bool     `json:"pattern,omitempty"`
	PatternRegexp string   `json:"pattern_regexp,omitempty"`
	Vendor        string   `json:"vendor,omitempty"`
	Category      Category `json:"category,omitempty"`
	// CategoryText is the declaration's own words that state the category
	// (a section heading, a category or type cell); empty when the category
	// was inferred (from the vendor, or from a purpose word). Only a stated
	// category can contradict what the cookie is known to be.
	CategoryText string   `json:"category_text,omitempty"`
	Lifespan     Lifespan `json:"lifespan"`
	Purpose      string   `json:"purpose,omitempty"`
	Type         string   `json:"type,omitempty"` // HTTP, HTML, Pixel, … as written
	// Source is the declaration's own words this entry came from, bounded in
	// size, and Where says where they stand (a heading or a table row).
	Source string `json:"source,omitempty"`
	Where  string `json:"where,omitempty"`
	// Names is Name compiled for matching (see CompileNames); the reader
	// fills it, and it is not serialised.
	Names []DeclaredName `json:"-"`
}

// DeclaredVendor is a vendor or service the declaration names.
type DeclaredVendor struct {
	Name string `json:"name"`
	// Canonical is the vendor whatever the spelling ("Google Ads" for
	// "Google AdWords"), to match declared and observed vendors.
	Canonical string   `json:"canonical,omitempty"`
	Category  Category `json:"category,omitempty"`
	// CategoryText quotes the words that state the category; empty when
	// it is the vendor's usual category.
	CategoryText string `json:"category_text,omitempty"`
	Source       string `json:"source,omitempty"`
}

// Declaration is what a site's published cookie declaration declares.
type Declaration struct {
	URL       string    `json:"url,omitempty"`
	Language  string    `json:"language,omitempty"`
	Title     string    `json:"title,omitempty"`
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	// TextHash is the SHA-256 of the declaration's normalised text, to tell
	// whether a declaration changed between two scans.
	TextHash   string           `json:"text_hash,omitempty"`
	Cookies    []Declared       `json:"cookies"`
	Vendors    []DeclaredVendor `json:"vendors"`
	Categories []Category       `json:"categories"`
	// Platform is the consent platform whose declaration widget was read, if any.
	Platform string `json:"platform,omitempty"`
	// RejectOption: nil when the text says nothing; otherwise whether it
	// promises a way to refuse.
	RejectOption *bool `json:"reject_option,omitempty"`
	// ConsentLifespanDays is how long the declaration says consent is kept.
	ConsentLifespanDays float64 `json:"consent_lifespan_days,omitempty"`
	// Links are further declaration pages the text points to.
	Links []string `json:"links,omitempty"`
}

// DeclarationSearch says where a declaration was looked for on a site and
// not found, so that a report can say so and where it looked.
type DeclarationSearch struct {
	Site string `json:"site"`
	// Looked lists the pages fetched while looking, each with what came of
	// it ("https://shop.test/privacy: no cookie declaration").
	Looked []string `json:"looked"`
	// Unread counts the pages that could not be fetched or read (a
	// timeout, an HTTP error): the search was incomplete, so the finding
	// that no declaration exists is uncertain.
	Unread int `json:"unread,omitempty"`
}
