package scan

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// htmlLang finds the language a page declares on its root element.
var htmlLang = regexp.MustCompile(`(?is)<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)`)

// maxLangProbe bounds what is read of the start page to find its language:
// the root element comes first.
const maxLangProbe = 64 << 10

// ResolveLocale fills in the browser's locale from the site's own language
// (<html lang>) when --locale was not given, so a Danish site is visited as
// a Danish visitor would: banners pick their language, and some their
// presence, from it. Any failure leaves the default; the scan itself will
// report an unreachable site.
func ResolveLocale(ctx context.Context, opts *Options) {
	if opts.Browser.Locale != "" || opts.URL == "" {
		return
	}
	if lang := siteLang(ctx, opts); lang != "" {
		opts.Browser.Locale = chrome.LocaleFromLang(lang).Tag
	}
}

func siteLang(ctx context.Context, opts *Options) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, opts.URL, nil)
	if err != nil {
		return ""
	}
	req.Header.Set("Accept", "text/html")
	client := &http.Client{Transport: crawler.HTTPTransport(opts.Browser.Network, nil)}
	resp, err := client.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxLangProbe))
	if m := htmlLang.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}
