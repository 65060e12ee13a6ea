package consent

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Choice is what a platform's stored consent says the visitor chose.
type Choice string

const (
	ChoiceNone    Choice = ""        // nothing stored, or no choice made yet
	ChoiceAccept  Choice = "accept"  // every optional category allowed
	ChoiceReject  Choice = "reject"  // only the necessary category allowed
	ChoicePartial Choice = "partial" // some optional categories allowed
)

// Decision is a decoded stored consent and the facts it was read from.
type Decision struct {
	Choice Choice
	Detail string // e.g. "marketing=false statistics=false method=explicit"
	// Granted lists the optional categories the record grants, when the
	// record names them; nil when it does not. It lets the engine judge
	// accept-all against what the site configures (see judge).
	Granted []string
}

// ErrUndecodable is wrapped when a stored value is not in the expected format.
var ErrUndecodable = errors.New("stored consent not in the expected format")

type decoder func(value string) (Decision, error)

// decoderNames lists the decoders a rule may name in verify.decode.
func decoderNames() []string {
	return []string{"axeptio", "borlabs", "civic", "complianz", "cookiebot", "cookiefirst",
		"cookieinformation", "cookiescript", "cookieyes", "didomi", "fundingchoices", "iubenda",
		"klaro", "moove", "onetrust", "osano", "tarteaucitron", "tcf", "termly", "trustarc", "usercentrics",
		"vanillacookieconsent"}
}

// decoderFor returns the decoder of a name. A switch, not a map, keeps the
// package free of mutable globals.
func decoderFor(name string) (decoder, bool) {
	switch name {
	case "axeptio":
		return decodeAxeptio, true
	case "borlabs":
		return decodeBorlabs, true
	case "civic":
		return decodeCivic, true
	case "complianz":
		return decodeComplianz, true
	case "cookiebot":
		return decodeCookiebot, true
	case "cookiefirst":
		return decodeCookieFirst, true
	case "cookieinformation":
		return decodeCookieInformation, true
	case "cookiescript":
		return decodeCookieScript, true
	case "cookieyes":
		return decodeCookieYes, true
	case "didomi":
		return decodeDidomi, true
	case "fundingchoices":
		return decodeFundingChoices, true
	case "iubenda":
		return decodeIubenda, true
	case "klaro":
		return decodeKlaro, true
	case "moove":
		return decodeMoove, true
	case "onetrust":
		return decodeOneTrust, true
	case "osano":
		return decodeOsano, true
	case "tcf":
		return decodeTCFValue, true
	case "termly":
		return decodeTermly, true
	case "trustarc":
		return decodeTrustArc, true
	case "usercentrics":
		return decodeUsercentrics, true
	case "vanillacookieconsent":
		return decodeVanillaCookieConsent, true
	case "tarteaucitron":
		return decodeTarteaucitron, true
	}
	return nil, false
}

// Decode decodes a stored consent value with the named decoder.
func Decode(name, value string) (Decision, error) {
	d, ok := decoderFor(name)
	if !ok {
		return Decision{}, fmt.Errorf("consent: unknown decoder %q", name)
	}
	return d(value)
}

func undecodable(platform, format string, args ...any) error {
	return fmt.Errorf("consent: %s: %s: %w", platform, fmt.Sprintf(format, args...), ErrUndecodable)
}

// unescape undoes URL encoding when the value has any; a value that is not
// URL-encoded is returned as it is.
func unescape(v string) string {
	if !strings.Contains(v, "%") {
		return v
	}
	if u, err := url.QueryUnescape(v); err == nil {
		return u
	}
	return v
}

