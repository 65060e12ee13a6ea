// Package scan runs the whole cookiescan pipeline in one call: start the
// browser, crawl the site in the consent states, classify every cookie, read
// the declaration, audit, and return a result.Scan that reports render and
// the store saves.
package scan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/classifier"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/declaration"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/knownCookies"
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
	// Crawler options; their Network is Browser's (one value, see
	// hostmap.Network), whatever is set here.
	Crawler crawler.Options
	// Consent configures the consent engine that operates the banners.
	Consent consent.Options
	// NoConsent leaves banners untouched (the accept and reject states are
	// then recorded as unverified).
	NoConsent bool
	// KnownCookies chooses the known-cookie database layers (--cookie-db,
	// --offline-db).
	KnownCookies knowncookies.OpenOptions
	// Declaration says where the cookie declaration is: "auto" (default)
	// finds it from the site, "none" skips it, or a URL or a local file.
	Declaration string
	// DeclarationOptions tune the reader (vendor list).
	DeclarationOptions declaration.ReadOptions
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
// no browser, no page loaded at all, the browser went away), and then still
// returns what it has. A scan whose remote browser disconnected is run once
// more on another, when --browser names several.
func Run(ctx context.Context, opts Options) (*result.Scan, error) {
	res, err := run(ctx, opts)
	var lost *chrome.DisconnectedError
	if !errors.As(err, &lost) || lost.Endpoint == "" || opts.UseBrowser != nil || ctx.Err() != nil {
		return res, err
	}
	if eps, eerr := chrome.Endpoints(ctx, opts.Browser.Browser); eerr != nil || len(eps) < 2 {
		return res, err
	}
	opts.Browser.Avoid = lost.Endpoint
	res, err = run(ctx, opts)
	if res != nil {
		res.Warnings = append(res.Warnings, lost.Error()+"; the scan was run again on another browser")
	}
	return res, err
}

func run(ctx context.Context, opts Options) (*result.Scan, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	start, err := crawler.ParseStartURL(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrScanFailed, err)
	}
	res := &result.Scan{
		SchemaVersion: result.SchemaVersion,
		ToolVersion:   opts.ToolVersion,
		Site:          opts.URL,
		StartedAt:     now().UTC(),
	}
	copts := opts.Crawler
	copts.Network = opts.Browser.Network
	if copts.Now == nil {
		copts.Now = now
	}
	res.Options = recordOptions(copts, opts)
	db, err := knowncookies.Open(ctx, opts.KnownCookies)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrScanFailed, err)
	}
	for _, w := range db.Warnings() {
		res.Warnings = append(res.Warnings, "known-cookie database: "+w.Error())
	}
	if opts.Audit.Vendors == nil {
		opts.Audit.Vendors = audit.DatabaseVendors(db.VendorNamed)
	}
	if opts.DeclarationOptions.Vendors == nil {
		opts.DeclarationOptions.Vendors = declarationVendors(db)
	}
	if !opts.NoConsent && copts.Consent == nil {
		engine, err := consent.New(opts.Consent)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrScanFailed, err)
		}
		copts.Consent = engine
	}

	b := opts.UseBrowser
	if b == nil {
		ResolveLocale(ctx, &opts)
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
	// The declaration is read while the site is crawled, in its own
	// browser context.
	type declResult struct {
		d   *cookie.Declaration
		err error
	}
	declDone := make(chan declResult, 1)
	// The declaration's pages that the before-consent state loads are read
	// from that visit rather than loaded again.
	copts.Rendered = crawler.NewRenderedPages(maxRenderedBytes)
	go func() {
		fetcher := newFetcher(opts.Browser, b)
		fetcher.Rendered = copts.Rendered
		d, err := readDeclaration(ctx, opts.Declaration, opts.URL, fetcher, opts.DeclarationOptions)
		declDone <- declResult{d, err}
	}()
	var obs *crawler.Result
	obs, err = crawler.Crawl(ctx, b, start, copts)
	decl := <-declDone
	if lost := b.Lost(); lost != nil {
		return res, fmt.Errorf("%w: %w", ErrScanFailed, lost)
	}
	res.Declaration = decl.d
	if decl.err != nil {
		res.DeclarationError = decl.err.Error()
		res.Warnings = append(res.Warnings, "cookie declaration: "+decl.err.Error())
	}
	if obs != nil {
		res.Observation = obs.Observation
		res.Site = obs.Site
		res.Observation.ThirdPartyCookiesBlocked = opts.Browser.BlockThirdPartyCookies
		res.Inventory = obs.Inventory
		// Limits that cut what the crawl read, and hook traffic a page
		// flooded, are the user's to know.
		res.Warnings = append(res.Warnings, obs.AllWarnings()...)
	}
	defer func() { res.FinishedAt = now().UTC() }()
	if obs != nil {
		if cerr := classify(db, res); cerr != nil {
			return res, fmt.Errorf("%w: %w", ErrScanFailed, cerr)
		}
	}
	if err != nil {
		if errors.Is(err, crawler.ErrNoPages) {
			return res, fmt.Errorf("%w: %s: %w%s", ErrScanFailed, opts.URL, err, firstPageError(&res.Observation))
		}
		return res, fmt.Errorf("%w: %w", ErrScanFailed, err)
	}
	res.Findings = audit.Run(audit.Input{
		Site:        res.Site,
		Observation: res.Observation,
		Inventory:   res.Inventory,
		Declaration: res.Declaration,
		// With auto, a site without a declaration is a finding of its own.
		DeclarationSearch: declarationSearch(decl.err),
	}, opts.Audit)
	if !opts.KeepValues {
		clearValues(res)
	}
	return res, nil
}

