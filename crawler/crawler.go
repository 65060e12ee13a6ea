package crawler

import (
	"context"
	"fmt"
	"sync"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// Crawl discovers the pages of the site at start and visits them in every
// consent state of opts.States, each in a fresh browser context of b. Pages
// that fail are recorded and the rest go on; Crawl returns ErrNoPages (with
// the observation) only when no page loaded in any state.
func Crawl(ctx context.Context, b *chrome.Browser, startURL string, opts Options) (*cookie.Observation, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	start, err := ParseStartURL(startURL)
	if err != nil {
		return nil, err
	}
	obs := &cookie.Observation{
		Site:       start.String(),
		SiteDomain: RegistrableDomain(start.Hostname()),
		Browser:    b.Version,
	}
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
	progress(ProgressEvent{Kind: "discovered", Total: len(pages)})

	obs.States = make([]cookie.StateObservation, len(opts.States))
	runState := func(i int, st cookie.State) {
		progress(ProgressEvent{Kind: "state-start", State: st, Total: len(pages)})
		obs.States[i] = visitState(ctx, b, st, pages, obs.SiteDomain, &opts, progress)
		progress(ProgressEvent{Kind: "state-done", State: st, Done: len(pages), Total: len(pages)})
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
	if err := ctx.Err(); err != nil {
		return obs, err
	}
	for _, st := range obs.States {
		for _, p := range st.Pages {
			if !p.Failed() {
				return obs, nil
			}
		}
	}
	return obs, ErrNoPages
}

// Merge folds the states' cookies into one inventory entry per name, domain
// and path, recording every state in which each was seen. The attributes of
// the first state that saw a cookie win.
func Merge(obs *cookie.Observation) []cookie.Observed {
	byKey := map[string]int{}
	var out []cookie.Observed
	for _, st := range obs.States {
		for _, c := range st.Cookies {
			k := c.Key()
			if i, ok := byKey[k]; ok {
				out[i].States = append(out[i].States, st.State)
				if c.Removed == "" {
					// In the jar in some state: not a transient cookie.
					out[i].Removed = ""
				}
				if c.LifespanDays > out[i].LifespanDays {
					// The longest lifespan seen is the one the visitor gets.
					out[i].LifespanDays, out[i].Expires = c.LifespanDays, c.Expires
				}
				continue
			}
			byKey[k] = len(out)
			c.States = []cookie.State{st.State}
			out = append(out, c)
		}
	}
	return out
}
