package schedule

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/scan"
)

func TestLoadGoodFiles(t *testing.T) {
	high, three := audit.High, 3
	failHigh := scan.FailPolicy{MinSeverity: &high}
	want := []Site{
		{Name: "shop.example", URL: "https://shop.example/", Declaration: "https://shop.example/cookies",
			Cron: "0 3 * * 1", Formats: []string{"html", "json"}, Output: filepath.Join("testdata", "out", "shop.example"),
			FailOn: failHigh, Webhook: "https://hooks.example/cookiescan", Timeout: 5 * time.Minute},
		{Name: "blog", URL: "https://blog.example/news/", Cron: "@daily", Formats: []string{"csv"},
			Output: "/srv/reports/blog", FailOn: scan.FailPolicy{MinSeverity: &high, MaxFindings: &three}, Timeout: 90 * time.Second},
		{Name: "intranet.example-8080", URL: "http://intranet.example:8080", Declaration: filepath.Join("testdata", "decl", "intranet.html"),
			Cron: "0 3 * * 1", Formats: []string{"html", "json"}, Output: filepath.Join("testdata", "out", "intranet.example-8080"),
			FailOn: failHigh, Timeout: 5 * time.Minute},
	}
	for _, file := range []string{"testdata/good.yaml", "testdata/good.toml"} {
		t.Run(file, func(t *testing.T) {
			f, err := Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if d := cmp.Diff(want, f.Sites, cmpopts.IgnoreFields(Site{}, "Schedule", "Line")); d != "" {
				t.Errorf("sites (-want +got):\n%s", d)
			}
			// The schedule is parsed: Monday 03:00 follows Sunday noon.
			sunday := time.Date(2026, 5, 3, 12, 0, 0, 0, time.Local)
			if next := f.Sites[0].Schedule.Next(sunday); !next.Equal(time.Date(2026, 5, 4, 3, 0, 0, 0, time.Local)) {
				t.Errorf("next fire after %v = %v", sunday, next)
			}
			if f.Sites[0].Line == 0 || f.Sites[1].Line <= f.Sites[0].Line {
				t.Errorf("site lines = %d, %d", f.Sites[0].Line, f.Sites[1].Line)
			}
		})
	}
}

func TestParseBadFiles(t *testing.T) {
	for _, c := range []struct {
		name, file, text string
		want             []string // each must appear in the error
	}{
		{"unknown site key", "s.yaml", "sites:\n  - url: https://a.example/\n    cron: '@daily'\n    webhok: https://h.example/\n",
			[]string{"s.yaml:4: site 1: unknown key \"webhok\"; known keys: name, url"}},
		{"bad cron named with its line", "s.yaml", "sites:\n  - url: https://a.example/\n    cron: '61 * * * *'\n",
			[]string{"s.yaml:3: site 1 (https://a.example/): bad cron expression \"61 * * * *\"", "above maximum", "five fields"}},
		{"bad cron in defaults points at defaults", "s.yaml", "defaults:\n  cron: 'every day'\nsites:\n  - url: https://a.example/\n",
			[]string{"s.yaml:2: site 1 (https://a.example/): bad cron expression \"every day\""}},
		{"missing cron", "s.yaml", "sites:\n  - url: https://a.example/\n",
			[]string{"s.yaml:2: site 1 (https://a.example/): no cron expression"}},
		{"bad url", "s.yaml", "sites:\n  - url: ftp://a.example/\n    cron: '@daily'\n",
			[]string{"s.yaml:2: site 1: url \"ftp://a.example/\" must be an absolute http or https URL"}},
		{"missing url", "s.yaml", "sites:\n  - cron: '@daily'\n",
			[]string{"s.yaml:2: site 1: no url"}},
		{"wrong type", "s.yaml", "sites:\n  - url: https://a.example/\n    cron: '@daily'\n    formats: {html: yes}\n",
			[]string{"s.yaml:4: site 1: formats: cannot unmarshal"}},
		{"bad timeout and severity, both reported", "s.yaml", "sites:\n  - url: https://a.example/\n    cron: '@daily'\n    timeout: soon\n    fail_on: severe\n",
			[]string{"s.yaml:4: site 1 (https://a.example/): timeout \"soon\" must be a positive duration", "s.yaml:5: site 1 (https://a.example/): fail_on: \"severe\" is neither a severity"}},
		{"duplicate names", "s.yaml", "defaults:\n  cron: '@daily'\nsites:\n  - url: https://a.example/\n  - url: https://A.example\n",
			[]string{"s.yaml:5: site 2 (https://A.example): name \"a.example\" is already used by the site on line 4"}},
		{"url in defaults", "s.yaml", "defaults:\n  url: https://a.example/\nsites:\n  - url: https://a.example/\n    cron: '@daily'\n",
			[]string{"s.yaml:2: defaults: url belongs in a site entry"}},
		{"unknown top-level key", "s.yaml", "site:\n  - url: https://a.example/\n",
			[]string{"s.yaml:1: unknown key \"site\" at the top level; known keys: defaults, sites"}},
		{"yaml syntax", "s.yaml", "sites:\n  - url: https://a.example/\n\tcron: x\n",
			[]string{"s.yaml: yaml: line 2: found a tab character"}},
		{"no sites", "s.yaml", "defaults:\n  cron: '@daily'\n", []string{"s.yaml: no sites; add a sites list"}},
		{"empty", "s.yml", "", []string{"the file is empty"}},
		{"bad webhook", "s.yaml", "sites:\n  - url: https://a.example/\n    cron: '@daily'\n    webhook: hooks.example\n",
			[]string{"s.yaml:4: site 1 (https://a.example/): webhook \"hooks.example\" must be an absolute http or https URL"}},
		{"toml unknown key in second site", "s.toml", "[[sites]]\nurl = \"https://a.example/\"\ncron = \"@daily\"\n\n[[sites]]\nurl = \"https://b.example/\"\ncron = \"@daily\"\nfrmats = [\"html\"]\n",
			[]string{"s.toml:8: unknown key \"frmats\" in site 2"}},
		{"toml bad cron", "s.toml", "[[sites]]\nurl = \"https://a.example/\"\n\ncron = \"* * *\"\n",
			[]string{"s.toml:4: site 1 (https://a.example/): bad cron expression \"* * *\""}},
		{"toml syntax", "s.toml", "[[sites]]\nurl = \"https://a.example/\ncron = \"@daily\"\n",
			[]string{"s.toml:2:"}},
		{"toml wrong type", "s.toml", "[[sites]]\nurl = \"https://a.example/\"\ncron = \"@daily\"\nmax_findings = \"three\"\n",
			[]string{"line 4", "max_findings"}},
		{"unknown extension", "s.json", "{}", []string{"name the file .yaml, .yml or .toml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.file, []byte(c.text))
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}
