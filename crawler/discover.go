package crawler

import (
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gocolly/colly/v2"

	"github.com/cookiescan/cookiescan/cookie"
)

// Discovered is what discovery found: the pages to visit, the pages it
// could not fetch, and what it had to leave out (each limit that cut data).
type Discovered struct {
	Pages    []string
	Failures []cookie.PageVisit
	Warnings []string
}

// Discover finds up to MaxPages pages of the site, breadth first: the start
// URL, the URLs of its sitemap (and sitemap index), then same-site links level
// by level up to Depth. Pages robots.txt disallows are left out unless
// IgnoreRobots. Pages that fail are returned as errors; the start URL is
// always in the list, so the browser gives the final word on it.
//
// Every body is bounded after decompression; a body cut at its bound is
// named in the warnings.
func Discover(ctx context.Context, start *url.URL, opts Options) (*Discovered, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	d := &discovery{
		opts:       opts,
		start:      start,
		siteDomain: RegistrableDomain(start.Hostname()),
		seen:       map[string]bool{},
		unread:     map[string]bool{},
	}
	tr := &boundedTransport{
		base:  HTTPTransport(opts.Network, opts.RootCAs),
		limit: bodyLimit,
		cut: func(u string, limit int64) {
			d.warn.add("%s: larger than %s after decompression; only the first %s was read", truncate(u, maxURLLen), sizeMiB(limit), sizeMiB(limit))
		},
	}
	d.client = &http.Client{Transport: tr, CheckRedirect: d.redirect, Timeout: 2 * opts.Timeout}
	d.collector = colly.NewCollector(
		colly.UserAgent(opts.UserAgent),
		// The transport bounds bodies after decompression; colly's own
		// bound applies before it.
		colly.MaxBodySize(0),
		colly.StdlibContext(ctx),
	)
	d.collector.IgnoreRobotsTxt = opts.IgnoreRobots
	d.collector.WithTransport(tr)
	d.collector.SetRedirectHandler(d.redirect)
	d.collector.OnResponseHeaders(func(r *colly.Response) {
		if ct := r.Headers.Get("Content-Type"); r.Ctx.Get("kind") == "page" && ct != "" && !strings.Contains(ct, "html") {
			r.Request.Abort()
			d.skip(r.Request.URL.String(), cookie.SkipNotHTML, fmt.Sprintf("%s: not an HTML page (%s); skipped", r.Request.URL, ct))
		}
	})
	d.collector.OnHTML("a[href], area[href]", func(e *colly.HTMLElement) {
		d.addLink(e.Request.AbsoluteURL(e.Attr("href")))
	})
	d.collector.OnError(func(r *colly.Response, err error) {
		if r.Ctx.Get("kind") != "page" {
			return
		}
		u := r.Request.URL.String()
		if r.StatusCode >= 400 {
			d.fail(u, cookie.FailHTTPStatus, fmt.Sprintf("%s: HTTP %d %s", u, r.StatusCode, http.StatusText(r.StatusCode)))
			return
		}
		if err == colly.ErrRobotsTxtBlocked {
			d.skip(u, cookie.SkipRobots, u+": disallowed by robots.txt; skipped (pass --ignore-robots to scan it)")
			return
		}
		if malformedHeaders(err) {
			d.keepUnread(u)
			return
		}
		pe := classify(u, err)
		d.fail(u, pe.kind, pe.msg)
	})
	pages, failures, err := d.run(ctx)
	if err != nil {
		return nil, err
	}
	return &Discovered{Pages: pages, Failures: failures, Warnings: d.warn.all()}, nil
}

// bodyLimit is the bound of a discovery response's body.
func bodyLimit(req *http.Request) int64 {
	switch {
	case req.URL.Path == "/robots.txt":
		return maxRobotsBody
	case strings.Contains(strings.ToLower(req.URL.Path), "sitemap") || strings.HasSuffix(req.URL.Path, ".xml") || strings.HasSuffix(req.URL.Path, ".gz"):
		return maxSitemapBody
	}
	return maxPageBody
}

// malformedHeaders tells a response Go's HTTP client refuses for its headers
// (control characters, say), which browsers load anyway.
func malformedHeaders(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "malformed MIME header") || strings.Contains(err.Error(), "malformed HTTP"))
}

