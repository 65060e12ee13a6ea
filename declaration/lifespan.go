package declaration

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cookiescan/cookiescan/cookie"
)

// Day counts per unit. A month counts 31 days and a year 365, so that a
// declared bound is never shorter than the calendar period it names: a
// cookie set on 31 January that lives "1 month" may expire on 3 March.
// Whole years written in months ("12 months", "24 måneder") count as years,
// because that is what the writer meant.
const (
	daysPerMonth = 31
	daysPerYear  = 365
)

// unitWords maps every spelling of a time unit in our languages (English,
// Danish, Norwegian, Swedish, German, Dutch, French) to its length in days.
// Months are handled apart (see durationDays).
var unitWords = map[string]float64{
	"second": 1.0 / 86400, "seconds": 1.0 / 86400, "sec": 1.0 / 86400, "secs": 1.0 / 86400, "s": 1.0 / 86400,
	"sekund": 1.0 / 86400, "sekunder": 1.0 / 86400, "sekunde": 1.0 / 86400, "sekunden": 1.0 / 86400,
	"seconde": 1.0 / 86400, "secondes": 1.0 / 86400, "seconden": 1.0 / 86400, "sek": 1.0 / 86400,
	"minute": 1.0 / 1440, "minutes": 1.0 / 1440, "min": 1.0 / 1440, "mins": 1.0 / 1440, "minut": 1.0 / 1440,
	"minutter": 1.0 / 1440, "minutt": 1.0 / 1440, "minuter": 1.0 / 1440, "minuten": 1.0 / 1440, "minuut": 1.0 / 1440,
	"hour": 1.0 / 24, "hours": 1.0 / 24, "hr": 1.0 / 24, "hrs": 1.0 / 24, "h": 1.0 / 24, "time": 1.0 / 24,
	"timer": 1.0 / 24, "timme": 1.0 / 24, "timmar": 1.0 / 24, "stunde": 1.0 / 24, "stunden": 1.0 / 24,
	"std": 1.0 / 24, "uur": 1.0 / 24, "uren": 1.0 / 24, "heure": 1.0 / 24, "heures": 1.0 / 24,
	"day": 1, "days": 1, "d": 1, "dag": 1, "dage": 1, "dager": 1, "dagar": 1, "dagen": 1, "dögn": 1, "døgn": 1,
	"tag": 1, "tage": 1, "tagen": 1, "tg": 1, "jour": 1, "jours": 1, "j": 1,
	"week": 7, "weeks": 7, "wk": 7, "uge": 7, "uger": 7, "uke": 7, "uker": 7, "vecka": 7, "veckor": 7,
	"woche": 7, "wochen": 7, "weken": 7, "semaine": 7, "semaines": 7,
	"year": daysPerYear, "years": daysPerYear, "yr": daysPerYear, "yrs": daysPerYear, "y": daysPerYear,
	"år": daysPerYear, "året": daysPerYear, "jahr": daysPerYear, "jahre": daysPerYear, "jahren": daysPerYear,
	"jahres": daysPerYear, "jaar": daysPerYear, "jaren": daysPerYear, "an": daysPerYear, "ans": daysPerYear,
	"année": daysPerYear, "années": daysPerYear,
	// Spanish, Italian, Portuguese, Polish, Finnish.
	"segundo": 1.0 / 86400, "segundos": 1.0 / 86400, "secondo": 1.0 / 86400, "secondi": 1.0 / 86400,
	"sekunda": 1.0 / 86400, "sekundy": 1.0 / 86400, "sekuntia": 1.0 / 86400, "sekunti": 1.0 / 86400,
	"minuto": 1.0 / 1440, "minutos": 1.0 / 1440, "minuti": 1.0 / 1440, "minuta": 1.0 / 1440, "minuty": 1.0 / 1440,
	"minuuttia": 1.0 / 1440, "minuutti": 1.0 / 1440,
	"hora": 1.0 / 24, "horas": 1.0 / 24, "ora": 1.0 / 24, "ore": 1.0 / 24, "godzina": 1.0 / 24, "godziny": 1.0 / 24,
	"godzin": 1.0 / 24, "tunti": 1.0 / 24, "tuntia": 1.0 / 24,
	"día": 1, "días": 1, "dia": 1, "dias": 1, "giorno": 1, "giorni": 1, "dzień": 1, "dni": 1, "päivä": 1, "päivää": 1, "pv": 1,
	"semana": 7, "semanas": 7, "settimana": 7, "settimane": 7, "tydzień": 7, "tygodnie": 7, "tygodni": 7,
	"viikko": 7, "viikkoa": 7,
	"año": daysPerYear, "años": daysPerYear, "ano": daysPerYear, "anos": daysPerYear, "anno": daysPerYear, "anni": daysPerYear,
	"rok": daysPerYear, "lata": daysPerYear, "lat": daysPerYear, "roku": daysPerYear, "vuosi": daysPerYear, "vuotta": daysPerYear,
	"vuoden": daysPerYear,
	// Czech.
	"hodina": 1.0 / 24, "hodiny": 1.0 / 24, "hodin": 1.0 / 24,
	"den": 1, "dny": 1, "dní": 1, "dnů": 1, "týden": 7, "týdny": 7, "týdnů": 7,
	"roky": daysPerYear, "let": daysPerYear,
	// Estonian, Hungarian (also with "-ig", "for"), Romanian, Slovak,
	// Lithuanian, Latvian, Croatian.
	"sekundit": 1.0 / 86400, "másodperc": 1.0 / 86400, "secunde": 1.0 / 86400, "secundă": 1.0 / 86400,
	"sekúnd": 1.0 / 86400, "sekundės": 1.0 / 86400, "sekundžių": 1.0 / 86400, "sekundes": 1.0 / 86400,
	"minutit": 1.0 / 1440, "perc": 1.0 / 1440, "percig": 1.0 / 1440, "minúta": 1.0 / 1440, "minúty": 1.0 / 1440,
	"minút": 1.0 / 1440, "minutė": 1.0 / 1440, "minutės": 1.0 / 1440, "minučių": 1.0 / 1440, "minūte": 1.0 / 1440,
	"minūtes": 1.0 / 1440, "minūtēm": 1.0 / 1440,
	"tund": 1.0 / 24, "tundi": 1.0 / 24, "óra": 1.0 / 24, "óráig": 1.0 / 24, "oră": 1.0 / 24, "hodín": 1.0 / 24,
	"valanda": 1.0 / 24, "valandos": 1.0 / 24, "valandų": 1.0 / 24, "stunda": 1.0 / 24, "stundas": 1.0 / 24,
	"stundām": 1.0 / 24, "sati": 1.0 / 24,
	"päev": 1, "päeva": 1, "päevad": 1, "nap": 1, "napig": 1, "zi": 1, "zile": 1, "zilei": 1, "deň": 1,
	"diena": 1, "dienos": 1, "dienų": 1, "dienas": 1, "dienām": 1, "dana": 1,
	"nädal": 7, "nädalat": 7, "hét": 7, "hétig": 7, "săptămână": 7, "săptămâni": 7, "týždeň": 7, "týždne": 7,
	"týždňov": 7, "savaitė": 7, "savaitės": 7, "savaičių": 7, "nedēļa": 7, "nedēļas": 7, "tjedan": 7, "tjedna": 7,
	"aasta": daysPerYear, "aastat": daysPerYear, "év": daysPerYear, "évig": daysPerYear, "ani": daysPerYear,
	"rokov": daysPerYear, "metai": daysPerYear, "metus": daysPerYear, "metų": daysPerYear, "gads": daysPerYear,
	"gadi": daysPerYear, "gadu": daysPerYear, "gadiem": daysPerYear, "godina": daysPerYear, "godine": daysPerYear,
	// Slovenian.
	"leto": daysPerYear, "leti": daysPerYear, "leta": daysPerYear, "dan": 1, "dneva": 1,
	"ura": 1.0 / 24, "uri": 1.0 / 24, "ure": 1.0 / 24, "ur": 1.0 / 24,
	// Icelandic.
	"sekúnda": 1.0 / 86400, "sekúndur": 1.0 / 86400, "sekúndna": 1.0 / 86400,
	"mínúta": 1.0 / 1440, "mínútur": 1.0 / 1440, "mínútna": 1.0 / 1440, "mínútu": 1.0 / 1440,
	"klukkustund": 1.0 / 24, "klukkustundir": 1.0 / 24, "klukkustunda": 1.0 / 24, "klst": 1.0 / 24,
	"dagur": 1, "daga": 1, "vika": 7, "vikur": 7, "vikna": 7, "viku": 7,
	"ár": daysPerYear, "ára": daysPerYear, "árs": daysPerYear,
	// Greek.
	"δευτερόλεπτο": 1.0 / 86400, "δευτερόλεπτα": 1.0 / 86400, "λεπτό": 1.0 / 1440, "λεπτά": 1.0 / 1440, "λεπτών": 1.0 / 1440,
	"ώρα": 1.0 / 24, "ώρες": 1.0 / 24, "ωρών": 1.0 / 24, "ημέρα": 1, "ημέρες": 1, "ημερών": 1, "μέρα": 1, "μέρες": 1,
	"εβδομάδα": 7, "εβδομάδες": 7, "εβδομάδων": 7, "έτος": daysPerYear, "έτη": daysPerYear, "ετών": daysPerYear,
	"χρόνος": daysPerYear, "χρόνια": daysPerYear, "χρόνου": daysPerYear,
	// Bulgarian.
	"секунда": 1.0 / 86400, "секунди": 1.0 / 86400, "минута": 1.0 / 1440, "минути": 1.0 / 1440,
	"час": 1.0 / 24, "часа": 1.0 / 24, "часове": 1.0 / 24, "ден": 1, "дни": 1, "дена": 1,
	"седмица": 7, "седмици": 7, "година": daysPerYear, "години": daysPerYear,
}

