package declaration

import (
	"fmt"
	"github.com/cookiescan/cookiescan/cookie"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A provider named once for the cookies below it (rowspan), and a purpose
// cell spanning two columns (colspan): each row still gets every column.
func TestTableCellSpans(t *testing.T) {
	d := parseString(t, `<h2>Cookies</h2><table>
<tr><th>Provider</th><th>Cookie</th><th>Purpose</th><th>Expiry</th></tr>
<tr><td rowspan="3">shop.test</td><td>cart_id</td><td rowspan="2">Keeps the basket</td><td>Session</td></tr>
<tr><td>cart_ts</td><td>1 day</td></tr>
<tr><td>lang_pref</td><td colspan="2">Remembers the language for 1 year</td></tr>
<tr><td>Google</td><td>_ga</td><td>Distinguishes visitors</td><td>2 years</td></tr>
</table>`, "text/html")
	checkEntries(t, d, []string{
		"cart_id | shop.test |  | Session",
		"cart_ts | shop.test |  | 1 day",
		"lang_pref | shop.test |  | Remembers the language for 1 year",
		"_ga | Google |  | 2 years",
	})
}

// A Markdown page (static-site content) whose cookie table is HTML, and
// inline HTML in a Markdown table's cells: both read as a page shows them.
func TestHTMLInsideMarkdown(t *testing.T) {
	d := parseString(t, "## Our cookies\n\nThe cookies we set:\n\n<div class=\"table\">\n<table>\n"+
		"  <tr><th>Domain</th><th>Cookie</th><th>Expiry</th></tr>\n"+
		"  <tr><td rowspan=\"2\">shop.test</td><td>cart_id</td><td>Session</td></tr>\n"+
		"  <tr><td>cart_ts</td><td>1 day</td></tr>\n</table>\n</div>\n\n"+
		"## Third parties\n\n| Name | Provider | Expiry |\n|---|---|---|\n"+
		"| `_ga` | <a class=\"x\" href=\"https://policies.google.com/privacy\">Google</a> | 2 years<br/> |\n"+
		"| `_ga_<container-id>` | Google | 2 years |\n", "text/plain")
	checkEntries(t, d, []string{
		"cart_id | shop.test |  | Session",
		"cart_ts | shop.test |  | 1 day",
		"_ga | Google |  | 2 years",
		"_ga_<container-id> | Google |  | 2 years",
	})
}

// Markdown items that hold only names (bold code, "+" between two), each
// described by the paragraph under it; a trailing backslash is a line
// break. Plain-word names count in a run where half have a name's shape; a
// list of field labels laid out the same way gives none.
func TestNamesDescribedUnderTheirItem(t *testing.T) {
	d := parseString(t, "# Cookies\n\nWir verwenden:\n\n"+
		"* __`_pk_id`__  +  __`_pk_ses`__:  \n    Matomo, zählt Besuche anonym\n\n"+
		"* __`theme`__:\n    Speichert das gewählte Farbschema\n\n"+
		"* __`SESSID`__:\\\n    Sitzung eines angemeldeten Benutzers\n", "text/markdown")
	checkEntries(t, d, []string{
		"_pk_id | Matomo | statistics | ",
		"_pk_ses | Matomo | statistics | ",
		"theme |  |  | ",
		"SESSID |  |  | Sitzung",
	})

	d = parseString(t, "# Über uns\n\n* **Ort**:\n    Hamburg, seit 2001\n\n* **Team**:\n    zwölf Leute\n\n"+
		"* **Kontakt**:\n    post@example.test\n", "text/markdown")
	if len(d.Cookies) > 0 {
		t.Errorf("labels read as cookie names: %v", entries(d))
	}
}

// A name column that names providers with their cookies in parentheses; a
// provider alone on its row is a provider, and a group of companies in
// parentheses is no list of cookies.
func TestProviderWithItsNames(t *testing.T) {
	d := parseString(t, `<table>
<tr><td>Cookie</td><td>Bewaartermijn</td><td>Doel</td></tr>
<tr><td>Hotjar (_hjSessionUser, _hjid)</td><td>1 jaar</td><td>Bezoekersgedrag</td></tr>
<tr><td>Meetdienst (MID, MIDR)</td><td>1 jaar</td><td>Bereik meten</td></tr>
<tr><td>Partnernetwerken (adpartner, linkpartner)</td><td>30 dagen</td><td>Vergoeding van partners</td></tr>
<tr><td>Doubleclick</td><td>30 dagen</td><td>Cookies van Doubleclick tonen advertenties</td></tr>
<tr><td>_ga</td><td>2 jaar</td><td>Statistiek</td></tr>
</table>`, "text/html")
	checkEntries(t, d, []string{
		"_hjSessionUser | Hotjar | statistics | 1 jaar",
		"_hjid | Hotjar | statistics | 1 jaar",
		"MID | Meetdienst |  | 1 jaar",
		"MIDR | Meetdienst |  | 1 jaar",
		"_ga |  |  | 2 jaar",
	})
	found := false
	for _, v := range vendorNames(d) {
		found = found || v == "Doubleclick"
	}
	if !found {
		t.Errorf("vendors %v: want Doubleclick, named on its own row", vendorNames(d))
	}
}

// A bold name on its own line, its description, and labelled fields of
// which the type comes between the name and the lifespan; the section
// heading above speaks of cookies and is no vendor.
func TestFieldsBetweenNameAndLifespan(t *testing.T) {
	d := parseString(t, "## Our own cookies\n\n**theme_choice**\\\nRemembers the colour scheme you picked.\\\n"+
		"Type: localStorage \\\nStorage period: 1 year.\n\n**read_count**\\\nHow many articles the list shows.\\\n"+
		"Type: sessionStorage\\\nStorage period: the session.\n", "text/markdown")
	checkEntries(t, d, []string{
		"theme_choice |  |  | 1 year.",
		"read_count |  |  | the session.",
	})
	if v := vendorNames(d); len(v) > 0 {
		t.Errorf("vendors %v: the section heading is no vendor", v)
	}
}

// HTML list items whose first line is the name and whose next line, after
// a line break, says what it does; a plain word there is a service, not a
// cookie.
func TestListItemNameThenLineBreak(t *testing.T) {
	d := parseString(t, `<h3>Nødvendige informasjonskapsler</h3><ul>
<li>shop-consent<br>Husker om du har takket ja eller nei.</li>
<li>basket_token<br/>Holder handlekurven din.</li>
<li>Plausible<br>Bruker ingen informasjonskapsler.</li>
</ul><h3>Statistikk</h3><ul>
<li>ab-variant<br>Hvilken versjon av siden du ser.</li>
<li>offer_seen<br>Om tilbudet er vist.</li>
</ul>`, "text/html")
	checkEntries(t, d, []string{
		"shop-consent |  | necessary | ",
		"basket_token |  | necessary | ",
		"ab-variant |  | statistics | ",
		"offer_seen |  | statistics | ",
	})
}

// HTML list items that open with their names in bold or code, names with
// dots and hyphens but no underscore; a service's name in bold is none.
func TestNamesSetApartByMarkup(t *testing.T) {
	d := parseString(t, `<h3>Niezbędne</h3><ul>
<li><strong>auth.session-token / __Host-auth.csrf</strong> (Logowanie) – cel: logowanie użytkownika; okres: do wylogowania.</li>
<li><code>shop.cart-v2</code>: koszyk, 7 dni</li>
<li><strong>Google Analytics</strong> – statystyki odwiedzin.</li>
<li><strong>Hotjar</strong>: nagrania sesji.</li>
</ul>`, "text/html")
	checkEntries(t, d, []string{
		"auth.session-token |  | necessary | ",
		"__Host-auth.csrf |  | necessary | ",
		"shop.cart-v2 |  | necessary | 7 dni",
	})
}

// A table of processors whose last column holds countries: one-word cells,
// but no cookie names. The same plain words under a header that says they
// are names are names.
func TestPlainWordColumnNeedsItsHeader(t *testing.T) {
	d := parseString(t, `<table><tr><th>Dienst</th><th>Zweck</th><th>Standort</th></tr>
<tr><td>Beispiel Hosting AG</td><td>Server der Website</td><td>Irland (EU)</td></tr>
<tr><td>Muster Mail GmbH</td><td>Versand des Newsletters</td><td>Deutschland</td></tr></table>`, "text/html")
	if len(d.Cookies) > 0 {
		t.Errorf("countries read as cookie names: %v", entries(d))
	}
	d = parseString(t, `<table><tr><th>Cookie</th><th>Zweck</th><th>Speicherdauer</th></tr>
<tr><td>locale</td><td>Sprache der Seite</td><td>1 Jahr</td></tr>
<tr><td>theme</td><td>Helles oder dunkles Design</td><td>1 Jahr</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{"locale |  |  | 1 Jahr", "theme |  |  | 1 Jahr"})
}

// A bulleted list of bare names under the line that introduces them as a
// service's cookies; the same shapes in a list of data fields are none.
func TestBareNamesListedUnderTheirService(t *testing.T) {
	d := parseString(t, "Matomo\nMatomo kan sette følgende informasjonskapsler:\n- _pk_id.*\n- _pk_ses.*\n- _pk_ref\n"+
		"Vi lagrer også disse feltene om deg:\n- user_id\n- last_login\n", "text/plain")
	checkEntries(t, d, []string{
		"_pk_id.* | Matomo | statistics | ",
		"_pk_ses.* | Matomo | statistics | ",
		"_pk_ref | Matomo | statistics | ",
	})
}

// A generated policy's service block: the service on its own line, then
// "Storage duration:" and one "name : lifespan" line per cookie. A
// "key: value" line that is no lifespan, outside such a list, is none.
func TestNameLifespanLinesUnderAService(t *testing.T) {
	d := parseString(t, `<h3>Statistics</h3><div><strong>Hotjar (Hotjar Ltd)</strong><br/>
Hotjar is a heat mapping service.<br/>Personal Data processed: Trackers.<br/>Storage duration:<br/>
_hjSession_* : 30 minutes<br/>_hjid : indefinite</div>
<p>Example configuration:</p><p>server_tz: Europe/Oslo</p>`, "text/html")
	checkEntries(t, d, []string{
		"_hjSession_* | Hotjar | statistics | 30 minutes",
		"_hjid | Hotjar | statistics | indefinite",
	})
}

// A table written out as lines of "name -> provider -> purpose -> expiry".
func TestArrowSeparatedRows(t *testing.T) {
	d := parseString(t, "Cookies técnicas\n"+
		"sesion_id -> Propia -> Mantiene la sesión del usuario. -> Sesión\n"+
		"_gid -> Google -> Distingue a los usuarios. -> 1 día\n"+
		"_gat_UA-1 -> Google -> Limita las peticiones. -> 1 minuto\n", "text/plain")
	// Names and lifespans: the provider column of three rows without a
	// header is not told by shape (docs/declaration-accuracy.md).
	var got []string
	for _, c := range d.Cookies {
		got = append(got, c.Name+" | "+c.Lifespan.Text)
	}
	if diff := cmp.Diff([]string{"sesion_id | Sesión", "_gid | 1 día", "_gat_UA-1 | 1 minuto"}, got); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
}

// Names in prose after an abbreviation's full stop ("o.a.", "z.B."), which
// ends no sentence, and a name joined to the word cookie ("_ga-Cookie").
func TestProseNamesAfterAbbreviations(t *testing.T) {
	d := parseString(t, `<p>Matomo zählt Besuche. Es setzt Cookies, z.B. _pk_id_1, _pk_ses_1. Speicherdauer bis 13 Monate.</p>
<p>U kunt de keuze wijzigen door de site_choice-cookie te verwijderen.</p>`, "text/html")
	var got []string
	for _, c := range d.Cookies {
		got = append(got, c.Name)
	}
	if diff := cmp.Diff([]string{"_pk_id_1", "_pk_ses_1", "site_choice"}, got); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
}

// A definition list: each <dt> names cookies, its <dd> says what they do;
// and a bold pair in which one name is a plain word beside a shaped one.
func TestDefinitionListsAndBoldPairs(t *testing.T) {
	d := parseString(t, `<h3>Analítica</h3><dl>
<dt>shop-visit</dt><dd>Cuenta las visitas. Duración: hasta 1 año.</dd>
<dt>_uid_x</dt><dd>Distingue a los visitantes.</dd>
<dt>AID, TAID</dt><dd>Cookies de terceros del proveedor de mapas.</dd>
</dl><ul><li><strong>SESSID / session</strong> — Session cookie. Expires: Session.</li></ul>`, "text/html")
	var got []string
	for _, c := range d.Cookies {
		got = append(got, c.Name)
	}
	if diff := cmp.Diff([]string{"shop-visit", "_uid_x", "AID", "TAID", "SESSID", "session"}, got); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
}

// Header words of more languages: plain-word names count under a header
// that says they are names (Czech here).
func TestHeaderWordsOfMoreLanguages(t *testing.T) {
	d := parseString(t, `<table><tr><th>Název</th><th>Účel</th><th>Platnost</th></tr>
<tr><td>lang</td><td>Jazyk stránky</td><td>1 rok</td></tr>
<tr><td>theme</td><td>Světlý nebo tmavý vzhled</td><td>1 rok</td></tr></table>`, "text/html")
	var got []string
	for _, c := range d.Cookies {
		got = append(got, c.Name+" | "+c.Lifespan.Text)
	}
	if diff := cmp.Diff([]string{"lang | 1 rok", "theme | 1 rok"}, got); diff != "" {
		t.Errorf("cookies (-want +got):\n%s", diff)
	}
}

// A table's title row, one cell across the table above a header the body
// writes in plain cells, heads the table as a heading would, however long:
// each table's cookies take its category, and the title is no cookie. Two
// names in a cell may be set apart by " / ".
func TestTableTitleRows(t *testing.T) {
	d := parseString(t, `<p><strong>Cookies Analíticos/Estatísticos</strong> - coletam informações sobre a utilização dos Sites.</p>
<table><thead><tr><th colspan="4"><span>Cookies Essenciais (Necessários) fundados em nosso legítimo interesse</span></th></tr></thead>
<tbody><tr><td>Nome</td><td>Provedor</td><td>Prazo</td><td>Tipo</td></tr>
<tr><td>AdoptConsent</td><td>loja.test</td><td>2 meses</td><td>HTTP</td></tr>
<tr><td>JSESSIONID</td><td>loja.test</td><td>Sessão</td><td>HTTP</td></tr></tbody></table>
<table><thead><tr><th colspan="4">Cookies Analíticos fundados no seu consentimento</th></tr></thead>
<tbody><tr><td>Nome</td><td>Provedor</td><td>Prazo</td><td>Tipo</td></tr>
<tr><td>_ga / _ga_*</td><td>google.com</td><td>2 anos</td><td>HTTP</td></tr>
<tr><td>_gid</td><td>google.com</td><td>1 dia</td><td>HTTP</td></tr></tbody></table>`, "text/html")
	checkEntries(t, d, []string{
		"AdoptConsent | loja.test | necessary | 2 meses",
		"JSESSIONID | loja.test | necessary | Sessão",
		"_ga | google.com | statistics | 2 anos",
		"_ga_* | google.com | statistics | 2 anos",
		"_gid | google.com | statistics | 1 dia",
	})
}

// Words of more languages: a French "fonctionnalité" section is one of
// preferences, and a Czech page is told from a Polish one, its months read.
func TestWordsOfMoreLanguagesStill(t *testing.T) {
	d := parseString(t, `<h3>2.3 Cookies de fonctionnalité</h3><p>Ces cookies permettent des fonctionnalités améliorées.</p>
<table><thead><tr><th>Cookie</th><th>Finalité</th><th>Durée</th></tr></thead>
<tbody><tr><td>currency</td><td>Mémoriser votre devise préférée</td><td>1 an</td></tr></tbody></table>`, "text/html")
	checkEntries(t, d, []string{"currency |  | preferences | 1 an"})

	d = parseString(t, `<p>Níže najdete informace o funkcích souborů cookie, které zpracováváme, a o době jejich platnosti. Soubory cookie můžete také kdykoli odstranit, pokud jsou uloženy ve vašem prohlížeči nebo jako data.</p>
<table><tr><th>Název souboru cookie</th><th>Doba platnosti</th><th>Vysvětlení</th></tr>
<tr><td>__utma</td><td>24 měsíců</td><td>Google Analytics</td></tr>
<tr><td>__utmb</td><td>30 minut</td><td>Google Analytics</td></tr></table>`, "text/html")
	if d.Language != "cs" {
		t.Errorf("language %q, want cs", d.Language)
	}
	want := map[string]float64{"__utma": 2 * 365, "__utmb": 30.0 / 1440}
	for _, c := range d.Cookies {
		if days, ok := c.Lifespan.MaxDays(); !ok || math.Abs(days-want[c.Name]) > 1e-6 {
			t.Errorf("%s: lifespan %q read as %v days (%v), want %v", c.Name, c.Lifespan.Text, days, ok, want[c.Name])
		}
	}
	if len(d.Cookies) != 2 {
		t.Errorf("cookies %v, want __utma and __utmb", entries(d))
	}
}

// Services named by the items of a list whose lead-in speaks of cookies,
// and in the provider column of a table without cookie names under a
// category heading, are declared vendors: the item or cell needs no cookie
// word of its own, and the table's header cells do not end the section.
func TestVendorsListedUnderCookieContext(t *testing.T) {
	d := parseString(t, `<h2>3. Cookies tiers</h2>
<p>Certains services tiers intégrés à notre site peuvent déposer leurs propres cookies :</p>
<ul><li><strong>Google Maps</strong> - pour afficher les cartes</li><li><strong>YouTube</strong> - vidéos intégrées</li></ul>
<h3>Markedsføringscookies (tredjepart)</h3>
<table><thead><tr><th>Udbyder</th><th>Formål</th><th>Mere info</th></tr></thead>
<tbody><tr><td>Pinterest</td><td>Viser widget</td><td><a href="https://policy.pinterest.com/">pinterest.com</a></td></tr></tbody></table>
<h2>Kontakt</h2><ul><li>Google Maps: Vejen 1, 8000 Aarhus</li></ul>`, "text/html")
	got := vendorNames(d)
	for _, want := range []string{"Google Maps", "YouTube", "Pinterest"} {
		if !slices.Contains(got, want) {
			t.Errorf("vendors %v: want %s", got, want)
		}
	}
	if len(got) != 3 {
		t.Errorf("vendors %v: want only the three declared services", got)
	}
}

// Records of a name and its description (an HTML item's lines) take the
// one service the description names as the cookie's vendor.
func TestRecordsTakeTheServiceTheirDescriptionNames(t *testing.T) {
	d := parseString(t, `<h2>Frivillige informasjonskapsler</h2><ul>
<li>_hj*<br>Brukes til frivillige brukerundersøkelser via verktøyet Hotjar.</li>
<li>_pk_id*<br>Brukes til statistikk og analyse i verktøyet Matomo.</li>
<li>usertest-*<br>Husker om du har svart på undersøkelsen.</li></ul>`, "text/html")
	checkEntries(t, d, []string{
		"_hj* | Hotjar | statistics | ",
		"_pk_id* | Matomo | statistics | ",
		"usertest-* |  |  | ",
	})
}

// A card or paragraph of a cookie section that opens with a name in
// emphasis is that cookie's entry (hand-made copies of a platform's cookie
// cards); emphasis on a plain word or a service's name opens none.
func TestCardsOpeningWithANameInEmphasis(t *testing.T) {
	d := parseString(t, `<h3>Cookies nécessaires</h3>
<p>Les cookies nécessaires permettent de rendre un site web utilisable.</p>
<div class="cookie-item"><strong>CookieConsent</strong> Stocke l'état du consentement aux cookies de l'utilisateur<br>
<small><strong>Durée maximale de stockage :</strong> 1 an</small></div>
<div class="cookie-item"><strong>__cflb</strong> Enregistre quel cluster de serveurs sert le visiteur.<br>
<small><strong>Type :</strong> Cookie HTTP</small></div>
<p><strong>Remarque</strong> vous pouvez retirer votre consentement à tout moment.</p>
<p><strong>Stripe</strong> traite les paiements.</p>
<h3>À propos</h3><p><strong>TeamViewer</strong> nous aide à vous assister.</p>`, "text/html")
	checkEntries(t, d, []string{
		"CookieConsent |  | necessary | ",
		"__cflb |  | necessary | ",
	})
}

// A heading that is only a cookie's name, followed by labelled fields, is
// that cookie's entry; a purpose field that is only a category's name is the
// category. A heading that names a service or a section above fields is not
// a cookie, nor is a name heading followed by prose.
func TestCookieHeadingsOverLabelledFields(t *testing.T) {
	d := parseString(t, `<h2>Cookies utilizadas</h2>
<h3>_utmb</h3><ul>
<li><strong>Duración:</strong> 30 minutos</li>
<li><strong>Descripción:</strong> Almacena información sobre la visita. Generada por Google Analytics.</li>
<li><strong>Finalidad:</strong> Analítica</li></ul>
<h3>NID</h3><ul>
<li><strong>Duración:</strong> 6 meses</li>
<li><strong>Finalidad:</strong> Personalización</li></ul>
<h3>IDE</h3><ul>
<li><strong>Duración:</strong> 1 año</li>
<li><strong>Finalidad:</strong> Publicidad comportamental</li></ul>
<h3>WordPress</h3><p>Funcional</p>
<h3>__Secure-x</h3><p>Un texto sin campos.</p>`, "text/html")
	checkEntries(t, d, []string{
		"_utmb | Google Analytics | statistics | 30 minutos",
		"NID |  | preferences | 6 meses",
		"IDE |  | marketing | 1 año",
	})
}

// Names in running prose: "X och Y" after a comma, a list after "ex.", and a
// framework's name in capitals beside the word cookie, which takes the
// service of the heading above; capitals in a heading are no name.
func TestNamesInProseOfMoreShapes(t *testing.T) {
	d := parseString(t, `<h2>COOKIE UTILIZZATI</h2>
<p><em>Namn:</em> _ga, _gid och _gat</p>
<p>Folosim cookie-uri de la Google Analytics (ex. _ga4, ajs_user_id) pentru statistici.</p>
<h2>Hotjar</h2>
<p>The NRAGENT cookie is created only when a token is handed out. HTTP cookies are small files.</p>`, "text/html")
	var got []string
	for _, c := range d.Cookies {
		got = append(got, c.Name+" | "+c.Vendor)
	}
	want := []string{"_ga | ", "_gid | ", "_gat | ", "_ga4 | Google Analytics", "ajs_user_id | Google Analytics", "NRAGENT | Hotjar"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

// Category headings and lifespans in Hungarian, Estonian and Romanian.
func TestCategoriesAndUnitsOfEasternEurope(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want []string
	}{
		{`<h3>2.1. Feltétlenül szükséges cookie-k</h3><table><tr><th>Név</th><th>Cél</th><th>Lejárat</th></tr>
<tr><td>next-auth.session-token</td><td>Bejelentkezés</td><td>30 nap</td></tr><tr><td>next-auth.csrf-token</td><td>Védelem</td><td>Munkamenet</td></tr></table>
<h3>2.2. Funkcionális cookie-k</h3><table><tr><th>Név</th><th>Cél</th><th>Lejárat</th></tr><tr><td>theme_mode</td><td>Téma</td><td>1 év</td></tr></table>`,
			[]string{"next-auth.session-token |  | necessary | 30 nap = 30d", "next-auth.csrf-token |  | necessary | Munkamenet = session", "theme_mode |  | preferences | 1 év = 365d"}},
		{`<h2>3. Analüütilised küpsised</h2><table><tr><th>Küpsis</th><th>Eesmärk</th><th>Kehtivus</th></tr>
<tr><td><code>_ga</code></td><td>Google Analytics — külastajate eristamine</td><td>2 aastat</td></tr>
<tr><td><code>_gid</code></td><td>Google Analytics</td><td>Seanss</td></tr></table>
<h2>4. Turundusküpsised</h2><table><tr><th>Küpsis</th><th>Eesmärk</th><th>Kehtivus</th></tr><tr><td><code>_fbp</code></td><td>Facebook</td><td>3 kuud</td></tr></table>`,
			[]string{"_ga | Google Analytics | statistics | 2 aastat = 730d", "_gid | Google Analytics | statistics | Seanss = session", "_fbp | Facebook | marketing | 3 kuud = 93d"}},
		{`<h3>Cookie-uri necesare</h3><table><tr><th>Nume</th><th>Scop</th><th>Durată</th></tr><tr><td>sid_x</td><td>Sesiune</td><td>14 zile</td></tr></table>`,
			[]string{"sid_x |  | necessary | 14 zile = 14d"}},
	} {
		d := parseString(t, c.doc, "text/html")
		var got []string
		for _, ck := range d.Cookies {
			span := "session"
			if days, ok := ck.Lifespan.MaxDays(); ok && ck.Lifespan.Kind != cookie.LifespanSession {
				span = fmt.Sprintf("%gd", math.Round(days))
			}
			got = append(got, fmt.Sprintf("%s | %s | %s | %s = %s", ck.Name, ck.Vendor, ck.Category, ck.Lifespan.Text, span))
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("cookies (-want +got):\n%s", diff)
		}
	}
}

// A table with a "Category" column and a "Type" column of category words
// takes the category from the column that says so, on every run: the
// columns' roles were once assigned in a map's random order.
func TestCategoryColumnBeforeATypeOfCategories(t *testing.T) {
	doc := `<table><tr><td><strong>Cookie name</strong></td><td><strong>Category</strong></td><td><strong>Type</strong></td><td><strong>Storage period</strong></td></tr>
<tr><td>_ga</td><td>Marketing</td><td>Analytical</td><td>2 years</td></tr>
<tr><td>sid_x</td><td>Necessary</td><td>Functional</td><td>Session</td></tr>
<tr><td>_fbp</td><td>Marketing</td><td>Analytical</td><td>3 months</td></tr></table>`
	for range 40 {
		d := parseString(t, doc, "text/html")
		got := entries(d)
		want := []string{"_ga |  | marketing | 2 years", "sid_x |  | necessary | Session", "_fbp |  | marketing | 3 months"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("cookies (-want +got):\n%s", diff)
		}
	}
}

// A service a cookie's description names is declared, though the row's
// provider is its company; one the description denies is not.
func TestServicesNamedInDescriptionsAreDeclared(t *testing.T) {
	d := parseString(t, `<table><tr><th>Name</th><th>Provider</th><th>Purpose</th><th>Expiry</th></tr>
<tr><td>_gcl_au</td><td>Google</td><td>Used by Google AdSense for experimenting with advertisement efficiency.</td><td>3 months</td></tr>
<tr><td>_x_id</td><td>Example</td><td>Our own identifier; we do not use Hotjar.</td><td>1 year</td></tr></table>`, "text/html")
	var got []string
	for _, v := range d.Vendors {
		got = append(got, v.Name)
	}
	if !slices.Contains(got, "Google AdSense") || slices.Contains(got, "Hotjar") {
		t.Errorf("vendors %v, want Google AdSense and not Hotjar", got)
	}
	if e := entries(d); len(e) != 2 || !strings.HasPrefix(e[0], "_gcl_au | Google |") {
		t.Errorf("cookies %v, want _gcl_au of Google and _x_id", e)
	}
}

// A table flattened to lines: "name — lifespan — purpose" rows of a
// Complianz policy under their service, "names (Service): what they do"
// and "name Service what it does" under a line about cookies; a retention
// schedule of the privacy policy,
// in the same shape but far from any cookie, is none.
func TestFlattenedRowsOfNames(t *testing.T) {
	d := parseString(t, `<p><strong>6. Geplaatste cookies</strong></p>
<p><strong>Elementor — Statistieken (anoniem)</strong></p>
<p>Delen van gegevens: Deze data wordt niet gedeeld met derde partijen.</p>
<p>elementor — permanent — Volgen van acties door gebruikers op een webpagina.</p>
<p>cmplz_functional — 365 dagen — Opslaan van voorkeuren.</p>
<p><strong>Specifikke cookies på dette website</strong></p>
<p>ASP.NET_SessionId: Nødvendig teknisk cookie (slettes når browseren lukkes).</p>
<p>_pk_id / _pk_ref (Matomo): Bruges til at genkende besøgende og analysere trafik.</p>
<h2>9. Bewaartermijnen</h2><p>Wij bewaren gegevens niet langer dan nodig.</p><p>Uw rechten staan hieronder.</p>
<p>Contactgegevens en adressen van onze klanten.</p><p>Wij delen niets met derden.</p><p>Vragen kunt u stellen.</p><p>Ook per telefoon.</p>
<p>facturen — 7 jaar — wettelijke bewaarplicht</p>`, "text/html")
	checkEntries(t, d, []string{
		"elementor |  |  | permanent",
		"cmplz_functional |  |  | 365 dagen",
		"ASP.NET_SessionId |  |  | Nødvendig teknisk cookie (slettes når browseren lukkes).",
		"_pk_id | Matomo | statistics | ",
		"_pk_ref | Matomo | statistics | ",
	})
	d = parseString(t, "Desse informasjonskapslane blir nytta\nInformasjonskapsel\nBrukest av\nSkildring\n"+
		"_pk_id* Matomo Denne kapselen skil brukere frå kvarandre.\nMATOMO_SESSID Matomo Denne kapselen gjer det mogleg å unngå sporing.\n", "text/plain")
	checkEntries(t, d, []string{"_pk_id* | Matomo | statistics | ", "MATOMO_SESSID | Matomo | statistics | "})
}

// A table copied out as one cell a line, each ending with the pipe of its
// column, is read as the table it was; a Complianz card of label and value
// lines ("Name", "_calendly_session", "Ablaufdatum", …) is not taken for
// one.
func TestTableCopiedOneCellALine(t *testing.T) {
	d := parseString(t, "Piškotki\nVrsta |\nIme piškotka |\nTrajanje |\nNamen |\nSejni |\npagesession |\ndo konca seje |\nomogoča delovanje spletne strani |\n"+
		"Zunanji |\n__utma, … , __utmz, NID |\ndo 2 leti |\nomogoča delovanje Google Maps zemljevida |\nObiskovalec lahko privolitev umakne.\n", "text/plain")
	checkEntries(t, d, []string{
		"pagesession |  |  | do konca seje",
		"__utma | Google Maps |  | do 2 leti",
		"__utmz | Google Maps |  | do 2 leti",
		"NID | Google Maps |  | do 2 leti",
	})
	var card []block
	for _, l := range strings.Split("Name\n_calendly_session\nAblaufdatum\nSitzung\nFunktion\nSpeichert die Benutzervorlieben\n"+
		"Name\ne_globals\nAblaufdatum\nFunktion\nName\nelementor\nAblaufdatum\nFunktion", "\n") {
		card = append(card, block{text: l})
	}
	for _, b := range regroupCellLines(card) {
		if b.isTable {
			t.Errorf("card lines taken for a table: %v", b.rows)
		}
	}
}

// Services named under a heading that speaks of cookies are named in a
// cookie context, though their own sentence has no cookie word; under the
// next heading of that level that does not, they are not.
func TestServicesUnderACookieHeading(t *testing.T) {
	d := parseString(t, `<h1>Tietosuoja</h1><h2>Kolmansien osapuolten evästeet</h2>
<p>Joidenkin sivujemme sisältö on peräisin ulkopuolisilta palveluntarjoajilta (esim. YouTube, Facebook ja Twitter).</p>
<h2>Yhteystiedot</h2><p>Seuraa meitä Instagramissa ja Instagram-sivullamme: Instagram.</p>`, "text/html")
	var got []string
	for _, v := range d.Vendors {
		got = append(got, v.Name)
	}
	slices.Sort(got)
	if diff := cmp.Diff([]string{"Facebook", "Twitter", "YouTube"}, got); diff != "" {
		t.Errorf("vendors (-want +got):\n%s", diff)
	}
}

// A row of a cookie table that names no cookie still names the services
// whose cookies it stands for, in its first cell or its description.
func TestServicesOfRowsWithoutNames(t *testing.T) {
	d := parseString(t, `<table><tr><th>Cookie</th><th>Bewaartermijn</th><th>Omschrijving</th></tr>
<tr><td>_ga</td><td>2 jaar</td><td>Google Analytics</td></tr>
<tr><td>_gid</td><td>1 dag</td><td>Google Analytics</td></tr><tr><td>_atuvc</td><td>13 maanden</td><td>AddThis</td></tr>
<tr><td>Advertentienetwerken (360 yield, criteo)</td><td>6 maanden</td><td>Cookies van advertentienetwerken.</td></tr>
<tr><td>213.206.117.51</td><td>6 maanden</td><td>Cookies van 213.206.117.51 (Adform) voor advertenties.</td></tr></table>`, "text/html")
	var got []string
	for _, v := range d.Vendors {
		got = append(got, v.Name)
	}
	for _, want := range []string{"Google Analytics", "criteo", "Adform"} {
		if !slices.ContainsFunc(got, func(v string) bool { return strings.EqualFold(v, want) }) {
			t.Errorf("vendors %v lack %s", got, want)
		}
	}
}

// Complianz's "Functional" is its always-active category: its generated
// policy places functional cookies "without your consent", beside a
// Preferences category of its own. In a policy Complianz rendered (its own
// classes), a functional section is necessary; elsewhere "functional" still
// means preferences.
func TestComplianzFunctionalIsNecessary(t *testing.T) {
	d := parseString(t, `<details class="cmplz-dropdown cmplz-service-desc"><summary class="cmplz-service-header"><h3>WordPress</h3><p>Functional</p></summary>
<div class="cookies-per-purpose"><div class="purpose"><h4>Functional</h4></div><div class="name-header"><h5>Name</h5></div><div class="name">wpEmojiSettingsSupports</div>
<div class="retention-header"><h5>Expiration</h5></div><div class="retention">session</div><div class="function-header"><h5>Function</h5></div><div class="function">Store browser details</div></div></details>`, "text/html")
	checkEntries(t, d, []string{"wpEmojiSettingsSupports | WordPress | necessary | session"})
	if d.Platform != "complianz" || slices.Contains(d.Categories, cookie.Preferences) {
		t.Errorf("platform %q, categories %v: want complianz, without preferences", d.Platform, d.Categories)
	}
	d = parseString(t, `<h3>Functional cookies</h3><table><tr><th>Name</th><th>Expiry</th></tr><tr><td>lang_pref</td><td>1 year</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{"lang_pref |  | preferences | 1 year"})
}

// A name cell that sets the name in code and its storage type beside it in
// another element ("<code>vp_admin</code><span class=block>cookie</span>",
// drawn on two lines by CSS): the names, not "vp_admincookie", and the row
// keeps its provider and lifespan.
func TestCodeNameWithATypeBesideIt(t *testing.T) {
	d := parseString(t, `<h2>Necessary cookies</h2><table>
<thead><tr><th>Name</th><th>Provider</th><th>Purpose</th><th>Expiry</th></tr></thead><tbody>
<tr><td><code>shop_consent</code><span class="block">cookie</span></td><td>shop.test</td><td>Remembers the choice.</td><td>12 months</td></tr>
<tr><td><p><code>shop-cart</code> <span class="block">local storage</span></p></td><td>shop.test</td><td>The basket.</td><td>until cleared</td></tr>
<tr><td><code>IDE, test_cookie</code><span class="block">cookie</span></td><td>Google</td><td>Ads.</td><td>13 months</td></tr>
</tbody></table>`, "text/html")
	checkEntries(t, d, []string{
		"shop_consent | shop.test | necessary | 12 months",
		"shop-cart | shop.test | necessary | until cleared",
		"IDE | Google | necessary | 13 months",
		"test_cookie | Google | necessary | 13 months",
	})
}

// An older platform's cookie list pasted into a page: each category a bold
// line with its description after a line break, a "Cookies used" line, the
// names as links, then a table whose first column is headed "Categories"
// but holds the hosts, and whose cookie cells give each name its lifespan
// in parentheses. A bold warning ("ATTENZIONE: …") is no cookie.
func TestOlderPlatformListWithHostsAndLifespansInParentheses(t *testing.T) {
	d := parseString(t, `<p><strong>ATTENZIONE</strong>: disabilitando i cookie tecnici il sito potrebbe non funzionare.</p>
<p><strong>Cookies de rendimiento</strong><br>Estas cookies nos permiten contar las visitas y fuentes de tráfico.<br>
Cookies utilizadas</p>
<ul><li><a href="https://cookiepedia.co.uk/cookies/s_cc">s_cc</a></li><li><a href="https://cookiepedia.co.uk/cookies/_gid">_gid</a></li></ul>
<table><tr><td><p>Categorías</p></td><td><p>Cookies&nbsp;(Vida útil)</p></td></tr>
<tr><td><a href="https://cookiepedia.co.uk/host/.accounts.google.com">accounts.google.com</a></td>
<td><ul><li>__utma&nbsp;(215 days)</li><li>GAPS&nbsp;(&lt; 1 days)</li></ul></td></tr></table>
<p><strong>Cookies dirigidas</strong><br>Estas cookies pueden ser establecidas por nuestros socios publicitarios.</p>
<table><tr><td>Categorías</td><td>Cookies (Vida útil)</td></tr>
<tr><td>facebook.com</td><td><ul><li>fr&nbsp;(21 days)</li></ul></td></tr>
<tr><td>syndication.twitter.com</td><td><ul><li>lang&nbsp;(Session)</li></ul></td></tr></table>`, "text/html")
	checkEntries(t, d, []string{
		"s_cc |  | statistics | ",
		"_gid |  | statistics | ",
		"__utma | accounts.google.com | statistics | 215 days",
		"GAPS | accounts.google.com | statistics | < 1 days",
		"fr | facebook.com | marketing | 21 days",
		"lang | syndication.twitter.com | marketing | Session",
	})
}

// A "Purpose" column that holds category words ("Tecnico", "Analitico")
// states the category; the column of sentences is the purpose.
func TestPurposeColumnOfCategoryWords(t *testing.T) {
	d := parseString(t, `<table><thead><tr><th>Scopo</th><th>Nome tecnico</th><th>Tipo, funzione e scopo del cookie</th><th>Durata</th></tr></thead>
<tbody><tr><td>Tecnico</td><td>ci_session</td><td>Mantiene la sessione di navigazione dell'utente.</td><td>2 ore</td></tr>
<tr><td>Analitico</td><td>_ga</td><td>Distingue gli utenti per le statistiche di Google Analytics.</td><td>2 anni</td></tr></tbody></table>`, "text/html")
	checkEntries(t, d, []string{
		"ci_session |  | necessary | 2 ore",
		"_ga | Google Analytics | statistics | 2 anni",
	})
}

// A consent dialog's groups, each a checkbox with its label and a table:
// a group the visitor cannot turn off (checked and disabled) is the
// category that needs no consent whatever it is called ("Login"); a group
// that can be turned off takes the category its label names.
func TestLockedToggleIsNecessary(t *testing.T) {
	d := parseString(t, `<h2>Cookie settings</h2>
<div class="group"><input type="checkbox" id="login" checked disabled><label for="login">Login</label>
<p>Used when you sign in.</p>
<table><thead><tr><th>Name</th><th>Cookie set by</th><th>Period of validity</th></tr></thead>
<tbody><tr><td>AUTH_SESSION_ID</td><td>login.city.test</td><td>Session</td></tr></tbody></table></div>
<div class="group"><input type="checkbox" id="stats"><label for="stats">Statistics</label>
<table><thead><tr><th>Name</th><th>Cookie set by</th><th>Period of validity</th></tr></thead>
<tbody><tr><td>_pk_id.*</td><td>city.test</td><td>393 days</td></tr></tbody></table></div>
<div class="group"><input type="checkbox" id="chat"><label for="chat">Chat</label>
<table><thead><tr><th>Name</th><th>Cookie set by</th><th>Period of validity</th></tr></thead>
<tbody><tr><td>chat_uid</td><td>chat.test</td><td>1 year</td></tr></tbody></table></div>`, "text/html")
	checkEntries(t, d, []string{
		"AUTH_SESSION_ID | login.city.test | necessary | Session",
		"_pk_id.* | city.test | statistics | 393 days",
		"chat_uid | chat.test |  | 1 year",
	})
}

// A platform's dialog whose category titles are tabs far from the tables:
// each table follows its category's description ("Strictly necessary
// cookies help …", "Statistik-Cookies helfen …"), which names it. A
// general sentence about cookies before a table names none.
func TestCategoryFromTheDescriptionBeforeATable(t *testing.T) {
	table := func(name string) string {
		return `<table><thead><tr><th>Name</th><th>Provider</th><th>Expiry</th></tr></thead><tbody><tr><td>` + name + `</td><td>` + name + `.test</td><td>1 year</td></tr></tbody></table>`
	}
	d := parseString(t, `<div class="tabs"><a href="#">Necessary (1)</a> <a href="#">Preferences (0)</a> <a href="#">Statistics (1)</a> <a href="#">Marketing (0)</a> <a href="#">Unclassified (1)</a></div>
<div>Strictly necessary cookies help make a website usable by enabling basic functions like page navigation.</div>`+table("shop_session")+`
<div>Statistik-Cookies helfen Webseiten-Besitzern zu verstehen, wie Besucher mit Webseiten interagieren.</div>`+table("shop_stats")+`
<div>We list the cookies of this site below, with their providers.</div>`+table("shop_other"), "text/html")
	checkEntries(t, d, []string{
		"shop_session | shop_session.test | necessary | 1 year",
		"shop_stats | shop_stats.test | statistics | 1 year",
		"shop_other | shop_other.test |  | 1 year",
	})
}

// Labelled fields under a category heading ("Type: Persistent and Session
// Cookies") describe its section; they do not end it.
func TestLabelledFieldsKeepTheirSection(t *testing.T) {
	d := parseString(t, "### Essential Cookies\n\n**Type:** Persistent and Session Cookies\n\n**Administered by:** Us\n\n"+
		"| Name | Purpose | Expiry |\n|---|---|---|\n| `_shop_session` | Temporary session data | Session |\n", "text/markdown")
	checkEntries(t, d, []string{"_shop_session |  | necessary | Session"})
}

// A row of a name several services set lists one provider a line
// (Cookiebot's "[x8]" rows): the cookie's vendor is the first, and every
// one of them is a declared service.
func TestEveryProviderOfARowIsDeclared(t *testing.T) {
	d := parseString(t, `<h2>Necessary cookies</h2><table><thead><tr><th>Name</th><th>Provider</th><th>Expiry</th></tr></thead>
<tbody><tr><td>__cfruid [x3]</td><td>Zendesk<br>Hotjar<br>Cloudflare</td><td>Session</td></tr></tbody></table>`, "text/html")
	checkEntries(t, d, []string{"__cfruid | Zendesk | necessary | Session"})
	var got []string
	for _, v := range d.Vendors {
		got = append(got, v.Name)
	}
	for _, want := range []string{"Zendesk", "Hotjar", "Cloudflare"} {
		if !slices.Contains(got, want) {
			t.Errorf("vendors %v, want %s among them", got, want)
		}
	}
}

// Cookie names set as a run of chips (<span class="cookie">_ga</span><span
// class="cookie">_gid</span>, apart only by style) are one name each, and
// the short note under a category's title ("Toujours actifs") does not
// close the category.
func TestNameChipsUnderACategoryTitle(t *testing.T) {
	d := parseString(t, `<div class="cat"><div class="head"><div class="title">Cookies statistiques (mesure d'audience)</div><span class="state">Avec votre consentement</span></div>
<p>Les cookies statistiques nous aident à comprendre comment les visiteurs interagissent avec le site.</p>
<div class="cookies"><span class="cookie">_ga</span><span class="cookie">_gid</span><span class="cookie">_hjSessionUser_*</span></div></div>`, "text/html")
	checkEntries(t, d, []string{
		"_ga |  | statistics | ",
		"_gid |  | statistics | ",
		"_hjSessionUser_* |  | statistics | ",
	})
}

// CookieYes's cookie tables: each field a list item of two blocks, the
// label and the value ("<li><div>Duration</div><div>1 day</div></li>"),
// under an accordion whose button names the category.
func TestFieldsAsListItemsOfTwoBlocks(t *testing.T) {
	d := parseString(t, `<div class="cky-accordion"><button class="cky-accordion-btn">Analytics</button>
<div class="cky-accordion-header-des"><p>Analytical cookies are used to understand how visitors interact with the website.</p></div>
<ul class="cky-cookie-des-table"><li><div>Cookie</div><div>_ga</div></li><li><div>Duration</div><div>1 year 1 month 4 days</div></li>
<li><div>Description</div><div>Google Analytics sets this cookie to calculate visitor data.</div></li></ul>
<ul class="cky-cookie-des-table"><li><div>Cookie</div><div>_hjSessionUser_*</div></li><li><div>Duration</div><div>1 year</div></li>
<li><div>Description</div><div>Hotjar sets this cookie to identify a new user's first session.</div></li></ul></div>`, "text/html")
	checkEntries(t, d, []string{
		"_ga | Google Analytics | statistics | 1 year 1 month 4 days",
		"_hjSessionUser_* | Hotjar | statistics | 1 year",
	})
}

// A table copied as text, one cell a line, whose group row spans the
// columns ("Web analytics | Matomo", two lines where rows have three): the
// rows after it are still read. Icelandic header words and units.
func TestCellLinesAcrossAGroupRow(t *testing.T) {
	d := parseString(t, "Kökur\n\nNotist fyrir\n\nVistun\n\nweb-analytics greining\n\nVefgreining (Matomo)\n\n"+
		"shop_a, shop_b\n\nMan hvort notandi samþykkir\n\n30 ár\n\n"+
		"_pk_id\n\nAuðkenni heimsóknar\n\n13 mánuðir\n\n"+
		"_pk_ses\n\nTímabundnar upplýsingar\n\n30 mínútur\n", "text/plain")
	checkEntries(t, d, []string{
		"shop_a |  |  | 30 ár",
		"shop_b |  |  | 30 ár",
		"_pk_id |  |  | 13 mánuðir",
		"_pk_ses |  |  | 30 mínútur",
	})
	if len(d.Cookies) < 3 {
		return
	}
	if got := d.Cookies[2].Lifespan; got.Kind != cookie.LifespanBounded || math.Abs(got.Days-396) > 1 {
		t.Errorf("13 mánuðir read as %+v, want 13 months", got)
	}
}

// A dialog's cookie cards (name, description, "Expiry:", "Type:") under a
// provider heading with its count ("Sourcebuster JS 5"): the trailing
// "Type: HTTP" of one card is not the provider of the next, every card of
// the group keeps the provider, without its count, and the category of the
// section; "_ga *" is the _ga family, written so.
func TestCardsOfAProviderGroupWithItsCount(t *testing.T) {
	d := parseString(t, `<h3>Analytics</h3> <span>3</span>
<div><span>Sourcebuster JS</span> <span>2</span></div>
<div><span>sbjs_first</span></div><div><span>Stores the first visit.</span></div>
<div><span>Expiry:</span> <span>6 maanden</span></div><div><span>Type:</span> <span>HTTP</span></div>
<div><span>sbjs_udata</span></div><div><span>Stores browser details.</span></div>
<div><span>Expiry:</span> <span>6 maanden</span></div><div><span>Type:</span> <span>HTTP</span></div>
<div><span>Google</span> <span>1</span></div>
<div><span>_ga *</span></div><div><span>Tells visitors apart.</span></div>
<div><span>Expiry:</span> <span>1 jaar</span></div><div><span>Type:</span> <span>HTTP</span></div>`, "text/html")
	checkEntries(t, d, []string{
		"sbjs_first | Sourcebuster JS | statistics | 6 maanden",
		"sbjs_udata | Sourcebuster JS | statistics | 6 maanden",
		"_ga * | Google | statistics | 1 jaar",
	})
	if len(d.Cookies) == 3 && !d.Cookies[2].Pattern {
		t.Errorf("_ga * is not read as a pattern: %+v", d.Cookies[2])
	}
}

// A table without a header whose description column mentions a session
// ("Functional session for …"): the column of durations beside it is the
// lifespan.
func TestLifespanColumnBesideADescriptionOfASession(t *testing.T) {
	d := parseString(t, "Noodzakelijk\n\n"+
		"    shop_intake_sid | shop.test | Functionele sessie voor de check | 90 dagen\n"+
		"    shop_account | shop.test | Ingelogde account-sessie | 90 dagen\n"+
		"    shop_focus | shop.test | Onthoudt je keuze | 30 dagen\n", "text/plain")
	checkEntries(t, d, []string{
		"shop_intake_sid | shop.test | necessary | 90 dagen",
		"shop_account | shop.test | necessary | 90 dagen",
		"shop_focus | shop.test | necessary | 30 dagen",
	})
}

// A table of services without a name column, each service's cookies in
// brackets on a line of their own under its description.
func TestServicesWithTheirCookiesInBrackets(t *testing.T) {
	d := parseString(t, `<h3>Cookies analytiques</h3><table>
<tr><th>Service</th><th>Finalité</th><th>Durée</th></tr>
<tr><td><strong>Google Analytics</strong><br><span>Mode anonymisé</span></td><td>Analyse de l'audience<br><span>(_ga, _gid)</span></td><td>2 ans</td></tr>
<tr><td><strong>Web Stats</strong><br><span>Mode privé</span></td><td>Métriques (pages vues)<br><span>(vitals, perf)</span></td><td>7 jours</td></tr>
</table>`, "text/html")
	checkEntries(t, d, []string{
		"_ga | Google Analytics | statistics | 2 ans",
		"_gid | Google Analytics | statistics | 2 ans",
		"vitals | Web Stats | statistics | 7 jours",
		"perf | Web Stats | statistics | 7 jours",
	})
}

// Languages of fewer declarations are told apart by their own words; a page
// in Greek script is Greek.
func TestLanguagesOfFewerDeclarations(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Slíkar kökur veita upplýsingar um með hvaða hætti vefsvæðið er notað. Fylgist með því hvort notandi samþykkir eða ekki.", "is"},
		{"Mes naudojame slapukus, kad svetainė veiktų. Jūsų sutikimas yra svarbus; slapukai saugomi arba ištrinami.", "lt"},
		{"Mēs izmantojam sīkdatnes, lai vietnē viss darbotos. Jūsu piekrišana tiek saglabāta; sīkdatņu saraksts ir arī šeit.", "lv"},
		{"Kasutame küpsiseid, et veebilehe töö oleks parem. Teie nõusolek ning meie küpsised on kirjeldatud allpool, või kui soovite.", "et"},
		{"A weboldal sütiket használ, hogy a szolgáltatás működjön, és az adatok védelme által biztosított legyen vagy sem.", "hu"},
		{"Utilizăm cookie-uri pentru a îmbunătăți site-ul și datele sunt păstrate în siguranță sau șterse.", "ro"},
		{"Χρησιμοποιούμε cookies για τη λειτουργία του ιστότοπου και για στατιστικά επισκεψιμότητας.", "el"},
		{"We use cookies to make the site work, and you can change your choice at any time.", "en"},
		{"Vi bruger cookies for at hjemmesiden virker, og hvis du ikke accepterer, gemmes intet.", "da"},
	} {
		if got := detectLanguage("", c.text); got != c.want {
			t.Errorf("detectLanguage(%.40q…) = %q, want %q", c.text, got, c.want)
		}
	}
}

