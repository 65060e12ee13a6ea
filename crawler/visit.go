package crawler

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// stateVisit visits the pages of one consent state in a fresh browser
// context: the first page (where the banner is operated) in one tab, the
// others in a pool of tabs of that context, which share its cookie jar as a
// visitor's tabs would.
type stateVisit struct {
	state      cookie.State
	opts       *Options
	siteDomain string
	names      hookNames
	bc         *chrome.BrowserContext // the state's visitor: its tabs share its cookie jar
	rank       planRank
	progress   func(ProgressEvent)

	mu sync.Mutex // guards what follows: the tabs read the jar at once
	// capture is false in the accept and reject states until the choice is
	// made: what the jar holds before it is the before state's business.
	capture bool
	jar     map[string]*jarEntry
	tabs    []*tabVisit
}

// jarEntry is a cookie read from the jar: its latest attributes, when it
// was last read, the earliest page (in plan order) after which a read found
// it, and every page after which one did.
type jarEntry struct {
	o        cookie.Observed
	readAt   time.Time
	firstIdx int
	readPage string
	readOn   map[string]bool // "" is the state's last read
}

// tabVisit is one tab of a state's pool, with its own recorder: every event
// it records belongs to the page this tab is on.
type tabVisit struct {
	v        *stateVisit
	rec      *recorder
	tab      context.Context // current tab; replaced after a crash or a hang
	closeTab context.CancelFunc
	// fresh asks for a new tab before the next page: the last one hung,
	// crashed or misbehaved, and nothing of it must carry over.
	fresh bool
	// retired counts the tabs left behind.
	retired int
}

