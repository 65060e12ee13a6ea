package crawler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/hostmap"
)

// ConsentApplier operates a consent banner on a loaded page (package
// crawler/consent implements it). action is "none", "accept" or "reject".
type ConsentApplier interface {
	Apply(ctx context.Context, action string) (cookie.ConsentOutcome, error)
}

// Options configure a crawl. A zero field means its documented default.
type Options struct {
	// MaxPages bounds the pages visited per state. Default 10.
	MaxPages int
	// Depth bounds how many links away from the start URL discovery goes.
	// 0 means DefaultDepth; see NoLinks for none.
	Depth int
	// NoLinks: discovery follows no link, so the pages are the start page
	// and its sitemap's (a depth of zero links, which Depth's zero value
	// cannot say).
	NoLinks bool
	// IgnoreRobots fetches pages robots.txt disallows.
	IgnoreRobots bool
	// NoSitemap skips sitemap.xml.
	NoSitemap bool
	// Pages, when set, are visited as given and discovery is skipped.
	Pages []string
	// States to visit, in order. Default before, accept, reject.
	States []cookie.State
	// Timeout bounds one page: load, settle and capture. Default 20s.
	Timeout time.Duration
	// Quiet is how long the network must be idle for a page to count as
	// settled. Default DefaultQuiet.
	Quiet time.Duration
	// Sequential visits the states one after another instead of at once.
	Sequential bool
	// Tabs is how many tabs of a state's browser context visit its pages
	// at once, after the consent choice on the first page; 1 visits them
	// one after another. 0 chooses (Options.TabsFor).
	Tabs int
	// Network: TLS trust and host mapping for every Go HTTP client, the
	// same value the browser was started with (chrome.Options.Network).
	hostmap.Network
	// RootCAs, when set, is trusted by the Go HTTP clients (tests use it).
	RootCAs *x509.CertPool
	// UserAgent for discovery requests; Chrome keeps its own.
	UserAgent string
	// Consent operates the banner; nil means no banner is touched and the
	// accept and reject states are recorded as unverified.
	Consent ConsentApplier
	// Progress, when set, receives progress events.
	Progress func(ProgressEvent)
	// Logger, nil discards.
	Logger *slog.Logger
	// Rendered, when set, hands the DOM of before-consent pages to whoever
	// asks for them (the declaration reader), instead of their being loaded
	// again.
	Rendered *RenderedPages
	// KeepValues keeps cookie values in the observation.
	KeepValues bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultQuiet is the network quiet window that ends a page's settling. A
// tracker chained from a script (a tag that loads a pixel) starts its request
// within a few milliseconds of the last one finishing; 200 ms covers that on a
// loaded machine, while a longer wait costs every page of every state.
const DefaultQuiet = 200 * time.Millisecond

// MaxTabs bounds --tabs: each tab is a renderer of its own, and past a few
// per core they only wait for the CPU.
const MaxTabs = 16

// DefaultTabs is the most tabs per state when --tabs is not given: one more
// than the cores, at most 3. A tab spends much of a page waiting for the
// network and the quiet window, so one more than the cores keeps them busy;
// past that, Chrome's own work is the limit (docs/tabs.md).
func DefaultTabs() int {
	return max(1, min(3, runtime.NumCPU()+1))
}

// pagesPerTab is how many pages a chosen extra tab must have to visit. A
// new tab starts a renderer, which costs about as much CPU as a page or two
// and pays back only over several pages: on 2 cores (docs/tabs.md) the
// demo's 6 pages after the first were slower with 3 tabs than with 2, the
// large site's 99 faster.
const pagesPerTab = 5

// TabsFor is how many tabs visit a state of pages pages: Tabs when set,
// else DefaultTabs() but one per pagesPerTab pages after the first; never
// more than there are pages after the first (the first has its own).
func (o Options) TabsFor(pages int) int {
	n := o.Tabs
	if n == 0 {
		n = min(DefaultTabs(), 1+(pages-1)/pagesPerTab)
	}
	return max(1, min(n, pages-1))
}

// DefaultDepth is how many links away from the start URL discovery goes
// when Options.Depth is zero.
const DefaultDepth = 2

// LinkDepth is how many levels of links discovery follows: 0 with NoLinks,
// DefaultDepth for a zero Depth.
func (o Options) LinkDepth() int {
	switch {
	case o.NoLinks:
		return 0
	case o.Depth == 0:
		return DefaultDepth
	}
	return o.Depth
}

func (o *Options) setDefaults() error {
	if o.MaxPages == 0 {
		o.MaxPages = 10
	}
	if o.MaxPages < 0 {
		return fmt.Errorf("crawler: MaxPages %d: want a positive number of pages per state", o.MaxPages)
	}
	if o.Depth < 0 {
		return fmt.Errorf("crawler: Depth %d: want 0 or more levels of links (NoLinks for none)", o.Depth)
	}
	if o.Tabs < 0 || o.Tabs > MaxTabs {
		return fmt.Errorf("crawler: Tabs %d: want 1 to %d tabs per state, or 0 to choose", o.Tabs, MaxTabs)
	}
	if len(o.States) == 0 {
		o.States = cookie.States()
	}
	if o.Timeout == 0 {
		o.Timeout = 20 * time.Second
	}
	if o.Quiet == 0 {
		o.Quiet = DefaultQuiet
	}
	if o.UserAgent == "" {
		o.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 cookiescan"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// HTTPTransport returns the transport every Go HTTP client of a scan uses:
// host mapping, the TLS trust choice and the trusted roots applied once.
func HTTPTransport(n hostmap.Network, roots *x509.CertPool) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         hostmap.DialContext(n.ConnectTo, dialer.DialContext),
		TLSClientConfig:     &tls.Config{InsecureSkipVerify: n.Insecure, RootCAs: roots}, //nolint:gosec // the user's explicit choice
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
	}
}
