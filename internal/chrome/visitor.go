package chrome

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// DefaultLocale is the browser's language when neither --locale nor the
// site's own language says otherwise.
const DefaultLocale = "en-US"

// Locale is what a visitor's browser says about language and place: the
// languages it sends in Accept-Language and navigator.languages, and its
// time zone. Consent banners choose their language, and some their very
// presence (geo rules), from these.
type Locale struct {
	Tag       string // BCP 47, e.g. "da-DK"
	Languages []string
	TimeZone  string // IANA, e.g. "Europe/Copenhagen"
}

// AcceptLanguage is the Accept-Language header value with q-weights.
func (l Locale) AcceptLanguage() string {
	parts := make([]string, len(l.Languages))
	for i, lang := range l.Languages {
		if i == 0 {
			parts[i] = lang
			continue
		}
		parts[i] = fmt.Sprintf("%s;q=%.1f", lang, max(0.1, 1-0.1*float64(i)))
	}
	return strings.Join(parts, ",")
}

var localeTag = regexp.MustCompile(`^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|[0-9]{3}))?$`)

// zoneByRegion gives the capital's time zone of the countries whose
// languages the scanner reads (and a few neighbours); a language alone maps
// through its main country.
var zoneByRegion = map[string]string{
	"DK": "Europe/Copenhagen", "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "FI": "Europe/Helsinki",
	"DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "NL": "Europe/Amsterdam",
	"BE": "Europe/Brussels", "FR": "Europe/Paris", "ES": "Europe/Madrid", "IT": "Europe/Rome",
	"PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "BR": "America/Sao_Paulo", "GB": "Europe/London",
	"IE": "Europe/Dublin", "US": "America/New_York", "CA": "America/Toronto", "AU": "Australia/Sydney",
	"IS": "Atlantic/Reykjavik", "EE": "Europe/Tallinn", "LV": "Europe/Riga", "LT": "Europe/Vilnius",
	"CZ": "Europe/Prague", "GR": "Europe/Athens", "LU": "Europe/Luxembourg", "MX": "America/Mexico_City",
}

var regionByLanguage = map[string]string{
	"da": "DK", "sv": "SE", "no": "NO", "nb": "NO", "nn": "NO", "fi": "FI", "de": "DE", "nl": "NL",
	"fr": "FR", "es": "ES", "it": "IT", "pl": "PL", "pt": "PT", "en": "US", "is": "IS", "et": "EE",
	"lv": "LV", "lt": "LT", "cs": "CZ", "el": "GR",
}

// ParseLocale turns "da", "da-DK" or "da_DK" into a Locale. An empty tag
// gives DefaultLocale.
func ParseLocale(tag string) (Locale, error) {
	if strings.TrimSpace(tag) == "" {
		tag = DefaultLocale
	}
	m := localeTag.FindStringSubmatch(strings.TrimSpace(tag))
	if m == nil {
		return Locale{}, fmt.Errorf("locale %q: want a language tag such as da-DK, de or en-GB", tag)
	}
	lang := strings.ToLower(m[1])
	region := strings.ToUpper(m[2])
	if region == "" {
		region = regionByLanguage[lang]
	}
	l := Locale{Tag: lang}
	if region != "" {
		l.Tag += "-" + region
		l.Languages = append(l.Languages, l.Tag)
	}
	l.Languages = append(l.Languages, lang)
	if lang != "en" {
		l.Languages = append(l.Languages, "en")
	}
	l.TimeZone = zoneByRegion[region]
	if l.TimeZone == "" {
		l.TimeZone = "UTC"
	}
	return l, nil
}

// LocaleFromLang derives the locale from a page's <html lang> (or
// Content-Language): the site's own language is what its visitors use.
// Anything unparsable gives DefaultLocale.
func LocaleFromLang(lang string) Locale {
	lang, _, _ = strings.Cut(strings.TrimSpace(lang), ",")
	if l, err := ParseLocale(lang); err == nil {
		return l
	}
	l, _ := ParseLocale(DefaultLocale)
	return l
}

