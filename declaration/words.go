package declaration

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cookiescan/cookiescan/cookie"
)

// categoryStems are the beginnings of the words that name a cookie category
// in our languages. A word names the category when it starts with a stem
// ("nødvendig" covers "nødvendige"). Functional cookies count as
// preferences, as Cookiebot and the Danish guidance file them.
var categoryStems = []struct {
	cat   cookie.Category
	stems []string
}{
	{cookie.Necessary, []string{"necessar", "strictly", "essential", "nødvendig", "obligatorisk", "notwendig",
		"erforderlich", "noodzakelijk", "nödvändig", "nécessaire", "necessaire", "required", "påkrævet", "teknisk",
		"niezbędn", "necesari", "necessári", "imprescindib", "essenzial", "essencia", "essenziell", "essentiel", "välttämät",
		"tekniset", "técnic", "tecnic", "strikt", "wymagan", "필수",
		"feltétlen", "szükséges", "vajalik", "necesar", "nezbytn", "nevyhnutn", "būtin", "nepieciešam", "nužn",
		"απαραίτητ", "αναγκαί", "nujn", "необходим", "задължителн"}},
	{cookie.Preferences, append(slices.Clone(functionalStems), preferenceStems...)},
	{cookie.Statistics, []string{"statisti", "analy", "performance", "optimi", "optimering", "measurement",
		"måling", "mätning", "statistik", "statistiek", "statistique", "mesure",
		"analit", "analíti", "analiz", "statysty", "tilasto", "estadíst", "statistich", "estatíst", "medición", "misurazion", "wydajno",
		"rendimiento", "prestazion", "desempenho", "성능", "분석",
		"statiszt", "analüüt", "analitikai", "analītisk", "στατιστικ", "ανάλυσ", "αναλυτικ", "απόδοσ", "аналитич", "статистич", "analītik"}},
	{cookie.Marketing, []string{"marketing", "markedsføring", "marknadsföring", "advertis", "reklame", "reklam",
		"werbung", "werbe", "targeting", "tracking", "sporing", "spårning", "publicit", "annonc", "advertentie", "annons",
		"pubblicit", "reklamow", "markkinoin", "mainon", "mainos", "광고", "타겟",
		"publicid", "hirdet", "turundus", "reklaam", "rinkodar", "mārketing",
		"dirigid", "ciblage", "profilazion", "direcionament", "μάρκετινγκ", "διαφήμισ", "διαφημιστικ", "στόχευσ", "маркетинг", "реклам"}},
	{cookie.Unclassified, []string{"unclassified", "pending investigation", "pendiente de investigación", "uklassificer", "oklassificer", "ikke klassificer", "nicht klassifiziert", "niet geclassificeerd", "non classé",
		"nieklasyfik", "sin clasificar", "non classificat", "não classificad", "luokittelemat", "분류되지"}},
}

// functionalStems begin the words for "functional" and preferenceStems
// the other words of the preferences category. They are apart because one
// platform gives "functional" another meaning (functionalIsNecessary).
var (
	functionalStems = []string{"funktionel", "functional", "funktional", "functionele", "functioneel", "fonctionnel",
		"fonctionnalit", "funktionell", "funksjonell", "funcional", "funzional", "funkcjonaln", "toiminnalli", "기능",
		"funkcionális", "funktsionaal", "funcțional", "funcţional", "funkčn", "funkcin", "funkcionāl", "λειτουργικ", "funkcional", "функционалн"}
	preferenceStems = []string{"preferen", "præferen", "präferenz", "voorkeur", "préférence", "personalisering",
		"preferenc", "preferencj", "mieltymy", "personoin", "eelistus", "preferin", "personalizaci", "personalizzazion", "personalizaç",
		"priekšrok", "priekšroc", "προτιμήσ", "предпочитан"}
)

// catStem is one stem of categoryStems.
type catStem struct {
	cat  cookie.Category
	stem string
}

// stemsByFirst holds the stems by their first byte, in the order of
// categoryStems, so that a word is compared with a few stems rather than
// all; spacedStems are the stems of several words, in the same order.
var stemsByFirst, spacedStems = func() (by [256][]catStem, spaced []catStem) {
	for _, c := range categoryStems {
		for _, s := range c.stems {
			by[s[0]] = append(by[s[0]], catStem{c.cat, s})
			if strings.Contains(s, " ") {
				spaced = append(spaced, catStem{c.cat, s})
			}
		}
	}
	return by, spaced
}()

