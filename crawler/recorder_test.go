package crawler

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/domstorage"

	"github.com/cookiescan/cookiescan/cookie"
)

// Storage keys past the bound are counted and named in the warnings, not
// dropped silently.
func TestStorageBoundIsReported(t *testing.T) {
	r := newRecorder("example.test", "b", time.Now)
	r.recording = true
	id := &domstorage.StorageID{SecurityOrigin: "https://www.example.test", IsLocalStorage: true}
	for i := 0; i < maxStorageItems+5; i++ {
		r.noteStorage(id, "k"+strconv.Itoa(i), 1)
	}
	ws := mergeRecordings([]tabRecording{r.recorded()}, nil).warnings
	if len(ws) != 1 || !strings.Contains(ws[0], "more than 2000 storage keys") || !strings.Contains(ws[0], "5 more were not recorded") {
		t.Errorf("warnings = %q", ws)
	}
}

func TestTransientCookies(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	ev := func(kind, line, origin string) setterEvent {
		k := map[string]cookie.SetterKind{"h": cookie.SetByHeader, "s": cookie.SetByScript}[kind]
		return setterEvent{kind: k, line: line, origin: origin, url: origin, at: at, page: "https://www.example.test/p/", counted: true}
	}
	events := []setterEvent{
		ev("h", "gone=1; Path=/; Max-Age=3600", "https://www.example.test/p/"),
		ev("h", "del=1; Path=/; Max-Age=3600", "https://www.example.test/p/"),
		ev("s", "del=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT", "https://www.example.test/p/"),
		ev("s", "kept=1; path=/", "https://www.example.test/p/"),
		ev("s", "foreign=1; domain=other.test", "https://www.example.test/p/"),
		ev("s", "scripted=1; HttpOnly", "https://www.example.test/p/"),
		ev("s", "onlydeleted=; max-age=0", "https://www.example.test/p/"),
	}
	got := transientCookies(events, "example.test", func(k string) bool { return strings.HasPrefix(k, "kept\x00") })
	var lines []string
	for _, o := range got {
		lines = append(lines, o.Name+" "+o.Domain+" "+o.Path+" "+o.Removed+" "+string(o.SetBy.Kind)+" "+strconv.FormatBool(o.Session))
	}
	want := []string{"gone www.example.test / gone header false", "del www.example.test / deleted header false"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("transient cookies:\n got %q\nwant %q", lines, want)
	}
}
