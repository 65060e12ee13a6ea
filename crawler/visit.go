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

// stateVisit visits the pages of one consent state in one tab of a fresh
// browser context.
type stateVisit struct {
	state      cookie.State
	opts       *Options
	siteDomain string
	names      hookNames
	rec        *recorder
	tab        context.Context // current tab; replaced after a crash or a hang
	closeTab   context.CancelFunc
	root       context.Context // a blank tab that owns the browser context
	// fresh asks for a new tab before the next page: the last one hung,
	// crashed or misbehaved, and nothing of it must carry over.
	fresh bool
	// retired counts the tabs left behind.
	retired  int
	lastPage string
	jar      map[string]*cookie.Observed
	// capture is false in the accept and reject states until the choice is
	// made: what the jar holds before it is the before state's business.
	capture  bool
	order    []string
	progress func(ProgressEvent)
}

func visitState(ctx context.Context, b *chrome.Browser, state cookie.State, pages []string, siteDomain string, opts *Options, progress func(ProgressEvent)) (cookie.StateObservation, []cookie.Observed) {
	obs := cookie.StateObservation{State: state, Started: opts.Now()}
	action := map[cookie.State]string{cookie.Before: "none", cookie.Accept: "accept", cookie.Reject: "reject"}[state]
	obs.Consent = cookie.ConsentOutcome{Action: action}

	tabCtx, cancel := b.NewContext()
	defer cancel()
	// The tab must not outlive the scan.
	stop := context.AfterFunc(ctx, cancel)
	defer stop()

	v := &stateVisit{state: state, opts: opts, siteDomain: siteDomain, root: tabCtx, jar: map[string]*cookie.Observed{}, progress: progress,
		names: newHookNames()}
	v.rec = newRecorder(siteDomain, v.names.binding, opts.Now)
	err := chromedp.Do(tabCtx)
	if err == nil {
		// Pages load in a tab of their own, so that a tab that hangs can be
		// closed without closing the browser context and its cookies.
		tab, closeTab := chromedp.NewContext(tabCtx)
		v.closeTab = closeTab
		err = v.openTab(tab)
	}
	defer func() {
		if v.closeTab != nil {
			v.closeTab()
		}
	}()
	if err != nil {
		for _, p := range pages {
			obs.Pages = append(obs.Pages, cookie.PageVisit{URL: p, ErrorKind: cookie.FailCrash, Error: fmt.Sprintf("%s: could not open a browser tab: %v", p, err)})
		}
		obs.Finished = opts.Now()
		return obs, nil
	}
	// Before any choice, everything counts. In the accept and reject states,
	// what counts is what happens after the choice.
	v.rec.setRecording(state == cookie.Before)
	v.capture = state == cookie.Before

	for i, p := range pages {
		if ctx.Err() != nil {
			obs.Pages = append(obs.Pages, cookie.PageVisit{URL: p, ErrorKind: cookie.FailCancelled, Error: p + ": scan cancelled"})
			continue
		}
		progress(ProgressEvent{Kind: ProgressPageStart, State: state, Page: p, Done: i, Total: len(pages)})
		pv := v.visitPage(ctx, p)
		if i == 0 {
			if pv.Failed() {
				obs.Consent.Error = "the first page did not load, so the banner could not be operated"
			} else {
				obs.Consent = v.applyConsent(ctx, action)
				if v.rec.isCrashed() {
					pv.Error, pv.ErrorKind = p+": the browser tab crashed on this page; the scan went on in a new tab", cookie.FailCrash
					if obs.Consent.Error == "" {
						obs.Consent.Error = "the tab crashed while the banner was operated"
					}
				}
			}
			v.rec.setRecording(true)
			v.capture = true
			v.snapshot(p)
		}
		obs.Pages = append(obs.Pages, pv)
		progress(ProgressEvent{Kind: ProgressPageDone, State: state, Page: p, Done: i + 1, Total: len(pages), Err: pv.Error})
	}
	var signals []cookie.ConsentModeSignal
	obs.Blocked, obs.Requests, obs.Storage, signals = v.rec.results()
	obs.Warnings = v.rec.limitWarnings()
	if len(signals) > 0 {
		obs.Consent.ConsentMode = signals
	}
	// One last read of the jar: the browser's cookie store may lag behind a
	// page that wrote a great many cookies, and what it stored late must
	// not pass for deleted.
	v.snapshot("")
	obs.Finished = opts.Now()
	return obs, v.cookies()
}

