package scan_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/declaration"
	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
	"github.com/cookiescan/cookiescan/scan"
)

// A declaration drawn by a script: served as is it holds no cookie; the
// rendering fetcher gives the browser's DOM, which holds the table. The
// expectation is testdata/declarations/script_drawn.expected.json.
func TestRenderingFetcherReadsScriptDrawnDeclaration(t *testing.T) {
	srv := httptest.NewTLSServer(http.FileServer(http.Dir("../testdata/declarations")))
	defer srv.Close()
	url := srv.URL + "/script_drawn.html"
	plain := declaration.NewHTTPFetcher(declaration.HTTPOptions{Insecure: true})

	d, _ := declaration.Read(context.Background(), plain, url, declaration.ReadOptions{})
	if d != nil && len(d.Cookies) > 0 {
		t.Fatalf("over plain HTTP the script-drawn page gave cookies %v; the fixture is not script-drawn", d.Cookies)
	}

	b, err := chrome.Start(context.Background(), chrome.Options{Network: hostmap.Network{Insecure: true}})
	if err != nil {
		browsertest.RequireBrowser(t, err)
	}
	defer b.Close()
	d, err = declaration.Read(context.Background(), &scan.RenderingFetcher{HTTP: plain, Browser: b}, url, declaration.ReadOptions{})
	if err != nil {
		t.Fatalf("rendered read: %v", err)
	}
	var got []string
	for _, c := range d.Cookies {
		max, _ := c.Lifespan.MaxDays()
		got = append(got, fmt.Sprintf("%s %s %s %g", c.Name, c.Vendor, c.Category, max))
	}
	want := []string{
		"lb_sess Lakeside Books necessary 0",
		"_ga Google statistics 730",
		"_gid Google statistics 1",
		"_fbp Facebook marketing 93",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rendered declaration (-want +got):\n%s", diff)
	}
}