// A consent box's cookie cards laid out as sibling blocks, label then value
// (Borlabs: "Name" is the service's title, "Cookie-Name" the cookies), under
// a category title that a switch and a "show cookie information" control
// follow: every card is read, with its provider and the category.
func TestCardsOfSiblingLabelAndValueBlocks(t *testing.T) {
	card := func(title, provider, names, life string) string {
		return `<div class="cookie"><div class="head">Name</div><div class="desc">` + title + `</div>
<div class="head">Anbieter</div><div class="desc">` + provider + `</div>
<div class="head">Zweck</div><div class="desc">Wird verwendet, um Besuche zu zählen.</div>
<div class="head">Cookie-Name</div><div class="desc">` + names + `</div>
<div class="head">Laufzeit</div><div class="desc">` + life + `</div></div>`
	}
	d := parseString(t, `<div class="container"><div class="grid"><div class="col-2"><span>Essenziell (1)</span>
<p>Essenzielle Cookies ermöglichen grundlegende Funktionen.</p></div></div>
<a class="title">Cookie-Informationen anzeigen</a><div class="content">`+card("Session Cookie", "Shop GmbH", "SHOPSESSID", "Sitzung")+`</div></div>
<div class="container"><div class="grid"><div class="col-2"><span>Marketing (2)</span><p>Werbung.</p></div>
<div class="col-2 right"><label class="switch" for="marketing"><input type="checkbox" name="marketing" id="marketing"><span class="slider"></span></label></div></div>
<a class="title">Cookie-Informationen anzeigen</a><div class="content">`+card("Ad Network", "Ads Inc.", "ad_uid, ad_seen", "1 Jahr")+`</div></div>`, "text/html")
	checkEntries(t, d, []string{
		"SHOPSESSID | Shop GmbH | necessary | Sitzung",
		"ad_uid | Ads Inc. | marketing | 1 Jahr",
		"ad_seen | Ads Inc. | marketing | 1 Jahr",
	})
}