// monthWords are the spellings of "month"; a separate set because months
// convert by durationDays, not by a fixed factor.
var monthWords = map[string]bool{
	"month": true, "months": true, "mo": true, "mos": true, "mth": true, "mths": true,
	"måned": true, "måneder": true, "måneden": true, "mdr": true, "md": true, "mnd": true, "mndr": true,
	"månad": true, "månader": true, "mån": true, "monat": true, "monate": true, "monaten": true, "monats": true,
	"maand": true, "maanden": true, "mnd.": true, "mois": true,
	"mes": true, "meses": true, "mese": true, "mesi": true, "miesiąc": true, "miesiące": true, "miesięcy": true,
	"kuukausi": true, "kuukautta": true, "kk": true,
	"měsíc": true, "měsíce": true, "měsíců": true,
	"kuu": true, "kuud": true, "hónap": true, "hónapig": true, "lună": true, "luni": true,
	"mesiac": true, "mesiace": true, "mesiacov": true, "mėnuo": true, "mėnesiai": true, "mėnesių": true,
	"mėn": true, "mēnesis": true, "mēneši": true, "mēnešus": true, "mēnešiem": true, "mjesec": true,
	"mjeseca": true, "mjeseci": true, "mesec": true, "meseca": true, "mesece": true, "mesecev": true,
	"mánuður": true, "mánuðir": true, "mánaða": true, "mánuði": true, "mánuð": true,
	"μήνας": true, "μήνες": true, "μηνών": true, "μήνα": true,
	"месец": true, "месеца": true, "месеци": true,
}

