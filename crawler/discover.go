package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/gocolly/colly/v2"

	"github.com/cookiescan/cookiescan/cookie"
)

// Discover finds up to MaxPages pages of the site, breadth first: the start
// URL, the URLs of its sitemap (and sitemap index), then same-site links level
// by level up to Depth. Pages robots.txt disallows are left out unless
// IgnoreRobots. Pages that fail are returned as errors; the start URL is
// always in the list, so the browser gives the final word on it.
func Discover(ctx context.Context, start *url.URL, opts Options) ([]string, []cookie.PageVisit, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, nil, err
	}
	d := &discovery{
		opts:       opts,
		start:      start,
		siteDomain: RegistrableDomain(start.Hostname()),
		seen:       map[string]bool{},
	}
	d.collector = colly.NewCollector(
		colly.UserAgent(opts.UserAgent),
		colly.MaxBodySize(5<<20),
		colly.StdlibContext(ctx),
	)
	d.collector.IgnoreRobotsTxt = opts.IgnoreRobots
	d.collector.WithTransport(HTTPTransport(opts.ConnectTo, opts.Insecure, opts.RootCAs))
	d.collector.SetRedirectHandler(d.redirect)
	d.collector.OnResponseHeaders(func(r *colly.Response) {
		if ct := r.Headers.Get("Content-Type"); r.Ctx.Get("kind") == "page" && ct != "" && !strings.Contains(ct, "html") {
			r.Request.Abort()
			d.skip(r.Request.URL.String(), "not-html", fmt.Sprintf("%s: not an HTML page (%s); skipped", r.Request.URL, ct))
		}
	})
	d.collector.OnHTML("a[href], area[href]", func(e *colly.HTMLElement) {
		d.addLink(e.Request.AbsoluteURL(e.Attr("href")))
	})
	d.collector.OnXML("//urlset/url/loc", func(e *colly.XMLElement) { d.addSitemapURL(strings.TrimSpace(e.Text)) })
	d.collector.OnXML("//sitemapindex/sitemap/loc", func(e *colly.XMLElement) { d.addSitemapIndex(strings.TrimSpace(e.Text)) })
	d.collector.OnError(func(r *colly.Response, err error) {
		if r.Ctx.Get("kind") != "page" {
			return // a missing sitemap is normal
		}
		u := r.Request.URL.String()
		if r.StatusCode >= 400 {
			d.fail(u, "http-status", fmt.Sprintf("%s: HTTP %d %s", u, r.StatusCode, http.StatusText(r.StatusCode)))
			return
		}
		if err == colly.ErrRobotsTxtBlocked {
			d.skip(u, "robots", u+": disallowed by robots.txt; skipped (pass --ignore-robots to scan it)")
			return
		}
		pe := classify(u, err)
		d.fail(u, pe.kind, pe.msg)
	})
	return d.run(ctx)
}

type discovery struct {
	opts       Options
	start      *url.URL
	siteDomain string
	collector  *colly.Collector

	mu       sync.Mutex
	seen     map[string]bool
	pages    []string
	next     []string // links found on the current level
	sitemap  []string
	indexes  []string
	failures []cookie.PageVisit
	failed   map[string]bool
}

func (d *discovery) run(ctx context.Context) ([]string, []cookie.PageVisit, error) {
	startURL := d.start.String()
	d.seen[startURL] = true
	level := []string{startURL}
	if !d.opts.NoSitemap {
		d.fetchSitemaps(ctx)
	}
	for depth := 0; depth <= d.opts.linkDepth() && len(level) > 0; depth++ {
		for _, u := range level {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			if len(d.pages) >= d.opts.MaxPages {
				break
			}
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
	if d.failed[u] || len(d.failures) > before && d.failures[len(d.failures)-1].URL == u {
		return
	}
	if err != nil {
		if _, visited := err.(*colly.AlreadyVisitedError); visited {
			return
		}
		if err == colly.ErrRobotsTxtBlocked {
			d.failures = append(d.failures, cookie.PageVisit{URL: u, ErrorKind: "robots", Error: u + ": disallowed by robots.txt; skipped (pass --ignore-robots to scan it)"})
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

func (d *discovery) fetchSitemaps(ctx context.Context) {
	root := &url.URL{Scheme: d.start.Scheme, Host: d.start.Host}
	candidates := []string{root.JoinPath("sitemap.xml").String()}
	candidates = append(candidates, d.robotsSitemaps(ctx, root)...)
	for i := 0; i < len(candidates) && i < 20; i++ {
		c := colly.NewContext()
		c.Put("kind", "sitemap")
		_ = d.collector.Request(http.MethodGet, candidates[i], nil, c, nil)
		d.mu.Lock()
		candidates = append(candidates, d.indexes...)
		d.indexes = nil
		d.mu.Unlock()
	}
}

// robotsSitemaps reads the Sitemap: lines of robots.txt.
func (d *discovery) robotsSitemaps(ctx context.Context, root *url.URL) []string {
	var out []string
	c := d.collector.Clone()
	c.IgnoreRobotsTxt = true
	c.OnResponse(func(r *colly.Response) {
		for _, line := range strings.Split(string(r.Body), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && strings.EqualFold(strings.TrimSpace(k), "sitemap") {
				out = append(out, strings.TrimSpace(v))
			}
		}
	})
	_ = c.Visit(root.JoinPath("robots.txt").String())
	return out
}

func (d *discovery) redirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("stopped after 10 redirects")
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

func (d *discovery) addSitemapIndex(raw string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.indexes = append(d.indexes, raw)
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

func (d *discovery) fail(u, kind, msg string) {
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

func (d *discovery) skip(u, kind, msg string) { d.fail(u, kind, msg) }