// Category titles, header words and units of Greek, Bulgarian, Slovenian
// and Latvian declarations.
func TestCategoriesOfMoreLanguages(t *testing.T) {
	d := parseString(t, `<h3>Απολύτως Απαραίτητα Cookies</h3><table><tr><th>Όνομα Cookie</th><th>Πάροχος</th><th>Σκοπός</th><th>Διάρκεια</th></tr>
<tr><td>shop_sid</td><td>shop.test</td><td>Διατηρεί τη σύνδεση.</td><td>Διάρκεια συνεδρίας</td></tr>
<tr><td>shop_lang</td><td>shop.test</td><td>Θυμάται τη γλώσσα.</td><td>1 έτος</td></tr></table>
<h3>Στατιστικά Cookies</h3><table><tr><th>Όνομα Cookie</th><th>Πάροχος</th><th>Σκοπός</th><th>Διάρκεια</th></tr>
<tr><td>shop_stat</td><td>shop.test</td><td>Μετρά επισκέψεις.</td><td>24 ώρες</td></tr></table>
<h2>Аналитични бисквитки</h2><table><tr><th>name</th><th>provider</th><th>duration</th></tr>
<tr><td>shop_bg</td><td>shop.test</td><td>13 месеца</td></tr></table>
<table><tr><th>Sīkdatnes nosaukums</th><th>Tips</th><th>Ilgums</th></tr>
<tr><td>shop_lv_a</td><td>Nepieciešams</td><td>30 dienas</td></tr><tr><td>shop_lv_b</td><td>Priekšrocības</td><td>1 gads</td></tr>
<tr><td>shop_lv_c</td><td>Analītikas</td><td>1 gads</td></tr></table>
<table><tr><th>Ime piškotka</th><th>Kategorija</th><th>Trajanje</th></tr>
<tr><td>shop_sl_a</td><td>nujni</td><td>7 dni</td></tr><tr><td>shop_sl_b</td><td>funkcionalni</td><td>seja</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{
		"shop_sid | shop.test | necessary | Διάρκεια συνεδρίας",
		"shop_lang | shop.test | necessary | 1 έτος",
		"shop_stat | shop.test | statistics | 24 ώρες",
		"shop_bg | shop.test | statistics | 13 месеца",
		"shop_lv_a |  | necessary | 30 dienas",
		"shop_lv_b |  | preferences | 1 gads",
		"shop_lv_c |  | statistics | 1 gads",
		"shop_sl_a |  | necessary | 7 dni",
		"shop_sl_b |  | preferences | seja",
	})
	for _, c := range d.Cookies[:4] {
		if c.Lifespan.Kind == cookie.LifespanUnknown {
			t.Errorf("%s: lifespan %q not read", c.Name, c.Lifespan.Text)
		}
	}
}

// A title that calls its cookies functional and strictly necessary heads
// necessary cookies; a row of a table set as text, its category word last,
// heads nothing.
func TestFunctionalAndNecessaryTitle(t *testing.T) {
	d := parseString(t, `<h4>COOKIES FUNCIONALES Y TÉCNICAS (COOKIES ESTRICTAMENTE NECESARIAS)</h4>
<table><tr><th>Cookies</th><th>Ciclo de vida</th></tr><tr><td>shop_closed</td><td>6 Meses</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{"shop_closed |  | necessary | 6 Meses"})
	if _, ok := categoryHeading(block{text: "cc_shop Nastavitve piškotkov 1 leto Nujni"}); ok {
		t.Error("a row of a table set as text was read as a category title")
	}
}

