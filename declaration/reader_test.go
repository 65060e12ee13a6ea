package declaration

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/cookie"
)

// Tests for each way of writing a declaration that issue 10 lists. The
// documents are written here, in the shapes real declarations take; each
// test failed on the reader before the issue.

func parseString(t *testing.T, body, contentType string) *cookie.Declaration {
	t.Helper()
	d, err := Parse(&Page{URL: "https://shop.test/cookies", Body: []byte(body), ContentType: contentType}, Options{})
	if err != nil && d == nil {
		t.Fatal(err)
	}
	return d
}

// entries renders the cookies as "name | vendor | category | lifespan".
func entries(d *cookie.Declaration) []string {
	var out []string
	for _, c := range d.Cookies {
		out = append(out, fmt.Sprintf("%s | %s | %s | %s", c.Name, c.Vendor, c.Category, c.Lifespan.Text))
	}
	return out
}

func vendorNames(d *cookie.Declaration) []string {
	var out []string
	for _, v := range d.Vendors {
		out = append(out, v.Name)
	}
	sort.Strings(out)
	return out
}

func checkEntries(t *testing.T, d *cookie.Declaration, want []string) {
	t.Helper()
	if diff := cmp.Diff(want, entries(d)); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
}

// 1. Platform markup in a language without header words we know: a
// Cookiebot declaration in Danish with [xN] rows, several provider domains
// in one cell and local storage and IndexedDB rows; category from the
// platform's section whatever its language.
func TestCookiebotMarkupInDanish(t *testing.T) {
	d := parseString(t, `<div id="CookieDeclaration"><div class="CookieDeclarationType">
<div class="CookieDeclarationTypeHeader">Statistik (3)</div>
<div class="CookieDeclarationTypeDescription">Statistiske cookies hjælper webstedets ejer med at forstå, hvordan besøgende interagerer.</div>
<table class="CookieDeclarationTable"><tr><th class="CookieDeclarationTableHeader">Navn</th><th class="CookieDeclarationTableHeader">Udbyder</th>
<th class="CookieDeclarationTableHeader">Formål</th><th class="CookieDeclarationTableHeader">Udløb</th><th class="CookieDeclarationTableHeader">Type</th></tr>
<tr><td class="CookieDeclarationTableCell">_ga [x3]</td><td class="CookieDeclarationTableCell">Google<br>google.com<br>google.dk</td>
<td class="CookieDeclarationTableCell">Registrerer et unikt ID.</td><td class="CookieDeclarationTableCell">2 år</td><td class="CookieDeclarationTableCell">HTTP Cookie</td></tr>
<tr><td class="CookieDeclarationTableCell">_hjSession_#</td><td class="CookieDeclarationTableCell">Hotjar</td>
<td class="CookieDeclarationTableCell">Indsamler statistik.</td><td class="CookieDeclarationTableCell">1 dag</td><td class="CookieDeclarationTableCell">HTML Local Storage</td></tr>
<tr><td class="CookieDeclarationTableCell">ytidb::LAST_RESULT_ENTRY_KEY</td><td class="CookieDeclarationTableCell">YouTube</td>
<td class="CookieDeclarationTableCell">Gemmer det seneste søgeresultat.</td><td class="CookieDeclarationTableCell">Vedvarende</td><td class="CookieDeclarationTableCell">IndexedDB</td></tr>
</table></div></div>`, "text/html")
	checkEntries(t, d, []string{
		"_ga | Google | statistics | 2 år",
		"_hjSession_# | Hotjar | statistics | 1 dag",
		"ytidb::LAST_RESULT_ENTRY_KEY | YouTube | statistics | Vedvarende",
	})
	if d.Cookies[0].CategoryText != "Statistik (3)" {
		t.Errorf("category stated by %q, want the section heading", d.Cookies[0].CategoryText)
	}
}

// A OneTrust cookie list whose headers are in no language we have words for:
// host rows whose name cell and lifespan cell are comma lists paired by
// position.
func TestOneTrustListUnknownHeaders(t *testing.T) {
	d := parseString(t, `<div id="ot-sdk-cookie-policy"><section>
<h4 class="ot-sdk-cookie-policy-group">Analityczne pliki cookie</h4>
<table><thead><tr><th class="ot-host">Podgrupa</th><th class="ot-cookies">Pliki</th><th class="ot-life-span">Okres życia</th></tr></thead>
<tbody><tr><td class="ot-host-td">sklep.test</td><td class="ot-cookies-td"><a href="#">_ga</a>, <a href="#">_gid</a>, <a href="#">_gat_UA-1234</a></td>
<td class="ot-life-span-td">730 dni, 1 dni, 1 minuta</td></tr>
<tr><td class="ot-host-td">doubleclick.net</td><td class="ot-cookies-td"><a href="#">IDE</a></td><td class="ot-life-span-td">390 dni</td></tr></tbody></table>
</section></div>`, "text/html")
	checkEntries(t, d, []string{
		"_ga | sklep.test | statistics | 730 dni",
		"_gid | sklep.test | statistics | 1 dni",
		"_gat_UA-1234 | sklep.test | statistics | 1 minuta",
		"IDE | doubleclick.net | statistics | 390 dni",
	})
}