func visitState(ctx context.Context, b *chrome.Browser, state cookie.State, pages []string, siteDomain string, opts *Options, progress func(ProgressEvent)) (cookie.StateObservation, []cookie.Observed) {
	obs := cookie.StateObservation{State: state, Started: opts.Now()}
	action := map[cookie.State]string{cookie.Before: "none", cookie.Accept: "accept", cookie.Reject: "reject"}[state]
	obs.Consent = cookie.ConsentOutcome{Action: action}

	// The context and its tabs end with the scan.
	// Without a context or a first tab no page can load: each is listed
	// with the reason.
	failAll := func(what string, err error) (cookie.StateObservation, []cookie.Observed) {
		obs.Pages = nil
		for _, p := range pages {
			obs.Pages = append(obs.Pages, cookie.PageVisit{URL: p, ErrorKind: cookie.FailCrash, Error: fmt.Sprintf("%s: could not open a %s: %v", p, what, err)})
		}
		obs.Finished = opts.Now()
		return obs, nil
	}
	bc, err := b.NewBrowserContext(ctx)
	if err != nil {
		return failAll("browser context", err)
	}
	defer bc.Close()

	v := &stateVisit{state: state, opts: opts, siteDomain: siteDomain, bc: bc, jar: map[string]*jarEntry{}, progress: progress,
		names: newHookNames(), rank: newPlanRank(pages)}
	// Before any choice, everything counts. In the accept and reject states,
	// what counts is what happens after the choice.
	v.capture = state == cookie.Before
	defer func() {
		for _, t := range v.tabs {
			if t.closeTab != nil {
				t.closeTab()
			}
		}
	}()
	lead, err := v.newTabVisit(state == cookie.Before)
	if err != nil {
		return failAll("browser tab", err)
	}

	obs.Pages = make([]cookie.PageVisit, len(pages))
	// chosen is closed once the choice is made on the first page (or
	// cannot be): from then on what the jar holds counts, and the pool's
	// other tabs start while the first page settles after the choice.
	chosen := make(chan struct{})
	markChosen := sync.OnceFunc(func() {
		v.mu.Lock()
		v.capture = true
		v.mu.Unlock()
		close(chosen)
	})
	var done atomic.Int64
	visit := func(t *tabVisit, i int) {
		p := pages[i]
		if ctx.Err() != nil {
			obs.Pages[i] = cookie.PageVisit{URL: p, ErrorKind: cookie.FailCancelled, Error: p + ": scan cancelled"}
			done.Add(1)
			return
		}
		progress(ProgressEvent{Kind: ProgressPageStart, State: state, Page: p, Done: int(done.Load()), Total: len(pages)})
		pv := t.visitPage(ctx, p)
		if state == cookie.Before {
			t.handOver(ctx, p, pv)
		}
		if i == 0 {
			if pv.Failed() {
				obs.Consent.Error = "the first page did not load, so the banner could not be operated"
				markChosen()
			} else {
				obs.Consent = t.applyConsent(ctx, action, markChosen)
				if t.rec.isCrashed() {
					pv.Error, pv.ErrorKind = p+": the browser tab crashed on this page; the scan went on in a new tab", cookie.FailCrash
					if obs.Consent.Error == "" {
						obs.Consent.Error = "the tab crashed while the banner was operated"
					}
				}
			}
			t.rec.setRecording(true)
			markChosen()
			v.snapshot(p)
		}
		obs.Pages[i] = pv
		n := int(done.Add(1))
		progress(ProgressEvent{Kind: ProgressPageDone, State: state, Page: p, Done: n, Total: len(pages), Err: pv.Error})
	}
	// The other pages go to whichever tab is free; the output does not
	// depend on which one that is (see merge.go).
	var next atomic.Int64
	next.Store(1)
	work := func(t *tabVisit) {
		for {
			i := int(next.Add(1)) - 1
			if i >= len(pages) {
				return
			}
			visit(t, i)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if len(pages) > 0 {
			visit(lead, 0)
		}
		markChosen()
		work(lead)
	})
	// The pool's other tabs open once the choice is made: the banner's
	// timing is the most fragile step of a scan, and gets the CPU alone.
	<-chosen
	for range opts.TabsFor(len(pages)) - 1 {
		if ctx.Err() != nil {
			break // the lead marks the pages left as cancelled
		}
		wg.Go(func() {
			t, err := v.newTabVisit(true)
			if err != nil {
				opts.Logger.Warn("open a tab for the pool; going on with fewer", "state", state, "err", err)
				return
			}
			work(t)
		})
	}
	wg.Wait()
	if state == cookie.Before && opts.Rendered != nil {
		// Pages not visited (a cancelled scan) will not be.
		opts.Rendered.close()
	}

	// One last read of the jar: the browser's cookie store may lag behind a
	// page that wrote a great many cookies, and what it stored late must
	// not pass for deleted. It comes before the tabs' writes are collected:
	// a tracker fired late on a tab's last page is in this read, and the
	// Set-Cookie that stored it must be among the writes that name its
	// setter; when the read found such a cookie, its event gets a moment to
	// arrive.
	if late := v.snapshot(""); late > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(opts.Quiet):
		}
	}
	recs := make([]tabRecording, 0, len(v.tabs))
	for _, t := range v.tabs {
		recs = append(recs, t.rec.recorded())
	}
	m := mergeRecordings(recs, v.rank)
	obs.Blocked, obs.Requests, obs.Storage, obs.Warnings = m.blocked, m.requests, m.storage, m.warnings
	if len(m.signals) > 0 {
		obs.Consent.ConsentMode = m.signals
	}
	obs.Finished = opts.Now()
	return obs, v.cookies(m.setters, pages)
}

// newTabVisit opens a tab of the state's browser context with a recorder of
// its own.
func (v *stateVisit) newTabVisit(recording bool) (*tabVisit, error) {
	t := &tabVisit{v: v, rec: newRecorder(v.siteDomain, v.names.binding, v.opts.Now)}
	t.rec.setRecording(recording)
	// Each tab can be closed (one that hangs, say) without closing the
	// browser context and its cookies.
	tab, closeTab, err := v.bc.NewTab()
	if err != nil {
		return nil, err
	}
	t.closeTab = closeTab
	v.mu.Lock()
	v.tabs = append(v.tabs, t)
	v.mu.Unlock()
	if err := t.openTab(tab); err != nil {
		return nil, err
	}
	return t, nil
}