// categoryOfWord returns the category a single word names.
func categoryOfWord(w string) (cookie.Category, bool) {
	return categoryOfLowWord(strings.ToLower(w))
}

// categoryOfLowWord is categoryOfWord of a lower-case word.
func categoryOfLowWord(w string) (cookie.Category, bool) {
	if w == "" {
		return "", false
	}
	for _, s := range stemsByFirst[w[0]] {
		if strings.HasPrefix(w, s.stem) {
			return s.cat, true
		}
	}
	return "", false
}

// functionalAndNecessary reports a title that calls its cookies both
// functional and necessary, and no preferences word.
func functionalAndNecessary(t string) bool {
	functional, necessary := false, false
	for _, w := range words(t) {
		switch cat, ok := categoryOfLowWord(w); {
		case !ok:
		case cat == cookie.Necessary:
			necessary = true
		case cat == cookie.Preferences:
			if !slices.ContainsFunc(functionalStems, func(s string) bool { return strings.HasPrefix(w, s) }) {
				return false
			}
			functional = true
		default:
			return false
		}
	}
	return functional && necessary
}

// words splits text into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), notWordRune)
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// eachWord calls f with the words of letters and digits of low, in order,
// until f returns false; it is words without the slice.
func eachWord(low string, f func(w string) bool) {
	start := -1
	for i, r := range low {
		if notWordRune(r) {
			if start >= 0 && !f(low[start:i]) {
				return
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		f(low[start:])
	}
}

// firstCategory returns the first category a phrase names, also inside
// compounds such as "Marketingcookies" or "Statistik-Cookies".
func firstCategory(s string) (cookie.Category, bool) {
	low := strings.ToLower(s)
	for _, st := range spacedStems {
		if strings.Contains(low, st.stem) {
			return st.cat, true
		}
	}
	var cat cookie.Category
	found := false
	eachWord(low, func(w string) bool {
		cat, found = categoryOfLowWord(w)
		return !found
	})
	return cat, found
}

// cookieWords say that a sentence speaks of cookies or tracking.
var cookieWords = newPhraseSet(false, "cookie", "kakor", "kakan", "informasjonskapsl", "informationskapsl", "tracking",
	"pixel", "traceur", "eväste", "ciasteczk", "쿠키", "küpsis", "süti", "slapuk", "sīkdatn", "kolačić", "piškot", "бисквитк")

// listIntroWords, beside the word cookie in a short line, announce the
// cookies of the section they stand in ("Cookies utilizadas", "Used
// cookies", "Verwendete Cookies", "Cookies in this category"): such a line
// goes on with the section's subject rather than starting another.
// enumeratorRE matches the letter or number that opens an item of an
// enumeration ("a) ", "2. ", "iii) ").
var enumeratorRE = regexp.MustCompile(`^\s*(?:[0-9]{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s+\S`)

// disclosureWords are the verbs of a control that shows or hides a
// section's details ("Show details", "Cookie-Informationen anzeigen").
var disclosureWords = newPhraseSet(true, "show", "hide", "anzeigen", "einblenden", "ausblenden", "vis", "skjul", "visa",
	"dölj", "näytä", "piilota", "toon", "verberg", "afficher", "masquer", "mostrar", "ocultar", "mostra", "nascondi",
	"pokaż", "ukryj", "zobrazit", "skrýt")

var listIntroWords = newPhraseSet(false, "used", "in use", "we use", "this category", "list of", "overview",
	"utilizad", "usad", "utilisé", "utilizzat", "usati", "verwendet", "eingesetzt", "genutzt", "gebruikt",
	"anvendt", "benytted", "brugt", "använd", "brukt", "käytety", "käytössä", "stosowan", "wykorzystywan", "używan",
	"používan", "használt", "kasutatav", "folosit", "uporabljen", "liste", "lista", "übersicht", "oversigt",
	"översikt", "oversikt", "overzicht", "aperçu", "elenco")

func hasCookieWord(s string) bool {
	return cookieWords.in(strings.ToLower(s))
}

var (
	// sessionCookiePhrases find session cookies and session ids, which keep a
	// visit together and so are declared as necessary.
	sessionCookiePhrases = newPhraseSet(true, concat(
		expand([]string{"session", "sessions"}, []string{"", "-", " "}, []string{"cookie", "cookies", "id", "kakor"}),
		expand([]string{"sitzungs", "sessie"}, []string{"", "-"}, []string{"cookie", "cookies"}))...)
	// numberedHeadingRE: "2. What cookies do we use?", "3.1 Analyse".
	numberedHeadingRE = regexp.MustCompile(`^\d{1,2}(?:\.\d{1,2})*[.)]?\s+\p{Lu}`)
	urlRE             = regexp.MustCompile(`https?://[^\s<>"“”'()]+`)
)

// countFields is len(strings.Fields(s)) when that is at most limit, and
// limit otherwise, counted without building the fields.
func countFields(s string, limit int) int {
	n := 0
	inField := false
	for i := 0; i < len(s) && n < limit; {
		c := s[i]
		space := false
		size := 1
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if !space && !inField {
			n++
		}
		inField = !space
		i += size
	}
	return n
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// trimCountSuffix removes a count in parentheses that ends a heading
// ("Statistik (3)").
func trimCountSuffix(t string) string {
	const space = " \t\n\f\r"
	s := strings.TrimRight(t, space)
	if !strings.HasSuffix(s, ")") {
		return t
	}
	s = strings.TrimRight(s[:len(s)-1], space)
	d := len(s)
	for d > 0 && s[d-1] >= '0' && s[d-1] <= '9' {
		d--
	}
	if d == len(s) {
		return t
	}
	s = strings.TrimRight(s[:d], space)
	if !strings.HasSuffix(s, "(") {
		return t
	}
	return strings.TrimRight(s[:len(s)-1], space)
}

// trimBareCount drops the number of cookies a dialog writes after a
// provider's name without brackets ("Sourcebuster JS 5"): one to three
// digits after a name that has a word of letters.
func trimBareCount(t string) string {
	s := strings.TrimSpace(t)
	i := strings.LastIndexAny(s, " \t")
	if i <= 0 || len(s)-i-1 > 3 {
		return t
	}
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' {
			return t
		}
	}
	head := strings.TrimSpace(s[:i])
	if !strings.ContainsFunc(head, unicode.IsLetter) {
		return t
	}
	return head
}

// splitSentences splits a line into sentences, roughly: good enough to keep
// the words of one sentence together when deciding context.
//
// A sentence ends at . ! or ? (and any closing quotes or brackets) followed
// by white space, or at a bullet between spaces. Written by hand rather than
// as a regexp because it runs on every line.
func splitSentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		end := -1
		switch {
		case c == '.' || c == '!' || c == '?':
			j := i + 1
			for j < len(s) {
				if s[j] == '"' || s[j] == ')' {
					j++
				} else if strings.HasPrefix(s[j:], "”") || strings.HasPrefix(s[j:], "’") {
					j += len("”")
				} else {
					break
				}
			}
			if j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') && !(c == '.' && abbreviationBefore(s, i)) {
				end = j
			}
		case c == ' ' && (strings.HasPrefix(s[i+1:], "• ") || strings.HasPrefix(s[i+1:], "· ")):
			end = i
		}
		if end < 0 {
			continue
		}
		if t := strings.TrimSpace(s[start:end]); t != "" {
			out = append(out, t)
		}
		start = end + 1
		i = end
	}
	if t := strings.TrimSpace(s[start:]); t != "" || len(out) == 0 {
		out = append(out, t)
	}
	return out
}

