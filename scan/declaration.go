package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/declaration"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// maxRenderedBytes bounds the rendered HTML of one declaration page.
const maxRenderedBytes = 10 << 20

// RenderingFetcher fetches a declaration page over HTTP and, when it is an
// HTML page that runs scripts, renders it in the browser and returns the DOM:
// consent platforms (Cookiebot, OneTrust, Cookie Information) draw their
// declaration tables into the page with a script. Anything else (a plain page,
// a script file such as Cookiebot's cd.js) is returned as fetched.
type RenderingFetcher struct {
	HTTP    *declaration.HTTPFetcher
	Browser *chrome.Browser // nil: HTTP only
	Timeout time.Duration   // per rendered page; 0 means 15s
}

var _ declaration.Fetcher = (*RenderingFetcher)(nil)

// Fetch implements declaration.Fetcher.
func (f *RenderingFetcher) Fetch(ctx context.Context, url string) (*declaration.Page, error) {
	page, err := f.HTTP.Fetch(ctx, url)
	if err != nil || f.Browser == nil {
		return page, err
	}
	if !strings.Contains(strings.ToLower(page.ContentType), "html") || !bytes.Contains(bytes.ToLower(page.Body), []byte("<script")) {
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
	tab, cancel := f.Browser.NewContext()
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Do(tab); err != nil {
		return nil, err
	}
	tctx, tcancel := context.WithTimeout(tab, timeout)
	defer tcancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
		return nil, fmt.Errorf("render %s: %w", url, err)
	}
	last, steady := -1, 0
	for steady < 3 {
		n, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.body ? document.body.innerText.length : 0`))
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", url, err)
		}
		if n == last {
			steady++
		} else {
			last, steady = n, 0
		}
		select {
		case <-tctx.Done():
			return nil, tctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	html, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", url, err)
	}
	if len(html) > maxRenderedBytes {
		return nil, fmt.Errorf("render %s: %w", url, declaration.ErrTooLarge)
	}
	final, _ := chromedp.Run(tctx, chromedp.Location())
	if final == "" {
		final = url
	}
	return &declaration.Page{URL: url, FinalURL: final, Body: []byte(html), ContentType: "text/html; charset=utf-8"}, nil
}

// readDeclaration reads the declaration the options name: "auto" finds it
// from the site, "none" skips it, otherwise a URL or a local file.
func readDeclaration(ctx context.Context, source, siteURL string, fetcher declaration.Fetcher, opts declaration.ReadOptions) (*cookie.Declaration, error) {
	switch {
	case source == "none":
		return nil, nil
	case source == "" || source == "auto":
		return declaration.Discover(ctx, fetcher, siteURL, opts)
	case strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://"):
		return declaration.Read(ctx, fetcher, source, opts)
	}
	page, err := declaration.LoadFile(source, 0)
	if err != nil {
		return nil, err
	}
	d, err := declaration.Parse(page, opts.Options)
	if d != nil && errors.Is(err, declaration.ErrNoDeclaration) {
		return d, err
	}
	return d, err
}

// declarationSearch is where Discover looked, when it found no declaration.
func declarationSearch(err error) *cookie.DeclarationSearch {
	var nf *declaration.NotFoundError
	if errors.As(err, &nf) {
		return &nf.Search
	}
	return nil
}
