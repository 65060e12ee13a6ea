package declaration

import "strings"

// phraseSet finds any of a set of lower-case phrases in lower-case text in
// one pass over the text, where a regexp alternation of the same phrases
// would backtrack through every alternative at every byte. It replaces
// those alternations on the hot path: it runs on every sentence of a
// declaration.
type phraseSet struct {
	// byFirst holds the phrases by their first byte; pairs marks the
	// first two bytes of every phrase, a cheap test before the phrases.
	byFirst [256][]phrase
	pairs   [1 << 16 / 64]uint64
	// words requires the phrase to stand as ASCII words, as a regexp's \b
	// does: no ASCII letter, digit or underscore right before or after.
	words bool
}

// phrase is one phrase of a set with its place in the list it came from.
type phrase struct {
	text string
	k    int
}

// newPhraseSet builds a set of phrases of two bytes or more.
func newPhraseSet(words bool, phrases ...string) *phraseSet {
	s := &phraseSet{words: words}
	for k, p := range phrases {
		s.byFirst[p[0]] = append(s.byFirst[p[0]], phrase{p, k})
		k := pairKey(p, 0)
		s.pairs[k/64] |= 1 << (k % 64)
	}
	return s
}

// in reports whether low contains one of the phrases.
func (s *phraseSet) in(low string) bool {
	found := false
	s.each(low, func(int, int, int) bool {
		found = true
		return false
	})
	return found
}

// each calls f with the list index and the byte range of every place a
// phrase occurs in low, in the order of the text, until f returns false.
func (s *phraseSet) each(low string, f func(k, start, end int) bool) {
	for i := 0; i+1 < len(low); i++ {
		if k := pairKey(low, i); s.pairs[k/64]&(1<<(k%64)) == 0 {
			continue
		}
		if s.words && i > 0 && isWordByte(low[i-1]) {
			continue
		}
		for _, p := range s.byFirst[low[i]] {
			end := i + len(p.text)
			if strings.HasPrefix(low[i:], p.text) && (!s.words || end == len(low) || !isWordByte(low[end])) {
				if !f(p.k, i, end) {
					return
				}
			}
		}
	}
}

// pairKey is the two bytes of s at i as one number.
func pairKey(s string, i int) uint32 { return uint32(s[i])<<8 | uint32(s[i+1]) }

// isWordByte is a byte of \w: an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// expand returns every phrase a pattern of alternatives spells:
// expand("by ", []string{"using", "continuing"}) is "by using", "by
// continuing".
func expand(parts ...[]string) []string {
	out := []string{""}
	for _, alts := range parts {
		var next []string
		for _, o := range out {
			for _, a := range alts {
				next = append(next, o+a)
			}
		}
		out = next
	}
	return out
}
