package declaration

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cookiescan/cookiescan/cookie"
)

// VendorMention is one place where a text names a vendor or service.
type VendorMention struct {
	// Name is the vendor as the text writes it ("Google AdWords", "Zopim").
	Name string
	// Canonical identifies the vendor whatever the spelling ("Google Ads"),
	// so that two spellings in one declaration count once.
	Canonical string
	// Category is the vendor's usual category when it has a single purpose
	// (Criteo: marketing); empty when it has several (Facebook).
	Category cookie.Category
	// NeedsContext is true for vendors whose name is also an ordinary
	// platform people speak of without cookies ("our Facebook page"): such a
	// mention only counts where the text speaks of cookies.
	NeedsContext bool
	// Start and End are byte offsets of Name in the matched text.
	Start, End int
}

// VendorMatcher finds the vendors a text names. The default is
// DefaultVendors; the known-cookie database can provide a larger one.
type VendorMatcher interface {
	Match(text string) []VendorMention
}

// Vendor is one entry of a vendor list: a canonical name and the other
// names people write for it.
type Vendor struct {
	Name         string
	Aliases      []string
	Category     cookie.Category
	NeedsContext bool
	// Capitalised vendors match only where a short one-word name of theirs
	// that starts with a capital is written with it: a long vendor list
	// holds names that are ordinary words of some language ("Basis",
	// "Centro": "su centro de preferencias"), which in lower case are
	// those words.
	Capitalised bool
}

// ListMatcher matches the names and aliases of a vendor list as whole words,
// case-insensitively, preferring the longest name at a position ("Google
// Analytics" over "Google").
type ListMatcher struct {
	names []listName
	// byFirst holds, by first byte, the indexes of the names (in the
	// order of names), so that a text is scanned once rather than once
	// per name.
	byFirst [256][]int
}

type listName struct {
	lower  string
	vendor *Vendor
	// capital: the text must write the name's first letter as a capital.
	capital bool
}

// maxOrdinaryWord is the longest name (in bytes) that Vendor.Capitalised
// holds to its capital.
const maxOrdinaryWord = 6

// NewListMatcher builds a matcher over vendors.
func NewListMatcher(vendors []Vendor) *ListMatcher {
	m := &ListMatcher{}
	for i := range vendors {
		v := &vendors[i]
		for _, n := range append([]string{v.Name}, v.Aliases...) {
			if low := strings.ToLower(n); low != "" {
				// Short one-word names are the ones that are ordinary
				// words too; a longer brand written in lower case
				// ("mediamath") is still the brand.
				capital := v.Capitalised && n[0] >= 'A' && n[0] <= 'Z' && len(n) <= maxOrdinaryWord && !strings.Contains(n, " ")
				m.names = append(m.names, listName{lower: low, vendor: v, capital: capital})
			}
		}
	}
	// Longest first, so that at one position the longest name wins.
	sort.SliceStable(m.names, func(i, j int) bool { return len(m.names[i].lower) > len(m.names[j].lower) })
	for k, n := range m.names {
		m.byFirst[n.lower[0]] = append(m.byFirst[n.lower[0]], k)
	}
	return m
}

// qualifiers name a service of a vendor that has its own purpose: "Google
// Analytics Remarketing" is advertising although Google Analytics is not.
var qualifiers = map[string]cookie.Category{
	"remarketing": cookie.Marketing,
	"retargeting": cookie.Marketing,
}

// Match implements VendorMatcher.
func (m *ListMatcher) Match(text string) []VendorMention {
	return m.matchLower(text, strings.ToLower(text))
}

