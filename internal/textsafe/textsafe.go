// Package textsafe makes text a website sent inert for human output: every
// report format, the diff, the progress lines and the CLI's tables clean
// text here, so that a hostile cookie name, URL or banner label cannot drive
// a terminal (escape sequences, carriage returns), reorder a line (bidi
// overrides) or flood a screen.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s as one line of inert text: invalid UTF-8 and every control
// or bidi-control character become U+FFFD (visible, so the reader knows
// something was there), runs of white space become one space, and the ends
// are trimmed.
func Clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case unicode.IsControl(r), IsBidi(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
		space = false
	}
	return strings.TrimSpace(b.String())
}

// IsBidi reports whether r is a bidirectional formatting character, which
// can make text display in another order than it is stored (Trojan Source).
func IsBidi(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// Short cleans s and bounds it to n characters, ending a cut text with "…".
func Short(s string, n int) string { return Cut(Clean(s), n) }

// Cut bounds s to n characters, ending a cut text with "…"; it does not
// clean (for text built from cleaned parts).
func Cut(s string, n int) string {
	if n <= 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
