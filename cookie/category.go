package cookie

import (
	"fmt"
	"strings"
)

// Category is the purpose of a cookie, in the four classes the ePrivacy
// guidance and every consent platform use, plus "unclassified" for a cookie
// nobody can place with confidence.
type Category string

// The categories, ordered from least to most intrusive.
const (
	Necessary    Category = "necessary"
	Preferences  Category = "preferences"
	Statistics   Category = "statistics"
	Marketing    Category = "marketing"
	Unclassified Category = "unclassified"
)

// Categories lists every category in a stable order.
func Categories() []Category {
	return []Category{Necessary, Preferences, Statistics, Marketing, Unclassified}
}

// ParseCategory accepts the canonical spelling of a category.
func ParseCategory(s string) (Category, error) {
	c := Category(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Categories() {
		if c == known {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown category %q (want one of necessary, preferences, statistics, marketing, unclassified)", s)
}

// NeedsConsent reports whether a cookie of this category may only be set after
// the visitor agreed. An unclassified cookie needs consent until someone shows
// it is necessary: the burden of proof lies with the site.
func (c Category) NeedsConsent() bool { return c != Necessary }

// Rank orders categories for sorting and comparison.
func (c Category) Rank() int {
	for i, known := range Categories() {
		if c == known {
			return i
		}
	}
	return len(Categories())
}