// fromFlags turns per-category booleans into a choice. Necessary categories
// are left out by the caller.
func fromFlags(flags map[string]bool) Decision {
	keys := make([]string, 0, len(flags))
	for k := range flags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	on, parts := 0, make([]string, 0, len(keys))
	for _, k := range keys {
		if flags[k] {
			on++
		}
		parts = append(parts, fmt.Sprintf("%s=%t", k, flags[k]))
	}
	d := Decision{Detail: strings.Join(parts, " "), Granted: []string{}}
	for _, k := range keys {
		if flags[k] {
			d.Granted = append(d.Granted, k)
		}
	}
	switch {
	case len(flags) == 0:
		d.Choice = ChoiceNone
	case on == len(flags):
		d.Choice = ChoiceAccept
	case on == 0:
		d.Choice = ChoiceReject
	default:
		d.Choice = ChoicePartial
	}
	return d
}

// cookiebotField matches one key:value of Cookiebot's CookieConsent cookie,
// a JavaScript object literal with single-quoted strings (not JSON).
var cookiebotField = regexp.MustCompile(`([A-Za-z0-9_]+)\s*:\s*('(?:[^'\\]|\\.)*'|[^,}]*)`)

func decodeCookiebot(v string) (Decision, error) {
	v = strings.TrimSpace(unescape(v))
	if v == "-1" {
		// Cookiebot writes -1 where the visitor's region needs no consent.
		return Decision{Choice: ChoiceNone, Detail: "-1 (region needs no consent)"}, nil
	}
	if !strings.HasPrefix(v, "{") || !strings.HasSuffix(v, "}") {
		return Decision{}, undecodable("cookiebot", "CookieConsent is not an object literal: %.40q", v)
	}
	fields := map[string]string{}
	for _, m := range cookiebotField.FindAllStringSubmatch(v[1:len(v)-1], -1) {
		fields[m[1]] = strings.Trim(strings.TrimSpace(m[2]), "'")
	}
	flags := map[string]bool{}
	for _, k := range []string{"preferences", "statistics", "marketing"} {
		s, ok := fields[k]
		if !ok {
			return Decision{}, undecodable("cookiebot", "CookieConsent lacks %s", k)
		}
		flags[k] = s == "true"
	}
	d := fromFlags(flags)
	if m := fields["method"]; m != "" {
		d.Detail += " method=" + m
		if m == "implied" {
			// Implied consent is not a choice the visitor made.
			d.Detail += " (implied, not a visitor's choice)"
		}
	}
	return d, nil
}

func decodeOneTrust(v string) (Decision, error) {
	q, err := url.ParseQuery(v)
	if err != nil {
		return Decision{}, undecodable("onetrust", "OptanonConsent: %v", err)
	}
	groups := q.Get("groups")
	if groups == "" {
		return Decision{Choice: ChoiceNone, Detail: "no groups"}, nil
	}
	flags := map[string]bool{}
	for _, g := range strings.Split(groups, ",") {
		id, state, ok := strings.Cut(g, ":")
		if !ok {
			return Decision{}, undecodable("onetrust", "group %q has no state", g)
		}
		if id == "C0001" { // strictly necessary, always on
			continue
		}
		flags[id] = state == "1"
	}
	d := fromFlags(flags)
	if ic := q.Get("interactionCount"); ic != "" {
		d.Detail += " interactionCount=" + ic
		if n, _ := strconv.Atoi(ic); n == 0 && d.Choice != ChoiceNone {
			// Groups without an interaction are the site's defaults.
			d.Detail += " (defaults, no interaction)"
			d.Choice = ChoiceNone
		}
	}
	return d, nil
}

func decodeCookieInformation(v string) (Decision, error) {
	var c struct {
		Approved []string `json:"consents_approved"`
		Denied   []string `json:"consents_denied"`
	}
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("cookieinformation", "CookieInformationConsent: %v", err)
	}
	flags := map[string]bool{}
	for _, a := range c.Approved {
		flags[a] = true
	}
	for _, d := range c.Denied {
		flags[d] = false
	}
	delete(flags, "cookie_cat_necessary")
	return fromFlags(flags), nil
}