// abbreviations end with a full stop that ends no sentence ("Cookies o.a.
// _ga, _ga_*"), in our languages; lower case, without the last stop.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "incl": true, "approx": true, "ca": true, "vs": true, "cf": true,
	"f.eks": true, "bl.a": true, "m.m": true, "mv": true, "evt": true, "inkl": true, "dvs": true, "osv": true,
	"t.ex": true, "m.fl": true, "z.b": true, "bzw": true, "u.a": true, "d.h": true, "usw": true,
	"vgl": true, "bspw": true, "o.a": true, "m.b.t": true, "bijv": true, "i.p.v": true, "p.ex": true, "p.e": true,
	"ecc": true, "ej": true, "p.j": true, "np": true, "tzn": true, "m.in": true, "esim": true, "mm": true,
	"ex": true, "nt": true, "pl": true, "napr": true, "např": true, "npr": true, "pvz": true, "piem": true, "t.j": true, "tj": true,
}

// abbreviationBefore reports whether the word that ends at s[i] (a full
// stop) is an abbreviation.
func abbreviationBefore(s string, i int) bool {
	start := i
	for start > 0 && s[start-1] != ' ' && s[start-1] != '\t' && s[start-1] != '\n' && s[start-1] != '(' {
		start--
	}
	return i-start <= 6 && abbreviations[strings.ToLower(s[start:i])]
}