// identity is the user agent a tab presents: a desktop Chrome of the same
// version, with nothing that says headless or automated.
type identity struct {
	userAgent string
	meta      *emulation.UserAgentMetadata
	locale    Locale
}

var versionRE = regexp.MustCompile(`(\d+)\.(\d+)\.(\d+)\.(\d+)`)

// newIdentity builds the identity from a version string such as
// "HeadlessChrome/156.0.8078.114" or "Chromium 156.0.8078.114 built on …".
func newIdentity(version string, loc Locale) identity {
	full := versionRE.FindString(version)
	if full == "" {
		full = "130.0.0.0"
	}
	major, _, _ := strings.Cut(full, ".")
	osPart, platform, platformVersion, arch := uaPlatform()
	ua := fmt.Sprintf("Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%s.0.0.0 Safari/537.36", osPart, major)
	brands := func(v string, long bool) []*emulation.UserAgentBrandVersion {
		nb := "8"
		if long {
			nb = "8.0.0.0"
		}
		return []*emulation.UserAgentBrandVersion{{Brand: "Not:A-Brand", Version: nb}, {Brand: "Chromium", Version: v}, {Brand: "Google Chrome", Version: v}}
	}
	return identity{userAgent: ua, locale: loc, meta: &emulation.UserAgentMetadata{
		Brands: brands(major, false), FullVersionList: brands(full, true),
		Platform: platform, PlatformVersion: platformVersion, Architecture: arch, Model: "", Mobile: false, Bitness: "64",
	}}
}

func uaPlatform() (osPart, platform, platformVersion, arch string) {
	arch = "x86"
	if runtime.GOARCH == "arm64" {
		arch = "arm"
	}
	switch runtime.GOOS {
	case "darwin":
		return "Macintosh; Intel Mac OS X 10_15_7", "macOS", "14.0.0", arch
	case "windows":
		return "Windows NT 10.0; Win64; x64", "Windows", "15.0.0", arch
	}
	if arch == "arm" {
		return "X11; Linux aarch64", "Linux", "", arch
	}
	return "X11; Linux x86_64", "Linux", "", arch
}

// hideAutomation backs up --disable-blink-features=AutomationControlled on
// browsers we did not start (ws://), whose flags are not ours.
const hideAutomation = `if (navigator.webdriver) { try { Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false, configurable: true }); } catch (e) {} }`

// apply sets the identity on one tab: user agent with client hints,
// languages and time zone. It is the first action a new tab runs.
func (id identity) apply(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: id.userAgent, AcceptLanguage: id.locale.AcceptLanguage(), Platform: id.meta.Platform, UserAgentMetadata: id.meta,
	}); err != nil {
		return fmt.Errorf("chrome: user agent: %w", err)
	}
	if id.locale.TimeZone != "" {
		if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: id.locale.TimeZone}); err != nil {
			return fmt.Errorf("chrome: time zone %s: %w", id.locale.TimeZone, err)
		}
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hideAutomation}); err != nil {
		return fmt.Errorf("chrome: automation flag: %w", err)
	}
	return nil
}

// binaryVersion asks the Chrome binary for its version, so the user agent
// flag (which reaches workers and every tab) can match it. Failure is not
// fatal: the per-tab override still applies.
func binaryVersion(path string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// visitorFlags are the process-wide half of the identity: they reach every
// target, workers and tabs opened without PrepareTab included.
func visitorFlags(id identity) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		// navigator.webdriver stays false, as in a visitor's browser.
		chromedp.Flag("disable-blink-features", "AutomationControlled"),
		chromedp.UserAgent(id.userAgent),
		chromedp.Flag("lang", id.locale.Tag),
		chromedp.Flag("accept-lang", strings.Join(id.locale.Languages, ",")),
		chromedp.Env("TZ=" + id.locale.TimeZone),
	}
}