func decodeUsercentrics(v string) (Decision, error) {
	var s struct {
		Services []struct {
			ID      string `json:"id"`
			Status  bool   `json:"status"`
			History []struct {
				Action string `json:"action"`
				Status bool   `json:"status"`
			} `json:"history"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return Decision{}, undecodable("usercentrics", "uc_settings: %v", err)
	}
	if len(s.Services) == 0 {
		return Decision{}, undecodable("usercentrics", "uc_settings has no services")
	}
	// The last history action says what the visitor did; the statuses say
	// what the services got. Both must agree.
	flags := map[string]bool{}
	last := ""
	for _, svc := range s.Services {
		flags[svc.ID] = svc.Status
		if n := len(svc.History); n > 0 {
			last = svc.History[n-1].Action
		}
	}
	d := fromFlags(flags)
	d.Detail = "last action " + last + "; " + d.Detail
	on := 0
	for _, st := range flags {
		if st {
			on++
		}
	}
	// uc_settings does not say which services are essential; those stay on
	// after "deny all". So a deny action with at least one service off is a
	// reject, and an accept action needs every service on.
	switch last {
	case "onInitialPageLoad", "onNonEURegion", "":
		d.Choice = ChoiceNone
	case "onDenyAllBtnClick", "onDenyAllServices":
		d.Choice = ChoiceReject
		if on == len(flags) {
			d.Choice = ChoicePartial
		}
	case "onAcceptAllBtnClick", "onAcceptAllServices":
		d.Choice = ChoicePartial
		if on == len(flags) {
			d.Choice = ChoiceAccept
		}
	}
	return d, nil
}

func decodeDidomi(v string) (Decision, error) {
	raw, err := base64.StdEncoding.DecodeString(padBase64(unescape(v)))
	if err != nil {
		if raw, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "=")); err != nil {
			return Decision{}, undecodable("didomi", "didomi_token is not base64: %v", err)
		}
	}
	var t struct {
		Purposes *struct {
			Enabled  []string `json:"enabled"`
			Disabled []string `json:"disabled"`
		} `json:"purposes"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return Decision{}, undecodable("didomi", "didomi_token: %v", err)
	}
	if t.Purposes == nil {
		return Decision{Choice: ChoiceNone, Detail: "token without purposes"}, nil
	}
	flags := map[string]bool{}
	for _, p := range t.Purposes.Enabled {
		flags[p] = true
	}
	for _, p := range t.Purposes.Disabled {
		flags[p] = false
	}
	return fromFlags(flags), nil
}

func padBase64(s string) string {
	if n := len(s) % 4; n != 0 {
		s += strings.Repeat("=", 4-n)
	}
	return s
}

func decodeTCFValue(v string) (Decision, error) {
	tc, err := DecodeTCString(unescape(v))
	if err != nil {
		return Decision{}, err
	}
	return tcDecision(tc), nil
}

// tcDecision reads accept or reject from a TC string: reject is no purpose
// consented; accept is every purpose the string covers (1–10 at least).
func tcDecision(tc TCString) Decision {
	d := Decision{Detail: fmt.Sprintf("TC string cmp %d purposes %v vendors %d", tc.CMPID, tc.PurposeConsents, len(tc.VendorConsents))}
	switch {
	case len(tc.PurposeConsents) == 0:
		d.Choice = ChoiceReject
	case len(tc.PurposeConsents) >= 10:
		d.Choice = ChoiceAccept
	default:
		d.Choice = ChoicePartial
	}
	return d
}

func decodeFundingChoices(v string) (Decision, error) {
	var arr []any
	if err := json.Unmarshal([]byte(unescape(v)), &arr); err != nil {
		return Decision{}, undecodable("fundingchoices", "FCCDCF: %v", err)
	}
	// The TC string sits somewhere in a nested array; find the first string
	// that decodes as one.
	var found string
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case string:
			if found == "" {
				if _, err := DecodeTCString(t); err == nil {
					found = t
				}
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(arr)
	if found == "" {
		return Decision{}, undecodable("fundingchoices", "FCCDCF holds no TC string")
	}
	return decodeTCFValue(found)
}

func decodeTrustArc(v string) (Decision, error) {
	v = strings.TrimSpace(unescape(v))
	// cmapi_cookie_privacy: "permit 1 required" or "permit 1,2,3".
	rest, ok := strings.CutPrefix(v, "permit ")
	if !ok {
		return Decision{}, undecodable("trustarc", "cmapi_cookie_privacy %q does not start with permit", v)
	}
	rest = strings.TrimSuffix(rest, " required")
	levels := strings.Split(strings.TrimSpace(rest), ",")
	d := Decision{Detail: "permit " + strings.Join(levels, ",")}
	switch {
	case len(levels) == 1 && levels[0] == "1":
		d.Choice = ChoiceReject
	case len(levels) >= 3:
		d.Choice = ChoiceAccept
	default:
		d.Choice = ChoicePartial
	}
	return d, nil
}

func decodeCookieYes(v string) (Decision, error) {
	fields := map[string]string{}
	for _, kv := range strings.Split(unescape(v), ",") {
		k, val, ok := strings.Cut(kv, ":")
		if ok {
			fields[strings.TrimSpace(k)] = strings.TrimSpace(val)
		}
	}
	if _, ok := fields["consent"]; !ok {
		return Decision{}, undecodable("cookieyes", "cookieyes-consent has no consent field")
	}
	if fields["action"] != "yes" {
		return Decision{Choice: ChoiceNone, Detail: "no action yet"}, nil
	}
	flags := map[string]bool{}
	for _, k := range []string{"functional", "analytics", "performance", "advertisement"} {
		if s, ok := fields[k]; ok {
			flags[k] = s == "yes"
		}
	}
	return fromFlags(flags), nil
}

// decodeComplianz reads the cmplz_marketing cookie: allow or deny.
func decodeComplianz(v string) (Decision, error) {
	switch strings.TrimSpace(v) {
	case "allow":
		return Decision{Choice: ChoiceAccept, Detail: "cmplz_marketing=allow"}, nil
	case "deny":
		return Decision{Choice: ChoiceReject, Detail: "cmplz_marketing=deny"}, nil
	}
	return Decision{}, undecodable("complianz", "cmplz_marketing=%q", v)
}

// decodeBorlabs reads the borlabs-cookie record: consents maps each
// granted service group to its services; a group the visitor refused is
// absent. Which groups exist is the site's configuration
// (borlabsCookieConfig.serviceGroups), so without it only "essential only"
// (a reject) is certain; the engine judges accept against the
// configuration (verify.configured).
func decodeBorlabs(v string) (Decision, error) {
	var c struct {
		Consents map[string][]string `json:"consents"`
	}
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("borlabs", "borlabs-cookie: %v", err)
	}
	if len(c.Consents) == 0 {
		// Borlabs always records its own essential group: an empty map is
		// not a record of any choice.
		return Decision{}, undecodable("borlabs", "borlabs-cookie has no consents")
	}
	granted := []string{}
	for g, services := range c.Consents {
		if !necessaryName(g) && len(services) > 0 {
			granted = append(granted, g)
		}
	}
	sort.Strings(granted)
	d := Decision{Granted: granted, Detail: fmt.Sprintf("granted groups %v", granted)}
	if len(granted) == 0 {
		d.Choice = ChoiceReject
		return d, nil
	}
	// Every group the plugin ships (statistics, marketing, external-media)
	// granted is an accept on any site; fewer may be all the site has.
	d.Choice = ChoicePartial
	if slices.Contains(granted, "statistics") && slices.Contains(granted, "marketing") && slices.Contains(granted, "external-media") {
		d.Choice = ChoiceAccept
	}
	d.Detail += " (configured groups unknown)"
	return d, nil
}

// decodeOsano reads the result of Osano.cm.getConsent() as JSON, because
// Osano's own cookie is an opaque blob.
func decodeOsano(v string) (Decision, error) {
	var m map[string]string
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return Decision{}, undecodable("osano", "getConsent: %v", err)
	}
	flags := map[string]bool{}
	for _, k := range []string{"ANALYTICS", "MARKETING", "PERSONALIZATION"} {
		if s, ok := m[k]; ok {
			flags[k] = s == "ACCEPT"
		}
	}
	return fromFlags(flags), nil
}

