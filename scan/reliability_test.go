package scan_test

import (
	"context"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/scan"
)

// TestStateGoesOnAfterAReloadingChoice: a platform that reloads the page
// right after the choice (Complianz, 50 ms after a deny) must not cost the
// state its other pages. A navigation started before that reload is aborted
// by it (net::ERR_ABORTED). Every page of every state must load, with one
// tab and with the pool of tabs. (With the settling after the choice turned
// off the pages still load, only slower: this guards the outcome, not that
// one mechanism.)
func TestStateGoesOnAfterAReloadingChoice(t *testing.T) {
	br := env.Browser(t, false)
	for _, tabs := range []int{1, crawler.DefaultTabs()} {
		opts := demoOptions()
		opts.URL = "https://www.cmp-complianz.test/"
		opts.UseBrowser = br
		opts.Declaration = "none"
		opts.Crawler.Tabs = tabs
		res, err := scan.Run(context.Background(), opts)
		if err != nil {
			t.Fatalf("tabs %d: scan: %v", tabs, err)
		}
		if len(res.Observation.Pages) != 4 {
			t.Fatalf("tabs %d: pages %v, want the home page and its three links", tabs, res.Observation.Pages)
		}
		for _, st := range res.Observation.States {
			if st.State != cookie.Before && !st.Consent.Verified {
				t.Errorf("tabs %d, state %s: consent not verified: %s %s", tabs, st.State, st.Consent.Verification, st.Consent.Error)
			}
			if len(st.Pages) != 4 {
				t.Errorf("tabs %d, state %s: %d pages visited, want 4", tabs, st.State, len(st.Pages))
			}
			for _, p := range st.Pages {
				if p.Failed() {
					t.Errorf("tabs %d, state %s: %s failed: %s", tabs, st.State, p.URL, p.Error)
				}
			}
		}
	}
}
