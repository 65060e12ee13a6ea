package crawler_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/crawler"
)

func discover(t *testing.T, opts crawler.Options) ([]string, map[string]string) {
	t.Helper()
	opts.ConnectTo = env.ConnectTo
	opts.RootCAs = env.Fixtures.CertPool
	start, err := url.Parse("https://www.discovery.test/")
	if err != nil {
		t.Fatal(err)
	}
	found, err := crawler.Discover(context.Background(), start, opts)
	if err != nil {
		t.Fatalf("Discover: %v", err)
	}
	kinds := map[string]string{}
	for _, f := range found.Failures {
		kinds[f.URL] = string(f.ErrorKind)
	}
	return found.Pages, kinds
}

func TestDiscoverBreadthFirstWithSitemapAndRobots(t *testing.T) {
	pages, failures := discover(t, crawler.Options{MaxPages: 20, Depth: 5})
	want := []string{
		"https://www.discovery.test/",
		"https://www.discovery.test/s1/", // from the sitemap index, right after the start page
		"https://www.discovery.test/a/",  // depth 1, once despite #fragment, case and :443 variants
		"https://www.discovery.test/b/",
		"https://www.discovery.test/c/", // depth 2
		"https://www.discovery.test/d/", // depth 3
	}
	if diff := cmp.Diff(want, pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	wantFailures := map[string]string{
		"https://www.discovery.test/private/": "robots",
		"https://www.discovery.test/doc":      "not-html",
	}
	if diff := cmp.Diff(wantFailures, failures); diff != "" {
		t.Errorf("skipped pages (-want +got):\n%s", diff)
	}
}

func TestDiscoverIgnoreRobots(t *testing.T) {
	pages, _ := discover(t, crawler.Options{MaxPages: 20, Depth: 5, IgnoreRobots: true})
	found := false
	for _, p := range pages {
		found = found || p == "https://www.discovery.test/private/"
	}
	if !found {
		t.Errorf("--ignore-robots: /private/ not visited; pages %v", pages)
	}
}

func TestDiscoverLimits(t *testing.T) {
	tests := []struct {
		name string
		opts crawler.Options
		want []string
	}{
		{"max pages", crawler.Options{MaxPages: 3, Depth: 5}, []string{
			"https://www.discovery.test/", "https://www.discovery.test/s1/", "https://www.discovery.test/a/"}},
		{"depth 1 without sitemap", crawler.Options{MaxPages: 20, Depth: 1, NoSitemap: true}, []string{
			"https://www.discovery.test/", "https://www.discovery.test/a/", "https://www.discovery.test/b/"}},
		{"start page only", crawler.Options{MaxPages: 20, NoLinks: true, NoSitemap: true}, []string{
			"https://www.discovery.test/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages, _ := discover(t, tt.opts)
			if diff := cmp.Diff(tt.want, pages); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStartURL(t *testing.T) {
	for _, tt := range []struct{ in, want, wantErr string }{
		{in: "www.example.com", want: "https://www.example.com/"},
		{in: "HTTPS://WWW.Example.com:443/a/../b#frag", want: "https://www.example.com/b"},
		{in: "", wantErr: "no URL given"},
		{in: "ftp://example.com/", wantErr: `scheme "ftp" is not http or https`},
		{in: "https://", wantErr: "no host name"},
		{in: "https://exa mple.com/", wantErr: "invalid URL"},
	} {
		u, err := crawler.ParseStartURL(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseStartURL(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || u.String() != tt.want {
			t.Errorf("ParseStartURL(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
		}
	}
}