// adjacentCategories returns the words right before "cookie(s)" or
// "kakor", also as the first part of a compound ("marketingcookies",
// "tracking-cookies"); low is lower-case.
func adjacentCategories(low string) []cookie.Category {
	var cats []cookie.Category
	for _, w := range []string{"cookie", "kakor"} {
		from := 0
		for {
			i := strings.Index(low[from:], w)
			if i < 0 {
				break
			}
			at := from + i
			from = at + len(w)
			// The word before: a compound prefix, or the previous word
			// across one space or hyphen.
			end := at
			if end > 0 && (low[end-1] == ' ' || low[end-1] == '-') {
				end--
			}
			begin := end
			for begin > 0 {
				r, size := utf8.DecodeLastRuneInString(low[:begin])
				if !unicode.IsLetter(r) {
					break
				}
				begin -= size
			}
			if begin < end {
				if cat, ok := categoryOfWord(low[begin:end]); ok {
					cats = append(cats, cat)
				}
			}
		}
	}
	return cats
}

// lifespanLabels start a line that gives a lifespan ("Lifespan: 2 years"),
// tried in this order.
var lifespanLabels = []string{"lifespan", "life span", "expiry", "expires", "expiration", "expiration date", "duration",
	"storage period", "storage duration", "maximum storage duration", "retention", "retention period", "udløb", "udløber",
	"udløbstid", "varighed", "levetid", "lagringsperiode", "lagringstid", "opbevaringsperiode", "ablauf", "ablaufdatum",
	"laufzeit", "speicherdauer", "gültigkeit", "looptijd", "bewaartermijn", "vervaltijd", "vervalt", "durée", "durée de vie",
	"expiration", "conservation", "giltighet", "utgångstid", "löptid", "varaktighet", "holdbarhet", "varighet", "utløp", "lagringstid"}

// lifespanLine reads "Label: value" where the label is a lifespan label
// (any case) and the separator a colon or dash; it returns the value.
// Written by hand: a case-folding regexp of these alternatives ran on
// every line.
func lifespanLine(s string) (string, bool) {
	head := s
	if len(head) > 50 {
		head = head[:50]
	}
	if !strings.ContainsAny(head, ":：–-") {
		return "", false // no label separator
	}
	t := strings.TrimLeft(s, " \t\n\f\r")
	for _, l := range lifespanLabels {
		if len(t) < len(l) || !strings.EqualFold(t[:len(l)], l) {
			continue
		}
		rest := strings.TrimLeft(t[len(l):], " \t\n\f\r")
		switch {
		case strings.HasPrefix(rest, ":"), strings.HasPrefix(rest, "-"):
			rest = rest[1:]
		case strings.HasPrefix(rest, "："), strings.HasPrefix(rest, "–"):
			rest = rest[len("："):]
		default:
			continue
		}
		// The value: from the first non-space, on one line.
		rest = strings.TrimLeft(rest, " \t\n\f\r")
		if rest == "" || strings.IndexByte(rest, '\n') >= 0 {
			continue
		}
		return strings.TrimSpace(rest), true
	}
	return "", false
}

// Column and label roles of declaration tables and cards.
const (
	roleName     = "name"
	roleProvider = "provider"
	rolePurpose  = "purpose"
	roleExpiry   = "expiry"
	roleType     = "type"
	roleCategory = "category"
	// roleNecessaryFlag is a column headed "Necessary" of yes and no;
	// roleConsentFlag one headed "Requires consent" of yes and no. Only
	// table columns get them (flagColumn), never a label.
	roleNecessaryFlag = "necessary?"
	roleConsentFlag   = "consent?"
)

