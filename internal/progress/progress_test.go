package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
)

func events() []crawler.ProgressEvent {
	return []crawler.ProgressEvent{
		{Kind: "discovered", Total: 2},
		{Kind: "state-start", State: cookie.Before, Total: 2},
		{Kind: "page-start", State: cookie.Before, Page: "https://a.example/", Total: 2},
		{Kind: "page-done", State: cookie.Before, Page: "https://a.example/", Done: 1, Total: 2},
		{Kind: "page-start", State: cookie.Before, Page: "https://a.example/x", Done: 1, Total: 2},
		{Kind: "page-done", State: cookie.Before, Page: "https://a.example/x", Done: 2, Total: 2, Err: "timeout after 30s"},
		{Kind: "state-done", State: cookie.Before, Done: 2, Total: 2},
		{Kind: "state-start", State: cookie.Accept, Total: 2},
		{Kind: "page-start", State: cookie.Accept, Page: "https://a.example/", Total: 2},
		{Kind: "page-done", State: cookie.Accept, Page: "https://a.example/", Done: 1, Total: 2},
	}
}

func TestNotTerminalPrintsQuietLines(t *testing.T) {
	var buf bytes.Buffer
	emit := New(&buf) // a buffer has no file descriptor: never a terminal
	for _, ev := range events() {
		emit(ev)
	}
	want := "discovered 2 pages\n" +
		"before: visiting 2 pages\n" +
		"before: failed https://a.example/x: timeout after 30s\n" +
		"before: done, 2/2 pages, 1 failed\n" +
		"accept: visiting 2 pages\n"
	if buf.String() != want {
		t.Errorf("output:\n%q\nwant:\n%q", buf.String(), want)
	}
}

func TestRegularFileIsNotTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	New(f)(crawler.ProgressEvent{Kind: "page-start", State: cookie.Before, Page: "https://a.example/", Total: 3})
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 0 {
		t.Errorf("a page start wrote %q to a file; want nothing", b)
	}
}

func TestTerminalRedrawsOneLine(t *testing.T) {
	var buf bytes.Buffer
	p := newPrinter(&buf, true, 80)
	for _, ev := range events() {
		p.event(ev)
	}
	out := buf.String()
	// The lasting lines are the same messages as without a terminal.
	for _, want := range []string{"before: failed https://a.example/x: timeout after 30s\n", "before: done, 2/2 pages, 1 failed\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal output lacks %q", want)
		}
	}
	// The screen ends with the status line: both states' counts and the page.
	last := out[strings.LastIndex(out, "\r\x1b[2K")+len("\r\x1b[2K"):]
	if want := "before 2/2  accept 1/2  https://a.example/"; last != want {
		t.Errorf("status line = %q, want %q", last, want)
	}
	if strings.Count(out, "\n") != 5 {
		t.Errorf("terminal printed %d lines, want 5 (the status line is redrawn, not repeated):\n%q", strings.Count(out, "\n"), out)
	}
}

func TestTerminalTruncatesAndCleans(t *testing.T) {
	var buf bytes.Buffer
	p := newPrinter(&buf, true, 30)
	p.event(crawler.ProgressEvent{Kind: "page-start", State: cookie.Before, Total: 9,
		Page: "https://a.example/\x1b[2J" + strings.Repeat("x", 100)})
	out := buf.String()
	last := out[strings.LastIndex(out, "\r\x1b[2K")+len("\r\x1b[2K"):]
	if len([]rune(last)) != 29 || !strings.HasSuffix(last, "…") {
		t.Errorf("status line %q is not cut to 29 runes", last)
	}
	if strings.Contains(out, "\x1b[2J") {
		t.Errorf("escape sequence from the page URL reached the terminal: %q", out)
	}
}
