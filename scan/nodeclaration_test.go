package scan_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/scan"
)

// The lazy fixture site publishes no cookie declaration and links to none:
// with --declaration auto the scan reports one high no-declaration finding
// that says where it looked, so --fail-on high catches the site.
func TestScanSiteWithoutDeclaration(t *testing.T) {
	br := env.Browser(t, false)
	opts := demoOptions()
	opts.URL = "https://www.lazyload.test/"
	opts.UseBrowser = br
	opts.Crawler.MaxPages = 1
	opts.Crawler.States = []cookie.State{cookie.Before}
	res, err := scan.Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	if res.Declaration != nil {
		t.Fatalf("the lazy site has no declaration, but one was read from %s", res.Declaration.URL)
	}
	var found int
	for _, f := range res.Findings {
		if f.RuleID != "no-declaration" {
			continue
		}
		found++
		if f.Severity.String() != "high" || !strings.Contains(f.Evidence.Observed, "https://www.lazyload.test/") {
			t.Errorf("no-declaration finding %+v: want high, saying where it looked", f)
		}
	}
	if found != 1 {
		t.Errorf("want one no-declaration finding, got %d (warnings %v)", found, res.Warnings)
	}
}