// yesWords and noWords are the answers of a yes-or-no column.
var (
	yesWords = map[string]bool{"yes": true, "ja": true, "oui": true, "sí": true, "si": true, "sì": true, "sim": true, "tak": true,
		"kyllä": true, "igen": true, "ano": true, "áno": true, "da": true, "jah": true, "taip": true, "jā": true, "já": true,
		"✓": true, "✔": true, "x": true, "true": true, "required": true, "påkrævet": true, "erforderlich": true}
	noWords = map[string]bool{"no": true, "nej": true, "nei": true, "nein": true, "nee": true, "non": true, "não": true, "nie": true,
		"ei": true, "nem": true, "ne": true, "nu": true, "nē": true, "✗": true, "✘": true, "×": true, "-": true, "–": true,
		"false": true}
)

// yesNo reads a cell of a yes-or-no column by its first word ("ne (nujno
// za storitev)" is no); ok is false when the cell is neither.
func yesNo(cell string) (yes, ok bool) {
	w := strings.ToLower(strings.TrimRight(firstField(cell), ".,;:!"))
	switch {
	case yesWords[w]:
		return true, true
	case noWords[w]:
		return false, true
	}
	return false, false
}

func firstField(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// flagColumn returns the flag role of a column whose header asks a
// question of necessity ("Nødvendig", "Strictly necessary?") or of consent
// ("Krever samtykke", "Ali zahteva privolitev?") and whose cells are mostly
// yes or no; "" otherwise.
func flagColumn(header string, cells []string) string {
	h := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(header), "?")))
	if h == "" || countFields(h, 5) > 4 {
		return ""
	}
	role := ""
	switch cat, ok := firstCategory(h); {
	case consentWords.in(h) || consentColumnWords.in(h):
		role = roleConsentFlag
	case ok && cat == cookie.Necessary:
		role = roleNecessaryFlag
	default:
		return ""
	}
	answered, n := 0, 0
	for _, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		n++
		if _, ok := yesNo(c); ok {
			answered++
		}
	}
	if n == 0 || answered*4 < n*3 {
		return ""
	}
	return role
}

// consentColumnWords are words for consent that consentWords leaves out.
var consentColumnWords = newPhraseSet(false, "consentimiento", "consenso", "zgod", "souhlas", "súhlas", "suostumus",
	"privolitev", "hozzájárul", "nõusolek", "sutikim", "piekrišan", "privol", "consimț")