// openTab prepares a tab: the event recorder, the cookie hook, Web Storage
// events, and downloads refused. The state's recorder goes on from tab to
// tab, so nothing recorded in an earlier tab is lost.
func (v *stateVisit) openTab(tab context.Context) error {
	v.tab = tab
	if err := chromedp.Do(tab); err != nil {
		return err
	}
	mainFrame := ""
	if c := chromedp.FromContext(tab); c != nil && c.Target != nil {
		mainFrame = string(c.Target.TargetID)
	}
	gen, dialogs := v.rec.newTab(mainFrame)
	if err := chromedp.Listen(tab, v.rec.listener(gen)); err != nil {
		return err
	}
	go answerDialogs(tab, dialogs)
	// Subscribe before enabling interception, so no paused request is missed.
	paused := chromedp.Events(tab, fetch.RequestPaused)
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*", ResourceType: network.ResourceTypeDocument}}}); err != nil {
		return err
	}
	go v.guardNavigations(tab, paused)
	steps := []func() error{
		func() error {
			_, err := chromedp.Call(tab, runtime.AddBinding, runtime.AddBindingParams{Name: v.names.binding})
			return err
		},
		func() error {
			_, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hookScript(v.names)})
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
func (v *stateVisit) guardNavigations(tab context.Context, paused iter.Seq2[fetch.EventRequestPaused, error]) {
	rec := v.rec
	for ev, err := range paused {
		if err != nil {
			return
		}
		if string(ev.FrameID) == rec.mainFrame && ev.Request != nil {
			if u, perr := url.Parse(ev.Request.URL); perr == nil && (u.Scheme == "http" || u.Scheme == "https") && RegistrableDomain(u.Hostname()) != v.siteDomain {
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

func (v *stateVisit) visitPage(ctx context.Context, p string) (pv cookie.PageVisit) {
	start := v.opts.Now()
	pv.URL = p
	defer func() { pv.DurationMS = v.opts.Now().Sub(start).Milliseconds() }()
	if v.fresh || v.rec.isCrashed() {
		// The tab died, hung or misbehaved on an earlier page: go on in a
		// new tab of the same browser context, so the state's cookies are
		// kept and nothing of that page holds this one.
		if err := v.replaceTab(); err != nil {
			pv.Error, pv.ErrorKind = p+": could not open a new tab after the last page failed: "+err.Error(), cookie.FailCrash
			return pv
		}
	}
	v.rec.startPage(p)
	v.lastPage = p

	pageCtx, cancel := v.rec.untilCrash(v.tab, v.opts.Timeout)
	defer cancel()
	resp, err := chromedp.Run(pageCtx, chromedp.NavigateResponse(p))
	pv.Dialogs = v.rec.pageDialogs()
	if err != nil {
		if v.rec.isCrashed() {
			err = errors.New("target crashed")
		}
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		pe := classify(p, err)
		if pe.kind == "redirect-loop" {
			// Chrome stops at its 20th redirect, with the same error as for
			// a loop; the chain it followed tells which it was.
			if loop, urls := v.rec.chainIsLoop(); !loop && urls >= maxRedirects {
				pe = &pageError{cookie.FailTooManyRedirect, fmt.Sprintf("%s: the page redirects more than %d times; not followed further", p, maxRedirects)}
			}
		}
		if pe.kind != "http-status" {
			// Whatever broke the page (a timeout, a hang, a crash, a
			// download) stays with it: the next page gets a fresh tab.
			v.fresh = true
		}
		if target := v.rec.offsiteTarget(); target != "" {
			pe = &pageError{cookie.FailOffSiteRedirect, fmt.Sprintf("%s: redirects to another site (%s); not followed, since its cookies are not this site's", p, truncate(target, 200))}
		} else if mime, ok := v.rec.download(); ok {
			pe = &pageError{cookie.FailDownload, fmt.Sprintf("%s: the link starts a download (%s), not a page", p, mime)}
		}
		pv.Error, pv.ErrorKind = pe.msg, pe.kind
		v.snapshot(p) // what was set before the failure still counts
		return pv
	}
	if resp != nil {
		pv.Status = int(resp.Status)
		pv.FinalURL = resp.URL
		if resp.Status >= 400 {
			pv.Error, pv.ErrorKind = fmt.Sprintf("%s: HTTP %d %s", p, resp.Status, http.StatusText(int(resp.Status))), cookie.FailHTTPStatus
		}
	}
	v.settle(pageCtx)
	pv.Dialogs = v.rec.pageDialogs()
	if pageCtx.Err() != nil && ctx.Err() == nil && !v.responsive() {
		// The page loaded, then its script stopped answering (a loop that
		// never yields, say): what it set counts, and the tab is not
		// reused. A page that merely never goes quiet is not a failure.
		v.fresh = true
		if pv.Error == "" {
			pv.Error, pv.ErrorKind = p+": the page loaded, then its script stopped responding within --timeout (a loop that never ends, say); what it set until then is recorded", cookie.FailTimeout
		}
	}
	v.snapshot(p)
	return pv
}

// responsive reports whether the tab's page still runs script on request.
func (v *stateVisit) responsive() bool {
	ctx, cancel := context.WithTimeout(v.tab, 3*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[int]("1"))
	return err == nil
}

// replaceTab stops the current tab's script, closes it, and opens a new tab
// in the same browser context.
func (v *stateVisit) replaceTab() error {
	old, closeOld := v.tab, v.closeTab
	// A page in an endless loop answers no command; terminateExecution is
	// the one the browser delivers to it anyway.
	tctx, cancel := context.WithTimeout(old, 2*time.Second)
	_, _ = chromedp.Call(tctx, runtime.TerminateExecution, cdp.Empty{})
	cancel()
	if closeOld != nil {
		go closeOld() // closing waits for the target; the next page need not
	}
	v.retired++
	v.fresh = false
	tab, closeTab := chromedp.NewContext(v.root)
	v.closeTab = closeTab
	if err := v.openTab(tab); err != nil {
		return err
	}
	v.rec.setRecording(true)
	return nil
}

// settle waits until the page is quiet: the load event has fired (the
// navigation waits for it), no request has been in flight for Quiet, and no
// short timer is pending; then it scrolls to the bottom as a reader would, so
// that lazy trackers fire, and waits for quiet again. The waits are driven by
// the tab's network events, not by polling. Bounded by the page's deadline: a
// page that never settles is still captured.
func (v *stateVisit) settle(ctx context.Context) {
	v.waitQuiet(ctx)
	_ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const h = document.documentElement ? document.documentElement.scrollHeight : 0; for (let y = 0; y <= h; y += 600) window.scrollTo(0, y); window.scrollTo(0, h); window.dispatchEvent(new Event('scroll')); })()`))
	v.rec.touch()
	v.waitQuiet(ctx)
}

// timerPoll is how often the pending short timers are asked about while the
// network is quiet: they fire without a network event to wake on.
const timerPoll = 50 * time.Millisecond

func (v *stateVisit) waitQuiet(ctx context.Context) {
	pendingExpr := `(typeof window[` + fmt.Sprintf("%q", v.names.pending) + `] === 'function') ? window[` + fmt.Sprintf("%q", v.names.pending) + `]() : 0`
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		wait := v.rec.quietLeft(v.opts.Quiet)
		if wait == 0 {
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](pendingExpr))
			if err != nil || n == 0 {
				return
			}
			wait = timerPoll
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-v.rec.netCh:
		case <-timer.C:
		}
	}
}

func (v *stateVisit) applyConsent(ctx context.Context, action string) cookie.ConsentOutcome {
	if v.opts.Consent == nil {
		out := cookie.ConsentOutcome{Action: action}
		if action != "none" {
			out.Error = "no consent engine configured; the banner was not operated"
		}
		return out
	}
	cctx, cancel := v.rec.untilCrash(v.tab, 3*v.opts.Timeout)
	defer cancel()
	out, err := v.opts.Consent.Apply(cctx, action)
	out.Action = action
	if err != nil && out.Error == "" {
		out.Error = err.Error()
	}
	if action != "none" && !v.rec.isCrashed() {
		// The choice may reload the page or load the trackers it allows.
		v.settle(cctx)
	}
	return out
}

// snapshot reads the browser context's cookie jar and adds what is new.
func (v *stateVisit) snapshot(p string) {
	if !v.capture {
		return
	}
	ctx, cancel := context.WithTimeout(v.root, 10*time.Second)
	defer cancel()
	res, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chrome.BrowserContextID(v.root)})
	if err != nil {
		v.opts.Logger.Warn("read cookie jar", "page", p, "err", err)
		return
	}
	now := v.opts.Now()
	for _, c := range res.Cookies {
		v.record(c, p, now)
	}
}

func (v *stateVisit) record(c *network.Cookie, p string, now time.Time) {
	o := &cookie.Observed{
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
	setter, setAt, setPage, ok := v.rec.setterFor(c.Name, c.Domain)
	if p == "" {
		// The final read: the page is the one the cookie was set on.
		p = setPage
		if p == "" {
			p = v.lastPage
		}
	}
	o.SetBy = setter
	if ok {
		o.SetAt = setAt
	} else {
		o.SetAt = now
	}
	if !c.Session && c.Expires > 0 {
		sec := int64(c.Expires)
		o.Expires = time.Unix(sec, int64((c.Expires-float64(sec))*1e9)).UTC()
		o.LifespanDays = o.Expires.Sub(o.SetAt).Hours() / 24
		if o.LifespanDays < 0 {
			o.LifespanDays = 0
		}
	}
	key := o.Key()
	if old, seen := v.jar[key]; seen {
		// Keep where it first appeared and who first set it; take the newest
		// attributes, since a later write may have extended it.
		o.FirstSeenPage = old.FirstSeenPage
		if old.SetBy.Kind != cookie.SetByUnknown {
			o.SetBy = old.SetBy
		}
		*old = *o
		return
	}
	o.FirstSeenPage = p
	v.jar[key] = o
	v.order = append(v.order, key)
}

func (v *stateVisit) cookies() []cookie.Observed {
	out := make([]cookie.Observed, 0, len(v.jar))
	nameDomain := map[string]bool{}
	for _, k := range v.order {
		o := *v.jar[k]
		out = append(out, o)
		nameDomain[o.Name+"\x00"+o.Domain] = true
	}
	// Cookies set but never in the jar when it was read: deleted soon after,
	// or evicted by the browser's cap. A jar cookie of the same name and
	// domain (another path) is taken to be the same one.
	inJar := func(key string) bool {
		name, rest, _ := strings.Cut(key, "\x00")
		domain, _, _ := strings.Cut(rest, "\x00")
		return v.jar[key] != nil || nameDomain[name+"\x00"+domain]
	}
	for _, o := range transientCookies(v.rec.countedSetters(), v.siteDomain, inJar) {
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		return out[i].Name < out[j].Name
	})
	return out
}
