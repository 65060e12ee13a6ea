package scan_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

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

// benchTabs runs a benchmark with 1, 2 and 3 tabs per state, and the
// default, to keep the count that pays.
func benchTabs(b *testing.B, opts scan.Options) {
	for _, tabs := range []int{1, 2, 3} {
		b.Run(fmt.Sprintf("tabs=%d", tabs), func(b *testing.B) {
			opts.Crawler.Tabs = tabs
			benchScan(b, opts)
		})
	}
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
