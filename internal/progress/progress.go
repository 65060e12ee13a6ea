// Package progress shows the crawler's progress to a person watching: on a
// terminal, one bar per consent state with pages done, the page being
// loaded and the time left (mpb); anywhere else (a CI log, a file, a pipe)
// quiet, greppable lines: a state's start and end, and each failed page.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
)

// defaultWidth is the terminal's width when it does not say.
const defaultWidth = 100

// Display receives the crawler's progress events. Close it when the crawl
// ends, before anything else is written to the same terminal.
type Display struct {
	mu    sync.Mutex
	w     io.Writer
	width int
	bars  *mpb.Progress // nil when w is not a terminal
	bar   map[cookie.State]*mpb.Bar
	// pageMu guards page alone: the bars' decorators read it from mpb's
	// goroutines, which Event may be waiting on while it holds mu.
	pageMu sync.Mutex
	page   map[cookie.State]string
	done   map[cookie.State]int
	failed map[cookie.State]int
	closed bool
}

// New returns a display writing to w, with bars when w is a terminal (it
// has a file descriptor and term.IsTerminal says so).
func New(w io.Writer) *Display {
	d := newDisplay(w, defaultWidth)
	if f, ok := w.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			d.width = cols
		}
		d.bars = mpb.New(mpb.WithOutput(w), mpb.WithWidth(d.width), mpb.WithRefreshRate(150*time.Millisecond))
	}
	return d
}

func newDisplay(w io.Writer, width int) *Display {
	return &Display{w: w, width: width, bar: map[cookie.State]*mpb.Bar{}, page: map[cookie.State]string{},
		done: map[cookie.State]int{}, failed: map[cookie.State]int{}}
}

// Event takes one progress event; it is the crawler's Progress callback.
func (d *Display) Event(ev crawler.ProgressEvent) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	state := cookie.State(clean(string(ev.State)))
	page := clean(ev.Page)
	switch ev.Kind {
	case crawler.ProgressDiscovered:
		d.line(fmt.Sprintf("discovered %d pages", ev.Total))
	case crawler.ProgressStateStart:
		d.done[state] = ev.Done
		if d.bars == nil {
			d.line(fmt.Sprintf("%s: visiting %d pages", state, ev.Total))
		} else if _, ok := d.bar[state]; !ok {
			d.bar[state] = d.newBar(state, ev.Total)
		}
	case crawler.ProgressPageStart:
		d.setPage(state, page)
	case crawler.ProgressPageDone:
		d.done[state] = ev.Done
		if ev.Err != "" {
			d.failed[state]++
			d.line(fmt.Sprintf("%s: failed %s: %s", state, page, clean(ev.Err)))
		}
		if b := d.bar[state]; b != nil {
			b.SetCurrent(int64(ev.Done))
		}
	case crawler.ProgressStateDone:
		d.done[state] = ev.Done
		d.setPage(state, "")
		if b := d.bar[state]; b != nil {
			b.SetTotal(int64(ev.Total), true)
			return
		}
		msg := fmt.Sprintf("%s: done, %d/%d pages", state, ev.Done, ev.Total)
		if n := d.failed[state]; n > 0 {
			msg += fmt.Sprintf(", %d failed", n)
		}
		d.line(msg)
	}
}

// newBar is one state's bar: "before [=====>---] 3/7 pages  ETA 12s  /page".
func (d *Display) newBar(state cookie.State, total int) *mpb.Bar {
	return d.bars.AddBar(int64(total),
		mpb.PrependDecorators(
			decor.Name(string(state), decor.WC{W: 7, C: decor.DindentRight}),
		),
		mpb.AppendDecorators(
			decor.CountersNoUnit("%d/%d pages", decor.WC{W: 12}),
			decor.OnComplete(decor.AverageETA(decor.ET_STYLE_GO, decor.WC{W: 6}), "done"),
			decor.Any(func(decor.Statistics) string {
				d.pageMu.Lock()
				defer d.pageMu.Unlock()
				return "  " + truncate(d.page[state], d.width/3)
			}),
		),
		mpb.BarWidth(max(10, d.width/4)),
	)
}

func (d *Display) setPage(state cookie.State, page string) {
	d.pageMu.Lock()
	d.page[state] = page
	d.pageMu.Unlock()
}

// line prints a message that stays: above the bars on a terminal.
func (d *Display) line(msg string) {
	// A failed write to a progress display is not worth failing a scan for.
	if d.bars != nil {
		d.bars.Write([]byte(msg + "\n"))
		return
	}
	io.WriteString(d.w, msg+"\n")
}

// Close ends the bars (an unfinished state's bar stays where it stopped)
// and waits until the last frame is drawn.
func (d *Display) Close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	for _, b := range d.bar {
		if !b.Completed() {
			b.Abort(false)
		}
	}
	bars := d.bars
	d.mu.Unlock()
	if bars != nil {
		bars.Wait()
	}
}

// truncate shortens s to n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if n <= 1 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// clean drops control characters, so that a page URL or an error text cannot
// move the cursor or rewrite the terminal.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