// openTab prepares a tab: the event recorder, the cookie hook, Web Storage
// events, and downloads refused. A replaced tab's recorder goes on in its
// successor, so nothing recorded in the earlier tab is lost.
func (t *tabVisit) openTab(tab context.Context) error {
	t.tab = tab
	if err := chromedp.Do(tab); err != nil {
		return err
	}
	mainFrame := ""
	if c := chromedp.FromContext(tab); c != nil && c.Target != nil {
		mainFrame = string(c.Target.TargetID)
	}
	gen, dialogs := t.rec.newTab(mainFrame)
	if err := chromedp.Listen(tab, t.rec.listener(gen)); err != nil {
		return err
	}
	go answerDialogs(tab, dialogs)
	// Subscribe before enabling interception, so no paused request is missed.
	paused := chromedp.Events(tab, fetch.RequestPaused)
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*", ResourceType: network.ResourceTypeDocument}}}); err != nil {
		return err
	}
	go t.guardNavigations(tab, paused)
	steps := []func() error{
		func() error {
			_, err := chromedp.Call(tab, runtime.AddBinding, runtime.AddBindingParams{Name: t.v.names.binding})
			return err
		},
		func() error {
			_, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hookScript(t.v.names)})
			return err
		},
		func() error { _, err := chromedp.Call(tab, domstorage.Enable, cdp.Empty{}); return err },
		func() error {
			_, err := chromedp.CallBrowser(tab, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorDeny, BrowserContextID: chrome.BrowserContextID(tab)})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// guardNavigations refuses main-frame navigations to another site (a
// redirect, or a script that sends the visitor away): that site's cookies are
// not this site's, and must not enter this scan's jar. Frames and same-site
// documents go on untouched.
func (t *tabVisit) guardNavigations(tab context.Context, paused iter.Seq2[fetch.EventRequestPaused, error]) {
	rec := t.rec
	for ev, err := range paused {
		if err != nil {
			return
		}
		if string(ev.FrameID) == rec.mainFrame && ev.Request != nil {
			if u, perr := url.Parse(ev.Request.URL); perr == nil && (u.Scheme == "http" || u.Scheme == "https") && RegistrableDomain(u.Hostname()) != t.v.siteDomain {
				rec.noteOffsite(ev.Request.URL)
				_, _ = chromedp.Call(tab, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
				continue
			}
		}
		_, _ = chromedp.Call(tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
	}
}

// answerDialogs closes alerts, confirms and prompts, which would otherwise
// block the page and the scan. A "leave this page?" dialog is answered
// "leave": staying would block every later navigation.
func answerDialogs(tab context.Context, dialogs <-chan page.DialogType) {
	for {
		select {
		case <-tab.Done():
			return
		case typ := <-dialogs:
			_, _ = chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: typ == page.DialogTypeBeforeunload})
		}
	}
}