// 2. Any table: the name column is found by what its cells look like, in a
// language we have no header words for (Czech); upper-case names count in
// the name column; "og" joins names; "(lokal lagring)" is an annotation.
// A Type column that says "Statistics" states the category, also under a
// heading that names another.
func TestTableByCellShape(t *testing.T) {
	d := parseString(t, `<h2>Marketingové soubory</h2><table>
<tr><td>Název</td><td>Poskytovatel</td><td>Účel</td><td>Platnost</td><td>Druh</td></tr>
<tr><td>PHPSESSID</td><td>shop.test</td><td>Udržuje relaci přihlášeného uživatele.</td><td>Session</td><td>Necessary</td></tr>
<tr><td>_ga og _gid</td><td>google.com</td><td>Rozlišuje jednotlivé návštěvníky webu.</td><td>2 years</td><td>Statistics</td></tr>
<tr><td>cart_state (lokal lagring)</td><td>shop.test</td><td>Pamatuje si obsah košíku.</td><td>30 days</td><td>Necessary</td></tr>
</table>`, "text/html")
	checkEntries(t, d, []string{
		"PHPSESSID | shop.test | necessary | Session",
		"_ga | google.com | statistics | 2 years",
		"_gid | google.com | statistics | 2 years",
		"cart_state | shop.test | necessary | 30 days",
	})
	for _, c := range d.Cookies {
		if c.Name == "_ga" && c.CategoryText != "Statistics" {
			t.Errorf("_ga: category stated by %q, want the row's own cell", c.CategoryText)
		}
	}
}

// A Markdown table in a Romance language with upper-case first-party names;
// its heading is no cookie.
func TestMarkdownTableUpperCaseNames(t *testing.T) {
	d := parseString(t, "# Política de cookies\n\n## Cookies técnicas (necesarias)\n\n"+
		"| Nombre | Proveedor | Finalidad | Duración |\n|---|---|---|---|\n"+
		"| `JSESSIONID` | tienda.test | Mantiene la sesión | Sesión |\n"+
		"| `NID` | Google | Guarda preferencias | 6 meses |\n", "text/plain")
	checkEntries(t, d, []string{
		"JSESSIONID | tienda.test | necessary | Sesión",
		"NID | Google | necessary | 6 meses",
	})
}

// 3. Lists and prose: "name: description" and "name – description"
// bullets, a slash-joined pair, wildcards, several names joined by the
// language's "and", and names in a sentence about cookies.
func TestListsOfNames(t *testing.T) {
	d := parseString(t, `<h3>Statistik-Cookies</h3><ul>
<li><code>_pk_id.*</code>: speichert eine Besucher-ID (Speicherdauer: 13 Monate)</li>
<li><strong>_hjSession_*</strong> – Sitzung von Hotjar, 30 Minuten</li>
<li>_ga/_gid: unterscheiden Nutzer, bis zu 2 Jahre</li>
<li>_pk_ses und _pk_cvar werden für 30 Minuten gespeichert.</li>
</ul>`, "text/html")
	checkEntries(t, d, []string{
		"_pk_id.* |  | statistics | 13 Monate",
		"_hjSession_* | Hotjar | statistics | 30 Minuten",
		"_ga |  | statistics | 2 Jahre",
		"_gid |  | statistics | 2 Jahre",
		"_pk_ses |  | statistics | 30 Minuten",
		"_pk_cvar |  | statistics | 30 Minuten",
	})
}

// Storage keys laid out as records (key, type, description), as app
// settings screens list them.
func TestRecordsOfStorageKeys(t *testing.T) {
	d := parseString(t, "Lokal gespeicherte Daten\nisLoggedIn\nBoolean\nSpeichert, ob Sie angemeldet sind.\n"+
		"cache_user_data\nJSON String\nZwischengespeicherte Daten.\nfontSizeScale\nDouble\nIhre Schriftgröße.\n", "text/plain")
	var got []string
	for _, c := range d.Cookies {
		got = append(got, c.Name)
	}
	if diff := cmp.Diff([]string{"isLoggedIn", "cache_user_data", "fontSizeScale"}, got); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

// Negated and replaced services are not declared, in several languages;
// a service that merely sets no cookies is still used.
func TestNegatedServices(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"We use cookies. We do not use Google Analytics or Hotjar on this site, but we use Matomo for statistics cookies.", []string{"Matomo"}},
		{"Vi bruger ikke Google Analytics, Facebook Pixel eller Hotjar. Vi indlejrer ikke YouTube-videoer, som ville sætte cookies.", nil},
		{"Wir verwenden keine Cookies von Google Analytics. Für Statistik-Cookies nutzen wir Matomo.", []string{"Matomo"}},
		{"Nous n'utilisons pas Hotjar ni aucun cookie de Criteo.", nil},
		{"Käytämme Google Analyticsin sijaan Matomoa; evästeitä asettaa Hotjar.", []string{"Hotjar"}},
		{"Plausible Analytics does not use cookies; we use it for statistics.", []string{"Plausible Analytics"}},
	} {
		d := parseString(t, c.text, "text/plain")
		if diff := cmp.Diff(c.want, vendorNames(d)); diff != "" {
			t.Errorf("%q: vendors (-want +got):\n%s", c.text, diff)
		}
	}
}