func decodeIubenda(v string) (Decision, error) {
	var c struct {
		Consent  *bool           `json:"consent"`
		Purposes map[string]bool `json:"purposes"`
	}
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("iubenda", "_iub_cs: %v", err)
	}
	if c.Purposes == nil {
		if c.Consent == nil {
			return Decision{}, undecodable("iubenda", "_iub_cs has neither purposes nor consent")
		}
		return fromFlags(map[string]bool{"consent": *c.Consent}), nil
	}
	flags := map[string]bool{}
	for k, on := range c.Purposes {
		if k != "1" { // purpose 1 is "strictly necessary"
			flags["purpose"+k] = on
		}
	}
	return fromFlags(flags), nil
}

func decodeCookieFirst(v string) (Decision, error) {
	var c map[string]any
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("cookiefirst", "cookiefirst-consent: %v", err)
	}
	flags := map[string]bool{}
	for _, k := range []string{"performance", "functional", "advertising"} {
		if b, ok := c[k].(bool); ok {
			flags[k] = b
		}
	}
	if len(flags) == 0 {
		return Decision{}, undecodable("cookiefirst", "cookiefirst-consent has no categories")
	}
	return fromFlags(flags), nil
}

func decodeTermly(v string) (Decision, error) {
	var c struct {
		Consent *struct {
			Value map[string]bool `json:"value"`
		} `json:"TERMLY_COOKIE_CONSENT"`
	}
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return Decision{}, undecodable("termly", "TERMLY_API_CACHE: %v", err)
	}
	if c.Consent == nil {
		return Decision{Choice: ChoiceNone, Detail: "no TERMLY_COOKIE_CONSENT"}, nil
	}
	flags := map[string]bool{}
	for k, on := range c.Consent.Value {
		if k != "essential" {
			flags[k] = on
		}
	}
	return fromFlags(flags), nil
}

