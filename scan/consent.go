package scan

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/result"
)

// ConsentCheckOptions configure CheckConsent.
type ConsentCheckOptions struct {
	Browser chrome.Options
	Consent consent.Options
	// Timeout bounds one state: load, banner, click and verification; 0
	// means 45s.
	Timeout time.Duration
}

// CheckConsent loads url once per consent state, each in a fresh browser
// context, and operates its banner: nothing, accept all, reject all. It
// returns what the consent engine saw and whether the choice took.
func CheckConsent(ctx context.Context, url string, o ConsentCheckOptions) (*result.ConsentCheck, error) {
	if _, err := CheckURL(url); err != nil {
		return nil, err
	}
	if o.Timeout <= 0 {
		o.Timeout = 45 * time.Second
	}
	eng, err := consent.New(o.Consent)
	if err != nil {
		return nil, err
	}
	b, err := chrome.Start(ctx, o.Browser)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	rep := &result.ConsentCheck{SchemaVersion: 1, URL: url, Browser: b.Version}
	for _, st := range cookie.States() {
		start := time.Now()
		var out cookie.ConsentOutcome
		err := onPage(ctx, b, url, o.Timeout, func(tab context.Context) error {
			var err error
			out, err = eng.Apply(tab, st.Action())
			return err
		})
		if err != nil {
			return rep, fmt.Errorf("consent %s: %w", st, err)
		}
		rep.States = append(rep.States, result.ConsentCheckState{State: st, DurationMS: time.Since(start).Milliseconds(), Outcome: out})
	}
	return rep, nil
}

// onPage opens a tab in a fresh browser context of b, loads url and runs
// work on it, all within timeout; the tab is closed when work returns. The
// consent check and the declaration renderer share it.
func onPage(ctx context.Context, b *chrome.Browser, url string, timeout time.Duration, work func(tab context.Context) error) error {
	tab, cancel := b.NewContext()
	defer cancel()
	if err := chromedp.Do(tab); err != nil {
		return fmt.Errorf("open tab: %w", err)
	}
	// The time limit must not reach the first Do above, which would close
	// the tab when it ends; it limits the work on the page only.
	tctx, tcancel := context.WithTimeout(tab, timeout)
	defer tcancel()
	stop := context.AfterFunc(ctx, tcancel)
	defer stop()
	if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("load %s: %w", url, err)
	}
	return work(tctx)
}