func (t *tabVisit) visitPage(ctx context.Context, p string) (pv cookie.PageVisit) {
	start := t.v.opts.Now()
	pv.URL = p
	defer func() { pv.DurationMS = t.v.opts.Now().Sub(start).Milliseconds() }()
	if t.fresh || t.rec.isCrashed() {
		// The tab died, hung or misbehaved on an earlier page: go on in a
		// new tab of the same browser context, so the state's cookies are
		// kept and nothing of that page holds this one.
		if err := t.replaceTab(); err != nil {
			pv.Error, pv.ErrorKind = p+": could not open a new tab after the last page failed: "+err.Error(), cookie.FailCrash
			return pv
		}
	}
	t.rec.startPage(p)

	pageCtx, cancel := t.rec.untilCrash(t.tab, t.v.opts.Timeout)
	defer cancel()
	resp, err := chromedp.Run(pageCtx, chromedp.NavigateResponse(p))
	pv.Dialogs = t.rec.pageDialogs()
	if err != nil {
		if t.rec.isCrashed() {
			err = errors.New("target crashed")
		}
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		pe := classify(p, err)
		if pe.kind == cookie.FailRedirectLoop {
			// Chrome stops at its 20th redirect, with the same error as for
			// a loop; the chain it followed tells which it was.
			if loop, urls := t.rec.chainIsLoop(); !loop && urls >= maxRedirects {
				pe = &pageError{cookie.FailTooManyRedirect, fmt.Sprintf("%s: the page redirects more than %d times; not followed further", p, maxRedirects)}
			}
		}
		if pe.kind != cookie.FailHTTPStatus {
			// Whatever broke the page (a timeout, a hang, a crash, a
			// download) stays with it: the next page gets a fresh tab.
			t.fresh = true
		}
		if target := t.rec.offsiteTarget(); target != "" {
			pe = &pageError{cookie.FailOffSiteRedirect, fmt.Sprintf("%s: redirects to another site (%s); not followed, since its cookies are not this site's", p, truncate(target, 200))}
		} else if mime, ok := t.rec.download(); ok {
			pe = &pageError{cookie.FailDownload, fmt.Sprintf("%s: the link starts a download (%s), not a page", p, mime)}
		}
		pv.Error, pv.ErrorKind = pe.msg, pe.kind
		t.v.snapshot(p) // what was set before the failure still counts
		return pv
	}
	if resp != nil {
		pv.Status = int(resp.Status)
		pv.FinalURL = resp.URL
		if resp.Status >= 400 {
			pv.Error, pv.ErrorKind = fmt.Sprintf("%s: HTTP %d %s", p, resp.Status, http.StatusText(int(resp.Status))), cookie.FailHTTPStatus
		}
	}
	t.settle(pageCtx)
	pv.Dialogs = t.rec.pageDialogs()
	if pageCtx.Err() != nil && ctx.Err() == nil && !t.responsive() {
		// The page loaded, then its script stopped answering (a loop that
		// never yields, say): what it set counts, and the tab is not
		// reused. A page that merely never goes quiet is not a failure.
		t.fresh = true
		if pv.Error == "" {
			pv.Error, pv.ErrorKind = p+": the page loaded, then its script stopped responding within --timeout (a loop that never ends, say); what it set until then is recorded", cookie.FailTimeout
		}
	}
	t.v.snapshot(p)
	return pv
}

// responsive reports whether the tab's page still runs script on request.
func (t *tabVisit) responsive() bool {
	ctx, cancel := context.WithTimeout(t.tab, 3*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[int]("1"))
	return err == nil
}

// replaceTab stops the current tab's script, closes it, and opens a new tab
// in the same browser context.
func (t *tabVisit) replaceTab() error {
	old, closeOld := t.tab, t.closeTab
	// A page in an endless loop answers no command; terminateExecution is
	// the one the browser delivers to it anyway.
	tctx, cancel := context.WithTimeout(old, 2*time.Second)
	_, _ = chromedp.Call(tctx, runtime.TerminateExecution, cdp.Empty{})
	cancel()
	if closeOld != nil {
		go closeOld() // closing waits for the target; the next page need not
	}
	t.retired++
	t.fresh = false
	tab, closeTab, err := t.v.bc.NewTab()
	if err != nil {
		t.closeTab = nil
		return err
	}
	t.closeTab = closeTab
	if err := t.openTab(tab); err != nil {
		return err
	}
	t.rec.setRecording(true)
	return nil
}

