package declaration

import (
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
)

// Name shapes that real declarations use and the reader once got wrong:
// placeholders written with a space, storage names joined by "||", a
// one-word purpose below a one-word name, and emphasis in prose.

func declaredByName(d *cookie.Declaration) map[string]cookie.Declared {
	m := map[string]cookie.Declared{}
	for _, c := range d.Cookies {
		m[c.Name] = c
	}
	return m
}

func TestSizedPlaceholderNames(t *testing.T) {
	// A platform's declaration re-typed into a site's own table: the
	// session cookie named by 32 hexadecimal digits is written "hex (32)",
	// and its provider is the site itself.
	page := `<html lang="de"><body><h2>Notwendig (2)</h2><table>
<tr><th>Name</th><th>Anbieter</th><th>Zweck</th><th>Dauer</th><th>Typ</th></tr>
<tr><td>CookieConsent</td><td>Cookiebot</td><td>Speichert den Zustimmungsstatus.</td><td>1 Jahr</td><td>HTTP</td></tr>
<tr><td>hex (32)</td><td>Dieser Dienst</td><td>Verwaltet die Sitzung des Besuchers.</td><td>Sitzung</td><td>HTTP</td></tr>
<tr><td>_hjSession_&lt;site id&gt;</td><td>Hotjar</td><td>Hält die Daten einer Sitzung zusammen.</td><td>30 Minuten</td><td>HTTP</td></tr>
<tr><td>wp_[hex (32)]</td><td>Dieser Dienst</td><td>Merkt sich die Sprache.</td><td>1 Jahr</td><td>HTTP</td></tr>
</table></body></html>`
	d := parseString(t, page, "text/html")
	got := declaredByName(d)
	hex, ok := got["hex (32)"]
	if !ok {
		t.Fatalf("hex (32) not read as a name: %v", d.Cookies)
	}
	if hex.Category != cookie.Necessary || hex.Lifespan.Kind != cookie.LifespanSession {
		t.Errorf("hex (32): category %q, lifespan %v", hex.Category, hex.Lifespan)
	}
	matches := func(c cookie.Declared, name string) bool {
		for _, n := range c.Names {
			if n.Matches(name) {
				return true
			}
		}
		return false
	}
	if !matches(hex, "3f2a9c0d4b5e6f708192a3b4c5d6e7f8") || matches(hex, "3f2a9c0d") || matches(hex, "hex (32)x") {
		t.Errorf("hex (32) should stand for exactly 32 hexadecimal digits: %q", hex.PatternRegexp)
	}
	if c, ok := got["_hjSession_<site id>"]; !ok || !matches(c, "_hjSession_1234567") {
		t.Errorf("_hjSession_<site id> not read as a pattern: %v", got)
	}
	if c, ok := got["wp_[hex (32)]"]; !ok || !matches(c, "wp_0123456789abcdef0123456789abcdef") {
		t.Errorf("wp_[hex (32)] not read as a pattern: %v", got)
	}
	// The site's own service is no vendor of itself.
	for _, v := range d.Vendors {
		if strings.EqualFold(v.Name, "Dieser Dienst") {
			t.Errorf("the site's own service listed as a vendor: %v", d.Vendors)
		}
	}
	if hex.Vendor != "Dieser Dienst" {
		t.Errorf("the provider cell is kept on the cookie as written: %q", hex.Vendor)
	}
}

func TestPlainWordsAreNoSizedPlaceholder(t *testing.T) {
	for _, s := range []string{"Statistik (3)", "hex", "hex (0)", "Cookies (12)", "hex (32) and more"} {
		if _, ok := sizedPlaceholder(s); ok {
			t.Errorf("%q read as a sized placeholder", s)
		}
	}
}

// cookiebotMarkdown is the shape of a Cookiebot dialog copied to Markdown:
// a provider group, then for each item its name in bold, its purpose, and
// its fields in bold labels, all on one line.
const cookiebotMarkdown = `## Marketing

*   [YouTube 3](https://example.test/#)**VISITOR_PRIVACY_METADATA**Stores the user's cookie consent state for the current domain.**Maximum Storage Duration**: 180 days**Type**: HTTP Cookie  **swpushnotificationsdb||swpushnotificationsstore**Used to deliver notifications.**Maximum Storage Duration**: Persistent**Type**: IndexedDB  **yt-remote-cast-installed**Stores the user's video player preferences.**Maximum Storage Duration**: Session**Type**: HTML Local Storage
*   [example.test 2](https://example.test/#)**uid**Pending**Maximum Storage Duration**: Session**Type**: HTTP Cookie  **sess_ab**Pending**Maximum Storage Duration**: 1 day**Type**: HTTP Cookie
`

func TestStorageNameWithDoublePipe(t *testing.T) {
	d := parseString(t, cookiebotMarkdown, "text/markdown")
	got := declaredByName(d)
	c, ok := got["swpushnotificationsdb||swpushnotificationsstore"]
	if !ok {
		t.Fatalf("an IndexedDB name with || is one name: %v", d.Cookies)
	}
	if c.Lifespan.Kind != cookie.LifespanPersistent || c.Category != cookie.Marketing {
		t.Errorf("its fields: lifespan %v, category %q", c.Lifespan, c.Category)
	}
	for _, n := range []string{"swpushnotificationsdb", "swpushnotificationsstore"} {
		if _, ok := got[n]; ok {
			t.Errorf("%s split off as a name of its own", n)
		}
	}
	// A single "|" still separates names.
	if ns := splitNames("_ga | _gid"); len(ns) != 2 {
		t.Errorf("_ga | _gid: %v", ns)
	}
}

func TestOneWordPurposeIsNoName(t *testing.T) {
	d := parseString(t, cookiebotMarkdown, "text/markdown")
	got := declaredByName(d)
	if _, ok := got["Pending"]; ok {
		t.Errorf("the placeholder purpose Pending read as a name: %v", d.Cookies)
	}
	uid, ok := got["uid"]
	if !ok {
		t.Fatalf("the bold one-word name uid is missed: %v", d.Cookies)
	}
	if uid.Purpose != "Pending" || uid.Lifespan.Kind != cookie.LifespanSession {
		t.Errorf("uid: purpose %q, lifespan %v", uid.Purpose, uid.Lifespan)
	}
	if _, ok := got["sess_ab"]; !ok {
		t.Errorf("sess_ab missed: %v", d.Cookies)
	}
}

func TestEmphasisInProseIsNoName(t *testing.T) {
	text := "Les _traceurs_ déposés sur votre ordinateur nous permettent de mesurer l'audience.\n" +
		"Le cookie _pk_id conserve un identifiant de visiteur pendant 13 mois.\n"
	d := parseString(t, text, "text/plain")
	got := declaredByName(d)
	if _, ok := got["_traceurs_"]; ok {
		t.Errorf("an emphasised word read as a cookie name: %v", d.Cookies)
	}
	if _, ok := got["_pk_id"]; !ok {
		t.Errorf("a real name in the same prose is missed: %v", d.Cookies)
	}
	for _, tok := range []string{"_ga_", "_pk_", "__utm_", "_ga4_"} {
		if isEmphasis(tok) {
			t.Errorf("%q taken for emphasis", tok)
		}
	}
}

func TestPixelPathWithTrailingSlash(t *testing.T) {
	ns := splitNames("pagead/landing/#/")
	if len(ns) != 1 || ns[0].Pattern == "" {
		t.Fatalf("a pixel path ending with its slash: %v", ns)
	}
	if ns := splitNames("cookies/"); ns != nil {
		t.Errorf("a lone word with a slash is no path: %v", ns)
	}
}