// A category section with a list of purposes ("Funzionalità di base del
// sito", "Pubblicità personalizzata") under a "Finalità:" heading, then its
// cookies each set inline as one line (name, what it does, lifespan) under
// a service's heading: the purposes neither close nor change the section,
// the field heading is no service, and each inline entry is read.
func TestInlineEntriesUnderAListOfPurposes(t *testing.T) {
	d := parseString(t, `<h3>Cookie Tecnici Necessari</h3><p>Questi cookie sono essenziali.</p>
<h4>Finalità:</h4><ul><li>Gestione della sessione utente</li><li>Funzionalità di base del sito</li></ul>
<h4>Esempi di Cookie:</h4><div><strong>SHOPSESSID</strong> <span>Gestione sessione</span> <span>Sessione</span></div>
<h3>Cookie di Marketing</h3><p>Questi cookie tracciano i visitatori.</p>
<h4>Finalità:</h4><ul><li>Pubblicità personalizzata</li><li>Misurazione efficacia campagne</li></ul>
<h4>Servizi Utilizzati:</h4><h5>Ads Network</h5><p>Strumento di analisi della pubblicità.</p>
<div><strong>_adn_id</strong> <span>Pixel di Ads Network</span> <span>3 mesi</span></div>`, "text/html")
	checkEntries(t, d, []string{
		"SHOPSESSID |  | necessary | Sessione",
		"_adn_id | Ads Network | marketing | 3 mesi",
	})
}

