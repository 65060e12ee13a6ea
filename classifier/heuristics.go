package classifier

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/cookiescan/cookiescan/cookie"
)

// feature is what the heuristics know about a cookie no database knows.
type feature struct {
	party    cookie.Party
	session  bool
	days     float64
	idKind   string   // "UUID", "random identifier", …; empty when the value is not an id
	squashed string   // lower-case name without separators: "xsrftoken"
	tokens   []string // lower-case words of the name: XSRF-TOKEN → xsrf, token
}

func features(o cookie.Observed, party cookie.Party) feature {
	f := feature{party: party, session: o.Session, days: o.LifespanDays}
	if f.days == 0 && !o.Session && !o.Expires.IsZero() && !o.SetAt.IsZero() {
		f.days = o.Expires.Sub(o.SetAt).Hours() / 24
	}
	f.idKind = identifierKind(o.Value)
	f.tokens = nameTokens(o.Name)
	f.squashed = strings.Join(f.tokens, "")
	return f
}

// describe says what the heuristics saw, for the reason.
func (f feature) describe() string {
	var parts []string
	if f.idKind != "" {
		parts = append(parts, f.idKind+" value")
	}
	if f.session {
		parts = append(parts, "session cookie")
	} else if f.days > 0 {
		parts = append(parts, fmt.Sprintf("%.0f-day lifespan", f.days))
	}
	if f.party != "" {
		parts = append(parts, string(f.party)+" party")
	}
	return strings.Join(parts, ", ")
}

// label is a rule's verdict. Its reason names only the rule: the model's
// features need no more, and explained adds what the rule saw when the
// label is given to a user.
func (f feature) label(cat cookie.Category, conf cookie.Confidence, why string) cookie.Label {
	return cookie.Label{Category: cat, Confidence: conf, Reason: "heuristic: " + why, Source: SourceHeuristic}
}

// explained adds to a rule's label what the rule saw of the cookie.
func (f feature) explained(l cookie.Label) cookie.Label {
	if d := f.describe(); d != "" {
		l.Reason += "; " + d
	}
	return l
}

// nameRules is what the name rules say of one cookie, evaluated once: the
// model's features and the fallback of an unsure model both read it.
type nameRules struct {
	purpose, function, weak cookie.Label
	hasPurpose, hasFunction bool
}

// applyNameRules evaluates the rules in their order: a rule on the purpose,
// else one on the function, else (only then) the weak ones.
func applyNameRules(o cookie.Observed, f feature) nameRules {
	var r nameRules
	if r.purpose, r.hasPurpose = purposeRule(f); r.hasPurpose {
		return r
	}
	if r.function, r.hasFunction = functionRule(o, f); r.hasFunction {
		return r
	}
	r.weak = weakHeuristic(o, f)
	return r
}

// strong is the verdict of a rule that holds whatever sets the cookie: a
// purpose rule (purposeRule), else one on load balancer routes, session ids,
// sign-in, carts, language and currency settings (functionRule).
func (r nameRules) strong() (cookie.Label, bool) {
	switch {
	case r.hasPurpose:
		return r.purpose, true
	case r.hasFunction:
		return r.function, true
	}
	return cookie.Label{}, false
}

// nameTokens splits a cookie name into lower-case words at separators, at
// lower-to-upper case changes and between letters and digits.
func nameTokens(name string) []string {
	var (
		out  []string
		cur  []rune
		prev rune
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for _, r := range name {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case len(cur) > 0 && unicode.IsUpper(r) && unicode.IsLower(prev),
			len(cur) > 0 && unicode.IsDigit(r) != unicode.IsDigit(prev):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return out
}

func (f feature) hasToken(words ...string) bool {
	for _, t := range f.tokens {
		for _, w := range words {
			if t == w {
				return true
			}
		}
	}
	return false
}

func (f feature) contains(parts ...string) bool {
	for _, p := range parts {
		if strings.Contains(f.squashed, p) {
			return true
		}
	}
	return false
}

// identifierKind says whether a value looks like an identifier: a UUID, a
// Google-style client id, or a long run of mixed random characters.
// Timestamps, flags, words and short codes are not identifiers.
func identifierKind(v string) string {
	if strings.Contains(v, "%") {
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
	}
	if hasUUID(v) {
		return "UUID"
	}
	best := ""
	for _, run := range strings.FieldsFunc(v, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-+/=", r))
	}) {
		if len(run) > len(best) {
			best = run
		}
	}
	if len(best) < 16 {
		return ""
	}
	// best holds ASCII only (the FieldsFunc above keeps nothing else).
	digits, letters, distinct := 0, 0, 0
	var seen [128]bool
	for i := 0; i < len(best); i++ {
		r := best[i]
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		}
		if !seen[r] {
			seen[r] = true
			distinct++
		}
	}
	switch {
	case letters == 0 && digits >= 16:
		// Numbers such as "1613226782706.1497060586": a time stamp
		// joined to a random number, the shape of many client ids.
		return "numeric identifier"
	case digits >= 2 && letters >= 2 && distinct >= 10:
		return "random identifier"
	}
	return ""
}

