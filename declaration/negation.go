package declaration

import (
	"regexp"
	"strings"
)

// Negated and retired services: "we do not use Google Analytics", "vi
// bruger ikke …", "wir verwenden keine …", "nous n'utilisons pas …", "X is
// no longer used", "instead of X". A service named in the scope of such a
// phrase is not declared. Only services named after the phrase count as
// negated: "Plausible does not use cookies" says nothing against using
// Plausible.

// negationCues open a negated scope, in our languages (lower case).
var negationCues = []string{
	"do not use", "don't use", "does not use", "doesn't use", "never use", "not use any", "no longer use", "we don't",
	"bruger ikke", "anvender ikke", "benytter ikke", "bruger vi ikke", "anvender vi ikke", "benytter vi ikke",
	"bruker ikke", "bruker vi ikke", "bruker ingen",
	"använder inte", "använder vi inte", "använder inga", "använder vi inga",
	"verwenden keine", "nutzen keine", "setzen keine", "verwenden wir keine", "nutzen wir keine", "setzen wir keine", "verwenden kein", "nutzen kein",
	"gebruiken geen", "gebruiken wij geen", "gebruiken we geen",
	"n'utilisons pas", "n’utilisons pas", "n'utilise pas", "n’utilise pas", "n'utilisons aucun", "n’utilisons aucun",
	"no utilizamos", "no usamos", "no empleamos",
	"non utilizziamo", "non usiamo", "non impieghiamo",
	"não utilizamos", "não usamos", "nao utilizamos",
	"nie używamy", "nie korzystamy", "nie stosujemy",
	"emme käytä", "emme enää käytä",
}

// negatedVerbRE is "we <verb> not" in the languages that put the negation
// after the verb ("vi indlejrer ikke", "wir binden keine", "we embed no").
var negatedVerbRE = regexp.MustCompile(`\b(?:vi|we|wir|wij|nous|me)\s+\pL+\s+(?:ikke|inte|not|no|keine?[nrs]?|nicht|geen|niet|ingen|inga|pas)\b`)

// insteadCues name a service that is replaced: the service after them (or,
// in Finnish, before "sijaan") is not used.
var insteadCues = []string{"instead of", "rather than", "i stedet for", "i stället för", "istället för", "statt ", "anstelle von",
	"in plaats van", "au lieu de", "en lugar de", "en vez de", "invece di", "em vez de", "zamiast"}

// scopeEnds close a negated scope: a contrast or the end of a clause.
var scopeEnds = []string{" but ", " men ", " aber ", " mais ", " pero ", " ma ", " mas ", " ale ", " mutta ", " maar ", "; ", ": "}

var (
	negationCueSet = newPhraseSet(false, negationCues...)
	insteadCueSet  = newPhraseSet(false, insteadCues...)
	// negationWords are what negatedVerbRE needs after a space: the cheap
	// test before it.
	negationWords = newPhraseSet(false, expand([]string{" ", "\t", "\n", "\r", "\f"},
		[]string{"ikke", "inte", "not", "no", "kein", "nicht", "geen", "niet", "ingen", "inga", "pas"})...)
)

// negatedSpans returns the byte ranges of low (a lower-cased sentence) in
// which a named service is negated.
func negatedSpans(low string) [][2]int {
	var spans [][2]int
	scopeEnd := func(start int) int {
		end := len(low)
		for _, e := range scopeEnds {
			if j := strings.Index(low[start:], e); j >= 0 && start+j < end {
				end = start + j
			}
		}
		return end
	}
	// Every occurrence of a cue, each cue's occurrences apart from one
	// another, in one pass over the sentence.
	next := make([]int, len(negationCues)) // where each cue's next occurrence may start
	negationCueSet.each(low, func(k, start, end int) bool {
		if start >= next[k] {
			spans = append(spans, [2]int{end, scopeEnd(end)})
			next[k] = end
		}
		return true
	})
	if negationWords.in(low) {
		for _, m := range negatedVerbRE.FindAllStringIndex(low, -1) {
			spans = append(spans, [2]int{m[1], scopeEnd(m[1])})
		}
	}
	// The first occurrence of each cue of a replaced service.
	seen := make([]bool, len(insteadCues))
	insteadCueSet.each(low, func(k, i, start int) bool {
		if seen[k] {
			return true
		}
		seen[k] = true
		end := start + 60
		if j := strings.IndexAny(low[start:], ",;:."); j >= 0 && start+j < end {
			end = start + j
		}
		spans = append(spans, [2]int{start, min(end, len(low))})
		return true
	})
	// Finnish puts the replaced service before "sijaan" ("Google
	// Analyticsin sijaan").
	if i := strings.Index(low, " sijaan"); i >= 0 {
		spans = append(spans, [2]int{max(0, i-40), i})
	}
	return spans
}

// negated reports whether the byte range [start, end) lies in a span.
func negated(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if start >= s[0] && end <= s[1]+1 {
			return true
		}
	}
	return false
}