// roleWords map a header or label to its role; order matters, because
// "Cookie Subgroup" is a host and "Cookies used" a type before they are
// names.
var roleWords = []struct {
	role  string
	words []string
}{
	{roleType, []string{"type", "typ", "art", "cookies used", "party", "tipo", "rodzaj", "tyyppi", "vrsta", "tegund", "τύπος", "tips", "тип"}},
	{roleExpiry, []string{"expir", "expire", "duration", "lifespan", "life span", "retention", "storage", "lagring", "udløb",
		"varighed", "levetid", "ablauf", "laufzeit", "speicherdauer", "gültigkeit", "looptijd", "bewaartermijn",
		"geldigheid", "durée", "conservation", "giltighet", "utgång", "löptid", "holdbarhet", "varighet", "utløp", "opbevaring", "vervaltijd",
		"lifetime", "dauer", "varaktighet", "lagringstid", "czas", "okres", "duración", "caducidad", "expiración", "durata", "scadenza",
		"duração", "validade", "expiração", "voimassa", "säilytysaika", "kesto", "vanhenee", "bewaarduur",
		"lejárat", "érvényesség", "erääntyminen", "erääntyy", "vanhentuminen", "platnost", "doba", "expirare", "durată", "valabilitate",
		"trajanje", "kehtivus", "säilivus", "galiojimas", "derīgums", "glabāšanas", "trvanie", "vistun", "διάρκεια", "λήξη", "продължителност", "валидност", "срок", "gildistími", "líftími",
		"geymslutími"}},
	{roleProvider, []string{"provider", "udbyder", "leverandør", "anbieter", "aanbieder", "fournisseur", "leverantör",
		"tilbyder", "vendor", "subgroup", "host", "domain", "domæne", "domän", "domein", "domaine", "leverandor", "set by", "sat af", "third party",
		"settes av", "satt av", "sätts av", "gesetzt von", "geplaatst door",
		"dostawca", "proveedor", "fornitore", "fornecedor", "tarjoaja", "palveluntarjoaja", "dominio", "domínio", "verkkotunnus", "service",
		"szolgáltató", "poskytovatel", "furnizor", "veitandi", "þjónustuaðili", "πάροχος", "доставчик"}},
	{roleCategory, []string{"category", "kategori", "kategorie", "categorie", "catégorie", "klassifi", "kategoria", "categoría", "categoria", "luokka", "flokkur", "κατηγορία"}},
	{rolePurpose, []string{"purpose", "formål", "zweck", "doel", "finalité", "ändamål", "syfte", "description", "beskrivelse",
		"beschreibung", "beschrijving", "omschrijving", "used for", "funktion", "function", "anvendelse", "beskrivning",
		"opis", "cel", "descripción", "finalidad", "propósito", "finalità", "descrizione", "scopo", "finalidade", "descrição",
		"kuvaus", "tarkoitus", "käyttötarkoitus", "finalité", "explicación", "cél", "leírás", "účel", "popis", "scop", "descriere",
		"namen", "eesmärk", "otstarve", "kirjeldus", "tikslas", "aprašymas", "mērķis", "apraksts", "tilgangur", "notist fyrir",
		"notkun", "lýsing", "σκοπός", "περιγραφή", "цел", "описание"}},
	{roleName, []string{"name", "navn", "namn", "naam", "nom", "cookie", "cookies", "bezeichnung", "nombre", "kaka", "informasjonskapsel",
		"nazwa", "nome", "nimi", "eväste", "ciasteczko", "key", "schlüssel", "süti", "név", "neve", "název", "nume", "denumire",
		"ime", "piškotek", "piškotka", "küpsis", "küpsise", "nimetus", "slapuk", "sīkdatne", "pavadinimas", "nosaukums", "názov",
		"kökur", "vefkaka", "vefkökur", "heiti", "nafn", "όνομα", "име"}},
}

// roleWord is one word of roleWords with its place in the list.
type roleWord struct {
	rank       int
	role, word string
}

// roleWordsByFirst holds the one-word role words by first byte, and
// spacedRoleWords the others, each in the order of roleWords: the first
// in that order that a label matches gives its role.
var roleWordsByFirst, spacedRoleWords = func() (by [256][]roleWord, spaced []roleWord) {
	rank := 0
	for _, r := range roleWords {
		for _, w := range r.words {
			rw := roleWord{rank, r.role, w}
			rank++
			if strings.Contains(w, " ") {
				spaced = append(spaced, rw)
			} else {
				by[w[0]] = append(by[w[0]], rw)
			}
		}
	}
	return by, spaced
}()

// roleOf returns the role of a table header or card label, or "".
func roleOf(label string) string {
	low := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(label), ":")))
	if low == "" || len(low) > 40 {
		return ""
	}
	var buf [5]string
	ws := buf[:0]
	eachWord(low, func(w string) bool {
		ws = append(ws, w)
		return len(ws) < len(buf)
	})
	if len(ws) == 0 || len(ws) > 4 {
		return ""
	}
	best := roleWord{rank: -1}
	for _, rw := range spacedRoleWords {
		if strings.Contains(low, rw.word) {
			best = rw
			break
		}
	}
	for _, lw := range ws {
		for _, rw := range roleWordsByFirst[lw[0]] {
			if best.rank >= 0 && rw.rank > best.rank {
				break
			}
			if lw == rw.word || (len(rw.word) >= 4 && strings.HasPrefix(lw, rw.word)) {
				best = rw
				break
			}
		}
	}
	return best.role
}

