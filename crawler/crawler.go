package crawler

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sync"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// Result is what a crawl saw of one site: the observation of the consent
// states (pages, consent, requests, storage) and the inventory, the one list
// of every cookie seen, each with what every state saw of it.
type Result struct {
	cookie.Observation
	// Inventory is merged once, by cookie.Merge, from each state's jar.
	Inventory []cookie.Observed
}

// Crawl discovers the pages of the site at start and visits them in every
// consent state of opts.States, each in a fresh browser context of b. Pages
// that fail are recorded and the rest go on; Crawl returns ErrNoPages (with
// the result) only when no page loaded in any state.
func Crawl(ctx context.Context, b *chrome.Browser, start *url.URL, opts Options) (*Result, error) {
	if opts.Rendered != nil {
		// Whatever ends the crawl, bad options included, nobody is left
		// waiting for a page.
		defer opts.Rendered.close()
	}
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	res := &Result{Observation: cookie.Observation{
		Site:       start.String(),
		SiteDomain: RegistrableDomain(start.Hostname()),
		Browser:    b.Version,
	}}
	obs := &res.Observation
	var progressMu sync.Mutex
	progress := func(ev ProgressEvent) {
		if opts.Progress == nil {
			return
		}
		progressMu.Lock()
		defer progressMu.Unlock()
		opts.Progress(ev)
	}

	pages := opts.Pages
	if len(pages) == 0 {
		found, err := Discover(ctx, start, opts)
		if err != nil {
			return nil, fmt.Errorf("crawler: discover %s: %w", start, err)
		}
		pages, obs.DiscoveryErrors, obs.Warnings = found.Pages, found.Failures, found.Warnings
	}
	if len(pages) > opts.MaxPages {
		pages = pages[:opts.MaxPages]
	}
	obs.Pages = pages
	if opts.Rendered != nil {
		opts.Rendered.setPlan(pages, slices.Contains(opts.States, cookie.Before))
	}
	progress(ProgressEvent{Kind: ProgressDiscovered, Total: len(pages)})

	obs.States = make([]cookie.StateObservation, len(opts.States))
	jars := make([]cookie.StateCookies, len(opts.States))
	runState := func(i int, st cookie.State) {
		progress(ProgressEvent{Kind: ProgressStateStart, State: st, Total: len(pages)})
		jars[i].State = st
		obs.States[i], jars[i].Cookies = visitState(ctx, b, st, pages, obs.SiteDomain, &opts, progress)
		progress(ProgressEvent{Kind: ProgressStateDone, State: st, Done: len(pages), Total: len(pages)})
	}
	if opts.Sequential {
		for i, st := range opts.States {
			runState(i, st)
		}
	} else {
		// The states share nothing but the browser process, so they run at
		// once, each in its own browser context.
		var wg sync.WaitGroup
		for i, st := range opts.States {
			wg.Go(func() { runState(i, st) })
		}
		wg.Wait()
	}
	res.Inventory = cookie.Merge(jars)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	for _, st := range obs.States {
		for _, p := range st.Pages {
			if !p.Failed() {
				return res, nil
			}
		}
	}
	return res, ErrNoPages
}