type discovery struct {
	opts       Options
	start      *url.URL
	siteDomain string
	collector  *colly.Collector
	client     *http.Client
	warn       warnings
	fetches    int // page fetches so far, bounded by maxFetches

	mu       sync.Mutex
	seen     map[string]bool
	pages    []string
	next     []string // links found on the current level
	sitemap  []string
	failures []cookie.PageVisit
	failed   map[string]bool
	// unread are pages Go could not read (malformed headers) that the
	// browser still visits.
	unread map[string]bool
	// sitemapURLs counts the page URLs all sitemaps listed.
	sitemapURLs int
}

// maxFetches bounds the pages discovery fetches, so that a sitemap of
// 50,000 dead URLs costs a bounded number of requests.
func (d *discovery) maxFetches() int { return 4*d.opts.MaxPages + 20 }

func (d *discovery) run(ctx context.Context) ([]string, []cookie.PageVisit, error) {
	startURL := d.start.String()
	d.seen[startURL] = true
	level := []string{startURL}
	if !d.opts.NoSitemap {
		d.fetchSitemaps(ctx)
	}
	for depth := 0; depth <= d.opts.LinkDepth() && len(level) > 0; depth++ {
		for _, u := range level {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			if len(d.pages) >= d.opts.MaxPages {
				break
			}
			if d.fetches >= d.maxFetches() {
				d.warn.add("discovery stopped after fetching %d pages of which %d loaded; the rest of the site's links and sitemap URLs were not tried", d.fetches, len(d.pages))
				break
			}
			d.fetches++
			d.visitPage(u)
		}
		// Sitemap URLs come right after the start page: the site itself says
		// they matter.
		if depth == 0 {
			level = append(d.takeSitemap(), d.takeNext()...)
		} else {
			level = d.takeNext()
		}
	}
	if len(d.pages) == 0 || d.pages[0] != startURL {
		// The start page failed discovery; the browser still tries it, so
		// the report says why it failed there too.
		d.pages = append([]string{startURL}, d.pages...)
	}
	return d.pages, d.failures, nil
}

func (d *discovery) visitPage(u string) {
	ctx := colly.NewContext()
	ctx.Put("kind", "page")
	before := len(d.failures)
	err := d.collector.Request(http.MethodGet, u, nil, ctx, nil)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.unread[u] {
		d.pages = append(d.pages, u)
		return
	}
	if d.failed[u] || len(d.failures) > before && d.failures[len(d.failures)-1].URL == u {
		return
	}
	if err != nil {
		if _, visited := err.(*colly.AlreadyVisitedError); visited {
			return
		}
		if err == colly.ErrRobotsTxtBlocked {
			d.failures = append(d.failures, cookie.PageVisit{URL: u, ErrorKind: cookie.SkipRobots, Error: u + ": disallowed by robots.txt; skipped (pass --ignore-robots to scan it)"})
			return
		}
		if err == colly.ErrAbortedAfterHeaders {
			return
		}
		pe := classify(u, err)
		d.failures = append(d.failures, cookie.PageVisit{URL: u, Error: pe.msg, ErrorKind: pe.kind})
		return
	}
	d.pages = append(d.pages, u)
}

// keepUnread keeps a page whose response Go refused for its headers: the
// browser decides; only its links are lost, and the warning says so.
func (d *discovery) keepUnread(u string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.unread[u] = true
	d.warn.add("%s: its response headers contain characters Go's HTTP client refuses (control characters); its links were not followed, but the browser visits it", truncate(u, maxURLLen))
}

// maxSitemapFiles bounds the sitemaps (index entries included) read.
const maxSitemapFiles = 20

func (d *discovery) fetchSitemaps(ctx context.Context) {
	root := &url.URL{Scheme: d.start.Scheme, Host: d.start.Host}
	def := root.JoinPath("sitemap.xml").String()
	candidates := append([]string{def}, d.robotsSitemaps(ctx, root)...)
	seen := map[string]bool{}
	read := 0
	for i := 0; i < len(candidates) && d.sitemapURLs < d.maxFetches(); i++ { // indexes append to candidates
		c := candidates[i]
		if seen[c] {
			continue
		}
		seen[c] = true
		if read == maxSitemapFiles {
			d.warn.add("the site lists more than %d sitemaps; only the first %d were read", maxSitemapFiles, maxSitemapFiles)
			break
		}
		read++
		indexes, err := d.readSitemap(ctx, c)
		if err != nil && c != def {
			// A missing sitemap.xml is normal; one the site names is not.
			d.warn.add("sitemap %s: %v", truncate(c, maxURLLen), err)
		}
		candidates = append(candidates, indexes...)
	}
}

