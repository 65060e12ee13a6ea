// Package progress prints the crawler's progress events for a person
// watching: a single redrawn status line on a terminal, quiet line-oriented
// messages anywhere else (a CI log, a file, a pipe).
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/internal/textsafe"
)

// defaultWidth is the status line's width when the terminal does not say.
const defaultWidth = 100

// New returns a progress callback that writes to w. When w is a terminal
// (it has a file descriptor and term.IsTerminal says so) the callback
// redraws one status line; otherwise it prints one line per state start and
// end and per failed page, so logs stay short and greppable.
func New(w io.Writer) func(crawler.ProgressEvent) {
	tty, width := false, defaultWidth
	if f, ok := w.(interface{ Fd() uintptr }); ok {
		fd := int(f.Fd())
		if term.IsTerminal(fd) {
			tty = true
			if cols, _, err := term.GetSize(fd); err == nil && cols > 20 {
				width = cols
			}
		}
	}
	return newPrinter(w, tty, width).event
}

// printer holds the counts the status line shows. Events come from one
// goroutine at a time, but the mutex keeps a misbehaving caller from
// interleaving half lines.
type printer struct {
	mu     sync.Mutex
	w      io.Writer
	tty    bool
	width  int
	order  []cookie.State
	done   map[cookie.State]int
	total  map[cookie.State]int
	failed map[cookie.State]int
	page   string
	drawn  bool // a status line is on screen and must be cleared first
}

func newPrinter(w io.Writer, tty bool, width int) *printer {
	return &printer{w: w, tty: tty, width: width,
		done: map[cookie.State]int{}, total: map[cookie.State]int{}, failed: map[cookie.State]int{}}
}

func (p *printer) event(ev crawler.ProgressEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	state := cookie.State(textsafe.Clean(string(ev.State)))
	if state != "" {
		if _, seen := p.total[state]; !seen {
			p.order = append(p.order, state)
		}
		if ev.Total > 0 {
			p.total[state] = ev.Total
		} else if _, ok := p.total[state]; !ok {
			p.total[state] = 0
		}
	}
	page := textsafe.Clean(ev.Page)
	switch ev.Kind {
	case "discovered":
		p.line(fmt.Sprintf("discovered %d pages", ev.Total))
	case "state-start":
		p.done[state] = ev.Done
		p.line(fmt.Sprintf("%s: visiting %d pages", state, ev.Total))
	case "page-start":
		p.page = page
	case "page-done":
		p.done[state] = ev.Done
		if ev.Err != "" {
			p.failed[state]++
			p.line(fmt.Sprintf("%s: failed %s: %s", state, page, textsafe.Clean(ev.Err)))
		}
	case "state-done":
		p.done[state] = ev.Done
		p.page = ""
		msg := fmt.Sprintf("%s: done, %d/%d pages", state, ev.Done, ev.Total)
		if n := p.failed[state]; n > 0 {
			msg += fmt.Sprintf(", %d failed", n)
		}
		p.line(msg)
	}
	if p.tty {
		p.redraw()
	}
}

// line prints a message that stays on screen. On a terminal the status line
// is cleared first and redrawn after it.
func (p *printer) line(msg string) {
	if p.tty && p.drawn {
		io.WriteString(p.w, "\r\x1b[2K")
		p.drawn = false
	}
	// A failed write to a progress display is not worth failing a scan for.
	io.WriteString(p.w, msg+"\n")
}

func (p *printer) redraw() {
	var b strings.Builder
	for i, st := range p.order {
		if i > 0 {
			b.WriteString("  ")
		}
		fmt.Fprintf(&b, "%s %d/%d", st, p.done[st], p.total[st])
	}
	if p.page != "" {
		b.WriteString("  " + p.page)
	}
	status := textsafe.Cut(b.String(), p.width-1)
	io.WriteString(p.w, "\r\x1b[2K"+status)
	p.drawn = true
}
