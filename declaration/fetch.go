package declaration

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Page is one fetched document: the declaration page, a page of the site, or
// a consent platform's declaration script.
type Page struct {
	// URL is the address asked for; FinalURL is where redirects ended.
	URL      string
	FinalURL string
	Body     []byte
	// ContentType is the Content-Type header, or a type guessed from a file
	// name; Parse sniffs the body when it is empty.
	ContentType string
}

// Fetcher fetches a page. The HTTP fetcher of this package reads what the
// server sends; a browser fetcher returns the DOM after scripts ran, which
// is what a declaration drawn by script needs.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (*Page, error)
}

// The errors a fetch can end with; a fetch error wraps one of them.
var (
	ErrNotFound      = errors.New("page not found (HTTP 404)")
	ErrHTTPStatus    = errors.New("unexpected HTTP status")
	ErrTooLarge      = errors.New("page exceeds the size limit")
	ErrRedirectLoop  = errors.New("redirect loop")
	ErrTooManyHops   = errors.New("too many redirects")
	ErrNoDeclaration = errors.New("no cookie declaration found")
	// ErrReaderFault is a fault of the reader itself on a page (a bug,
	// caught): that page is not read, and nothing else is lost.
	ErrReaderFault = errors.New("the reader failed on this page")
	ErrNotText     = errors.New("not a text or HTML document")
)

// DefaultMaxBytes bounds a page read: a cookie declaration is tens of
// kilobytes, and a site is hostile input.
const DefaultMaxBytes = 10 << 20

// HTTPOptions configures the HTTP fetcher. A zero field means its default.
type HTTPOptions struct {
	// MaxBytes bounds the body read; default DefaultMaxBytes (10 MiB).
	MaxBytes int64
	// MaxRedirects bounds a redirect chain; default 10.
	MaxRedirects int
	// Timeout bounds one fetch; default 30s.
	Timeout time.Duration
	// Insecure skips TLS certificate verification (the -k flag), for
	// staging servers and the fixture server.
	Insecure bool
	// DialContext replaces the dialer, for mapping hosts to other addresses
	// (see ConnectTo). Nil uses the system dialer.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// UserAgent is sent with each request; default "cookiescan".
	UserAgent string
	// Transport, when set, replaces the transport that Insecure and
	// DialContext would build: a scan passes the one transport every Go
	// client of the scan shares.
	Transport http.RoundTripper
	// Client, when set, is used as is, and the transport fields above are
	// ignored (MaxBytes still applies).
	Client *http.Client
}

// HTTPFetcher fetches pages over HTTP with a bounded read and redirect loop
// detection.
type HTTPFetcher struct {
	client    *http.Client
	maxBytes  int64
	userAgent string
}

var _ Fetcher = (*HTTPFetcher)(nil)

// NewHTTPFetcher returns an HTTP fetcher configured by opts.
func NewHTTPFetcher(opts HTTPOptions) *HTTPFetcher {
	f := &HTTPFetcher{maxBytes: opts.MaxBytes, userAgent: opts.UserAgent}
	if f.maxBytes <= 0 {
		f.maxBytes = DefaultMaxBytes
	}
	if f.userAgent == "" {
		f.userAgent = "cookiescan"
	}
	maxRedirects := opts.MaxRedirects
	if maxRedirects <= 0 {
		maxRedirects = 10
	}
	if opts.Client != nil {
		f.client = opts.Client
		return f
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	var rt http.RoundTripper = opts.Transport
	if rt == nil {
		rt = defaultTransport(opts)
	}
	f.client = &http.Client{
		Transport: rt,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			for _, v := range via {
				if v.URL.String() == req.URL.String() {
					return fmt.Errorf("%w: %s comes back to %s", ErrRedirectLoop, via[len(via)-1].URL, req.URL)
				}
			}
			if len(via) >= maxRedirects {
				return fmt.Errorf("%w: more than %d", ErrTooManyHops, maxRedirects)
			}
			return nil
		},
	}
	return f
}

func defaultTransport(opts HTTPOptions) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if opts.Insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for by the user (-k)
	}
	if opts.DialContext != nil {
		tr.DialContext = opts.DialContext
		tr.Proxy = nil
	}
	return tr
}

// Fetch implements Fetcher.
func (f *HTTPFetcher) Fetch(ctx context.Context, rawURL string) (*Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("declaration: fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("declaration: fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("declaration: fetch %s: %w", rawURL, ErrNotFound)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("declaration: fetch %s: %w %d", rawURL, ErrHTTPStatus, resp.StatusCode)
	}
	body, err := readBounded(resp.Body, f.maxBytes)
	if err != nil {
		return nil, fmt.Errorf("declaration: fetch %s: %w", rawURL, err)
	}
	return &Page{URL: rawURL, FinalURL: final, Body: body, ContentType: resp.Header.Get("Content-Type")}, nil
}

// readBounded reads at most limit bytes and fails, rather than truncating,
// when there is more: half a declaration would read as a shorter one.
func readBounded(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w of %d MiB", ErrTooLarge, limit>>20)
	}
	return body, nil
}

// LoadFile reads a declaration saved as a file (HTML or plain text), bounded
// by maxBytes (0 means DefaultMaxBytes).
func LoadFile(path string, maxBytes int64) (*Page, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("declaration: open %s: %w", path, err)
	}
	defer fh.Close()
	body, err := readBounded(fh, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("declaration: %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	ct := ""
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm", ".xhtml":
		ct = "text/html"
	case ".txt", ".text":
		ct = "text/plain"
	case ".js":
		ct = "application/javascript"
	}
	return &Page{URL: u, FinalURL: u, Body: body, ContentType: ct}, nil
}
