package audit

import (
	"strings"
	"unicode"
)

// VendorResolver maps a vendor name as someone wrote it ("Google AdWords",
// "Add This", "Facebook") to one canonical key, so that the classifier's
// vendor names and the declaration's can be compared. Two names denote the
// same vendor when their Canonical values are equal.
type VendorResolver interface {
	Canonical(name string) string
}

// FoldVendor is the base of every canonical key: lower case, letters and
// digits only, so "Add This", "AddThis" and "add-this" fold to "addthis".
// Legal suffixes that sites add or leave out ("Inc.", "Ltd", "GmbH") are
// dropped, because "Google Inc." on a declaration is the same vendor the
// database calls "Google".
func FoldVendor(name string) string {
	fields := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for len(fields) > 1 {
		switch fields[len(fields)-1] {
		case "inc", "ltd", "llc", "gmbh", "aps", "as", "ab", "sa", "bv", "corp", "corporation", "limited", "co":
			fields = fields[:len(fields)-1]
			continue
		}
		break
	}
	return strings.Join(fields, "")
}

// AliasResolver folds names with FoldVendor and then maps known aliases to
// their canonical vendor. Keys and values of the map are folded on lookup,
// so callers may write them as people do ("Google AdWords": "Google Ads").
type AliasResolver struct {
	aliases map[string]string // folded alias -> folded canonical name
}

// NewAliasResolver returns a resolver for the given aliases (alias ->
// canonical name). Chains are followed once: an alias must name the final
// canonical vendor.
func NewAliasResolver(aliases map[string]string) *AliasResolver {
	r := &AliasResolver{aliases: make(map[string]string, len(aliases))}
	for alias, canonical := range aliases {
		r.aliases[FoldVendor(alias)] = FoldVendor(canonical)
	}
	return r
}

// Canonical implements VendorResolver.
func (r *AliasResolver) Canonical(name string) string {
	key := FoldVendor(name)
	if c, ok := r.aliases[key]; ok {
		return c
	}
	return key
}

// DefaultVendorAliases returns the built-in aliases: renamed products and
// acquired services that cookie declarations still call by their old names.
// It returns a new map on each call, so callers may extend it.
func DefaultVendorAliases() map[string]string {
	return map[string]string{
		"Google AdWords":             "Google Ads",
		"AdWords":                    "Google Ads",
		"Google DoubleClick":         "DoubleClick",
		"Zopim":                      "Zendesk Chat",
		"Zopim Chat":                 "Zendesk Chat",
		"Zopim Live Chat":            "Zendesk Chat",
		"Facebook":                   "Meta",
		"Facebook Pixel":             "Meta",
		"Meta Platforms":             "Meta",
		"Meta Pixel":                 "Meta",
		"Twitter":                    "X",
		"Google Universal Analytics": "Google Analytics",
		"Universal Analytics":        "Google Analytics",
		"GA4":                        "Google Analytics",
		"Microsoft Clarity":          "Clarity",
		"Bing Ads":                   "Microsoft Advertising",
	}
}

// DefaultVendors returns the resolver used when Options.Vendors is nil.
func DefaultVendors() VendorResolver { return NewAliasResolver(DefaultVendorAliases()) }

// ChainResolver asks each resolver in turn and keeps the first answer that
// differs from the plain folded name, so a database's aliases can be tried
// before the built-in ones.
type ChainResolver []VendorResolver

// Canonical implements VendorResolver.
func (c ChainResolver) Canonical(name string) string {
	folded := FoldVendor(name)
	for _, r := range c {
		if r == nil {
			continue
		}
		// Fold again: a resolver from elsewhere may answer "Google Ads"
		// where this package's keys are "googleads".
		if got := FoldVendor(r.Canonical(name)); got != "" && got != folded {
			return got
		}
	}
	return folded
}

// VendorNames is a vendor of a known-cookie database: Names returns its
// canonical name first, then its aliases (*knowncookies.Vendor has it).
type VendorNames interface{ Names() []string }

// DatabaseVendors resolves vendor names through a known-cookie database's
// alias lookup, such as (*knowncookies.DB).VendorByAlias, and falls back to
// the built-in aliases for names the database does not know:
//
//	opts.Vendors = audit.DatabaseVendors(db.VendorByAlias)
//
// It takes the lookup func rather than the database so that the audit does
// not depend on how the database is built.
func DatabaseVendors[V VendorNames](lookup func(name string) (V, bool)) VendorResolver {
	return ChainResolver{lookupResolver[V](lookup), DefaultVendors()}
}

type lookupResolver[V VendorNames] func(name string) (V, bool)

func (f lookupResolver[V]) Canonical(name string) string {
	if v, ok := f(name); ok {
		if names := v.Names(); len(names) > 0 {
			return FoldVendor(names[0])
		}
	}
	return FoldVendor(name)
}

// vendorFamily groups a company's services the way a reader of a
// declaration does: a site that declares Google Analytics has declared the
// Google Tag Manager that loads it (gtag.js comes from
// www.googletagmanager.com) and the Google hosts it measures with. Keys are
// folded names; the value is the company.
var vendorFamily = map[string]string{
	"google": "google", "googleanalytics": "google", "googletagmanager": "google", "googleads": "google",
	"doubleclick": "google", "googleadsense": "google", "googleoptimize": "google", "googlesignals": "google",
	"googlemarketingplatform": "google", "googleadservices": "google", "googlesyndication": "google",
	"meta": "meta", "facebook": "meta", "instagram": "meta",
	"microsoft": "microsoft", "microsoftadvertising": "microsoft", "bing": "microsoft", "clarity": "microsoft",
	"yandex": "yandex", "yandexmetrica": "yandex", "yandexmetrika": "yandex",
	"hotjar": "hotjar", "contentsquare": "hotjar",
}

// familyCovers reports whether a declared vendor covers an observed one
// through their company: the company's own name covers its services, and
// any declared service covers the company's loader and umbrella hosts
// ("Google", "Google Tag Manager"), which load or measure for it. A
// declared service does not cover a sibling service of its own (Google
// Maps does not declare Google Ads).
func familyCovers(declared, observed string) bool {
	dc, oc := vendorFamily[declared], vendorFamily[observed]
	if dc == "" || dc != oc {
		return false
	}
	return declared == dc || observed == oc || loaders[observed]
}

// loaders are tag loaders: they set nothing of their own but load the
// services a site declares.
var loaders = map[string]bool{"googletagmanager": true}