// settle waits until the page is quiet, driven by the tab's network events
// rather than fixed waits, and bounded by the page's deadline, so a page
// that never settles is still captured.
//
//   - The load event has fired (the navigation waited for it). The page is
//     scrolled to the bottom at once, as a reader would, so that trackers
//     waiting for a scroll fire while the rest of the page loads.
//   - Once no request has been in flight for half of Quiet and no short
//     timer is pending, the page is nudged: scrolled again, for listeners
//     that script loaded late registered. A nudge that starts requests is
//     followed by another, up to maxNudges.
//   - The page is settled when no request has been in flight for Quiet, no
//     short timer is pending, and the last nudge is nudgeWait old.
//
// The nudge falls inside the quiet window, so a page that does nothing more
// costs Quiet after its last request, no more.
func (t *tabVisit) settle(ctx context.Context) {
	t.scroll(ctx)
	t.rec.touch()
	quiet := t.v.opts.Quiet
	pendingExpr := t.pendingExpr()
	var (
		nudges   int
		nudgedAt time.Time
		sentThen uint64 // requests started before the last nudge
	)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		wait := t.rec.quietLeft(quiet) - quiet/2
		if wait <= 0 {
			timers, err := chromedp.Run(ctx, chromedp.Evaluate[int](pendingExpr))
			switch {
			case err != nil:
				return // the page is gone or does not answer
			case timers > 0:
				// They fire without a network event to wake on.
				wait = timerPoll
			case nudges < maxNudges && (nudges == 0 || t.rec.requestsSent() != sentThen):
				sentThen = t.rec.requestsSent()
				t.scroll(ctx)
				nudges++
				nudgedAt = time.Now()
				wait = nudgeWait
			default:
				wait = max(t.rec.quietLeft(quiet), nudgeWait-time.Since(nudgedAt))
				if wait <= 0 {
					return
				}
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-t.rec.netCh:
		case <-timer.C:
		}
	}
}

// maxNudges bounds the nudges of settle: a page that answers every scroll
// with a request must not hold the scan.
const maxNudges = 3

// nudgeWait is how long a nudge is given before the page counts as settled:
// scroll events and IntersectionObserver callbacks come with the next
// frames, and scroll handlers are often throttled by a short timer (the
// shortest timer settling counts is 50 ms, hook.go).
const nudgeWait = 100 * time.Millisecond

// timerPoll is how often the pending short timers are asked about while the
// network is quiet.
const timerPoll = 50 * time.Millisecond

// scrollScript scrolls to the bottom in steps and announces it.
const scrollScript = `(() => { const h = document.documentElement ? document.documentElement.scrollHeight : 0; for (let y = 0; y <= h; y += 600) window.scrollTo(0, y); window.scrollTo(0, h); window.dispatchEvent(new Event('scroll')); })()`

func (t *tabVisit) scroll(ctx context.Context) {
	_ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](scrollScript))
}

// pendingExpr is the number of pending short timers the hook counted (0 on
// a page the hook is not in).
func (t *tabVisit) pendingExpr() string {
	fn := fmt.Sprintf("%q", t.v.names.pending)
	return `((typeof window[` + fn + `] === 'function') ? window[` + fn + `]() : 0)`
}

// applyConsent operates the banner, calls chosen once the choice is made,
// and lets the page settle after it.
func (t *tabVisit) applyConsent(ctx context.Context, action string, chosen func()) cookie.ConsentOutcome {
	if t.v.opts.Consent == nil {
		out := cookie.ConsentOutcome{Action: action}
		if action != "none" {
			out.Error = "no consent engine configured; the banner was not operated"
		}
		return out
	}
	cctx, cancel := t.rec.untilCrash(t.tab, 3*t.v.opts.Timeout)
	defer cancel()
	out, err := t.v.opts.Consent.Apply(cctx, action)
	out.Action = action
	if err != nil && out.Error == "" {
		out.Error = err.Error()
	}
	chosen()
	if action != "none" && !t.rec.isCrashed() {
		// The choice may reload the page or load the trackers it allows.
		t.settle(cctx)
	}
	return out
}

// snapshot reads the browser context's cookie jar and notes what it holds
// after page p ("" for the state's last read). It returns how many cookies
// no earlier read had found.
func (v *stateVisit) snapshot(p string) (added int) {
	v.mu.Lock()
	capture := v.capture
	v.mu.Unlock()
	if !capture {
		return 0
	}
	ctx, cancel := context.WithTimeout(v.bc.Context(), 10*time.Second)
	defer cancel()
	res, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: v.bc.ID()})
	if err != nil {
		v.opts.Logger.Warn("read cookie jar", "page", p, "err", err)
		return 0
	}
	now := v.opts.Now()
	idx := len(v.rank) // the last read ranks after every page
	if p != "" {
		idx = v.rank.of(p)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, c := range res.Cookies {
		if v.record(c, p, idx, now) {
			added++
		}
	}
	return added
}

