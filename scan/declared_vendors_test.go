package scan

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/declaration"
	"github.com/cookiescan/cookiescan/internal/testenv"
	"github.com/cookiescan/cookiescan/knownCookies"
)

// TestDeclaredVendorsAreNotReportedUndeclared measures the false accusation
// undeclared-vendor can make on real declarations: for every service a
// real declaration names (its hand-made label), a third party of that
// service is put in front of the audit with the declaration as the scan
// reads it, and must not be reported undeclared. The declarations are the
// blind-labelled ones of testdata/declarations/real (and the shared corpus
// when present); services the known-cookie database does not know are
// skipped, since a scan never puts their name on a cookie.
func TestDeclaredVendorsAreNotReportedUndeclared(t *testing.T) {
	db, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	vendors := declarationVendors(db)
	resolver := audit.DatabaseVendors(db.VendorNamed)
	dirs := []string{filepath.Join("..", "testdata", "declarations", "real")}
	if _, err := os.Stat(filepath.Join("..", "..", "shared", "data", "declarations")); err == nil {
		dirs = append(dirs, filepath.Join("..", "..", "shared", "data", "declarations"))
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("../shared/data/declarations is missing under CI=true: %v", err)
	}
	var pairs, skipped int
	var accused []string
	for _, dir := range dirs {
		for _, l := range testenv.LabelledDeclarations(t, dir) {
			var want struct{ Vendors []string }
			b, err := os.ReadFile(l.Label)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("%s: %v", l.Label, err)
			}
			body, err := os.ReadFile(l.Document)
			if err != nil {
				t.Fatal(err)
			}
			decl, err := declaration.Parse(&declaration.Page{URL: "https://www.site.test/cookies", Body: body}, declaration.Options{Vendors: vendors})
			if decl == nil {
				t.Fatalf("%s: %v", l.Document, err)
			}
			for _, name := range want.Vendors {
				v, ok := db.VendorNamed(name)
				if !ok || len(v.Hosts) == 0 {
					skipped++
					continue
				}
				pairs++
				probe := cookie.Observed{Name: "probe_id", Domain: "." + v.Hosts[0], Path: "/", Party: cookie.ThirdParty,
					Label: cookie.Label{Vendor: v.Name, Category: cookie.Marketing, Confidence: cookie.High, Source: "embedded"}}
				probe = probe.WithStates(cookie.Accept)
				fs := audit.Run(audit.Input{Site: "https://www.site.test/", Inventory: []cookie.Observed{probe}, Declaration: decl},
					audit.Options{Vendors: resolver})
				if slices.ContainsFunc(fs, func(f audit.Finding) bool { return f.RuleID == "undeclared-vendor" }) {
					accused = append(accused, filepath.Base(l.Document)+": "+name+" (as "+v.Name+")")
				}
			}
		}
	}
	t.Logf("%d declared services the database knows (%d more it does not); reported undeclared although declared: %d (%.1f%%)",
		pairs, skipped, len(accused), 100*float64(len(accused))/float64(max(pairs, 1)))
	for _, a := range accused {
		t.Logf("  %s", a)
	}
	// 13 of 305 (4.3%) when this was written, 12 of 357 (3.4%) with the
	// seventh batch and the services descriptions name, 10 of 409 (2.4%)
	// with the eighth and services under a cookie heading, 6 of 409 (1.5%)
	// with the services of rows that name no cookie
	// (docs/declaration-accuracy.md);
	// a change that makes the reader miss more declared services fails.
	if share := float64(len(accused)) / float64(max(pairs, 1)); pairs < 200 || share > 0.025 {
		t.Errorf("%d of %d declared services reported undeclared (want at most 2.5%% of at least 200)", len(accused), pairs)
	}
}