func hasUUID(v string) bool {
	// 8-4-4-4-12 hexadecimal digits anywhere in the value.
	const shape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
	for i := 0; i+len(shape) <= len(v); i++ {
		ok := true
		for j := 0; j < len(shape) && ok; j++ {
			c := v[i+j]
			if shape[j] == '-' {
				ok = c == '-'
			} else {
				ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// purposeRule applies the rules whose word names the cookie's purpose
// itself: a consent record, a request-forgery token, bot protection.
func purposeRule(f feature) (cookie.Label, bool) {
	switch {
	case f.contains("consent", "gdpr", "cookienotice", "cookielaw", "cookiebanner", "cookiesaccepted",
		"cookieaccept", "cookiesaccept", "acceptcookie", "acceptedcookie", "cookiepolic", "cookiespolic",
		"cookiepref", "cookiesetting", "cookieswarning", "cookiewarning", "cookiechoice", "cookiesdirective",
		"cookiebar", "privacysetting", "cookiesallowed", "cookieagreed", "cookiecontrol", "cookiemessage",
		"cookiehint", "cookiedisclaimer", "cookiealert", "eucookie", "cookielevel", "cookieoptin", "optout",
		"donottrack"):
		return f.label(cookie.Necessary, cookie.Medium, "name of a consent or opt-out record"), true
	case f.contains("csrf", "xsrf", "antiforgery", "requestverification", "authenticitytoken", "formkey"):
		return f.label(cookie.Necessary, cookie.Medium, "name of a request-forgery token"), true
	case f.contains("captcha", "botdetect", "antibot", "ddos") || f.hasToken("waf", "challenge"):
		return f.label(cookie.Necessary, cookie.Medium, "name of a bot or attack protection"), true
	}
	return cookie.Label{}, false
}

// functionRule applies the rules whose word names what the cookie holds
// (a route, a session, a sign-in, a cart, a setting), which analytics and
// advertising cookies are named after too (_hjAbsoluteSessionInProgress).
func functionRule(o cookie.Observed, f feature) (cookie.Label, bool) {
	first := f.party != cookie.ThirdParty
	switch {
	case f.contains("affinity", "sticky", "bigip", "serverid", "loadbalanc", "awselb", "awsalb") ||
		f.hasToken("lb", "route", "routeid", "backend", "srv", "server", "node"):
		return f.label(cookie.Necessary, cookie.Medium, "name of a load balancer route"), true
	}
	if !first {
		return cookie.Label{}, false
	}
	trackingWord := f.contains("analytic", "visit", "track", "stat", "campaign", "utm", "ads", "pixel", "pageview")
	// "user_prefs", "account_settings": a setting of the user, not a sign-in.
	settingWord := f.hasToken("pref", "prefs", "preference", "preferences", "setting", "settings")
	switch {
	case !trackingWord && isSessionName(f):
		if f.session || f.days <= 31 {
			return f.label(cookie.Necessary, cookie.Medium, "name of a session id"), true
		}
		return f.label(cookie.Necessary, cookie.Low, "name of a session id (but a long lifespan)"), true
	case !trackingWord && isHashName(o.Name):
		return f.label(cookie.Necessary, cookie.Low, "name is a hash, as CMS session ids are (Joomla, Drupal)"), true
	case !trackingWord && !settingWord && (f.hasToken("auth", "login", "logged", "loggedin", "remember", "rememberme", "sso", "jwt", "signin", "account", "customer", "member", "user", "userid", "userinfo") ||
		f.contains("accesstoken", "refreshtoken", "idtoken", "authtoken", "authsession", "loggedin")):
		return f.label(cookie.Necessary, cookie.Medium, "name of a sign-in or account cookie"), true
	case f.hasToken("cart", "basket", "checkout", "order", "shop", "shopping"):
		return f.label(cookie.Necessary, cookie.Medium, "name of a cart or checkout cookie"), true
	case f.idKind == "" && !trackingWord && (f.hasToken("lang", "language", "locale", "currency", "country", "region", "i18n", "timezone", "tz",
		"theme", "dark", "darkmode", "font", "fontsize", "contrast", "accessibility", "zoom", "layout", "view", "viewmode",
		"sort", "pagesize", "perpage", "store", "location", "city", "wishlist", "favorites", "favourites", "recently", "compare") ||
		settingWord ||
		f.contains("recentlyviewed", "language", "currency")):
		return f.label(cookie.Preferences, cookie.Medium, "name of a language, currency or display setting"), true
	case f.squashed == "test" || f.contains("cookietest", "testcookie", "cookiecheck", "cookiesenabled", "cookieenabled", "hasjs", "jsenabled", "tldtest", "supportscookies"):
		return f.label(cookie.Necessary, cookie.Low, "name of a cookie-support test"), true
	case f.squashed == "token" || f.hasToken("token"):
		return f.label(cookie.Necessary, cookie.Low, "name of a token"), true
	}
	return cookie.Label{}, false
}

func isSessionName(f feature) bool {
	s := f.squashed
	switch s {
	case "sid", "sess", "sessid", "session", "sessionid", "sessionkey", "sessiontoken", "ssid", "phpsessid", "jsessionid":
		return true
	}
	return strings.HasSuffix(s, "sessid") || strings.HasSuffix(s, "sessionid") || strings.HasSuffix(s, "session") ||
		strings.HasSuffix(s, "sessiontoken") || strings.HasSuffix(s, "sessionkey") || strings.HasPrefix(s, "session") ||
		f.hasToken("sid", "sess", "session")
}

// isHashName reports a name that is 26 to 64 hexadecimal digits, the shape
// of session cookie names some PHP CMSs derive from the site.
func isHashName(name string) bool {
	if len(name) < 26 || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// weakHeuristic applies the rules that are more often right than wrong:
// words of analytics or advertising in the name, and the shape of third-party
// tracking cookies. What none of them fits stays unclassified.
func weakHeuristic(o cookie.Observed, f feature) cookie.Label {
	third := f.party == cookie.ThirdParty
	switch {
	case f.hasToken("ad", "ads", "adid", "advert", "advertising", "campaign", "utm", "gclid", "fbclid", "msclkid", "dclid",
		"clickid", "clkid", "affiliate", "aff", "retarget", "remarketing", "pixel", "audience", "segment", "segments", "sync",
		"referrer", "referral", "landing", "promo") || f.contains("retarget", "affiliate", "advert", "remarketing"):
		return f.label(cookie.Marketing, cookie.Low, "advertising or attribution word in the name")
	case f.hasToken("analytics", "stats", "stat", "statistics", "visitor", "visit", "visits", "pageview", "pageviews",
		"tracking", "tracker", "track", "returning", "heatmap", "abtest", "experiment", "variant", "split", "metrics", "rum") ||
		f.contains("analytic", "pageview", "firstvisit", "lastvisit"):
		if third {
			return f.label(cookie.Marketing, cookie.Low, "tracking word in the name of a third-party cookie")
		}
		return f.label(cookie.Statistics, cookie.Low, "analytics word in the name")
	case third && !f.session && f.idKind != "" && f.days >= 30:
		return f.label(cookie.Marketing, cookie.Medium, "third-party identifier that outlives the visit, the shape of ad-tech ids")
	case third && !f.session && f.days > 1:
		return f.label(cookie.Marketing, cookie.Low, "persistent third-party cookie")
	case third && f.idKind != "":
		return f.label(cookie.Marketing, cookie.Low, "third-party identifier")
	}
	return f.label(cookie.Unclassified, cookie.Low, "unsure: no database entry, no known host, no rule fits")
}
