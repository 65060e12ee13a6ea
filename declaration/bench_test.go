package declaration

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The parse budget is 20 ms for a 200 KB declaration and 200 ms for 2 MB.
// The documents are generated (deterministically) in the shapes real
// declarations take, mixed: a platform's category sections with tables
// whose provider cells hold several domains, comma lists of names paired
// with lifespans by position, headed lists ("names / description /
// Lifespan: …"), "name – description" bullet lists, definition lists and
// policy prose naming (and denying) services, in six languages, with
// varied names, providers and lifespans rather than one repeated row.
//
// Besides wall time, the benchmarks report the CPU time of the process per
// parse (cpu-ms/op), which other work on the machine barely inflates, and
// the process's peak resident memory so far (peak-RSS-MB; run one
// benchmark at a time for its own peak).
func BenchmarkParse200KB(b *testing.B) { benchmarkParse(b, 200<<10) }

func BenchmarkParse2MB(b *testing.B) { benchmarkParse(b, 2<<20) }

// BenchmarkParse4MB shows the parse scales linearly: about twice 2 MB.
func BenchmarkParse4MB(b *testing.B) { benchmarkParse(b, 4<<20) }

// BenchmarkParseCorpus parses every real declaration of the shared corpus
// once per operation.
func BenchmarkParseCorpus(b *testing.B) {
	var pages []*Page
	size := 0
	for _, c := range sharedDeclarationCases(b) {
		body, err := os.ReadFile(c.input)
		if err != nil {
			b.Fatal(err)
		}
		ct := "text/plain"
		if filepath.Ext(c.input) == ".html" {
			ct = "text/html"
		}
		pages = append(pages, &Page{URL: "https://bench.test/" + c.name, Body: body, ContentType: ct})
		size += len(body)
	}
	runParse(b, pages, size)
}

func benchmarkParse(b *testing.B, size int) {
	body := realisticDeclaration(size)
	runParse(b, []*Page{{URL: "https://bench.test/cookies", Body: body, ContentType: "text/html"}}, len(body))
}

func runParse(b *testing.B, pages []*Page, size int) {
	opts := Options{Vendors: NewListMatcher(DefaultVendors())}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	start := processCPU(b)
	for b.Loop() {
		for _, page := range pages {
			// A labelled page that declares nothing is read all the same.
			if _, err := Parse(page, opts); err != nil && !errors.Is(err, ErrNoDeclaration) {
				b.Fatal(err)
			}
		}
	}
	if cpu := processCPU(b) - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
	if rss := peakRSS(b); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
}

// benchLang is one language's words for the generated declarations.
type benchLang struct {
	code                    string
	cats                    [4]string // necessary, preferences, statistics, marketing headings
	header                  [5]string // name, provider, purpose, expiry, type
	lifeLabel               string
	session, year, month    string
	day, years, months      string
	and, purposes, sentence []string
	negation                string
}

