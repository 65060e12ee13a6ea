// Package scan runs the whole cookiescan pipeline in one call: start the
// browser, crawl the site in the consent states, classify every cookie, read
// the declaration, audit, and return a result.Scan that reports render and
// the store saves.
package scan

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/result"
)

// ErrScanFailed wraps every error that kept a scan from producing a result.
var ErrScanFailed = errors.New("scan failed")

// Options configure one scan. The CLI turns its flags into these once.
type Options struct {
	// URL is the start page of the site.
	URL string
	// Browser says how to start or reach Chrome. Ignored when UseBrowser is set.
	Browser chrome.Options
	// UseBrowser reuses a running browser (the scheduler and benchmarks do).
	UseBrowser *chrome.Browser
	// Crawler options; Insecure and ConnectTo are copied from Browser.
	Crawler crawler.Options
	// Consent configures the consent engine that operates the banners.
	Consent consent.Options
	// NoConsent leaves banners untouched (the accept and reject states are
	// then recorded as unverified).
	NoConsent bool
	// Audit options (vendor aliases, lifespan tolerance).
	Audit audit.Options
	// KeepValues keeps cookie values in the result.
	KeepValues bool
	// ToolVersion is recorded in the result.
	ToolVersion string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Run scans one site. A page that fails is recorded in the result and the
// scan goes on; Run fails only when the scan itself cannot run (bad options,
// no browser, no page loaded at all), and then still returns what it has.
func Run(ctx context.Context, opts Options) (*result.Scan, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if _, err := crawler.ParseStartURL(opts.URL); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrScanFailed, err)
	}
	res := &result.Scan{
		SchemaVersion: result.SchemaVersion,
		ToolVersion:   opts.ToolVersion,
		Site:          opts.URL,
		StartedAt:     now().UTC(),
	}
	copts := opts.Crawler
	copts.Insecure = opts.Browser.Insecure
	copts.ConnectTo = opts.Browser.ConnectTo
	if copts.Now == nil {
		copts.Now = now
	}
	res.Options = recordOptions(copts, opts)
	if !opts.NoConsent && copts.Consent == nil {
		engine, err := consent.New(opts.Consent)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrScanFailed, err)
		}
		copts.Consent = engine
	}

	b := opts.UseBrowser
	if b == nil {
		var err error
		b, err = chrome.Start(ctx, opts.Browser)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrScanFailed, err)
		}
		defer b.Close()
	}
	if b.Remote() && (len(opts.Browser.ConnectTo) > 0 || opts.Browser.Insecure || opts.Browser.BlockThirdPartyCookies) {
		res.Warnings = append(res.Warnings, "the browser was attached over ws://, so --connect-to, -k and --block-third-party-cookies could not be applied to it: start that Chrome with the matching flags")
	}
	obs, err := crawler.Crawl(ctx, b, opts.URL, copts)
	if obs != nil {
		res.Observation = *obs
		res.Site = obs.Site
		res.Observation.ThirdPartyCookiesBlocked = opts.Browser.BlockThirdPartyCookies
		res.Inventory = crawler.Merge(obs)
	}
	defer func() { res.FinishedAt = now().UTC() }()
	if err != nil {
		if errors.Is(err, crawler.ErrNoPages) {
			return res, fmt.Errorf("%w: %s: %w%s", ErrScanFailed, opts.URL, err, firstPageError(obs))
		}
		return res, fmt.Errorf("%w: %w", ErrScanFailed, err)
	}
	res.Findings = audit.Run(audit.Input{
		Site:        res.Site,
		Observation: res.Observation,
		Inventory:   res.Inventory,
		Declaration: res.Declaration,
	}, opts.Audit)
	if !opts.KeepValues {
		clearValues(res)
	}
	return res, nil
}

// firstPageError names why the start page failed, for the error message.
func firstPageError(obs *cookie.Observation) string {
	if obs == nil {
		return ""
	}
	for _, st := range obs.States {
		for _, p := range st.Pages {
			if p.Failed() {
				return " (" + p.Error + ")"
			}
		}
	}
	return ""
}

// clearValues drops cookie values once the classifier has seen them: a report
// holds names and attributes, never session tokens, unless asked.
func clearValues(res *result.Scan) {
	for i := range res.Inventory {
		res.Inventory[i].Value = ""
	}
	for s := range res.Observation.States {
		for i := range res.Observation.States[s].Cookies {
			res.Observation.States[s].Cookies[i].Value = ""
		}
	}
}

func recordOptions(c crawler.Options, o Options) result.Options {
	ro := result.Options{
		MaxPages:               c.MaxPages,
		Depth:                  c.Depth,
		BlockThirdPartyCookies: o.Browser.BlockThirdPartyCookies,
		IgnoreRobots:           c.IgnoreRobots,
		TimeoutSeconds:         c.Timeout.Seconds(),
	}
	for _, s := range c.States {
		ro.States = append(ro.States, string(s))
	}
	return ro
}