// numberWords are the small numbers written as words ("one year", "et år",
// "ein Jahr", "a month").
var numberWords = map[string]float64{
	"a": 1, "an": 1, "one": 1, "en": 1, "et": 1, "ett": 1, "ein": 1, "eine": 1, "einem": 1, "einen": 1, "einer": 1,
	"een": 1, "één": 1, "un": 1, "une": 1, "ét": 1,
	"two": 2, "to": 2, "två": 2, "zwei": 2, "twee": 2, "deux": 2,
	"three": 3, "tre": 3, "drei": 3, "drie": 3, "trois": 3,
	"four": 4, "fire": 4, "fyra": 4, "vier": 4, "quatre": 4,
	"five": 5, "fem": 5, "fünf": 5, "vijf": 5, "cinq": 5,
	"six": 6, "seks": 6, "sex": 6, "sechs": 6, "zes": 6,
	"seven": 7, "syv": 7, "sju": 7, "sieben": 7, "zeven": 7, "sept": 7,
	"ten": 10, "ti": 10, "tio": 10, "zehn": 10, "tien": 10, "dix": 10,
	"twelve": 12, "tolv": 12, "zwölf": 12, "twaalf": 12, "douze": 12,
	"half": 0.5, "halvt": 0.5, "halbes": 0.5,
	"uno": 1, "una": 1, "um": 1, "uma": 1, "jeden": 1, "jedna": 1, "yksi": 1,
	"dos": 2, "due": 2, "dois": 2, "duas": 2, "dwa": 2, "dwie": 2, "kaksi": 2,
	"tres": 3, "três": 3, "trzy": 3, "kolme": 3,
}

// sessionPhrases say that a cookie dies with the browser session.
var sessionPhrases = []string{
	"session", "sitzung", "sessie", "close your browser", "browser is closed", "browser closes",
	"closing the browser", "close the browser", "browseren lukkes", "lukker browseren", "lukker din browser",
	"nettleseren lukkes", "lukker nettleseren", "webbläsaren stängs", "stänger webbläsaren",
	"schließen des browsers", "browser geschlossen", "sluiten van de browser", "browser sluit",
	"fermeture du navigateur", "fermez votre navigateur", "end of the visit", "end of your visit",
	"sesión", "sesion", "sessione", "sessão", "sessao", "sesja", "sesji", "istunto", "istunnon", "sesjon", "sessionen", "sessie",
	"seanss", "seansi", "munkamenet", "συνεδρία", "συνεδρίας", "περιόδου σύνδεσης", "сесия", "сесията", "sesiune", "sesiunii", "relácia", "relácie", "sesija", "sesijos", "sesijas", "konca seje",
}