// readSitemap streams one sitemap (or sitemap index), adding its page URLs,
// and returns the sitemaps an index names. A sitemap that breaks off keeps
// the URLs read before the break; the error says where.
func (d *discovery) readSitemap(ctx context.Context, u string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", d.opts.UserAgent)
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, errors.New(classify(u, err).msg)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	var indexes []string
	dec := xml.NewDecoder(resp.Body)
	dec.Strict = false
	var stack []string
	var text strings.Builder
	for {
		// RawToken: namespaces do not matter here, and it is twice as fast.
		tok, err := dec.RawToken()
		if err == io.EOF {
			return indexes, nil
		}
		if err != nil {
			return indexes, fmt.Errorf("not valid XML (%v); the URLs before the error are used", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			text.Reset()
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] == "loc" && text.Len() < 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			if n := len(stack); n >= 2 && stack[n-1] == "loc" {
				loc := strings.TrimSpace(text.String())
				switch stack[n-2] {
				case "url":
					d.sitemapURLs++
					d.addSitemapURL(loc)
				case "sitemap":
					if len(indexes) < maxSitemapFiles {
						indexes = append(indexes, loc)
					}
				}
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
		if d.sitemapURLs >= d.maxFetches() {
			// More URLs than discovery may fetch are of no use: the rest of
			// a sitemap of 50,000 is left unread rather than parsed for nothing.
			d.warn.add("sitemap %s: reading stopped after %d page URLs, as many as discovery fetches for --max-pages %d; the rest were not considered", truncate(u, maxURLLen), d.sitemapURLs, d.opts.MaxPages)
			return nil, nil
		}
	}
}

// robotsSitemaps reads the Sitemap: lines of robots.txt.
func (d *discovery) robotsSitemaps(ctx context.Context, root *url.URL) []string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, root.JoinPath("robots.txt").String(), nil)
	if err != nil {
		return nil
	}
	req.Header.Set("User-Agent", d.opts.UserAgent)
	resp, err := d.client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	var out []string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<10)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), "sitemap") && len(out) < maxSitemapFiles {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

// maxRedirects is Chrome's limit, so that discovery and the browser agree.
const maxRedirects = 20

func (d *discovery) redirect(req *http.Request, via []*http.Request) error {
	for _, prev := range via {
		if prev.URL.String() == req.URL.String() {
			return fmt.Errorf("%w", errRedirectLoop)
		}
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w (more than %d)", errTooManyRedirects, maxRedirects)
	}
	if RegistrableDomain(req.URL.Hostname()) != d.siteDomain {
		return fmt.Errorf("redirects to another site (%s)", req.URL.Host)
	}
	return nil
}

func (d *discovery) accept(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	if RegistrableDomain(u.Hostname()) != d.siteDomain || looksLikeFile(u) {
		return "", false
	}
	n := normalize(u).String()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen[n] {
		return "", false
	}
	d.seen[n] = true
	return n, true
}

func (d *discovery) addLink(raw string) {
	if n, ok := d.accept(raw); ok {
		d.mu.Lock()
		d.next = append(d.next, n)
		d.mu.Unlock()
	}
}

func (d *discovery) addSitemapURL(raw string) {
	if n, ok := d.accept(raw); ok {
		d.mu.Lock()
		d.sitemap = append(d.sitemap, n)
		d.mu.Unlock()
	}
}

func (d *discovery) takeNext() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := d.next
	d.next = nil
	return n
}

func (d *discovery) takeSitemap() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.sitemap
	d.sitemap = nil
	return s
}

func (d *discovery) fail(u string, kind cookie.ErrorKind, msg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failed == nil {
		d.failed = map[string]bool{}
	}
	if d.failed[u] {
		return
	}
	d.failed[u] = true
	d.failures = append(d.failures, cookie.PageVisit{URL: u, Error: msg, ErrorKind: kind})
}

func (d *discovery) skip(u string, kind cookie.ErrorKind, msg string) { d.fail(u, kind, msg) }
