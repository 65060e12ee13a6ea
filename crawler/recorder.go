package crawler

import (
	"context"
	"encoding/json"
	"maps"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler/consent"
)

// Bounds on what a website can make us keep.
const (
	maxChain          = 30
	maxURLLen         = 512
	maxCookieLineLen  = 512
	maxRequestHosts   = 2000
	maxStorageItems   = 2000
	maxSetterEvents   = 20000
	maxBlocked        = 2000
	maxConsentSignals = 100
)

// setterEvent is one attempt to set a cookie: a Set-Cookie line or a
// document.cookie write, recorded as it happens so that a cookie deleted or
// evicted before the jar is read is still known.
type setterEvent struct {
	name   string
	domain string // the Domain attribute, or the setter's host when absent
	kind   cookie.SetterKind
	url    string
	at     time.Time
	// line is the Set-Cookie line or the written string (value cut).
	line string
	// origin is the URL of the response or of the frame that wrote it: the
	// default domain and path of the cookie.
	origin string
	page   string
	// counted is whether the state was recording when it happened.
	counted bool
	// refused is a Set-Cookie line the browser blocked.
	refused bool
}

// recorder collects the events of one tab. Its listen method runs in the
// tab's event loop, so it only records; it never sends a command.
type recorder struct {
	siteDomain string
	binding    string
	now        func() time.Time

	mu        sync.Mutex
	page      string // the page being visited, for attribution
	recording bool   // whether requests, storage and blocked cookies count
	reqURL    map[network.RequestID]string
	// urlless are the setters recorded before their request's URL was
	// known: Set-Cookie lines come from the browser process, the request
	// from the renderer, and either may arrive first.
	urlless  map[network.RequestID][]urllessEntry
	inflight map[network.RequestID]bool
	lastNet  time.Time
	sent     uint64 // requests started in this tab, for settle's nudge
	// netCh wakes a settling page on network activity (buffered, one slot:
	// a wake-up, not a count).
	netCh    chan struct{}
	setters  []setterEvent
	blocked  []cookie.BlockedCookie
	requests map[string]*cookie.Request
	reqOrder []string
	storage  map[string]cookie.StorageItem
	dialogs  []string
	// hook counts, per page, the document.cookie writes the hook did not
	// report one by one or did not pass on.
	hook           map[string]hookCounts
	setterOverflow int
	// over counts what was left out past each bound, by what it was.
	over map[string]int
	// chain is the current main-frame navigation's redirect chain.
	chain     []string
	crashed   bool
	docStatus map[network.RequestID]int
	consent   []pageSignal
	mainFrame string
	// offsite is a main-frame navigation to another site that was refused.
	offsite string
	// lastDoc describes the latest main-frame document response, to tell a
	// download from other aborted loads.
	lastDocMIME        string
	lastDocDisposition string

	dialogCh chan page.DialogType // dialogs to answer, handled outside the loop
	crashCh  chan struct{}        // closed when the tab crashes
	// gen is the current tab's generation: events of a retired tab are
	// ignored.
	gen int
}

func newRecorder(siteDomain, binding string, now func() time.Time) *recorder {
	return &recorder{
		siteDomain: siteDomain,
		binding:    binding,
		now:        now,
		reqURL:     map[network.RequestID]string{},
		urlless:    map[network.RequestID][]urllessEntry{},
		inflight:   map[network.RequestID]bool{},
		netCh:      make(chan struct{}, 1),
		requests:   map[string]*cookie.Request{},
		storage:    map[string]cookie.StorageItem{},
		docStatus:  map[network.RequestID]int{},
		hook:       map[string]hookCounts{},
		over:       map[string]int{},
		dialogCh:   make(chan page.DialogType, 16),
		crashCh:    make(chan struct{}),
	}
}

