package chrome

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"
)

// ErrDisconnected is wrapped by the error of a scan whose remote browser
// went away in the middle of it.
var ErrDisconnected = errors.New("the remote browser disconnected")

// IsRemote reports whether --browser names running browsers (ws:// or
// wss://) rather than a binary.
func IsRemote(browser string) bool {
	return strings.HasPrefix(browser, "ws://") || strings.HasPrefix(browser, "wss://")
}

// Endpoints lists the remote browsers --browser names: URLs separated by
// commas, and a host name that resolves to several addresses (a headless
// Kubernetes Service, a DNS round robin) stands for one browser per
// address. Chrome's DevTools answers only to an IP address or localhost in
// the Host header, so names are resolved here in any case.
func Endpoints(ctx context.Context, browser string) ([]string, error) {
	var out []string
	for _, raw := range strings.Split(browser, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || !IsRemote(raw) || u.Host == "" {
			return nil, fmt.Errorf("chrome: --browser %q: want ws://host:port[/devtools/browser/…], several separated by commas", raw)
		}
		host, port := u.Hostname(), u.Port()
		if net.ParseIP(host) != nil || host == "localhost" {
			out = append(out, raw)
			continue
		}
		addrs, err := net.DefaultResolver.LookupHost(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("chrome: --browser %s: %w", raw, err)
		}
		for _, a := range addrs {
			v := *u
			v.Host = net.JoinHostPort(a, port)
			if port == "" {
				v.Host = a
				if strings.Contains(a, ":") {
					v.Host = "[" + a + "]"
				}
			}
			out = append(out, v.String())
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("chrome: --browser %q names no browser", browser)
	}
	return out, nil
}

// attach connects to one of the remote browsers, starting at a random one
// so that concurrent scans (of this process or of other workers) spread over
// them without shared state, and tries the others when it does not answer;
// opts.Avoid goes last.
func attach(ctx context.Context, opts Options) (*Browser, error) {
	eps, err := Endpoints(ctx, opts.Browser)
	if err != nil {
		return nil, err
	}
	first := rand.IntN(len(eps))
	eps = append(eps[first:], eps[:first]...)
	for i, ep := range eps {
		if ep == opts.Avoid && i < len(eps)-1 {
			eps = append(append(eps[:i:i], eps[i+1:]...), ep)
			break
		}
	}
	var errs []error
	for _, ep := range eps {
		b := &Browser{remote: true, Endpoint: ep}
		var allocCtx context.Context
		allocCtx, b.allocCancel = remote.NewAllocator(context.WithoutCancel(ctx), ep)
		err := b.connect(ctx, allocCtx, opts)
		if err == nil {
			return b, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		errs = append(errs, fmt.Errorf("%s: %w", ep, err))
	}
	return nil, fmt.Errorf("chrome: no remote browser answered: %w", errors.Join(errs...))
}

// Disconnected reports whether the connection to the browser has dropped.
func (b *Browser) Disconnected() bool {
	c := chromedp.FromContext(b.ctx)
	if c == nil || c.Browser == nil {
		return false
	}
	select {
	case <-c.Browser.LostConnection:
		return true
	default:
		return false
	}
}

// DisconnectedError is a scan's failure because its browser went away.
type DisconnectedError struct {
	// Endpoint is the remote browser's ws:// URL; empty for a local Chrome.
	Endpoint string
}

func (e *DisconnectedError) Error() string {
	if e.Endpoint == "" {
		return "Chrome exited in the middle of the scan, so its consent states are incomplete"
	}
	return fmt.Sprintf("%v (%s) in the middle of the scan, so its consent states are incomplete", ErrDisconnected, e.Endpoint)
}

func (e *DisconnectedError) Unwrap() error { return ErrDisconnected }

// Lost returns a *DisconnectedError when the connection to the browser has
// dropped, else nil. A scan checks it once it is done: pages that failed
// because the browser went away would otherwise pass for the site's own
// failures.
func (b *Browser) Lost() error {
	if !b.Disconnected() {
		return nil
	}
	return &DisconnectedError{Endpoint: b.Endpoint}
}