// matchLower is Match with text already lower-cased by strings.ToLower, as
// the parser has it for every sentence.
func (m *ListMatcher) matchLower(text, low string) []VendorMention {
	if len(low) != len(text) {
		// Lower-casing changed byte lengths (rare letters); fall back to a
		// byte-preserving fold so that offsets stay valid.
		low = asciiLower(text)
	}
	// Every place a name stands as a whole word, in one pass over the text.
	type place struct{ rank, start int }
	var places []place
	for i := 0; i < len(low); i++ {
		if len(m.byFirst[low[i]]) == 0 || (i > 0 && !startsWord(low, i)) {
			continue // a name starts a word
		}
		for _, k := range m.byFirst[low[i]] {
			if m.names[k].capital && text[i] >= 'a' && text[i] <= 'z' {
				continue
			}
			if n := m.names[k].lower; strings.HasPrefix(low[i:], n) && wordBoundary(low, i, i+len(n)) {
				places = append(places, place{k, i})
			}
		}
	}
	if len(places) == 0 {
		return nil
	}
	// Longer names claim their text first, then shorter ones what is left.
	sort.Slice(places, func(i, j int) bool {
		if places[i].rank != places[j].rank {
			return places[i].rank < places[j].rank
		}
		return places[i].start < places[j].start
	})
	var out []VendorMention
	taken := make([]bool, len(low))
	for _, pl := range places {
		n := m.names[pl.rank]
		start := pl.start
		end := start + len(n.lower)
		if taken[start] || taken[end-1] {
			continue
		}
		for k := start; k < end; k++ {
			taken[k] = true
		}
		mention := VendorMention{
			Name: text[start:end], Canonical: n.vendor.Name, Category: n.vendor.Category,
			NeedsContext: n.vendor.NeedsContext, Start: start, End: end,
		}
		// "Google Analytics Remarketing" is a service of its own.
		rest := strings.TrimLeft(low[end:], " ")
		for q, cat := range qualifiers {
			if strings.HasPrefix(rest, q) && wordBoundary(low, len(low)-len(rest), len(low)-len(rest)+len(q)) {
				qend := len(low) - len(rest) + len(q)
				mention.Name = text[start:qend]
				mention.Canonical = n.vendor.Name + " " + strings.ToUpper(q[:1]) + q[1:]
				mention.Category = cat
				mention.End = qend
				for k := end; k < qend; k++ {
					taken[k] = true
				}
			}
		}
		out = append(out, mention)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// startsWord reports whether no letter or digit ends right before s[i:].
func startsWord(s string, i int) bool {
	if c := s[i-1]; c < utf8.RuneSelf {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// wordBoundary reports whether s[start:end] stands as a whole word: a name
// inside "Facebookside" or "xgoogle analytics" does not count.
func wordBoundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// DefaultVendors is a small list of vendors that commonly set cookies or
// receive data on European websites, with the other names they go by. It is a
// stop-gap until the known-cookie database provides its vendor list; it
// deliberately leaves out bare "Google" and browsers, which policies name
// without declaring anything.
func DefaultVendors() []Vendor {
	const (
		nec  = cookie.Necessary
		pref = cookie.Preferences
		stat = cookie.Statistics
		mkt  = cookie.Marketing
	)
	return []Vendor{
		{Name: "Google Analytics", Aliases: []string{"Universal Analytics", "GA4", "Google Analytics 4"}, Category: stat},
		{Name: "Google Ads", Aliases: []string{"Google AdWords", "AdWords", "Google Ads Conversion Tracking"}, Category: mkt},
		{Name: "DoubleClick", Aliases: []string{"Google DoubleClick", "Campaign Manager 360", "Google Marketing Platform"}, Category: mkt},
		{Name: "Google AdSense", Aliases: []string{"AdSense"}, Category: mkt},
		{Name: "Google Tag Manager", NeedsContext: true},
		{Name: "Google Optimize", Category: stat},
		{Name: "Google Maps", NeedsContext: true},
		{Name: "Google reCAPTCHA", Aliases: []string{"reCAPTCHA"}, Category: nec, NeedsContext: true},
		{Name: "YouTube", NeedsContext: true},
		{Name: "Facebook", Aliases: []string{"Meta Pixel", "Facebook Pixel", "Meta Platforms"}, NeedsContext: true},
		{Name: "Instagram", NeedsContext: true},
		{Name: "LinkedIn", Aliases: []string{"LinkedIn Insight Tag", "LinkedIn Insight"}, NeedsContext: true},
		{Name: "Twitter", NeedsContext: true},
		{Name: "Pinterest", NeedsContext: true},
		{Name: "TikTok", Aliases: []string{"TikTok Pixel"}, NeedsContext: true},
		{Name: "Snapchat", Aliases: []string{"Snap Pixel"}, NeedsContext: true},
		{Name: "Criteo", Category: mkt},
		{Name: "Hotjar", Category: stat},
		{Name: "Microsoft Clarity", Category: stat},
		{Name: "Microsoft Advertising", Aliases: []string{"Bing Ads", "Bing UET", "Microsoft Ads"}, Category: mkt},
		{Name: "Adobe Analytics", Aliases: []string{"Omniture", "Adobe Experience Cloud"}, Category: stat},
		{Name: "Matomo", Aliases: []string{"Piwik", "Matomo Tag Manager"}, Category: stat},
		{Name: "PostHog", Category: stat},
		{Name: "Plausible", Aliases: []string{"Plausible Analytics"}, Category: stat},
		{Name: "Yandex Metrica", Aliases: []string{"Yandex.Metrica", "Yandex Metrika"}, Category: stat},
		{Name: "Mixpanel", Category: stat},
		{Name: "Crazy Egg", Aliases: []string{"CrazyEgg"}, Category: stat},
		{Name: "Mouseflow", Category: stat},
		{Name: "Lucky Orange", Category: stat},
		{Name: "FullStory", Category: stat},
		{Name: "Siteimprove", Category: stat},
		{Name: "Optimizely", Category: stat},
		{Name: "Visual Website Optimizer", Aliases: []string{"VWO"}, Category: stat},
		{Name: "HubSpot", NeedsContext: true},
		{Name: "Mailchimp", Aliases: []string{"MailChimp"}, NeedsContext: true},
		{Name: "Klaviyo", Category: mkt, NeedsContext: true},
		{Name: "Pardot", Aliases: []string{"Salesforce Pardot"}, Category: mkt},
		{Name: "Marketo", Category: mkt},
		{Name: "Leadinfo", Category: mkt},
		{Name: "Leadfeeder", Category: mkt},
		{Name: "Sleeknote", NeedsContext: true},
		{Name: "Taboola", Category: mkt},
		{Name: "Outbrain", Category: mkt},
		{Name: "Xandr", Aliases: []string{"AppNexus"}, Category: mkt},
		{Name: "The Trade Desk", Category: mkt},
		{Name: "Adform", Category: mkt},
		{Name: "Quantcast", Category: mkt},
		{Name: "Adtraction", Category: mkt},
		{Name: "Partner-ads", Aliases: []string{"Partner Ads"}, Category: mkt},
		{Name: "AddThis", Aliases: []string{"Add This"}, Category: mkt, NeedsContext: true},
		{Name: "ShareThis", Category: mkt, NeedsContext: true},
		{Name: "Zendesk Chat", Aliases: []string{"Zopim", "Zopim Chat"}, NeedsContext: true},
		{Name: "Zendesk", NeedsContext: true},
		{Name: "Intercom", NeedsContext: true},
		{Name: "LiveChat", NeedsContext: true},
		{Name: "Tawk.to", NeedsContext: true},
		{Name: "Vimeo", NeedsContext: true},
		{Name: "Wistia", NeedsContext: true},
		{Name: "Trustpilot", NeedsContext: true},
		{Name: "Disqus", NeedsContext: true},
		{Name: "Cloudflare", Category: nec, NeedsContext: true},
		{Name: "Stripe", Category: nec, NeedsContext: true},
		{Name: "Cookiebot", Aliases: []string{"Usercentrics Cookiebot"}, Category: nec, NeedsContext: true},
		{Name: "OneTrust", Category: nec, NeedsContext: true},
		{Name: "Dynamicweb", NeedsContext: true},
		{Name: "Shopify", NeedsContext: true},
	}
}