// newTab starts a new tab generation: the state goes on in a fresh tab
// (after a crash, a hang or a misbehaving page) and keeps what it recorded.
// It returns the generation and the new tab's dialog channel.
func (r *recorder) newTab(mainFrame string) (int, chan page.DialogType) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
	r.mainFrame = mainFrame
	r.crashed = false
	r.crashCh = make(chan struct{})
	r.dialogCh = make(chan page.DialogType, 16)
	r.inflight = map[network.RequestID]bool{}
	return r.gen, r.dialogCh
}

// listener returns the event listener of tab generation gen.
func (r *recorder) listener(gen int) func(any) {
	return func(ev any) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.gen != gen {
			return
		}
		r.listen(ev)
	}
}

// listen records one event; the caller holds r.mu.
func (r *recorder) listen(ev any) {
	now := r.now()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request == nil {
			return
		}
		if len(r.reqURL) < 100000 {
			r.reqURL[ev.RequestID] = ev.Request.URL
		}
		r.learnURL(ev.RequestID, ev.Request.URL)
		if ev.Type == network.ResourceTypeDocument && string(ev.FrameID) == r.mainFrame {
			if ev.RedirectResponse == nil {
				r.chain = r.chain[:0]
			}
			if len(r.chain) <= maxChain {
				r.chain = append(r.chain, truncate(ev.Request.URL, maxURLLen))
			}
		}
		if ev.Type != network.ResourceTypeWebSocket && ev.Type != network.ResourceTypeEventSource {
			r.inflight[ev.RequestID] = true
		}
		r.sent++
		r.netActivity(now)
		r.noteRequest(ev.Request.URL, string(ev.Type))
	case *network.EventResponseReceived:
		if ev.Response != nil {
			if _, ok := r.reqURL[ev.RequestID]; !ok && len(r.reqURL) < 100000 {
				r.reqURL[ev.RequestID] = ev.Response.URL
			}
			r.learnURL(ev.RequestID, ev.Response.URL)
		}
		if ev.Type == network.ResourceTypeDocument && string(ev.FrameID) == r.mainFrame && ev.Response != nil {
			r.lastDocMIME = ev.Response.MimeType
			r.lastDocDisposition = ""
			for k, v := range ev.Response.Headers {
				if strings.EqualFold(k, "content-disposition") {
					r.lastDocDisposition, _ = v.(string)
				}
			}
		}
	case *network.EventLoadingFinished:
		delete(r.inflight, ev.RequestID)
		r.netActivity(now)
	case *network.EventLoadingFailed:
		delete(r.inflight, ev.RequestID)
		r.netActivity(now)
	case *network.EventResponseReceivedExtraInfo:
		r.noteSetCookies(ev, now)
	case *runtime.EventBindingCalled:
		if ev.Name == r.binding {
			r.noteScriptWrites(ev.Payload, now)
		}
	case *domstorage.EventDomStorageItemAdded:
		r.noteStorage(ev.StorageID, ev.Key, len(ev.NewValue))
	case *domstorage.EventDomStorageItemUpdated:
		r.noteStorage(ev.StorageID, ev.Key, len(ev.NewValue))
	case *page.EventJavascriptDialogOpening:
		msg := string(ev.Type) + ": " + truncate(ev.Message, 200)
		if len(r.dialogs) < 20 {
			r.dialogs = append(r.dialogs, msg)
		}
		select {
		case r.dialogCh <- ev.Type:
		default:
		}
	case *inspector.EventTargetCrashed:
		if !r.crashed {
			r.crashed = true
			close(r.crashCh)
		}
	}
}

func (r *recorder) noteRequest(raw, typ string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	host := strings.ToLower(u.Hostname())
	reg := RegistrableDomain(host)
	for _, sig := range consent.ConsentModeFromURL(raw) {
		if len(r.consent) >= maxConsentSignals {
			r.over["Consent Mode signals"]++
			break
		}
		sig.Value, sig.URL = truncate(sig.Value, 64), truncate(sig.URL, maxURLLen)
		r.consent = append(r.consent, pageSignal{page: r.page, sig: sig})
	}
	if !r.recording || reg == r.siteDomain {
		return
	}
	req := r.requests[host]
	if req == nil {
		if len(r.requests) >= maxRequestHosts {
			r.over["third-party hosts"]++
			return
		}
		req = &cookie.Request{Host: host, RegistrableDomain: reg, FirstURL: truncate(raw, maxURLLen), FirstPage: r.page}
		r.requests[host] = req
		r.reqOrder = append(r.reqOrder, host)
	}
	req.Count++
	if typ != "" && !contains(req.Types, typ) {
		req.Types = append(req.Types, typ)
		sort.Strings(req.Types)
	}
}