// record notes one cookie read from the jar, and whether no earlier read had
// found it; the caller holds v.mu. Where it came from is decided at the end
// of the state, from every tab's writes.
func (v *stateVisit) record(c *network.Cookie, p string, idx int, now time.Time) (isNew bool) {
	o := cookie.Observed{
		Name: c.Name, Domain: c.Domain, Path: c.Path,
		HostOnly:    !strings.HasPrefix(c.Domain, "."),
		ValueLength: len(c.Value),
		Session:     c.Session,
		Secure:      c.Secure, HTTPOnly: c.HTTPOnly,
		SameSite:    string(c.SameSite),
		Partitioned: c.PartitionKey != nil,
	}
	// The classifier needs the value's shape; the scan pipeline clears it
	// before output unless values were asked for.
	o.Value = truncate(c.Value, 4096)
	if c.PartitionKey != nil {
		o.PartitionKey = c.PartitionKey.TopLevelSite
	}
	o.RegistrableDomain = RegistrableDomain(c.Domain)
	o.Party = PartyOf(c.Domain, v.siteDomain)
	if !c.Session && c.Expires > 0 {
		sec := int64(c.Expires)
		o.Expires = time.Unix(sec, int64((c.Expires-float64(sec))*1e9)).UTC()
	}
	key := o.Key()
	e := v.jar[key]
	if e == nil {
		e = &jarEntry{firstIdx: idx, readPage: p, readOn: map[string]bool{}}
		v.jar[key] = e
		isNew = true
	} else if idx < e.firstIdx {
		e.firstIdx, e.readPage = idx, p
	}
	e.readOn[p] = true
	// The newest attributes: a later write may have extended it.
	e.o, e.readAt = o, now
	return isNew
}

// cookies builds the state's cookie list from the jar reads and the tabs'
// writes (setters, in plan order): sorted, and the same whichever tab
// visited which page.
func (v *stateVisit) cookies(setters []setterEvent, pages []string) []cookie.Observed {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]cookie.Observed, 0, len(v.jar))
	nameDomain := map[string]bool{}
	read := map[string]bool{}
	byName := map[string][]setterEvent{}
	for _, e := range setters {
		byName[e.name] = append(byName[e.name], e)
	}
	for key, e := range v.jar {
		o := e.o
		a, ok := attribute(byName[o.Name], o.Name, o.Domain, func(page string) bool { return e.readOn[page] })
		if ok && !e.readOn[a.page] && !e.readOn[""] {
			// Neither the read after the page that set it nor the last
			// read found it: it left the jar soon after it was set (another
			// tab's read may have caught it in between, which depends on
			// timing). It is a transient cookie, found below.
			continue
		}
		read[key] = true
		o.SetBy, o.FirstSeenPage, o.SetAt = a.setter, a.page, a.setAt
		if !ok {
			// No write recorded: the first page after which the jar held
			// it (with several tabs, possibly one visited at the same time
			// as the one that set it).
			o.FirstSeenPage = e.readPage
			if o.FirstSeenPage == "" && len(pages) > 0 {
				o.FirstSeenPage = pages[len(pages)-1]
			}
		}
		if o.SetAt.IsZero() {
			o.SetAt = e.readAt
		}
		if !o.Expires.IsZero() {
			o.LifespanDays = max(0, o.Expires.Sub(o.SetAt).Hours()/24)
		}
		out = append(out, o)
		nameDomain[o.Name+"\x00"+o.Domain] = true
	}
	// Cookies set but never in the jar when it was read: deleted soon after,
	// or evicted by the browser's cap. A jar cookie of the same name and
	// domain (another path) is taken to be the same one.
	inJar := func(key string) bool {
		name, rest, _ := strings.Cut(key, "\x00")
		domain, _, _ := strings.Cut(rest, "\x00")
		return read[key] || nameDomain[name+"\x00"+domain]
	}
	var counted []setterEvent
	for _, e := range setters {
		if e.counted {
			counted = append(counted, e)
		}
	}
	for _, o := range transientCookies(counted, v.siteDomain, inJar) {
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Path < out[j].Path
	})
	return out
}
