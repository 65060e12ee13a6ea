package batch

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
	"github.com/cookiescan/cookiescan/reports"
)

func db(t *testing.T) *knowncookies.DB {
	t.Helper()
	d, err := knowncookies.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func summary(items []Item) []string {
	var out []string
	for _, it := range items {
		c := it.Cookie
		out = append(out, strings.Join([]string{siteKey(it.Site), c.Name, c.Domain, string(c.Party), string(c.Label.Category)}, " "))
	}
	return out
}

func TestHAR(t *testing.T) {
	items, err := ClassifyFile(filepath.Join("testdata", "shop.har"), db(t), false)
	if err != nil {
		t.Fatal(err)
	}
	got := summary(items)
	// The cart page's title is not a URL: its site is its first entry's
	// URL. Its request cookies repeat the response cookies of the same site
	// and are not listed twice.
	want := []string{
		"www.shop.example IDE .doubleclick.net third marketing",
		"www.shop.example PHPSESSID www.shop.example first necessary",
		"www.shop.example _ga .shop.example first statistics",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, it := range items {
		c := it.Cookie
		if c.Value != "" {
			t.Errorf("%s: value kept without keepValues", c.Name)
		}
		if c.Label.Reason == "" || c.Label.Probability <= 0 {
			t.Errorf("%s: label without reason or probability: %+v", c.Name, c.Label)
		}
		switch c.Name {
		case "_ga":
			if c.Session || c.LifespanDays < 760 || c.LifespanDays > 770 {
				t.Errorf("_ga lifespan %.1f days, session %v; want about 766 days from the entry's time", c.LifespanDays, c.Session)
			}
		case "PHPSESSID":
			if !c.Session || !c.HostOnly || !c.HTTPOnly || c.SetBy.URL != "https://www.shop.example/" {
				t.Errorf("PHPSESSID attributes: %+v", c)
			}
		}
	}
}

func TestReport(t *testing.T) {
	scan := map[string]any{
		"schema_version": 1,
		"site":           "https://www.kystbyg.test/",
		"inventory": []cookie.Observed{
			{Name: "_fbp", Domain: ".kystbyg.test", Path: "/", LifespanDays: 90, Party: cookie.FirstParty, Label: cookie.Label{Category: cookie.Necessary, Reason: "stale"}},
			{Name: "uid", Domain: ".criteo.com", Path: "/", LifespanDays: 390, Party: cookie.ThirdParty},
		},
	}
	raw, err := json.Marshal(scan)
	if err != nil {
		t.Fatal(err)
	}
	items, err := Read(bytes.NewReader(raw), "scan.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := Label(items, db(t), false); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(summary(items), "\n")
	want := "www.kystbyg.test _fbp .kystbyg.test first marketing\nwww.kystbyg.test uid .criteo.com third marketing"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestBadInput(t *testing.T) {
	tests := map[string]string{
		"not json":       "<html>",
		"other json":     `{"cookies": []}`,
		"bad har":        `{"log": {"entries": "x"}}`,
		"bad entry url":  `{"log": {"entries": [{"request": {"url": "::", "cookies": [{"name": "a"}]}}]}}`,
		"bad inventory":  `{"schema_version": 1, "inventory": {}}`,
		"json array":     `[]`,
		"truncated json": `{"log": {`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Read(strings.NewReader(in), "x.har")
			if err == nil || !strings.Contains(err.Error(), "x.har") {
				t.Errorf("error %v, want one naming the file", err)
			}
		})
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.har")
	if err := os.WriteFile(empty, []byte(`{"log": {"entries": []}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ClassifyFile(empty, db(t), false); err == nil || !strings.Contains(err.Error(), "no cookies") {
		t.Errorf("empty HAR: %v", err)
	}
	if _, err := ClassifyFile(filepath.Join(dir, "missing.har"), db(t), false); err == nil {
		t.Error("a missing file was accepted")
	}
	if err := CheckFormat("xml"); err == nil {
		t.Error("format xml accepted")
	}
}

func TestWriteFormats(t *testing.T) {
	items := []Item{{Site: "https://a.example/", Cookie: cookie.Observed{Name: "=cmd|' /C calc'!A0", Domain: "a.example",
		Label: cookie.Label{Category: cookie.Marketing, Probability: 0.912, Confidence: cookie.High, Reason: "model: \x1b[31mred"}}}}
	var b bytes.Buffer
	if err := Write(&b, "csv", reports.Options{}, items); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][1] != "'=cmd|' /C calc'!A0" || rows[1][6] != "0.91" {
		t.Errorf("csv rows %q: want the formula neutralised and the probability", rows)
	}
	b.Reset()
	if err := Write(&b, "table", reports.Options{Width: 200}, items); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "\x1b") || !strings.Contains(b.String(), "marketing") {
		t.Errorf("table:\n%s", b.String())
	}
	b.Reset()
	if err := Write(&b, "json", reports.Options{}, nil); err != nil || strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("json of nothing: %q %v", b.String(), err)
	}
}