// A row of several names whose lifespan cell keys each lifespan by its
// name ("_ga: 2 Jahre, _gid: 24 Stunden").
func TestLifespansKeyedByName(t *testing.T) {
	d := parseString(t, `<table><tr><th>Kategorie</th><th>Cookie</th><th>Anbieter</th><th>Speicherdauer</th></tr>
<tr><td>Statistik</td><td>_shop_a, _shop_b</td><td>Shop</td><td>_shop_a: 2 Jahre, _shop_b: 24 Stunden</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{
		"_shop_a | Shop | statistics | 2 Jahre",
		"_shop_b | Shop | statistics | 24 Stunden",
	})
}

// The same inline entries without emphasis on the name, in a category
// section: read when the name has a cookie name's shape and the line ends
// with a lifespan; a line that only mentions a session is no entry.
func TestInlineEntriesWithoutEmphasis(t *testing.T) {
	d := parseString(t, `<h3>Cookie di Marketing</h3><p>Questi cookie tracciano i visitatori.</p>
<div>_adn_id Pixel di Ads Network 3 mesi</div><div>_adn_seen Visite precedenti 30 giorni</div>
<div>Sessione di navigazione anonima</div>`, "text/html")
	checkEntries(t, d, []string{
		"_adn_id |  | marketing | 3 mesi",
		"_adn_seen |  | marketing | 30 giorni",
	})
}

// Services named in the headings of a part about cookies are declared,
// whether or not their cookies are listed ("Cookie di terze parti", then
// "Stripe (Pagamenti)" after "Ads (Pixel)"); a heading that introduces a
// list ("Servizi utilizzati:") names no service; a service only linked
// to elsewhere in prose is not declared.
func TestServicesNamedInHeadingsOfACookiePart(t *testing.T) {
	vendors := NewListMatcher([]Vendor{
		{Name: "Stripe", Category: cookie.Necessary, NeedsContext: true, Capitalised: true},
		{Name: "PayPal", Category: cookie.Necessary, NeedsContext: true, Capitalised: true},
		{Name: "Ads Network", Category: cookie.Marketing, NeedsContext: true, Capitalised: true},
		{Name: "Twitch", Category: cookie.Marketing, NeedsContext: true, Capitalised: true},
	})
	body := `<h1>Informativa</h1>
<h2>Cookie di marketing</h2><p>Questi cookie tracciano i visitatori.</p>
<h4>Servizi utilizzati:</h4><p>Nessuno al momento.</p>
<h2>Cookie di terze parti</h2><p>Servizi di terze parti che possono installare cookie:</p>
<h4>Ads Network (Pixel)</h4><p><a href="https://ads.test/privacy">Privacy Policy</a></p>
<h4>Stripe (Pagamenti)</h4><p><a href="https://stripe.test/privacy">Privacy Policy</a></p>
<h4>PayPal (Pagamenti)</h4><p><a href="https://paypal.test/privacy">Privacy Policy</a></p>
<h2>Link esterni</h2><p>Twitch - Politica della privacy</p>`
	d, err := Parse(&Page{URL: "https://shop.test/cookies", Body: []byte(body), ContentType: "text/html"}, Options{Vendors: vendors})
	if err != nil && d == nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Ads Network", "PayPal", "Stripe"}, vendorNames(d)); diff != "" {
		t.Errorf("vendors (-want +got):\n%s", diff)
	}
}

// A table without a category column but with a column that answers
// "Necessary?" or "Requires consent?" with yes or no: a yes to the first,
// or a no to the second, files the cookie as necessary, in the table's own
// words; the other answers file it nowhere.
func TestYesOrNoColumnsOfNecessityAndConsent(t *testing.T) {
	d := parseString(t, `<table><thead><tr><th>Cookie</th><th>Settes av</th><th>Nødvendig</th><th>Lagringstid</th></tr></thead>
<tr><td>shop_session</td><td>Shop</td><td>Yes</td><td>Session</td></tr>
<tr><td>shop_stats</td><td>Shop</td><td>No</td><td>1 year</td></tr></table>
<table><thead><tr><th>Ime piškotka</th><th>Trajanje</th><th>Ali zahteva privolitev?</th></tr></thead>
<tr><td>shop_token</td><td>7 dni</td><td>ne (nujno za storitev)</td></tr>
<tr><td>shop_ads</td><td>1 leto</td><td>da</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{
		"shop_session | Shop | necessary | Session",
		"shop_stats | Shop |  | 1 year",
		"shop_token |  | necessary | 7 dni",
		"shop_ads |  |  | 1 leto",
	})
	if got := d.Cookies[0].CategoryText; got != "Nødvendig: Yes" {
		t.Errorf("the category's words are %q, want the question and its answer", got)
	}
}