var benchLangs = []benchLang{
	{code: "en", cats: [4]string{"Necessary cookies", "Preference cookies", "Statistics cookies", "Marketing cookies"},
		header: [5]string{"Name", "Provider", "Purpose", "Expiry", "Type"}, lifeLabel: "Lifespan",
		session: "Session", year: "1 year", month: "1 month", day: "1 day", years: "years", months: "months", and: []string{"and"},
		purposes: []string{"Registers a unique ID that is used to generate statistical data on how the visitor uses the website.",
			"Used to throttle the request rate.", "Remembers the visitor's choice of language.",
			"Collects data on the visitor's behaviour across websites to show relevant advertisements.",
			"Stores the user's cookie consent state for the current domain.", "Keeps the shopping basket between pages."},
		sentence: []string{"We use cookies to make the site work and, with your consent, to measure and improve it.",
			"You can change or withdraw your consent at any time from the cookie banner at the bottom of the page.",
			"Some cookies are placed by third parties whose services appear on our pages."},
		negation: "We do not use %s on this site."},
	{code: "da", cats: [4]string{"Nødvendige cookies", "Præference cookies", "Statistiske cookies", "Marketing cookies"},
		header: [5]string{"Navn", "Udbyder", "Formål", "Udløb", "Type"}, lifeLabel: "Udløb",
		session: "Session", year: "1 år", month: "1 måned", day: "1 dag", years: "år", months: "måneder", and: []string{"og"},
		purposes: []string{"Registrerer et unikt ID, der bruges til at føre statistik over, hvordan den besøgende bruger hjemmesiden.",
			"Gemmer brugerens samtykke til cookies for det aktuelle domæne.", "Husker den besøgendes valg af sprog.",
			"Indsamler data om den besøgendes adfærd på tværs af hjemmesider for at vise relevante annoncer."},
		sentence: []string{"Vi bruger cookies for at få hjemmesiden til at fungere og, med dit samtykke, til statistik og markedsføring.",
			"Du kan til enhver tid ændre eller tilbagekalde dit samtykke."},
		negation: "Vi bruger ikke %s på denne hjemmeside."},
	{code: "de", cats: [4]string{"Notwendige Cookies", "Präferenz-Cookies", "Statistik-Cookies", "Marketing-Cookies"},
		header: [5]string{"Name", "Anbieter", "Zweck", "Ablauf", "Typ"}, lifeLabel: "Ablauf",
		session: "Sitzung", year: "1 Jahr", month: "1 Monat", day: "1 Tag", years: "Jahre", months: "Monate", and: []string{"und"},
		purposes: []string{"Registriert eine eindeutige ID, um statistische Daten dazu zu generieren, wie der Besucher die Website nutzt.",
			"Speichert den Zustimmungsstatus des Benutzers für Cookies.", "Wird verwendet, um die Anfragerate zu drosseln."},
		sentence: []string{"Wir verwenden Cookies, um Inhalte und Anzeigen zu personalisieren und die Zugriffe auf unsere Website zu analysieren.",
			"Sie können Ihre Einwilligung jederzeit ändern oder widerrufen."},
		negation: "Wir verwenden keine %s Dienste."},
	{code: "fr", cats: [4]string{"Cookies nécessaires", "Cookies de préférences", "Cookies statistiques", "Cookies marketing"},
		header: [5]string{"Nom", "Fournisseur", "Finalité", "Durée", "Type"}, lifeLabel: "Durée",
		session: "Session", year: "1 an", month: "1 mois", day: "1 jour", years: "ans", months: "mois", and: []string{"et"},
		purposes: []string{"Enregistre un identifiant unique utilisé pour générer des données statistiques sur la façon dont le visiteur utilise le site.",
			"Utilisé pour limiter le taux de requêtes.", "Mémorise le choix de langue du visiteur."},
		sentence: []string{"Nous utilisons des cookies pour le bon fonctionnement du site et, avec votre accord, pour la mesure d'audience.",
			"Vous pouvez modifier votre choix à tout moment."},
		negation: "Nous n'utilisons pas %s."},
	{code: "sv", cats: [4]string{"Nödvändiga kakor", "Inställningskakor", "Statistikkakor", "Marknadsföringskakor"},
		header: [5]string{"Namn", "Leverantör", "Syfte", "Utgångstid", "Typ"}, lifeLabel: "Löptid",
		session: "Session", year: "1 år", month: "1 månad", day: "1 dag", years: "år", months: "månader", and: []string{"och"},
		purposes: []string{"Registrerar ett unikt ID som används för att ta fram statistik om hur besökaren använder webbplatsen.",
			"Sparar användarens samtycke till kakor.", "Kommer ihåg besökarens val av språk."},
		sentence: []string{"Vi använder kakor för att webbplatsen ska fungera och, med ditt samtycke, för statistik.",
			"Du kan när som helst ändra ditt samtycke."},
		negation: "Vi använder inte %s."},
	{code: "pl", cats: [4]string{"Niezbędne pliki cookie", "Funkcjonalne pliki cookie", "Analityczne pliki cookie", "Reklamowe pliki cookie"},
		header: [5]string{"Nazwa", "Dostawca", "Cel", "Okres przechowywania", "Rodzaj"}, lifeLabel: "Czas",
		session: "Sesja", year: "1 rok", month: "1 miesiąc", day: "1 dzień", years: "lata", months: "miesięcy", and: []string{"oraz", "i"},
		purposes: []string{"Rejestruje unikalny identyfikator używany do generowania danych statystycznych.",
			"Przechowuje zgodę użytkownika na pliki cookie.", "Zapamiętuje wybrany język."},
		sentence: []string{"Używamy plików cookie, aby strona działała poprawnie oraz, za Twoją zgodą, do celów statystycznych.",
			"Możesz w każdej chwili zmienić swoją zgodę."},
		negation: "Nie używamy %s."},
}

