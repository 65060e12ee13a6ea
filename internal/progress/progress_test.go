package progress

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

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
	d := New(&buf) // a buffer has no file descriptor: never a terminal
	for _, ev := range events() {
		d.Event(ev)
	}
	d.Close()
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
	d := New(f)
	d.Event(crawler.ProgressEvent{Kind: "page-start", State: cookie.Before, Page: "https://a.example/", Total: 3})
	d.Close()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 0 {
		t.Errorf("a page start wrote %q to a file; want nothing", b)
	}
}

// onTerminal runs the events against the slave side of a pseudo-terminal
// and returns what the terminal received.
func onTerminal(t *testing.T, evs []crawler.ProgressEvent, pause time.Duration) string {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer master.Close()
	if err := pty.Setsize(slave, &pty.Winsize{Rows: 24, Cols: 120}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	copied := make(chan struct{})
	go func() { io.Copy(&out, master); close(copied) }()
	d := New(slave)
	if d.bars == nil {
		t.Fatal("a pseudo-terminal was not taken for a terminal")
	}
	for _, ev := range evs {
		d.Event(ev)
		time.Sleep(pause) // let a frame or two be drawn between events
	}
	d.Close()
	slave.Close()
	<-copied
	return out.String()
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

func TestTerminalShowsBars(t *testing.T) {
	raw := onTerminal(t, events(), 40*time.Millisecond)
	screen := ansi.ReplaceAllString(raw, "")
	// One bar per state with its pages; the finished state says done.
	for _, want := range []string{"before", "2/2 pages", "accept", "1/2 pages", "done"} {
		if !strings.Contains(screen, want) {
			t.Errorf("terminal shows no %q:\n%s", want, screen)
		}
	}
	if !regexp.MustCompile(`\[[=>-]+\]|[=]{3,}`).MatchString(screen) {
		t.Errorf("no bar drawn:\n%s", screen)
	}
	// A failed page is a lasting line above the bars.
	if !strings.Contains(screen, "before: failed https://a.example/x: timeout after 30s") {
		t.Errorf("the failed page is not listed:\n%s", screen)
	}
	// The plain lines are not printed on a terminal: the bars replace them.
	if strings.Contains(screen, "visiting 2 pages") {
		t.Errorf("plain progress lines on a terminal:\n%s", screen)
	}
}

func TestTerminalCleansPageNames(t *testing.T) {
	evs := []crawler.ProgressEvent{
		{Kind: "state-start", State: cookie.Before, Total: 9},
		{Kind: "page-start", State: cookie.Before, Total: 9, Page: "https://a.example/\x1b[2J" + strings.Repeat("x", 300)},
	}
	raw := onTerminal(t, evs, 200*time.Millisecond)
	if strings.Contains(raw, "\x1b[2J") {
		t.Errorf("escape sequence from the page URL reached the terminal: %q", raw)
	}
	if strings.Contains(raw, strings.Repeat("x", 100)) {
		t.Errorf("the page name is not cut to the terminal")
	}
}