// A bold line that enumerates a category ("a) Niezbędne (zawsze aktywne)")
// heads it; under a category heading, a line that restates the category
// ("How we use these analytics cookies") and a plain short paragraph
// ("Privacy safeguards") keep the section.
func TestSectionsOfEnumeratedAndRestatedCategories(t *testing.T) {
	d := parseString(t, "### 2. Jakich cookies używamy\n\n**a) Niezbędne (zawsze aktywne)**\n\nTe cookies są konieczne.\n\n"+
		"| Nazwa | Dostawca | Cel | Czas przechowywania |\n|---|---|---|---|\n| shop_consent | shop.test | Zapamiętanie decyzji | 1 rok |\n", "text/markdown")
	checkEntries(t, d, []string{"shop_consent | shop.test | necessary | 1 rok"})
	d = parseString(t, `<h3>Categorie 2: Analytische cookies</h3><p>We gebruiken analytische cookies.</p>
<p>Hoe we deze analytische cookies gebruiken</p><ul><li>We meten hoe lang het invullen duurt.</li></ul>
<p>Privacybeschermende maatregelen</p><ul><li>IP-adressen worden ingekort.</li></ul>
<table><tr><th>Naam</th><th>Duur</th></tr><tr><td>shop_timing</td><td>13 maanden</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{"shop_timing |  | statistics | 13 maanden"})
	if got := detectLanguage("", "Mostrando 13 cookies. Nombre Finalidad Tipo Origen Duración. Analítica Propia 13 meses. Publicitaria Terceros 2 años. Sesión de navegación de un usuario."); got != "es" {
		t.Errorf("a short Spanish table read as %q", got)
	}
}

// A platform's cookie cards copied as text, each label alone on a line and
// its value on the next ("Nombre", "elementor", "Caducidad", …), under a
// service's category: read as the cards. The purpose Complianz has not
// settled ("Propósito pendiente de investigación") is unclassified. A
// table's header copied one cell a line ("Navn", "Lengd", …) is no card.
func TestCardsCopiedAsLinesOfLabelsAndValues(t *testing.T) {
	d := parseString(t, "### Funcional\n\nNombre\n\nshop_emoji\n\nCaducidad\n\nsesión\n\nFunción\n\nGuardar la configuración\n\n"+
		"### Propósito pendiente de investigación\n\nNombre\n\nshop_widget\n\nCaducidad\n\npersistente\n\nFunción\n\n"+
		"### Statistikk\n\nNavn\n\nLengd\n\nFunksjon og formål\n\n_ga\n\n2 år\n\nSkil ulike brukarar.\n", "text/markdown")
	want := []string{"shop_emoji |  | preferences | sesión", "shop_widget |  | unclassified | persistente"}
	got := entries(d)
	if len(got) < 2 || !slices.Equal(got[:2], want) {
		t.Errorf("cards: got %q, want %q first", got, want)
	}
	for _, c := range d.Cookies {
		if c.Name == "Lengd" || c.Name == "Navn" {
			t.Errorf("a header's label read as a cookie: %+v", c)
		}
	}
}

// Names given as examples ("o.a. _ga, _ga_*"), and a one-row table whose
// name says session ("visitor_session"): the names are read, and the name
// column is the one of names, not the provider's.
func TestExampleNamesAndANameThatSaysSession(t *testing.T) {
	d := parseString(t, `<table><tr><th>Naam / type</th><th>Aanbieder</th><th>Bewaartermijn</th></tr>
<tr><td>o.a. _ga, _ga_*</td><td>Google</td><td>2 jaar</td></tr></table>
<h2>Analytik</h2><table><thead><tr><th>Name</th><th>Zweck</th><th>Dauer</th><th>Anbieter</th></tr></thead>
<tr><td>visitor_session</td><td>Zählt Besucher</td><td>Session</td><td>Shop (First-Party)</td></tr></table>`, "text/html")
	checkEntries(t, d, []string{
		"_ga | Google |  | 2 jaar",
		"_ga_* | Google |  | 2 jaar",
		"visitor_session | Shop (First-Party) | statistics | Session",
	})
}
