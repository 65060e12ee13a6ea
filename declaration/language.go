package declaration

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// languageMarkers are frequent words that tell our languages apart; Danish
// and Norwegian share most of theirs, so their markers are the words they
// spell differently.
var languageMarkers = map[string][]string{
	"en": {"the", "and", "you", "your", "we", "our", "of", "with", "this", "are", "which"},
	"da": {"af", "og", "hvis", "ikke", "vores", "jeres", "nødvendige", "personoplysninger", "hjemmeside", "bruger", "hvordan", "også"},
	"no": {"av", "ikke", "våre", "vår", "nettstedet", "personopplysninger", "informasjonskapsler", "hvordan", "også", "bruker"},
	"sv": {"och", "att", "inte", "vår", "våra", "är", "för", "webbplatsen", "personuppgifter", "kakor", "som"},
	"de": {"und", "die", "der", "das", "nicht", "wir", "ihre", "sie", "werden", "mit", "für"},
	"nl": {"en", "het", "de", "van", "niet", "wij", "uw", "onze", "worden", "voor", "zijn"},
	"fr": {"et", "les", "des", "vous", "nous", "votre", "pour", "est", "sur", "une", "du"},
	"es": {"el", "los", "las", "y", "que", "para", "con", "por", "una", "su", "sus", "usted", "utilizamos", "del",
		"años", "sesión", "terceros", "propias", "más", "también", "análisis", "duración", "finalidad", "nuestro", "nuestra", "nuestros"},
	"it": {"il", "gli", "che", "per", "con", "una", "della", "delle", "dei", "sono", "utilizziamo", "questo", "nostro"},
	"pt": {"os", "as", "que", "para", "com", "uma", "não", "você", "seus", "utilizamos", "dos", "das", "nosso", "são"},
	"pl": {"i", "w", "na", "się", "nie", "oraz", "do", "jest", "są", "przez", "pliki", "twoje", "który", "które"},
	"cs": {"že", "pro", "jsou", "nebo", "jako", "soubory", "souborů", "také", "můžete", "které", "který", "tyto", "vaše", "naše"},
	"fi": {"ja", "on", "ei", "että", "sivuston", "evästeet", "evästeitä", "käytämme", "tai", "jos", "voit", "tiedot"},
	// Languages of fewer declarations: words that no language above
	// uses often, so that they never take a page from one of those.
	"is": {"að", "eða", "ekki", "þú", "þín", "við", "með", "því", "hvort", "vefkökur", "kökur", "vefsvæðið", "notandi", "upplýsingar"},
	"lt": {"yra", "kad", "jūsų", "mūsų", "slapukai", "slapukų", "slapukus", "svetainės", "svetainėje", "arba", "naudojame", "kurie", "apie"},
	"lv": {"jūsu", "mūsu", "sīkdatnes", "sīkdatņu", "sīkdatnēm", "vietnē", "mēs", "tiek", "arī", "lai"},
	"et": {"küpsised", "küpsiseid", "küpsiste", "kasutame", "või", "teie", "meie", "kui", "ning", "veebilehe", "veebilehel"},
	"hu": {"és", "az", "hogy", "vagy", "sütik", "sütiket", "weboldal", "weboldalon", "egy", "által", "amely", "amelyek"},
	"ro": {"și", "sau", "pentru", "sunt", "dvs", "noastre", "nostru", "utilizăm", "să", "în", "datele"},
	"sk": {"sú", "alebo", "súbory", "ktoré", "ktorý", "môžete", "tiež", "používame", "pre", "ako"},
	"sl": {"piškotki", "piškotkov", "piškotke", "spletne", "spletni", "spletno", "uporabljamo", "lahko", "ki"},
	"hr": {"kolačići", "kolačića", "kolačiće", "koristimo", "ili", "koje", "koji", "također"},
}

// languageOrder is the order in which languages are scored: on a tie the
// first wins, so the languages of most declarations come first.
var languageOrder = []string{"en", "da", "no", "sv", "de", "nl", "fr", "es", "it", "pt", "pl", "cs", "fi",
	"is", "lt", "lv", "et", "hu", "ro", "sk", "sl", "hr"}

// isMarker holds every language's markers: only they are counted.
var isMarker = func() map[string]bool {
	m := map[string]bool{}
	for _, ws := range languageMarkers {
		for _, w := range ws {
			m[w] = true
		}
	}
	return m
}()

// detectLanguage returns the page's declared language (its primary subtag)
// or, without one, the language whose frequent words the text uses most.
func detectLanguage(declared, text string) string {
	if declared != "" {
		tag := strings.ToLower(strings.SplitN(strings.SplitN(declared, "-", 2)[0], "_", 2)[0])
		switch tag {
		case "nb", "nn":
			return "no"
		}
		if len(tag) >= 2 && len(tag) <= 3 {
			return tag
		}
	}
	if len(text) > 200000 {
		text = text[:200000]
	}
	// Word markers only tell Latin-script languages apart; a page written
	// mostly in another script is named by its script where that is one
	// language (Hangul), and left unknown otherwise.
	latin, hangul, greek, other := 0, 0, 0, 0
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				latin++
			}
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Greek, r):
			greek++
		default:
			other++
		}
	}
	if hangul+greek+other > latin {
		switch {
		case hangul > greek+other:
			return "ko"
		case greek > hangul+other:
			return "el"
		}
		return ""
	}
	counts := map[string]int{}
	eachWord(strings.ToLower(text), func(w string) bool {
		if isMarker[w] {
			counts[w]++
		}
		return true
	})
	best, bestScore := "", 0
	for _, lang := range languageOrder {
		score := 0
		for _, m := range languageMarkers[lang] {
			score += counts[m]
		}
		if score > bestScore {
			best, bestScore = lang, score
		}
	}
	return best
}
