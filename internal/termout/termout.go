// Package termout decides how output meant for a person looks: the width
// of the terminal it goes to, and whether it may carry colour.
package termout

import (
	"io"

	"golang.org/x/term"
)

// DefaultWidth is the width used when the output is not a terminal.
const DefaultWidth = 100

// Look is what an output stream can show.
type Look struct {
	Terminal bool
	Width    int
	Color    bool
}

// Detect looks at w and the environment: colour only on a terminal, never
// when NO_COLOR is set to anything (https://no-color.org) or TERM is dumb.
func Detect(w io.Writer, getenv func(string) string) Look {
	l := Look{Width: DefaultWidth}
	f, ok := w.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return l
	}
	l.Terminal = true
	if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols >= 40 {
		l.Width = cols
	}
	l.Color = getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
	return l
}
