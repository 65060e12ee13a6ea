package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/declaration"
	"github.com/cookiescan/cookiescan/internal/chrome"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// maxRenderedBytes bounds the rendered HTML of one declaration page.
const maxRenderedBytes = 10 << 20

// RenderingFetcher fetches a declaration page over HTTP and, when it is an
// HTML page that runs scripts, returns the DOM a browser renders (the crawl's
// own before-consent visit of it when there is one):
// consent platforms (Cookiebot, OneTrust, Cookie Information) draw their
// declaration tables into the page with a script. Anything else (a plain page,
// a script file such as Cookiebot's cd.js) is returned as fetched.
type RenderingFetcher struct {
	HTTP    *declaration.HTTPFetcher
	Browser *chrome.Browser // nil: HTTP only
	// Rendered, in a scan, gives the DOM of the pages the crawl's
	// before-consent state loads anyway: the same first-visit rendering,
	// without loading the page once more. Pages it does not have are
	// rendered in Browser.
	Rendered *crawler.RenderedPages
	Timeout  time.Duration // per rendered page; 0 means 15s
}

var _ declaration.Fetcher = (*RenderingFetcher)(nil)

// Fetch implements declaration.Fetcher.
func (f *RenderingFetcher) Fetch(ctx context.Context, url string) (*declaration.Page, error) {
	page, err := f.HTTP.Fetch(ctx, url)
	if err != nil || (f.Browser == nil && f.Rendered == nil) {
		return page, err
	}
	if !strings.Contains(strings.ToLower(page.ContentType), "html") || !bytes.Contains(bytes.ToLower(page.Body), []byte("<script")) {
		return page, nil
	}
	if f.Rendered != nil {
		// The crawl's plan may name the page before or after its redirects.
		for _, u := range slices.Compact([]string{url, page.FinalURL}) {
			rp, err := f.Rendered.Get(ctx, u)
			if err == nil {
				return &declaration.Page{URL: url, FinalURL: rp.FinalURL, Body: rp.HTML, ContentType: "text/html; charset=utf-8"}, nil
			}
			if ctx.Err() != nil {
				return nil, fmt.Errorf("render %s: %w", url, ctx.Err())
			}
		}
	}
	if f.Browser == nil {
		return page, nil
	}
	rendered, rerr := f.render(ctx, page.FinalURL)
	if rerr != nil {
		// The page as served is still worth reading.
		return page, nil
	}
	return rendered, nil
}

// render loads url in a fresh browser context and returns the DOM once its
// text has stopped growing (a widget fills the table after load).
func (f *RenderingFetcher) render(ctx context.Context, url string) (*declaration.Page, error) {
	timeout := f.Timeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	var page *declaration.Page
	err := onPage(ctx, f.Browser, url, timeout, func(tctx context.Context) error {
		last, steady := -1, 0
		for steady < 3 {
			n, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.body ? document.body.innerText.length : 0`))
			if err != nil {
				return err
			}
			if n == last {
				steady++
			} else {
				last, steady = n, 0
			}
			select {
			case <-tctx.Done():
				return tctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
		html, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		if err != nil {
			return err
		}
		if len(html) > maxRenderedBytes {
			return declaration.ErrTooLarge
		}
		final, _ := chromedp.Run(tctx, chromedp.Location())
		if final == "" {
			final = url
		}
		page = &declaration.Page{URL: url, FinalURL: final, Body: []byte(html), ContentType: "text/html; charset=utf-8"}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", url, err)
	}
	return page, nil
}

// readDeclaration reads the declaration the options name: "auto" finds it
// from the site, "none" skips it, otherwise a URL or a local file.
func readDeclaration(ctx context.Context, source, siteURL string, fetcher declaration.Fetcher, opts declaration.ReadOptions) (*cookie.Declaration, error) {
	switch {
	case source == "none":
		return nil, nil
	case source == "" || source == "auto":
		return declaration.Discover(ctx, fetcher, siteURL, opts)
	case isURL(source):
		return declaration.Read(ctx, fetcher, source, opts)
	}
	return readDeclarationFile(source, opts)
}

// readDeclarationFile reads a declaration saved as an HTML or text file.
func readDeclarationFile(path string, opts declaration.ReadOptions) (*cookie.Declaration, error) {
	page, err := declaration.LoadFile(path, 0)
	if err != nil {
		return nil, err
	}
	return declaration.Parse(page, opts.Options)
}

// newFetcher is the declaration fetcher of a scan: over the same HTTP
// transport as discovery (host mapping, -k and proxies applied once), and
// rendering in browser when it is not nil.
func newFetcher(o chrome.Options, browser *chrome.Browser) *RenderingFetcher {
	return &RenderingFetcher{
		HTTP:    declaration.NewHTTPFetcher(declaration.HTTPOptions{Transport: crawler.HTTPTransport(o.Network, nil)}),
		Browser: browser,
	}
}

// CheckDeclarationSource makes sure an explicit declaration (a file or a
// URL) can be read before the scan starts a browser, over the scan's own
// transport.
func CheckDeclarationSource(ctx context.Context, opts Options) error {
	return declaration.CheckSource(ctx, newFetcher(opts.Browser, nil).HTTP, opts.Declaration)
}

// ErrBrowser wraps the error of a browser that could not be started.
var ErrBrowser = errors.New("the browser could not be started")

// DeclarationOptions configure ReadDeclaration.
type DeclarationOptions struct {
	// Browser renders pages whose declaration a script draws.
	Browser chrome.Options
	// NoRender reads pages as served, without a browser.
	NoRender bool
	// KnownCookies gives the vendor names the reader recognises, as in a
	// scan.
	KnownCookies knowncookies.OpenOptions
}

// ReadDeclaration reads a cookie declaration from a URL or a local HTML or
// text file, exactly as a scan reads it: the same fetcher, the same vendor
// list (the reader's own plus the known-cookie database's). A declaration
// that names nothing is returned with declaration.ErrNoDeclaration.
func ReadDeclaration(ctx context.Context, source string, o DeclarationOptions) (*cookie.Declaration, error) {
	db, err := knowncookies.Open(ctx, o.KnownCookies)
	if err != nil {
		return nil, err
	}
	ropts := declaration.ReadOptions{Options: declaration.Options{Vendors: declarationVendors(db)}}
	if !isURL(source) {
		return readDeclarationFile(source, ropts)
	}
	var b *chrome.Browser
	if !o.NoRender {
		if b, err = chrome.Start(ctx, o.Browser); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBrowser, err)
		}
		defer b.Close()
	}
	return declaration.Read(ctx, newFetcher(o.Browser, b), source, ropts)
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// declarationSearch is where Discover looked, when it found no declaration.
func declarationSearch(err error) *cookie.DeclarationSearch {
	var nf *declaration.NotFoundError
	if errors.As(err, &nf) {
		return &nf.Search
	}
	return nil
}
