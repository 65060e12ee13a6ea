package consent

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// BenchmarkApply measures the consent step of one state (Apply alone, after
// the page has loaded) on a platform fixture and on a hand-made banner:
//
//	go test ./crawler/consent -run '^$' -bench Apply -benchtime 5x
//
// The "+shots" runs take the evidence screenshots, as the command line does.
func BenchmarkApply(b *testing.B) {
	plain, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	shots, err := New(Options{Screenshot: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, site := range []struct{ name, url string }{
		{"cookiebot", "https://www.cmp-cookiebot.test/"},
		{"onetrust-settings-layer", "https://www.cmp-onetrust-pc.test/"},
		{"sourcepoint-iframe", "https://www.cmp-sourcepoint.test/"},
		{"generic-da", "https://www.cmp-generic-da.test/"},
	} {
		for _, run := range []struct {
			action, suffix string
			e              *Engine
		}{
			{ActionNone, "", plain}, {ActionAccept, "", plain}, {ActionReject, "", plain},
			{ActionNone, "+shots", shots}, {ActionAccept, "+shots", shots}, {ActionReject, "+shots", shots},
		} {
			action, e := run.action, run.e
			b.Run(site.name+"/"+action+run.suffix, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					ctx, cancel := newBrowserTab(b)
					if err := chromedp.Do(ctx, chromedp.Navigate(site.url)); err != nil {
						cancel()
						b.Fatal(err)
					}
					b.StartTimer()
					o, err := e.Apply(ctx, action)
					b.StopTimer()
					cancel()
					if err != nil {
						b.Fatal(err)
					}
					if !o.Verified {
						b.Fatalf("unverified: %s", summaryOf(o))
					}
					b.StartTimer()
				}
			})
		}
	}
}
