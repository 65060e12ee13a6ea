package consent

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
)

func TestApplyRejectsBadInput(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Apply(context.Background(), "maybe"); err == nil || !strings.Contains(err.Error(), "maybe") {
		t.Errorf("unknown action: %v", err)
	}
	// A context without a browser is broken: err, not an outcome.
	if _, err := e.Apply(context.Background(), ActionAccept); !errors.Is(err, chromedp.ErrInvalidContext) {
		t.Errorf("plain context: %v", err)
	}
}

// TestUserSelectorWins: a plain --reject-selector beats the generic ranking
// and is recorded as the method.
func TestUserSelectorWins(t *testing.T) {
	ctx := browserTab(t)
	e, err := New(Options{RejectSelector: "#k-nej", AcceptSelector: "#k-ja"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := runState(ctx, e, "https://www.cmp-generic-da.test/", ActionReject)
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outcome
	if o.Method != MethodSelector || len(o.Clicked) != 1 || !strings.HasPrefix(o.Clicked[0], "#k-nej") || !o.Verified {
		t.Errorf("outcome %s", summaryOf(o))
	}
	if hasCookie(res.Cookies, "mkt_id") {
		t.Errorf("marketing cookie after reject")
	}
}

// TestNoBanner: a page without any banner is reported as such, quickly
// bounded by the banner timeout, and unverified for accept.
func TestNoBanner(t *testing.T) {
	ctx := browserTab(t)
	e, err := New(Options{BannerTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	res, err := runState(ctx, e, "https://tag.cmp-tracker.test/tag.js", ActionAccept)
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outcome
	if o.BannerFound || o.Verified || !strings.Contains(o.Verification, "no consent banner") {
		t.Errorf("outcome %s", summaryOf(o))
	}
	if res.Duration > 4*time.Second {
		t.Errorf("took %v with a 1s banner timeout", res.Duration)
	}
}

// TestSiteIsolationOn runs the cross-origin iframe platforms in a Chrome
// with site isolation on, where the iframes are separate targets that the
// engine attaches to.
func TestSiteIsolationOn(t *testing.T) {
	if env.browser == nil {
		browserTab(t) // skips or fails as the other browser tests do
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second) // a loaded CI machine starts Chrome slowly
	defer cancel()
	b, err := chrome.Start(ctx, chrome.Options{KeepSiteIsolation: true,
		Network: hostmap.Network{Insecure: true, ConnectTo: []hostmap.Rule{{ToHost: "127.0.0.1", ToPort: env.server.Port()}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ url, platform string }{
		{"https://www.cmp-sourcepoint.test/", "Sourcepoint"},
		{"https://www.cmp-trustarc.test/", "TrustArc"},
	} {
		for _, action := range []string{ActionAccept, ActionReject} {
			t.Run(tc.platform+"/"+action, func(t *testing.T) {
				tab, cancel := b.NewContext()
				defer cancel()
				if err := chromedp.Do(tab); err != nil {
					t.Fatal(err)
				}
				tctx, tcancel := context.WithTimeout(tab, 40*time.Second)
				defer tcancel()
				res, err := runState(tctx, e, tc.url, action)
				if err != nil {
					t.Fatal(err)
				}
				o := res.Outcome
				t.Logf("%s", summaryOf(o))
				if o.Platform != tc.platform || !o.Verified {
					t.Errorf("outcome %s", summaryOf(o))
				}
				if got := hasCookie(res.Cookies, "mkt_id"); got != (action == ActionAccept) {
					t.Errorf("mkt_id present %v after %s", got, action)
				}
			})
		}
	}
}

// TestConsentScriptWithoutBanner: a consent script that shows no banner is
// a warning and an unverified state, never a plain "no banner".
func TestConsentScriptWithoutBanner(t *testing.T) {
	ctx := browserTab(t)
	e, err := New(Options{BannerTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{ActionNone, ActionAccept} {
		res, err := runState(ctx, e, "https://www.cmp-hidden.test/", action)
		if err != nil {
			t.Fatal(err)
		}
		o := res.Outcome
		if o.BannerFound || !strings.Contains(o.Warning, "consent script present") {
			t.Errorf("%s: %s", action, summaryOf(o))
		}
		// Nothing was chosen before a click; an accept without a banner
		// cannot be verified.
		if action == ActionAccept && (o.Verified || o.VerificationState != StateUnverified) {
			t.Errorf("%s: %s", action, summaryOf(o))
		}
	}
}