// classify labels every cookie of the inventory and names the vendor of
// every third-party host contacted.
func classify(db *knowncookies.DB, res *result.Scan) error {
	c, err := classifier.New(classifier.Options{DB: db, SiteDomain: res.Observation.SiteDomain})
	if err != nil {
		return err
	}
	for i := range res.Observation.States {
		st := &res.Observation.States[i]
		c.ClassifyRequests(st.Requests)
	}
	c.ClassifyAll(res.Inventory)
	return nil
}

// declarationVendors is the declaration reader's vendor list: its own, plus
// every vendor of the known-cookie database. The database's vendors count
// only where the sentence speaks of cookies or tracking, so that a long list
// of company names does not turn ordinary words into vendors.
//
// Prose is matched without regard to case, so the database's short names and
// acronyms ("APS", "AT") are left out: "Kystbyg ApS" is a company form, not
// Amazon Publisher Services.
func declarationVendors(db *knowncookies.DB) declaration.VendorMatcher {
	vendors := declaration.DefaultVendors()
	for _, v := range db.Vendors() {
		if !safeProseName(v.Name) {
			continue
		}
		var aliases []string
		for _, a := range v.Aliases {
			if safeProseName(a) {
				aliases = append(aliases, a)
			}
		}
		vendors = append(vendors, declaration.Vendor{Name: v.Name, Aliases: aliases, Category: v.Category, NeedsContext: true, Capitalised: true})
	}
	return declaration.NewListMatcher(vendors)
}

// safeProseName reports whether a vendor name can be looked for in running
// text without matching ordinary words: at least four letters, and not an
// upper-case acronym of five or fewer.
func safeProseName(name string) bool {
	n := len([]rune(name))
	return n >= 4 && !(n <= 5 && strings.ToUpper(name) == name)
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
		c := &res.Inventory[i]
		c.Value = ""
		for j := range c.Seen {
			c.Seen[j].Value = ""
		}
	}
}

func recordOptions(c crawler.Options, o Options) result.Options {
	ro := result.Options{
		MaxPages:               c.MaxPages,
		Depth:                  c.LinkDepth(),
		BlockThirdPartyCookies: o.Browser.BlockThirdPartyCookies,
		IgnoreRobots:           c.IgnoreRobots,
		TimeoutSeconds:         c.Timeout.Seconds(),
		DeclarationSource:      o.Declaration,
	}
	if ro.DeclarationSource == "" {
		ro.DeclarationSource = "auto"
	}
	for _, s := range c.States {
		ro.States = append(ro.States, string(s))
	}
	return ro
}
