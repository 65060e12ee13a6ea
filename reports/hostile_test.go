package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/result"
)

const hostileMarkup = `<img src=x onerror=alert(1)>`

var hostileValue = strings.Repeat("V", 4096) + "\x00\x07\x1b[2J"

// hostileScan is a scan in which everything a site controls is an attack:
// markup in the cookie name, a 4 KB value with control characters, terminal
// escapes, a bidi override, spreadsheet formulas and a javascript: URL.
func hostileScan() *result.Scan {
	name := hostileMarkup + "\x1b[31m\u202e"
	c := cookie.Observed{
		Name: name, Domain: "www.evil.test", Path: "/", Value: hostileValue, ValueLength: len(hostileValue),
		Session: true, Party: cookie.FirstParty, FirstSeenPage: "https://www.evil.test/\x1b]0;pwned\x07",
		SetBy: cookie.Setter{Kind: cookie.SetByScript, URL: "javascript:alert(document.domain)"},
		Label: cookie.Label{Vendor: "=cmd|' /C calc'!A0", Category: cookie.Marketing, Confidence: cookie.High,
			Description: "+SUM(1+1)*cmd|' /C calc'!A0"},
	}.WithStates(cookie.Before)
	obs := cookie.Observation{
		Site: "https://www.evil.test/", SiteDomain: "evil.test", Pages: []string{"https://www.evil.test/"},
		States: []cookie.StateObservation{{
			State: cookie.Before, Pages: []cookie.PageVisit{{URL: "https://www.evil.test/", Error: "<script>alert(2)</script>\x1b[1m"}},
			Consent: cookie.ConsentOutcome{Action: "none", BannerFound: true, Platform: "<b>CMP</b>\x1b[5m",
				Buttons: []cookie.ConsentButton{{Label: "<svg onload=alert(3)>", Role: "accept"}},
				// Not a PNG: it must never reach a data: URI.
				ScreenshotPNG: []byte(`"><script>alert(4)</script>`)},
			Requests: []cookie.Request{{Host: "<svg onload=alert(5)>.evil.test", Count: 1, FirstPage: "javascript:alert(6)", Vendor: "<b>CMP</b>"}},
			Storage:  []cookie.StorageItem{{Kind: "local", Origin: "https://www.evil.test", Key: hostileMarkup + "\x1b[31m", ValueLength: 9}},
		}, {
			State: cookie.Reject, Pages: []cookie.PageVisit{{URL: "https://www.evil.test/"}},
			Consent: cookie.ConsentOutcome{Action: "reject", BannerFound: true, Platform: "<b>CMP</b>",
				Clicked: []string{"<svg onload=alert(7)>\u202e"}, Method: "<b>CMP</b>", Verification: "<iframe src=//evil.test>\x1b[2J"},
		}},
	}
	decl := &cookie.Declaration{URL: "https://www.evil.test/cookies",
		Cookies: []cookie.Declared{{Name: c.Name, Category: cookie.Necessary, Source: "<iframe src=//evil.test>\x1b[2J", Where: "@SUM(1)"}}}
	s := &result.Scan{
		SchemaVersion: result.SchemaVersion, ToolVersion: "test", Site: obs.Site,
		Observation: obs, Inventory: []cookie.Observed{c}, Declaration: decl,
	}
	s.Findings = audit.Run(audit.Input{Site: s.Site, Observation: obs, Inventory: s.Inventory, Declaration: decl}, audit.Options{})
	return s
}

// TestHostileInputInert renders the hostile scan in every format and checks,
// per format, that nothing the site sent can act: no markup, no terminal
// control, no formula, no unbounded value.
func TestHostileInputInert(t *testing.T) {
	s := hostileScan()
	if len(s.Findings) == 0 {
		t.Fatal("the hostile scan should produce findings to render")
	}
	checks := map[string]func(t *testing.T, out []byte){
		"table": func(t *testing.T, out []byte) {
			for i, line := range strings.Split(string(out), "\n") {
				if n := len([]rune(line)); n > 100 {
					t.Errorf("line %d is %d columns wide", i+1, n)
				}
			}
		},
		"json": func(t *testing.T, out []byte) {
			var back result.Scan
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			// JSON is the lossless format: escaped, not cut.
			if back.Inventory[0].Name != s.Inventory[0].Name || back.Inventory[0].Value != hostileValue {
				t.Error("JSON did not keep the name and value exactly")
			}
		},
		"csv": func(t *testing.T, out []byte) {
			rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows[1:] {
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
						t.Errorf("cell %q starts a formula", cell)
					}
				}
			}
			if !strings.Contains(string(out), "'=cmd|") {
				t.Error("formula cell not neutralised with a leading apostrophe")
			}
		},
		"md": func(t *testing.T, out []byte) {
			if !strings.Contains(string(out), "&lt;img src=x onerror=alert\\(1\\)&gt;") {
				t.Error("cookie name not shown escaped")
			}
		},
		"html": func(t *testing.T, out []byte) {
			if !strings.Contains(string(out), "&lt;img src=x onerror=alert(1)&gt;") {
				t.Error("cookie name not shown escaped")
			}
			if strings.Contains(string(out), "data:image/png") {
				t.Error("a screenshot that is not a PNG was inlined")
			}
			if n := strings.Count(string(out), "<script"); n != 0 {
				t.Errorf("%d script elements", n)
			}
		},
		"junit": func(t *testing.T, out []byte) {
			wellFormed(t, out)
		},
		"sarif": func(t *testing.T, out []byte) {
			if !json.Valid(out) {
				t.Error("invalid JSON")
			}
		},
	}
	checks["findings-csv"] = func(t *testing.T, out []byte) {
		rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows[1:] {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Errorf("cell %q starts a formula", cell)
				}
			}
		}
	}
	for _, format := range goldenFormats() { // every format but pdf: TestPDFInBrowser
		t.Run(format, func(t *testing.T) {
			check, ok := checks[format]
			if !ok {
				t.Fatalf("no hostile-input check for format %s", format)
			}
			out := renderGolden(t, format, s)
			text := string(out)
			bad := []string{"\x1b", "\x00", "\x07", "\u202e"}
			if format == "json" {
				// JSON keeps the name exactly; a bidi override is not a
				// control character to a JSON reader, C0 controls are escaped.
				bad = bad[:3]
			}
			for _, b := range bad {
				if strings.Contains(text, b) {
					t.Errorf("output holds control character %q", b)
				}
			}
			// Markup is only live where a reader may render it; in the
			// terminal table and in CSV cells it is text.
			if format != "table" && format != "csv" && format != "findings-csv" {
				for _, live := range []string{hostileMarkup, "<svg", "<iframe", "<script>alert", "<b>CMP"} {
					if strings.Contains(text, live) {
						t.Errorf("output holds live markup %q", live)
					}
				}
			}
			if format != "json" && strings.Contains(text, strings.Repeat("V", 200)) {
				t.Error("the 4 KB value is not bounded")
			}
			check(t, out)
		})
	}
}

func wellFormed(t *testing.T, out []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}
