package crawler_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
)

// TestRenderedPagesFromTheCrawl asks for pages before the crawl starts, as
// the declaration reader does, and checks what the before-consent state
// hands over: the DOM once settled (a table a timer drew after the load is
// in it), where a redirect ended, and nothing for a page that failed, one
// over the size bound, or one not in the plan.
func TestRenderedPagesFromTheCrawl(t *testing.T) {
	b := env.Browser(t, false)
	opts := options()
	opts.States = []cookie.State{cookie.Before}
	opts.Tabs = 1
	base := "https://www.edgecases.test"
	opts.Pages = []string{base + "/", base + "/drawn/", base + "/big/", base + "/missing/"}
	opts.Rendered = crawler.NewRenderedPages(64 << 10)

	type answer struct {
		page *crawler.RenderedPage
		err  error
	}
	asked := append(append([]string{}, opts.Pages...), base+"/home/")
	answers := make([]answer, len(asked))
	var wg sync.WaitGroup
	for i, u := range asked {
		wg.Go(func() {
			p, err := opts.Rendered.Get(context.Background(), u)
			answers[i] = answer{p, err}
		})
	}
	obs, err := crawler.Crawl(context.Background(), b, startURL(t, base+"/"), opts)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	wg.Wait()
	if n := len(stateOf(obs, cookie.Before).Pages); n != 4 {
		t.Fatalf("%d pages visited, want 4", n)
	}

	home := answers[0]
	if home.err != nil {
		t.Fatalf("home page: %v", home.err)
	}
	if !strings.HasSuffix(home.page.FinalURL, "/home/") || !strings.Contains(string(home.page.HTML), `href="/hang/"`) {
		t.Errorf("home page: final URL %q, HTML %.200q; want the page /home/ the start page redirects to", home.page.FinalURL, home.page.HTML)
	}
	drawn := answers[1]
	if drawn.err != nil {
		t.Fatalf("drawn page: %v", drawn.err)
	}
	if !strings.Contains(string(drawn.page.HTML), "<td>edge_session</td>") {
		t.Errorf("drawn page: the table the timer draws is missing from %.300q", drawn.page.HTML)
	}
	for i, why := range map[int]string{2: "over the size bound", 3: "HTTP 404", 4: "not in the plan (only reached by a redirect)"} {
		if !errors.Is(answers[i].err, crawler.ErrNotRendered) {
			t.Errorf("%s (%s): got %v, want ErrNotRendered", asked[i], why, answers[i].err)
		}
	}
	if _, err := opts.Rendered.Get(context.Background(), base+"/drawn/"); !errors.Is(err, crawler.ErrNotRendered) {
		t.Errorf("after the crawl: %v, want ErrNotRendered", err)
	}
}
