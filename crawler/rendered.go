package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
)

// ErrNotRendered is RenderedPages.Get's answer for a page the
// before-consent state will not hand over: not in the plan, visited before
// it was asked for, failed, too large, or the state is over. The caller
// loads the page itself.
var ErrNotRendered = errors.New("crawler: the page is not among the rendered pages of the crawl")

// RenderedPage is a page's DOM as the before-consent state saw it once the
// page had settled: what a first-time visitor's browser shows, the consent
// banner included.
type RenderedPage struct {
	// URL is the planned page; FinalURL where it ended after redirects.
	URL, FinalURL string
	HTML          []byte
}

// RenderedPages hands the DOM of pages the before-consent state visits
// anyway to another reader of the site (the declaration reader), so that a
// page is not loaded and rendered once more in a browser context of its
// own. A page's DOM is taken only when it was asked for before the state
// finished with it; otherwise Get says ErrNotRendered and the reader loads
// the page as it would without a crawl.
//
// A RenderedPages serves one crawl (Options.Rendered). It is safe for
// concurrent use.
type RenderedPages struct {
	maxBytes int

	mu      sync.Mutex
	planned map[string]bool // nil until the crawl has its plan
	planSet chan struct{}   // closed with the plan
	passed  map[string]bool // visited, or given up
	wants   map[string]*renderedWant
	closed  bool
}

type renderedWant struct {
	done chan struct{}
	page *RenderedPage
}

// NewRenderedPages makes the hand-over of one crawl. A page whose HTML is
// longer than maxBytes is not handed over (0 means 10 MiB).
func NewRenderedPages(maxBytes int) *RenderedPages {
	if maxBytes <= 0 {
		maxBytes = 10 << 20
	}
	return &RenderedPages{maxBytes: maxBytes, planSet: make(chan struct{}),
		passed: map[string]bool{}, wants: map[string]*renderedWant{}}
}

// pageKey is the form in which a planned page and an asked-for URL compare.
func pageKey(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", false
	}
	return normalize(u).String(), true
}

// Get waits for the DOM of rawURL as the before-consent state rendered it.
// It answers at once with ErrNotRendered when the crawl will not give it,
// and otherwise as soon as the state has visited the page (or failed to),
// or when ctx ends.
func (r *RenderedPages) Get(ctx context.Context, rawURL string) (*RenderedPage, error) {
	key, ok := pageKey(rawURL)
	if !ok {
		return nil, ErrNotRendered
	}
	select {
	case <-r.planSet:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	r.mu.Lock()
	if r.closed || !r.planned[key] || r.passed[key] {
		r.mu.Unlock()
		return nil, ErrNotRendered
	}
	w := r.wants[key]
	if w == nil {
		w = &renderedWant{done: make(chan struct{})}
		r.wants[key] = w
	}
	r.mu.Unlock()
	select {
	case <-w.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if w.page == nil {
		return nil, ErrNotRendered
	}
	return w.page, nil
}

// setPlan is the crawl's plan: the pages the before-consent state will
// visit. Only these can be asked for; with visits false (no before state)
// none can.
func (r *RenderedPages) setPlan(pages []string, visits bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.planned != nil {
		return
	}
	r.planned = map[string]bool{}
	if visits {
		for _, p := range pages {
			if key, ok := pageKey(p); ok {
				r.planned[key] = true
			}
		}
	}
	close(r.planSet)
}

// wanted reports whether page p's DOM has been asked for. Either way the
// page is passed from now on: a later Get is not kept waiting for a visit
// that is over.
func (r *RenderedPages) wanted(p string) (*renderedWant, bool) {
	key, ok := pageKey(p)
	if !ok {
		return nil, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.passed[key] = true
	w := r.wants[key]
	if w == nil || r.closed {
		return nil, false
	}
	delete(r.wants, key)
	return w, true
}

// close ends the hand-over: every Get still waiting, and every later one,
// answers ErrNotRendered.
func (r *RenderedPages) close() {
	r.setPlan(nil, false)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.closed = true
	for key, w := range r.wants {
		close(w.done)
		delete(r.wants, key)
	}
}

// domScript returns the page's HTML, or only its length when it is longer
// than the bound, so an oversized page is not sent over the protocol.
const domScript = `((max) => { const h = document.documentElement ? document.documentElement.outerHTML : ''; return h.length > max ? {len: h.length} : {len: h.length, html: h, href: String(location.href)}; })(%d)`

// handOver gives page p's DOM to whoever asked for it, once the page has
// settled. A page that failed, or whose DOM cannot be read in time, is
// handed over as not rendered, and the reader loads it itself.
func (t *tabVisit) handOver(ctx context.Context, p string, pv cookie.PageVisit) {
	r := t.v.opts.Rendered
	if r == nil {
		return
	}
	w, ok := r.wanted(p)
	if !ok {
		return
	}
	defer close(w.done)
	if pv.Failed() || t.fresh {
		return
	}
	// The page is settled; reading its DOM takes milliseconds, unless its
	// script holds the main thread.
	rctx, cancel := context.WithTimeout(t.tab, 5*time.Second)
	defer cancel()
	dom, err := chromedp.Run(rctx, chromedp.Evaluate[struct {
		Len  int    `json:"len"`
		HTML string `json:"html"`
		Href string `json:"href"`
	}](fmt.Sprintf(domScript, r.maxBytes)))
	if err != nil || ctx.Err() != nil || dom.Len > r.maxBytes || len(dom.HTML) > r.maxBytes || dom.HTML == "" {
		return
	}
	// Where the page is now: script may have moved it on after the load.
	final := dom.Href
	if u, err := url.Parse(final); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		final = pv.FinalURL
	}
	if final == "" {
		final = p
	}
	w.page = &RenderedPage{URL: p, FinalURL: final, HTML: []byte(dom.HTML)}
}
