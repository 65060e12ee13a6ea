package crawler

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/network"

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
		// Writes the browser drops without a word are no cookies either.
		ev("s", "suffix=1; domain=test", "https://www.example.test/p/"),
		ev("s", "suffix2=1; domain=co.uk", "https://www.example.co.uk/p/"),
		ev("s", "insecure=1; secure", "http://www.example.test/p/"),
		ev("s", "nonesame=1; samesite=none", "https://www.example.test/p/"),
		ev("s", "part=1; partitioned", "https://www.example.test/p/"),
		ev("s", "__Secure-id=1", "https://www.example.test/p/"),
		ev("s", "__host-id=1; secure; path=/; domain=example.test", "https://www.example.test/p/"),
		ev("s", "__Host-nopath=1; secure", "https://www.example.test/p/"),
		// ...while these are stored (and then gone: not in the jar).
		ev("s", "loopsecure=1; secure", "http://127.0.0.1:8080/p/"),
		ev("s", "__Host-ok=1; secure; path=/", "https://www.example.test/p/"),
		ev("s", "domainok=1; domain=example.test; samesite=none; secure", "https://www.example.test/p/"),
	}
	got := transientCookies(events, "example.test", func(k string) bool { return strings.HasPrefix(k, "kept\x00") })
	var lines []string
	for _, o := range got {
		lines = append(lines, o.Name+" "+o.Domain+" "+o.Path+" "+o.Removed+" "+string(o.SetBy.Kind)+" "+strconv.FormatBool(o.Session))
	}
	want := []string{"gone www.example.test / gone header false", "del www.example.test / deleted header false",
		"loopsecure 127.0.0.1 /p gone script true", "__Host-ok www.example.test / gone script true", "domainok .example.test /p gone script true"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("transient cookies:\n got %q\nwant %q", lines, want)
	}
}

// A Set-Cookie line may reach us before the request it came with (the two
// come from different processes of the browser): its setter is completed
// when the request's URL arrives, and is not left unknown.
func TestSetCookieBeforeItsRequest(t *testing.T) {
	r := newRecorder("example.test", "b", time.Now)
	r.recording = true
	r.page = "https://www.example.test/"
	r.listen(&network.EventResponseReceivedExtraInfo{RequestID: "7", Headers: network.Headers{"Set-Cookie": "li=1; Max-Age=60\nhost_only=1\nrefused=1; SameSite=None"},
		BlockedCookies: []*network.BlockedSetCookieWithReason{{CookieLine: "refused=1; SameSite=None", BlockedReasons: []network.SetCookieBlockedReason{network.SetCookieBlockedReasonSameSiteNoneInsecure}}}})
	r.listen(&network.EventRequestWillBeSent{RequestID: "7", Request: &network.Request{URL: "https://px.ads.test/p?x=1"}, Type: network.ResourceTypeImage})
	r.listen(&network.EventResponseReceivedExtraInfo{RequestID: "8", Headers: network.Headers{"Set-Cookie": "late=1"}})
	r.listen(&network.EventResponseReceived{RequestID: "8", Response: &network.Response{URL: "https://cdn.example.test/a.js"}, Type: network.ResourceTypeScript})
	var got []string
	for _, s := range r.recorded().setters {
		got = append(got, s.name+" "+s.domain+" "+s.url)
	}
	want := []string{"li px.ads.test https://px.ads.test/p?x=1", "host_only px.ads.test https://px.ads.test/p?x=1",
		"refused px.ads.test https://px.ads.test/p?x=1", "late cdn.example.test https://cdn.example.test/a.js"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("setters:\n got %q\nwant %q", got, want)
	}
	// The refused line is reported with the host that sent it, as one
	// whose request came first would be.
	blocked := r.recorded().blocked
	if len(blocked) != 1 || blocked[0].Domain != "px.ads.test" || blocked[0].URL != "https://px.ads.test/p?x=1" || blocked[0].Party != cookie.ThirdParty {
		t.Errorf("blocked: %+v", blocked)
	}
}