func decodeAxeptio(v string) (Decision, error) {
	var c map[string]any
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("axeptio", "axeptio_cookies: %v", err)
	}
	// "$$completed" false means the widget wrote its defaults before any choice.
	if done, _ := c["$$completed"].(bool); !done {
		return Decision{Choice: ChoiceNone, Detail: "$$completed=false"}, nil
	}
	flags := map[string]bool{}
	for k, x := range c {
		if b, ok := x.(bool); ok && !strings.HasPrefix(k, "$$") {
			flags[k] = b
		}
	}
	return fromFlags(flags), nil
}

func decodeKlaro(v string) (Decision, error) {
	var raw map[string]any
	if err := json.Unmarshal([]byte(unescape(v)), &raw); err != nil {
		return Decision{}, undecodable("klaro", "klaro: %v", err)
	}
	// Every value is a service's true or false; anything else (null) is not
	// Klaro's record and must not read as a refusal.
	m := make(map[string]bool, len(raw))
	for k, x := range raw {
		b, ok := x.(bool)
		if !ok {
			return Decision{}, undecodable("klaro", "service %q is %v, not true or false", k, x)
		}
		m[k] = b
	}
	// Klaro stores required services as true too; the fixture and real
	// configs name them; without the config we treat every false as a refusal.
	d := fromFlags(m)
	if d.Choice == ChoicePartial {
		on := 0
		for _, b := range m {
			if b {
				on++
			}
		}
		// Only required services left on reads as a reject.
		if on <= 1 {
			d.Choice = ChoiceReject
		}
	}
	return d, nil
}

func decodeCookieScript(v string) (Decision, error) {
	var c struct {
		Action     string `json:"action"`
		Categories string `json:"categories"`
	}
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("cookiescript", "CookieScriptConsent: %v", err)
	}
	var cats []string
	if c.Categories != "" {
		if err := json.Unmarshal([]byte(c.Categories), &cats); err != nil {
			return Decision{}, undecodable("cookiescript", "categories: %v", err)
		}
	}
	d := Decision{Detail: fmt.Sprintf("action=%s categories=%v", c.Action, cats)}
	switch {
	case c.Action == "reject" && len(cats) == 0:
		d.Choice = ChoiceReject
	case c.Action == "accept" && len(cats) > 0:
		d.Choice = ChoiceAccept
	case c.Action == "":
		d.Choice = ChoiceNone
	default:
		d.Choice = ChoicePartial
	}
	return d, nil
}