func (r *recorder) noteSetCookies(ev *network.EventResponseReceivedExtraInfo, now time.Time) {
	respURL := r.reqURL[ev.RequestID]
	host := hostOf(respURL)
	if ev.StatusCode > 0 && len(r.docStatus) < 100000 {
		r.docStatus[ev.RequestID] = int(ev.StatusCode)
	}
	firstSetter, firstBlocked := len(r.setters), len(r.blocked)
	refused := map[string]bool{}
	for _, b := range ev.BlockedCookies {
		if b != nil {
			refused[b.CookieLine] = true
		}
	}
	for k, v := range ev.Headers {
		if !strings.EqualFold(k, "set-cookie") {
			continue
		}
		s, _ := v.(string)
		for _, line := range strings.Split(s, "\n") {
			name, domain := parseSetCookie(line)
			if name == "" {
				continue
			}
			if domain == "" {
				domain = host
			}
			r.addSetter(setterEvent{name: name, domain: domain, kind: cookie.SetByHeader, url: truncate(respURL, maxURLLen), at: now,
				line: truncate(line, 1024), origin: truncate(respURL, maxURLLen), refused: refused[line]})
		}
	}
	if r.recording {
		r.noteBlocked(ev.BlockedCookies, respURL, host)
	}
	if respURL == "" && len(r.urlless) < 10000 {
		// The lines came before their request (see urlless): learnURL
		// completes what was just recorded from them.
		for i := firstSetter; i < len(r.setters); i++ {
			r.urlless[ev.RequestID] = append(r.urlless[ev.RequestID], urllessEntry{setter: i, blocked: -1})
		}
		for i := firstBlocked; i < len(r.blocked); i++ {
			r.urlless[ev.RequestID] = append(r.urlless[ev.RequestID], urllessEntry{setter: -1, blocked: i})
		}
	}
}

// noteBlocked records the Set-Cookie lines the browser refused.
func (r *recorder) noteBlocked(lines []*network.BlockedSetCookieWithReason, respURL, host string) {
	for _, b := range lines {
		if b == nil {
			continue
		}
		if len(r.blocked) >= maxBlocked {
			r.over["blocked cookies"]++
			continue
		}
		bc := cookie.BlockedCookie{Line: truncate(b.CookieLine, maxCookieLineLen), URL: truncate(respURL, maxURLLen), Page: r.page}
		if b.Cookie != nil {
			bc.Name, bc.Domain = b.Cookie.Name, b.Cookie.Domain
		} else {
			bc.Name, bc.Domain = parseSetCookie(b.CookieLine)
		}
		if bc.Domain == "" {
			bc.Domain = host
		}
		bc.Party = PartyOf(bc.Domain, r.siteDomain)
		for _, reason := range b.BlockedReasons {
			bc.Reasons = append(bc.Reasons, string(reason))
		}
		r.blocked = append(r.blocked, bc)
	}
}

// urllessEntry is a setter or a blocked line (the other index is -1)
// recorded before its request's URL was known.
type urllessEntry struct{ setter, blocked int }

// learnURL completes the setters recorded before their request's URL was
// known; the caller holds r.mu.
func (r *recorder) learnURL(id network.RequestID, raw string) {
	idx, ok := r.urlless[id]
	if !ok || raw == "" {
		return
	}
	delete(r.urlless, id)
	u, host := truncate(raw, maxURLLen), hostOf(raw)
	for _, e := range idx {
		if e.setter >= 0 {
			s := &r.setters[e.setter]
			s.url, s.origin = u, u
			if s.domain == "" {
				s.domain = host
			}
			continue
		}
		b := &r.blocked[e.blocked]
		b.URL = u
		if b.Domain == "" {
			b.Domain = host
			b.Party = PartyOf(host, r.siteDomain)
		}
	}
}