// benchProviders are services with the hosts their cookies come from.
var benchProviders = []struct{ name, host string }{
	{"Google Analytics", "google-analytics.com"}, {"Google", "google.com"}, {"Google Ads", "googleadservices.com"},
	{"Meta", "facebook.com"}, {"Hotjar", "hotjar.com"}, {"LinkedIn", "linkedin.com"}, {"Microsoft Clarity", "clarity.ms"},
	{"Cookiebot", "cookiebot.com"}, {"Criteo", "criteo.com"}, {"HubSpot", "hubspot.com"}, {"YouTube", "youtube.com"},
	{"Vimeo", "vimeo.com"}, {"TikTok", "tiktok.com"}, {"Matomo", "matomo.cloud"}, {"Cloudflare", "cloudflare.com"},
	{"Intercom", "intercom.io"}, {"Zendesk", "zendesk.com"}, {"Pinterest", "pinterest.com"}, {"Adform", "adform.net"},
	{"Snapchat", "snapchat.com"},
}

// benchName returns a cookie name of one of the shapes real declarations
// use: well-known fixed names, measurement ids, names with a placeholder or
// wildcard, camel-case, upper-case and storage keys.
func benchName(r *rand.Rand) string {
	const hex = "0123456789abcdef"
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	pick := func(set string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(set[r.IntN(len(set))])
		}
		return b.String()
	}
	fixed := []string{"_ga", "_gid", "_gat", "_fbp", "_fbc", "IDE", "test_cookie", "NID", "__hssc", "__hstc", "hubspotutk",
		"__cf_bm", "AWSALB", "AWSALBCORS", "PHPSESSID", "JSESSIONID", "CookieConsent", "OptanonConsent", "_gcl_au",
		"_clck", "_clsk", "MUID", "bcookie", "lidc", "VISITOR_INFO1_LIVE", "YSC", "_pin_unauth", "ar_debug", "_tt_enable_cookie"}
	words := []string{"session", "cart", "lang", "consent", "visitor", "user", "token", "pref", "theme", "currency", "region", "ab_test"}
	switch r.IntN(12) {
	case 0, 1, 2:
		return fixed[r.IntN(len(fixed))]
	case 3:
		return "_ga_" + pick(alnum, 10)
	case 4:
		return fmt.Sprintf("_gat_UA-%d-%d", 10000000+r.IntN(89999999), 1+r.IntN(9))
	case 5:
		return "_hjSession_" + fmt.Sprint(100000+r.IntN(899999))
	case 6:
		return "wp_" + words[r.IntN(len(words))] + "_" + pick(hex, 8)
	case 7:
		return []string{"_pk_id.*", "wp-settings-*", "intercom-id-<app_id>", "_hjSessionUser_{site_id}", "ajs_#"}[r.IntN(5)]
	case 8:
		w := words[r.IntN(len(words))]
		return strings.ToUpper(w[:1]) + w[1:] + "Pref" + fmt.Sprint(r.IntN(100))
	case 9:
		return "__Secure-" + pick(alnum[:26], 4)
	case 10:
		return words[r.IntN(len(words))] + "_" + words[r.IntN(len(words))]
	default:
		return "ls." + words[r.IntN(len(words))] + "." + pick(hex, 4)
	}
}

func benchLife(r *rand.Rand, l benchLang) string {
	switch r.IntN(6) {
	case 0:
		return l.session
	case 1:
		return l.year
	case 2:
		return fmt.Sprintf("%d %s", 2+r.IntN(12), l.months)
	case 3:
		return fmt.Sprintf("%d %s", 2+r.IntN(3), l.years)
	case 4:
		return l.day
	default:
		return l.month
	}
}

