package scan_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
	"github.com/cookiescan/cookiescan/reports"
	"github.com/cookiescan/cookiescan/scan"
)

var env *browsertest.Env

func TestMain(m *testing.M) { browsertest.Main(m, &env) }

func demoOptions() scan.Options {
	return scan.Options{
		URL:     "https://www.kystbyg.test/",
		Browser: chrome.Options{Network: hostmap.Network{Insecure: true, ConnectTo: env.ConnectTo}},
		// As the CLI: the consent evidence includes screenshots.
		Consent: consent.Options{Screenshot: true},
	}
}

// BenchmarkDemoScan is a full three-state scan of the demo site (7 pages per
// state) in a Chrome that stays up between scans, as the scheduler runs.
func BenchmarkDemoScan(b *testing.B) {
	opts := demoOptions()
	opts.UseBrowser = env.Browser(b, false)
	benchTabs(b, opts)
}

// benchTabs runs a benchmark with 1, 2 and 3 tabs per state, and with the
// count the crawler chooses (auto), to keep the count that pays.
func benchTabs(b *testing.B, opts scan.Options) {
	for _, tabs := range []int{1, 2, 3, 0} {
		name := fmt.Sprintf("tabs=%d", tabs)
		if tabs == 0 {
			name = "tabs=auto"
		}
		b.Run(name, func(b *testing.B) {
			opts.Crawler.Tabs = tabs
			benchScan(b, opts)
		})
	}
}

// BenchmarkBareVisits is the floor a demo scan is measured against: the
// same 21 page visits in the same warm Chrome, made the way a bare script
// makes them (a browser context per state, one tab each, the load event and
// a fixed 200 ms per page, the banner clicked by its known selectors),
// with none of a scan's recording, settling, screenshots, declaration or
// report. What a scan takes beyond it is cookiescan's own cost.
func BenchmarkBareVisits(b *testing.B) {
	pages := []string{"/", "/about/", "/services/", "/projects/", "/contact/", "/jobs/", "/cookies/"}
	clicks := map[string][]string{"before": nil, "accept": {"#cookie-ok"}, "reject": {"#cookie-settings-open", "#cookie-reject"}}
	bareVisits(b, "https://www.kystbyg.test", pages, clicks, 1)
}

// BenchmarkBareLargeSite is the floor of BenchmarkLargeSite: its 300 visits
// made the bare way, with as many tabs per state as the scan chooses for 100
// pages (3).
func BenchmarkBareLargeSite(b *testing.B) {
	pages := []string{"/"}
	for i := 1; i < 100; i++ {
		pages = append(pages, fmt.Sprintf("/p/%03d/", i))
	}
	clicks := map[string][]string{"before": nil, "accept": {"#cb-accept"}, "reject": {"#cb-reject"}}
	bareVisits(b, "https://www.largesite.test", pages, clicks, 3)
}

// bareVisits visits the pages in each consent state, a browser context per
// state: the first page in one tab, where the banner is clicked, then the
// rest shared out over tabs tabs of the context.
func bareVisits(b *testing.B, site string, pages []string, clicks map[string][]string, tabs int) {
	br := env.Browser(b, false)
	visits := 0
	for b.Loop() {
		var wg sync.WaitGroup
		errs := make(chan error, len(clicks)*tabs)
		for _, sels := range clicks {
			wg.Go(func() {
				bc, err := br.NewBrowserContext(context.Background())
				if err != nil {
					errs <- err
					return
				}
				defer bc.Close()
				visit := func(tab context.Context, p string, sels []string) error {
					acts := []chromedp.Action[chromedp.Void]{chromedp.Navigate(site + p), chromedp.Sleep(200 * time.Millisecond)}
					for _, sel := range sels {
						acts = append(acts, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
					}
					if len(sels) > 0 {
						acts = append(acts, chromedp.Sleep(200*time.Millisecond))
					}
					if err := chromedp.Do(tab, acts...); err != nil {
						return fmt.Errorf("%s: %w", p, err)
					}
					return nil
				}
				first, closeFirst, err := bc.NewTab()
				if err != nil {
					errs <- err
					return
				}
				defer closeFirst()
				if err := visit(first, pages[0], sels); err != nil {
					errs <- err
					return
				}
				next := make(chan string, len(pages))
				for _, p := range pages[1:] {
					next <- p
				}
				close(next)
				var pool sync.WaitGroup
				for i := range tabs {
					pool.Go(func() {
						tab := first
						if i > 0 {
							t, closeTab, err := bc.NewTab()
							if err != nil {
								errs <- err
								return
							}
							defer closeTab()
							tab = t
						}
						for p := range next {
							if err := visit(tab, p, nil); err != nil {
								errs <- err
								return
							}
						}
					})
				}
				pool.Wait()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		visits += len(pages) * len(clicks)
	}
	b.ReportMetric(float64(visits)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkDemoScanColdBrowser includes starting and stopping Chrome, as one
// `cookiescan scan` does.
func BenchmarkDemoScanColdBrowser(b *testing.B) {
	browsertest.NeedBrowser(b)
	benchScan(b, demoOptions())
}

// benchScan runs scans and reports the page visits per second over all states.
func benchScan(b *testing.B, opts scan.Options) {
	pages := 0
	for b.Loop() {
		res, err := scan.Run(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		for _, st := range res.Observation.States {
			for _, p := range st.Pages {
				if p.Failed() {
					b.Fatalf("%s: %s", st.State, p.Error)
				}
			}
			pages += len(st.Pages)
		}
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkDemoPDF is the time the pdf format adds to a demo scan: render
// the HTML report and print it in the scan's (warm) browser.
func BenchmarkDemoPDF(b *testing.B) {
	br := env.Browser(b, false)
	opts := demoOptions()
	opts.UseBrowser = br
	res, err := scan.Run(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	print, closePrinter := scan.PDFPrinter(context.Background(), br, chrome.Options{})
	defer closePrinter()
	w, err := reports.New("pdf", reports.Options{Print: print})
	if err != nil {
		b.Fatal(err)
	}
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := w.Write(&buf, res); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}

// BenchmarkLargeSite scans 100 pages of the generated large site
// (testdata/sites/large) in all three states and reports page visits per
// second: the throughput an agency scanning big sites gets.
func BenchmarkLargeSite(b *testing.B) {
	opts := scan.Options{
		URL:         "https://www.largesite.test/",
		Browser:     chrome.Options{Network: hostmap.Network{Insecure: true, ConnectTo: env.ConnectTo}},
		UseBrowser:  env.Browser(b, false),
		Declaration: "none",
	}
	opts.Crawler.MaxPages = 100
	benchTabs(b, opts)
}