// addSetter records one attempt; past the bound it is only counted.
func (r *recorder) addSetter(e setterEvent) {
	if len(r.setters) >= maxSetterEvents {
		r.setterOverflow++
		return
	}
	e.page, e.counted = r.page, r.recording
	r.setters = append(r.setters, e)
}

// hookBatch is what the injected cookie hook sends: the writes of one task
// (or more), and how many it did not report one by one.
type hookBatchMsg struct {
	Writes []struct {
		Cookie    string `json:"c"`
		Stack     string `json:"s"`
		Untrusted bool   `json:"u"`
		Frame     string `json:"f"`
	} `json:"w"`
	hookCounts
}

// hookCounts are the document.cookie writes of a page the hook did not
// report one by one: over its budget (dropped) or identical to one already
// reported (repeats); and the back-to-back repeats it passed to the browser
// once per run instead of one by one (held).
type hookCounts struct {
	Dropped int `json:"d"`
	Repeats int `json:"r"`
	Held    int `json:"k"`
}

func (c *hookCounts) add(o hookCounts) {
	c.Dropped += o.Dropped
	c.Repeats += o.Repeats
	c.Held += o.Held
}

var stackURL = regexp.MustCompile(`https?://[^\s()]+?(?::\d+){0,2}(?:\)|\s|$)`)

// maxHookPayload bounds one binding call: a batch of hookBatch writes with
// their stacks fits well within it.
const maxHookPayload = 2 << 20

func (r *recorder) noteScriptWrites(payload string, now time.Time) {
	if len(payload) > maxHookPayload {
		c := r.hook[r.page]
		c.Dropped++
		r.hook[r.page] = c
		return
	}
	var m hookBatchMsg
	if json.Unmarshal([]byte(payload), &m) != nil {
		return
	}
	c := r.hook[r.page]
	c.add(m.hookCounts)
	r.hook[r.page] = c
	for _, w := range m.Writes {
		name, domain := parseSetCookie(w.Cookie)
		if name == "" {
			continue
		}
		if domain == "" {
			domain = hostOf(w.Frame)
		}
		setter := scriptURLFromStack(w.Stack, w.Frame)
		if w.Untrusted {
			// The page controls how stacks are formatted: name nobody
			// rather than what it may have forged.
			setter = ""
		}
		r.addSetter(setterEvent{name: name, domain: domain, kind: cookie.SetByScript, url: truncate(setter, maxURLLen), at: now,
			line: truncate(w.Cookie, 1024), origin: truncate(w.Frame, maxURLLen)})
	}
}

// scriptURLFromStack picks the first script URL on the stack: the frame that
// wrote document.cookie. Our own hook has no URL, so it is skipped. An inline
// script shows as the page's own URL.
func scriptURLFromStack(stack, frame string) string {
	for _, line := range strings.Split(stack, "\n") {
		m := stackURL.FindString(strings.TrimSpace(line))
		if m == "" {
			continue
		}
		m = strings.TrimRight(m, ") \t")
		// Strip :line:column.
		for i := 0; i < 2; i++ {
			if j := strings.LastIndexByte(m, ':'); j > len("https://") && isDigits(m[j+1:]) {
				m = m[:j]
			}
		}
		return m
	}
	return frame
}

func (r *recorder) noteStorage(id *domstorage.StorageID, key string, valueLen int) {
	if !r.recording || id == nil {
		return
	}
	kind := "session"
	if id.IsLocalStorage {
		kind = "local"
	}
	origin := id.SecurityOrigin
	if origin == "" {
		origin = string(id.StorageKey)
	}
	k := kind + "\x00" + origin + "\x00" + key
	if _, ok := r.storage[k]; ok {
		return
	}
	if len(r.storage) >= maxStorageItems {
		r.over["storage keys"]++
		return
	}
	r.storage[k] = cookie.StorageItem{Kind: kind, Origin: truncate(origin, maxURLLen), Key: truncate(key, 256), ValueLength: valueLen, Page: r.page}
}

