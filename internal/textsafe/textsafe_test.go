package textsafe

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"  two\n\tlines\r\n", "two lines"},
		{"\x1b[31mred\x1b[0m", "\uFFFD[31mred\uFFFD[0m"},
		{"abc\u202Edcba", "abc\uFFFDdcba"},
		{"\u2066iso\u2069", "\uFFFDiso\uFFFD"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"bell\a", "bell\uFFFD"},
	} {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestShort(t *testing.T) {
	if got := Short(strings.Repeat("é", 10), 5); got != "éééé…" {
		t.Errorf("Short = %q", got)
	}
	if got := Short("fits", 4); got != "fits" {
		t.Errorf("Short = %q", got)
	}
}
