package scan

import (
	"context"
	"fmt"
	"sync"

	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/reports"
)

// PDFPrinter prints reports with the scan's browser: b when the caller
// kept it running, else a browser started with the scan's browser options
// at the first print and closed by the returned close function.
func PDFPrinter(ctx context.Context, b *chrome.Browser, opts chrome.Options) (print reports.PrintFunc, close func()) {
	var (
		mu      sync.Mutex
		started *chrome.Browser
	)
	print = func(html []byte, p reports.PDFPage) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		use := b
		if use == nil {
			if started == nil {
				var err error
				if started, err = chrome.Start(ctx, opts); err != nil {
					return nil, fmt.Errorf("start the browser to print: %w", err)
				}
			}
			use = started
		}
		return use.PrintPDF(ctx, html, chrome.PDFOptions{Paper: p.Paper, HeaderLeft: p.Site, HeaderRight: p.Date})
	}
	close = func() {
		mu.Lock()
		defer mu.Unlock()
		if started != nil {
			_ = started.Close()
			started = nil
		}
	}
	return print, close
}