// realisticDeclaration generates an HTML declaration of about size bytes.
func realisticDeclaration(size int) []byte {
	r := rand.New(rand.NewPCG(10, uint64(size)))
	var b strings.Builder
	b.Grow(size + 16<<10)
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Cookie policy</title></head><body><header><nav><a href="/">Home</a> <a href="/privacy">Privacy policy</a> <a href="/cookies">Cookies</a></nav></header><main><h1>Cookie policy</h1>`)
	for part := 0; b.Len() < size; part++ {
		l := benchLangs[part%len(benchLangs)]
		prov := func() (string, string) { p := benchProviders[r.IntN(len(benchProviders))]; return p.name, p.host }
		fmt.Fprintf(&b, "<section><h2>%s</h2>", []string{"Cookies on our sites", "About this declaration", "Our services"}[part%3])
		// Policy prose with services, a denied one and a link.
		for range 2 + r.IntN(3) {
			p1, _ := prov()
			p2, _ := prov()
			fmt.Fprintf(&b, "<p>%s (%s %s %s). %s %s</p>", l.sentence[r.IntN(len(l.sentence))], p1, l.and[0], p2,
				fmt.Sprintf(l.negation, benchProviders[r.IntN(len(benchProviders))].name), l.sentence[r.IntN(len(l.sentence))])
		}
		fmt.Fprintf(&b, `<p>Read more in our <a href="https://bench.test/privacy/%d">privacy policy</a>.</p>`, part)
		// A platform's category sections, each with its table.
		b.WriteString(`<div id="CookieDeclarationUserStatusPanel"></div>`)
		for c := range 4 {
			fmt.Fprintf(&b, `<div class="CookieDeclarationType"><h3>%s (%d)</h3><p>%s</p><table class="CookieDeclarationTable"><thead><tr>`,
				l.cats[c], 3+r.IntN(10), l.purposes[r.IntN(len(l.purposes))])
			for _, h := range l.header {
				fmt.Fprintf(&b, "<th>%s</th>", h)
			}
			b.WriteString("</tr></thead><tbody>")
			for range 2 + r.IntN(14) {
				name := benchName(r)
				if r.IntN(5) == 0 {
					name += fmt.Sprintf(" [x%d]", 2+r.IntN(4))
				}
				pn, host := prov()
				hosts := host
				for range r.IntN(3) {
					_, h := prov()
					hosts += "<br>" + h
				}
				typ := "HTTP"
				if r.IntN(4) == 0 {
					typ = "HTML"
				}
				fmt.Fprintf(&b, "<tr><td>%s</td><td>%s<br>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
					name, pn, hosts, l.purposes[r.IntN(len(l.purposes))], benchLife(r, l), typ)
			}
			b.WriteString("</tbody></table></div>")
		}
		// A OneTrust-style host table: several names in one cell, their
		// lifespans paired by position.
		fmt.Fprintf(&b, `<div id="ot-sdk-cookie-policy"><h4>%s</h4><table><tr><th>%s</th><th>%s</th><th>%s</th></tr>`, l.cats[2], l.header[1], l.header[0], l.header[3])
		for range 2 + r.IntN(5) {
			_, host := prov()
			n := 1 + r.IntN(3)
			names, lifes := make([]string, n), make([]string, n)
			for k := range n {
				names[k], lifes[k] = benchName(r), benchLife(r, l)
			}
			fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", host, strings.Join(names, ", "), strings.Join(lifes, ", "))
		}
		b.WriteString("</table></div>")
		// A headed list: vendor heading, names, description, lifespan.
		for range 1 + r.IntN(3) {
			pn, _ := prov()
			fmt.Fprintf(&b, "<h4>%s</h4><p>%s, %s %s %s</p><p>%s</p><p>%s: %s</p>", pn, benchName(r), benchName(r), l.and[r.IntN(len(l.and))],
				benchName(r), l.purposes[r.IntN(len(l.purposes))], l.lifeLabel, benchLife(r, l))
		}
		// "name – description" bullets and a definition list.
		b.WriteString("<ul>")
		for range 2 + r.IntN(6) {
			fmt.Fprintf(&b, "<li><code>%s</code> – %s</li>", benchName(r), l.purposes[r.IntN(len(l.purposes))])
		}
		b.WriteString("</ul><dl>")
		for range 1 + r.IntN(4) {
			fmt.Fprintf(&b, "<dt>%s</dt><dd>%s %s: %s.</dd>", benchName(r), l.purposes[r.IntN(len(l.purposes))], l.lifeLabel, benchLife(r, l))
		}
		b.WriteString("</dl></section>")
	}
	b.WriteString(`</main><footer><p>© Bench Ltd. <a href="/cookie-policy">Cookie policy</a></p></footer></body></html>`)
	return []byte(b.String())
}

// TestRealisticDeclarationIsRead keeps the benchmark honest: its document
// is one the reader reads (many names, several categories and vendors),
// not one it gives up on early.
func TestRealisticDeclarationIsRead(t *testing.T) {
	d, err := Parse(&Page{URL: "https://bench.test/cookies", Body: realisticDeclaration(200 << 10), ContentType: "text/html"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cookies) < 500 || len(d.Vendors) < 10 || len(d.Categories) < 4 {
		t.Fatalf("the benchmark's document reads as %d cookies, %d vendors, %d categories", len(d.Cookies), len(d.Vendors), len(d.Categories))
	}
}