// netActivity notes a network event and wakes a waiting settle; the caller
// holds r.mu.
func (r *recorder) netActivity(now time.Time) {
	r.lastNet = now
	select {
	case r.netCh <- struct{}{}:
	default:
	}
}

// touch counts as network activity now: after the scroll, the quiet window
// starts again, so that requests the scroll triggers are waited for.
func (r *recorder) touch() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastNet = r.now()
}

// requestsSent is how many requests the tab has started.
func (r *recorder) requestsSent() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent
}

// quietLeft reports how much longer the network must stay idle to have been
// idle for d: 0 when it has, d when a request is in flight.
func (r *recorder) quietLeft(d time.Duration) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.inflight) > 0 {
		return d
	}
	return max(0, d-r.now().Sub(r.lastNet))
}

func (r *recorder) startPage(page string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.page = page
	r.dialogs = nil
	r.offsite = ""
	r.lastDocMIME, r.lastDocDisposition = "", ""
	// Requests of an earlier page that never finished must not hold this
	// page's settling forever.
	r.inflight = map[network.RequestID]bool{}
	r.lastNet = r.now()
}

func (r *recorder) setRecording(on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recording = on
}

func (r *recorder) pageDialogs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.dialogs...)
}

// download says whether the latest main-frame response was a download, and
// its type.
func (r *recorder) download() (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if strings.Contains(strings.ToLower(r.lastDocDisposition), "attachment") {
		return r.lastDocMIME, true
	}
	m := strings.ToLower(r.lastDocMIME)
	if m != "" && !strings.Contains(m, "html") && !strings.HasPrefix(m, "text/") && !strings.Contains(m, "xml") {
		return r.lastDocMIME, true
	}
	return "", false
}

func (r *recorder) noteOffsite(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.offsite = u
}

func (r *recorder) offsiteTarget() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.offsite
}

// untilCrash derives a context with a timeout that also ends when the tab
// crashes: a dead renderer answers no command, and nothing should wait for it.
func (r *recorder) untilCrash(parent context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	go func() {
		select {
		case <-r.crashCh:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

func (r *recorder) isCrashed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.crashed
}

// recorded copies out what the tab recorded, for the state's merge.
func (r *recorder) recorded() tabRecording {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := tabRecording{
		setters:        append([]setterEvent(nil), r.setters...),
		blocked:        append([]cookie.BlockedCookie(nil), r.blocked...),
		signals:        append([]pageSignal(nil), r.consent...),
		hook:           maps.Clone(r.hook),
		over:           maps.Clone(r.over),
		setterOverflow: r.setterOverflow,
	}
	for _, h := range r.reqOrder {
		out.requests = append(out.requests, *r.requests[h])
	}
	for _, it := range r.storage {
		out.storage = append(out.storage, it)
	}
	return out
}

// parseSetCookie returns the name and Domain attribute of a Set-Cookie line
// or a document.cookie assignment.
func parseSetCookie(line string) (name, domain string) {
	parts := strings.Split(line, ";")
	nv := strings.TrimSpace(parts[0])
	eq := strings.IndexByte(nv, '=')
	if eq <= 0 {
		return "", ""
	}
	name = strings.TrimSpace(nv[:eq])
	for _, attr := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(attr), "=")
		if strings.EqualFold(strings.TrimSpace(k), "domain") {
			domain = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(v)), ".")
		}
	}
	return truncate(name, 256), domain
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// chainIsLoop reports whether the last main-frame redirect chain came back
// to a URL it had already visited (a long chain of distinct URLs is not a
// loop), and how many URLs it had.
func (r *recorder) chainIsLoop() (loop bool, urls int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	for _, u := range r.chain {
		if seen[u] {
			return true, len(r.chain)
		}
		seen[u] = true
	}
	return false, len(r.chain)
}