// rejectLabels are the labels of a reject choice, written in quotes or on a
// button in a declaration ("click “Afvis”").
var rejectLabels = map[string]bool{
	"afvis": true, "afvis alle": true, "afvis cookies": true, "afvis alle cookies": true, "reject": true, "reject all": true,
	"reject cookies": true, "reject all cookies": true, "decline": true, "decline all": true, "deny": true, "deny all": true,
	"refuse": true, "refuse all": true, "ablehnen": true, "alle ablehnen": true, "weigeren": true, "alles weigeren": true,
	"avvisa": true, "avvisa alla": true, "avslå": true, "avslå alla": true, "avvis": true, "avvis alle": true, "refuser": true,
	"tout refuser": true, "nej tak": true, "no thanks": true, "only necessary": true, "necessary only": true,
	"kun nødvendige": true, "kun nødvendige cookies": true, "nur notwendige": true, "nur notwendige cookies": true,
	"endast nödvändiga": true, "bare nødvendige": true, "alleen noodzakelijke": true, "alleen noodzakelijke cookies": true,
	"use necessary cookies only": true, "continuer sans accepter": true, "weiger": true, "weiger alles": true,
}

var quotedRE = regexp.MustCompile(`[“"„«‘'‚]([^“”"«»„‘’']{2,40})[”"»“’']`)

// The phrases of consent facts, matched on lower-cased sentences.
var (
	rejectPhrases = newPhraseSet(true, "reject all", "decline all", "refuse all", "deny all", "afvis alle", "alle ablehnen",
		"avvisa alla", "avvis alle", "tout refuser", "alles weigeren", "alle weigeren")
	// impliedPhrases say that continued use is taken as consent.
	impliedPhrases = newPhraseSet(true, concat(
		expand([]string{"by "}, []string{"using", "continuing", "browsing"}),
		expand([]string{"ved at "}, []string{"bruge", "benytte", "fortsætte"}),
		[]string{"ved fortsat brug"},
		expand([]string{"durch die ", "durch die weitere ", "bei ", "bei weiterer "}, []string{"nutzung"}),
		expand([]string{"door ", "door verder "}, []string{"gebruik te maken"}),
		expand([]string{"genom att "}, []string{"fortsätta", "använda"}),
		expand([]string{"ved å "}, []string{"bruke", "fortsette"}),
		expand([]string{"en "}, []string{"poursuivant", "continuant", "utilisant"}))...)
	consentVerbs = newPhraseSet(false, "accept", "agree", "consent", "samtyk", "einverstanden", "zustimm", "akzeptier",
		"toestemming", "akkoord", "godkänn", "samtyck", "aksepter", "godtar", "acceptez")
	consentWords = newPhraseSet(false, "consent", "samtykke", "samtycke", "einwilligung", "zustimmung", "toestemming",
		"consentement", "dit valg", "your choice", "votre choix", "ihre wahl", "uw keuze", "ditt val", "ditt valg")
	storeVerbs = newPhraseSet(false, "stored", "saved", "kept", "remember", "valid", "expire", "gemmes", "huskes", "opbevares",
		"gælder", "lagres", "gjelder", "sparas", "gäller", "gespeichert", "gültig", "bewaard", "geldig", "conserv", "valable",
		"renew", "fornye")
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// consentCookieNames are the cookies in which consent platforms keep the
// visitor's choice; their lifespan is the consent lifespan.
var consentCookieNames = map[string]bool{
	"cookieconsent": true, "optanonconsent": true, "cookieinformationconsent": true, "cookieyes-consent": true,
	"cookiescriptconsent": true, "borlabs-cookie": true, "cmplz_consent_status": true, "cookie_consent": true,
}

// stopNames are words that stand alone on a line of a declaration without
// being a cookie name.
var stopNames = map[string]bool{
	"cookie": true, "cookies": true, "session": true, "name": true, "navn": true, "namn": true, "naam": true, "nom": true,
	"necessary": true, "statistics": true, "marketing": true, "preferences": true, "analytics": true, "persistent": true,
	"http": true, "html": true, "pixel": true, "type": true, "purpose": true, "provider": true,
	// The words that open a warning in bold, in capitals as often as not
	// ("ATTENZIONE: disabling the technical cookies …").
	"note": true, "nb": true, "warning": true, "attention": true, "important": true, "attenzione": true,
	"importante": true, "nota": true, "aviso": true, "atención": true, "wichtig": true, "hinweis": true,
	"achtung": true, "bemærk": true, "vigtigt": true, "obs": true, "huom": true, "uwaga": true, "let op": true,
	"opgelet": true, "observera": true, "merk": true, "viktig": true, "figyelem": true, "pozor": true,
}