func decodeCivic(v string) (Decision, error) {
	var c struct {
		Optional     map[string]string `json:"optionalCookies"`
		Interacted   bool              `json:"interactedWith"`
		NecessaryOff []string          `json:"necessaryCookies"`
	}
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("civic", "CookieControl: %v", err)
	}
	if !c.Interacted {
		return Decision{Choice: ChoiceNone, Detail: "interactedWith=false"}, nil
	}
	flags := map[string]bool{}
	for k, s := range c.Optional {
		flags[k] = s == "accepted"
	}
	return fromFlags(flags), nil
}

func decodeMoove(v string) (Decision, error) {
	var c map[string]string
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("moove", "moove_gdpr_popup: %v", err)
	}
	flags := map[string]bool{}
	for _, k := range []string{"thirdparty", "advanced"} {
		if s, ok := c[k]; ok {
			flags[k] = s == "1"
		}
	}
	if len(flags) == 0 {
		return Decision{}, undecodable("moove", "moove_gdpr_popup has no categories")
	}
	return fromFlags(flags), nil
}

// grantedOnly is the decision of a record that lists only what was
// granted: nothing optional is a reject; anything else is judged against
// the site's configured categories by the engine, so alone it is partial.
func grantedOnly(granted []string, detail string) Decision {
	sort.Strings(granted)
	d := Decision{Granted: granted, Detail: fmt.Sprintf("%s %v", detail, granted)}
	if len(granted) == 0 {
		d.Choice = ChoiceReject
		return d
	}
	d.Choice = ChoicePartial
	d.Detail += " (configured categories unknown)"
	return d
}

// decodeVanillaCookieConsent reads vanilla-cookieconsent's cc_cookie: JSON
// whose categories list the accepted categories, the necessary one too.
func decodeVanillaCookieConsent(v string) (Decision, error) {
	var c struct {
		Categories *[]string `json:"categories"`
		ConsentID  string    `json:"consentId"`
	}
	if err := json.Unmarshal([]byte(unescape(v)), &c); err != nil {
		return Decision{}, undecodable("vanillacookieconsent", "cc_cookie: %v", err)
	}
	if c.Categories == nil || c.ConsentID == "" {
		return Decision{}, undecodable("vanillacookieconsent", "cc_cookie has no categories or consentId")
	}
	granted := []string{}
	for _, k := range *c.Categories {
		if !necessaryName(k) {
			granted = append(granted, k)
		}
	}
	return grantedOnly(granted, "accepted categories"), nil
}

// decodeTarteaucitron reads the tarteaucitron cookie: "!service=true!other=false",
// one entry per service the site declared (tarteaucitron.job); "wait" means
// no answer yet.
func decodeTarteaucitron(v string) (Decision, error) {
	v = unescape(v)
	if !strings.HasPrefix(v, "!") {
		return Decision{}, undecodable("tarteaucitron", "cookie %.40q does not start with !", v)
	}
	flags := map[string]bool{}
	waiting := false
	for _, part := range strings.Split(v[1:], "!") {
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok || k == "" {
			return Decision{}, undecodable("tarteaucitron", "entry %.40q is not service=state", part)
		}
		switch val {
		case "true":
			flags[k] = true
		case "false":
			flags[k] = false
		case "wait":
			waiting = true
		default:
			return Decision{}, undecodable("tarteaucitron", "service %s has state %.20q", k, val)
		}
	}
	if waiting || len(flags) == 0 {
		return Decision{Choice: ChoiceNone, Detail: "no answer yet"}, nil
	}
	return fromFlags(flags), nil
}