// 5. Categories and lifespans per cookie: from the section heading, the
// category column, or nothing; a category the text does not state stays
// unstated (no CategoryText), so it can never be quoted as the site's claim.
func TestCategoryStatedOrNot(t *testing.T) {
	d := parseString(t, `<p>Vi bruger cookies.</p><table><tr><th>Navn</th><th>Udløb</th></tr>
<tr><td>_fbp</td><td>3 måneder</td></tr></table>`, "text/html")
	if len(d.Cookies) != 1 || d.Cookies[0].CategoryText != "" || d.Cookies[0].Category != "" {
		t.Fatalf("cookies %+v: want _fbp with no category, as the text states none", d.Cookies)
	}
	if d.Cookies[0].Lifespan.Days != 3*31 {
		t.Errorf("lifespan %+v, want 3 months", d.Cookies[0].Lifespan)
	}
}

// 6. Language detection tells the twelve languages apart on ordinary
// declaration sentences (no lang attribute).
func TestLanguageDetection(t *testing.T) {
	for lang, text := range map[string]string{
		"en": "We use cookies to understand how you use the website and to improve your experience with it.",
		"da": "Vi bruger cookies for at forstå, hvordan du bruger hjemmesiden, og hvis du ikke accepterer, gemmes de ikke.",
		"no": "Vi bruker informasjonskapsler for å forstå hvordan du bruker nettstedet, og våre partnere får ikke tilgang.",
		"sv": "Vi använder kakor för att förstå hur du använder webbplatsen och för att förbättra den för dig som besöker oss.",
		"de": "Wir verwenden Cookies, um zu verstehen, wie Sie die Website nutzen, und um die Nutzung für Sie zu verbessern.",
		"nl": "Wij gebruiken cookies om te begrijpen hoe u de website gebruikt en om het gebruik voor u te verbeteren.",
		"fr": "Nous utilisons des cookies pour comprendre comment vous utilisez le site et pour améliorer votre visite.",
		"es": "Utilizamos cookies para entender cómo usa el sitio y para mejorar su experiencia con los servicios del sitio.",
		"it": "Utilizziamo i cookie per capire come usi il sito e per migliorare la tua esperienza con il nostro servizio.",
		"pt": "Utilizamos cookies para entender como você usa o site e para melhorar a sua experiência com os nossos serviços.",
		"pl": "Używamy plików cookies, aby zrozumieć, w jaki sposób korzystasz ze strony, oraz aby ją ulepszać i rozwijać.",
		"fi": "Käytämme evästeitä ymmärtääksemme, miten käytät sivustoa, ja voit estää ne selaimen asetuksista, jos haluat.",
	} {
		if got := detectLanguage("", text); got != lang {
			t.Errorf("%s: detected %q: %s", lang, got, text)
		}
	}
}

// 7. Hostile documents stay bounded: rows, nesting and size.
func TestHostileDocumentsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("<table><tr><th>Name</th><th>Expiry</th></tr>")
	for i := 0; i < maxTableRows*3; i++ {
		fmt.Fprintf(&b, "<tr><td>c_%d</td><td>1 day</td></tr>", i)
	}
	b.WriteString("</table>")
	d := parseString(t, b.String(), "text/html")
	if len(d.Cookies) > maxTableRows {
		t.Errorf("a table of %d rows gave %d cookies; rows must be bounded by %d", maxTableRows*3, len(d.Cookies), maxTableRows)
	}
	deep := strings.Repeat("<div>", 20000) + "<p>_ga: Google Analytics cookie</p>" + strings.Repeat("</div>", 20000)
	_ = parseString(t, deep, "text/html") // must return, bounded by maxDepth

	lines := strings.Repeat("_x_a\nBoolean\nA flag.\n", maxCookies)
	d = parseString(t, lines, "text/plain")
	if len(d.Cookies) > maxCookies {
		t.Errorf("%d cookies from one document, want at most %d", len(d.Cookies), maxCookies)
	}
}

// A table with an empty row of one cell inside a category section (a
// spacer row, as a page builder writes it) once made the reader panic, which
// would have cost the whole scan; it is read like any other table.
func TestEmptySpacerRowInATable(t *testing.T) {
	d := parseString(t, `<h2>Notwendige Cookies</h2><table><tr><th>Name</th><th>Zweck</th><th>Laufzeit</th></tr>
<tr><td colspan="3"></td></tr><tr><td>_sess_x</td><td>Sitzung</td><td>Sitzung</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{"_sess_x |  | necessary | Sitzung"})
}
