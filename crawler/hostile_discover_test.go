package crawler_test

import (
	"context"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/crawler"
)

// discoverHost runs discovery on one host of the hostile fixture.
func discoverHost(t *testing.T, host string, opts crawler.Options) *crawler.Discovered {
	t.Helper()
	opts.ConnectTo = env.ConnectTo
	opts.RootCAs = env.Fixtures.CertPool
	start, err := url.Parse("https://" + host + "/")
	if err != nil {
		t.Fatal(err)
	}
	found, err := crawler.Discover(context.Background(), start, opts)
	if err != nil {
		t.Fatalf("Discover: %v", err)
	}
	return found
}

// peakHeap samples the heap while f runs and returns the largest HeapAlloc
// seen: MemStats has no peak of its own.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	return peak.Load()
}

func hasWarning(ws []string, parts ...string) bool {
	for _, w := range ws {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(w, p)
		}
		if all {
			return true
		}
	}
	return false
}

// A robots.txt sent gzip-encoded and a .xml.gz sitemap it names each inflate
// to 600 MiB. Discovery reads each only up to its bound, stays well under
// 200 MB of heap, says what it cut, and still finds the site's page.
func TestDiscoverGzipBombsStayBounded(t *testing.T) {
	var found *crawler.Discovered
	peak := peakHeap(func() { found = discoverHost(t, "bomb.hostile.test", crawler.Options{MaxPages: 2}) })
	t.Logf("peak heap %d MiB", peak>>20)
	if peak > 200<<20 {
		t.Errorf("peak heap %d MiB, want under 200 MiB", peak>>20)
	}
	if !hasWarning(found.Warnings, "https://bomb.hostile.test/robots.txt", "larger than 500 KiB after decompression") {
		t.Errorf("no warning names the cut robots.txt: %q", found.Warnings)
	}
	if !hasWarning(found.Warnings, "https://bomb.hostile.test/sitemap-bomb.xml.gz", "larger than 50 MiB after decompression") {
		t.Errorf("no warning names the cut sitemap: %q", found.Warnings)
	}
	if len(found.Pages) == 0 || found.Pages[0] != "https://bomb.hostile.test/" {
		t.Errorf("pages = %q, want the start page first", found.Pages)
	}
}

// A valid sitemap of 50,000 URLs and about 50 MB is read whole: its first
// URLs are discovered, nothing is reported cut, and the dead URLs after them
// cost a bounded number of fetches, which the warnings name.
func TestDiscoverLargeSitemap(t *testing.T) {
	found := discoverHost(t, "sitemap.hostile.test", crawler.Options{MaxPages: 3, Depth: 1})
	if len(found.Pages) < 2 || found.Pages[1] != "https://sitemap.hostile.test/plain/" {
		t.Errorf("pages = %q, want the sitemap's /plain/ right after the start page", found.Pages)
	}
	if hasWarning(found.Warnings, "larger than") {
		t.Errorf("a valid 50 MB sitemap was cut: %q", found.Warnings)
	}
	if !hasWarning(found.Warnings, "discovery stopped after fetching 32 pages") {
		t.Errorf("the bound on fetches is not reported: %q", found.Warnings)
	}
	if n := len(found.Failures); n != 30 {
		t.Errorf("%d failures, want the 30 dead sitemap URLs tried within the bound", n)
	}
	// Only the sitemap names /s/… URLs: one among the failures shows it was read.
	tried := false
	for _, f := range found.Failures {
		tried = tried || f.URL == "https://sitemap.hostile.test/s/00002/"
	}
	if !tried {
		t.Errorf("the sitemap's third URL was never tried: failures %v", found.Failures)
	}
}

// A page whose headers carry control characters is one browsers load; Go's
// client refuses it. Discovery keeps it for the browser and says its links
// were not read. A 30-redirect chain is called what it is, not a loop.
func TestDiscoverHostilePages(t *testing.T) {
	found := discoverHost(t, "www.hostile.test", crawler.Options{MaxPages: 10, Depth: 1})
	pages := strings.Join(found.Pages, " ")
	for _, want := range []string{"https://www.hostile.test/ctrl/", "https://www.hostile.test/plain/"} {
		if !strings.Contains(pages, want) {
			t.Errorf("pages %q lack %s", found.Pages, want)
		}
	}
	if !hasWarning(found.Warnings, "https://www.hostile.test/ctrl/", "control characters") {
		t.Errorf("no warning names the page with control characters: %q", found.Warnings)
	}
	kinds := map[string]string{}
	for _, f := range found.Failures {
		kinds[f.URL] = string(f.ErrorKind) + ": " + f.Error
	}
	if got := kinds["https://www.hostile.test/chain/"]; !strings.HasPrefix(got, "too-many-redirects: ") || !strings.Contains(got, "more than 20 times") {
		t.Errorf("chain failure = %q, want too-many-redirects", got)
	}
	if len(kinds) != 1 {
		t.Errorf("failures %q, want the chain only", kinds)
	}
}