// persistentPhrases say that a cookie stays without giving a bound.
var persistentPhrases = []string{
	"persistent", "permanent", "vedvarende", "dauerhaft", "persistente", "persistant", "beständig",
	"never expires", "no expiry", "udløber ikke", "utløper ikke", "löper inte ut",
}

var (
	sessionPhraseSet    = newPhraseSet(false, sessionPhrases...)
	persistentPhraseSet = newPhraseSet(false, persistentPhrases...)
)

// tokens appends to out the byte ranges of at most n tokens of s: numbers ("13",
// "1,5") and words with an optional full stop ("mdr."). Written by hand
// because it runs on every lifespan cell and sentence.
func tokens(out [][2]int, s string, n int) [][2]int {
	for i := 0; i < len(s) && len(out) < n; {
		c := s[i]
		if c >= '0' && c <= '9' {
			j := digitsEnd(s, i)
			if j+1 < len(s) && (s[j] == '.' || s[j] == ',') && s[j+1] >= '0' && s[j+1] <= '9' {
				j = digitsEnd(s, j+1)
			}
			out = append(out, [2]int{i, j})
			i = j
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += size
		}
		if j == i {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		if j < len(s) && s[j] == '.' {
			j++
		}
		out = append(out, [2]int{i, j})
		i = j
	}
	return out
}

func digitsEnd(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// ParseLifespan reads a lifespan as a declaration writes it: "2 years",
// "13 måneder", "1 Jahr", "Session", "Slettes når browseren lukkes",
// "From 6 months to 10 years" (the upper bound), "Persistent" (no bound).
// The text is kept as written; Kind is LifespanUnknown when nothing in it
// reads as a lifespan.
func ParseLifespan(text string) cookie.Lifespan {
	text = strings.TrimSpace(text)
	l := cookie.Lifespan{Text: bound(text, maxLifespanText)}
	if text == "" {
		return l
	}
	low := strings.ToLower(text)
	if days, ok := maxDurationLow(low); ok {
		l.Kind = cookie.LifespanBounded
		l.Days = days
		return l
	}
	switch {
	case sessionPhraseSet.in(low):
		l.Kind = cookie.LifespanSession
	case persistentPhraseSet.in(low):
		l.Kind = cookie.LifespanPersistent
	}
	return l
}

// maxDuration finds every "number unit" in s ("1 to 7 years" gives the
// number 7 with years; "6 months to 10 years" gives both) and returns the
// longest, in days. A number with no unit after it takes the next unit, so
// that ranges written "From 1 to 7 years" bound at 7 years.
func maxDuration(s string) (float64, bool) {
	return maxDurationLow(strings.ToLower(s))
}

// maxDurationLow is maxDuration of a lower-case text.
func maxDurationLow(low string) (float64, bool) {
	var buf [16][2]int
	locs := tokens(buf[:0], low, 64)
	var tbuf [16]string
	toks := tbuf[:0]
	for _, l := range locs {
		toks = append(toks, low[l[0]:l[1]])
	}
	var best float64
	found := false
	pending := -1.0 // a number still waiting for its unit
	for i, t := range toks {
		n, isNum := numberToken(t)
		if isNum {
			// A number word ("a", "to", "en") only counts when a unit follows
			// at once; digits may wait for the unit of a range.
			if t[0] >= '0' && t[0] <= '9' {
				pending = n
				continue
			}
			if i+1 < len(toks) && isUnit(toks[i+1]) {
				pending = n
				continue
			}
		}
		if pending >= 0 && isUnit(t) {
			d := durationDays(pending, strings.TrimSuffix(t, "."))
			if !found || d > best {
				best = d
			}
			found = true
			pending = -1
			continue
		}
		// Range words keep the pending number alive ("1 to 7 years",
		// "1-7 Jahre"); anything else ends it.
		switch t {
		case "to", "til", "till", "bis", "tot", "à", "a", "or", "eller", "oder", "of", "ou":
		default:
			if !isNum {
				pending = -1
			}
		}
	}
	return best, found
}

func numberToken(t string) (float64, bool) {
	if t == "" {
		return 0, false
	}
	if t[0] >= '0' && t[0] <= '9' {
		f, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", "."), 64)
		return f, err == nil
	}
	n, ok := numberWords[t]
	return n, ok
}

func isUnit(t string) bool {
	t = strings.TrimSuffix(t, ".")
	if monthWords[t] {
		return true
	}
	_, ok := unitWords[t]
	return ok
}

// durationDays converts n units to days.
func durationDays(n float64, unit string) float64 {
	if monthWords[unit] {
		whole := int(n)
		if float64(whole) == n && whole >= 12 {
			return float64(whole/12*daysPerYear + whole%12*daysPerMonth)
		}
		return n * daysPerMonth
	}
	return n * unitWords[unit]
}
