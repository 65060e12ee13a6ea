package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/internal/hostmap"
	"github.com/cookiescan/cookiescan/internal/neterr"
)

// probeTimeout bounds each of the two probes of a target given without a
// scheme.
const probeTimeout = 10 * time.Second

// CheckURL accepts an absolute http or https URL with a host.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q: not a URL: %w", raw, errors.Unwrap(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q: cookiescan scans http:// and https:// sites, not %s:", raw, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%q: the URL has no host name", raw)
	}
	return u, nil
}

// ResolveTarget checks the URL of a site to read. Given without a scheme
// (example.com, 127.0.0.1:8088) it tries https://, then http:// when https
// gets no TLS answer at all, and writes to notice which it used: users type
// host names, and assuming https alone fails on plain-HTTP test servers
// with a TLS error that does not say what to do. The probes reach the site
// as the scan's Go clients do, through network.
func ResolveTarget(ctx context.Context, raw string, network hostmap.Network, notice io.Writer) (string, error) {
	raw = strings.TrimSpace(raw)
	if strings.Contains(raw, "://") {
		if _, err := CheckURL(raw); err != nil {
			return "", err
		}
		return raw, nil
	}
	httpsURL, httpURL := "https://"+raw, "http://"+raw
	if _, err := CheckURL(httpsURL); err != nil {
		return "", err
	}
	client := &http.Client{
		Transport:     crawler.HTTPTransport(network, nil),
		Timeout:       probeTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	httpsErr := probe(ctx, client, httpsURL)
	if httpsErr == nil {
		fmt.Fprintf(notice, "cookiescan: no scheme given: using %s\n", httpsURL)
		return httpsURL, nil
	}
	why := httpsErr.Error()
	if e, ok := neterr.Explain(why); ok {
		if e.Kind == cookie.FailTLS {
			// A TLS server answered with a certificate we do not trust:
			// the site is on https, and the scan will say to pass -k.
			fmt.Fprintf(notice, "cookiescan: no scheme given: using %s\n", httpsURL)
			return httpsURL, nil
		}
		why = e.What
	}
	if httpErr := probe(ctx, client, httpURL); httpErr == nil {
		fmt.Fprintf(notice, "cookiescan: no scheme given: %s did not answer (%s); using %s\n", httpsURL, why, httpURL)
		return httpURL, nil
	}
	fmt.Fprintf(notice, "cookiescan: no scheme given: neither %s (%s) nor %s answered; using %s\n", httpsURL, why, httpURL, httpsURL)
	return httpsURL, nil
}

// probe reports whether the URL answers HTTP at all, whatever the status.
func probe(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	// Only whether it answered matters; a bounded read lets the connection
	// be reused without trusting the body's size.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return nil
}
