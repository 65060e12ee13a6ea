package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
)

// tree is a small command tree with the kinds of flags the real one has.
type tree struct {
	root            *cobra.Command
	maxPages        int
	browser, failOn string
	formats         []string
	connectTo       []string
	timeout         time.Duration
	insecure        bool
	ran             bool
}

func newTree() *tree {
	t := &tree{}
	t.root = &cobra.Command{Use: "cookiescan", SilenceErrors: true, SilenceUsage: true}
	scan := &cobra.Command{Use: "scan URL", Args: cobra.ExactArgs(1),
		Annotations: map[string]string{SiteArgAnnotation: ""},
		RunE:        func(*cobra.Command, []string) error { t.ran = true; return nil }}
	fl := scan.Flags()
	fl.IntVar(&t.maxPages, "max-pages", 10, "")
	fl.StringVar(&t.browser, "browser", "", "")
	fl.StringVar(&t.failOn, "fail-on", "none", "")
	fl.StringSliceVar(&t.formats, "format", []string{"table"}, "")
	fl.StringArrayVar(&t.connectTo, "connect-to", nil, "")
	fl.DurationVar(&t.timeout, "timeout", 20*time.Second, "")
	fl.BoolVarP(&t.insecure, "insecure", "k", false, "")
	t.root.AddCommand(scan)
	return t
}

func env(m map[string]string) Getenv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func writeFile(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const sample = `# team settings
max-pages: 5
fail-on: low
browser: /from/file
format: [html, sarif]
timeout: 45s
connect-to:
  - www.example.com:443:staging.internal:8443
ignore:
  - name: _ga
    reason: analytics accepted by the DPO
    expires: 2099-12-31
sites:
  shop.example.com:
    max-pages: 3
    fail-on: medium
    insecure: true
    ignore:
      - pattern: "_hj.*"
        reason: Hotjar under contract
`

func TestPrecedenceFlagEnvSiteFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, sample)
	tr := newTree()
	b := Bind(tr.root, Options{Dir: dir, Getenv: env(map[string]string{
		"COOKIESCAN_MAX_PAGES": "7",
		"COOKIESCAN_BROWSER":   "/from/env",
	})})
	tr.root.SetArgs([]string{"scan", "https://shop.example.com/", "--max-pages", "9"})
	if err := tr.root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !tr.ran {
		t.Fatal("scan did not run")
	}
	// flag > env > site > file > default, each checked on its own flag.
	if tr.maxPages != 9 {
		t.Errorf("max-pages %d: the flag (9) must win over env (7), site (3) and file (5)", tr.maxPages)
	}
	if tr.browser != "/from/env" {
		t.Errorf("browser %q: COOKIESCAN_BROWSER must win over the file", tr.browser)
	}
	if tr.failOn != "medium" {
		t.Errorf("fail-on %q: the site section (medium) must win over the file (low)", tr.failOn)
	}
	if !tr.insecure {
		t.Error("insecure: the site section's true was not applied")
	}
	if strings.Join(tr.formats, ",") != "html,sarif" {
		t.Errorf("format %v: the file's list must replace the default, not append to it", tr.formats)
	}
	if tr.timeout != 45*time.Second {
		t.Errorf("timeout %s: want the file's 45s", tr.timeout)
	}
	if len(tr.connectTo) != 1 || tr.connectTo[0] != "www.example.com:443:staging.internal:8443" {
		t.Errorf("connect-to %v", tr.connectTo)
	}
	src := map[string]Setting{}
	for _, s := range b.Settings {
		src[s.Flag] = s
	}
	for flag, want := range map[string]Source{"max-pages": SourceFlag, "browser": SourceEnv, "fail-on": SourceSite, "format": SourceFile, "insecure": SourceSite} {
		if src[flag].Source != want {
			t.Errorf("%s: source %s, want %s", flag, src[flag].Source, want)
		}
	}
	if got := src["format"].From; got != path+":5" {
		t.Errorf("format comes from %q, want %s:5", got, path)
	}
	if got := len(b.Ignore()); got != 2 {
		t.Errorf("%d ignore rules apply to shop.example.com, want the file's and the site's: 2", got)
	}
}

func TestOtherSiteGetsNoSiteSection(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, sample)
	tr := newTree()
	b := Bind(tr.root, Options{Dir: dir, Getenv: env(nil)})
	tr.root.SetArgs([]string{"scan", "www.other.org"})
	if err := tr.root.Execute(); err != nil {
		t.Fatal(err)
	}
	if tr.maxPages != 5 || tr.failOn != "low" || tr.insecure {
		t.Errorf("max-pages %d fail-on %s insecure %v: want the file's 5, low, false", tr.maxPages, tr.failOn, tr.insecure)
	}
	if len(b.Ignore()) != 1 {
		t.Errorf("ignore rules %d, want 1", len(b.Ignore()))
	}
}

func TestNoFileUsesDefaultsAndEnv(t *testing.T) {
	tr := newTree()
	Bind(tr.root, Options{Dir: t.TempDir(), Getenv: env(map[string]string{"COOKIESCAN_FORMAT": "json,csv", "COOKIESCAN_INSECURE": "1", "COOKIESCAN_MAX_PAGES": ""})})
	tr.root.SetArgs([]string{"scan", "https://a.example/"})
	if err := tr.root.Execute(); err != nil {
		t.Fatal(err)
	}
	if tr.maxPages != 10 || strings.Join(tr.formats, ",") != "json,csv" || !tr.insecure {
		t.Errorf("max-pages %d format %v insecure %v", tr.maxPages, tr.formats, tr.insecure)
	}
}

func TestErrorsNameTheSource(t *testing.T) {
	cases := []struct {
		name, file string
		env        map[string]string
		args       []string
		want       string
	}{
		{"typo in the file", "max-page: 3\n", nil, nil, `:1: "max-page" is not a flag`},
		{"typo in a site", "sites:\n  a.example:\n    tmeout: 3s\n", nil, nil, `sites: a.example: "tmeout"`},
		{"bad value in the file", "\n\ntimeout: soon\n", nil, nil, ":3: timeout: invalid value \"soon\" (want a duration"},
		{"bad env value", "", map[string]string{"COOKIESCAN_MAX_PAGES": "many"}, nil, `COOKIESCAN_MAX_PAGES="many": invalid value "many" (want a whole number)`},
		{"list for a scalar", "fail-on: [high, low]\n", nil, nil, "fail-on: takes one value, not a list"},
		{"ignore without reason", "ignore:\n  - name: _ga\n", nil, nil, "line 2: ignore: name _ga: give a reason"},
		{"ignore bad expiry", "ignore:\n  - name: _ga\n    reason: ok\n    expires: next year\n", nil, nil, `expires "next year": want a date`},
		{"ignore bad rule", "ignore:\n  - name: _ga\n    reason: ok\n    rules: [pre-consnt]\n", nil, nil, `unknown rule id "pre-consnt"`},
		{"ignore unknown key", "ignore:\n  - name: _ga\n    reson: ok\n", nil, nil, `unknown key "reson"`},
		{"missing --config", "", nil, []string{"--config", "/nonexistent/c.yaml"}, "/nonexistent/c.yaml: no such file"},
		{"not a mapping", "- a\n- b\n", nil, nil, "line 1: want a mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if c.file != "" {
				writeFile(t, dir, c.file)
			}
			tr := newTree()
			Bind(tr.root, Options{Dir: dir, Getenv: env(c.env)})
			tr.root.SetArgs(append([]string{"scan", "https://a.example/"}, c.args...))
			err := tr.root.Execute()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if tr.ran {
				t.Error("the command ran despite the bad configuration")
			}
		})
	}
}

func TestConfigShow(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, sample)
	tr := newTree()
	var out bytes.Buffer
	b := Bind(tr.root, Options{Dir: dir, Getenv: env(map[string]string{"COOKIESCAN_BROWSER": "/from/env"})})
	tr.root.AddCommand(b.Command(&out))
	tr.root.SetArgs([]string{"config", "show", "--format", "json", "scan", "https://shop.example.com", "--max-pages", "2"})
	if err := tr.root.Execute(); err != nil {
		t.Fatal(err)
	}
	if tr.ran {
		t.Error("config show ran the scan")
	}
	var doc showDoc
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := map[string]string{}
	for _, s := range doc.Settings {
		got[s.Flag] = s.Value + " " + string(s.Source)
	}
	want := map[string]string{"max-pages": "2 flag", "browser": "/from/env env", "fail-on": "medium site", "format": "html,sarif file", "timeout": "45s file"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if doc.Command != "cookiescan scan" || len(doc.Ignore) != 2 {
		t.Errorf("command %q, %d ignore rules", doc.Command, len(doc.Ignore))
	}
	// The table names each source too.
	out.Reset()
	tr2 := newTree()
	b2 := Bind(tr2.root, Options{Dir: dir, Getenv: env(nil)})
	tr2.root.AddCommand(b2.Command(&out))
	tr2.root.SetArgs([]string{"config", "show"})
	if err := tr2.root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "--fail-on") || !strings.Contains(out.String(), FileName+":3") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestApplyIgnore(t *testing.T) {
	f, err := Parse([]byte(`ignore:
  - name: _ga
    reason: accepted
    expires: 2026-06-30
  - pattern: "_hj.*"
    rules: [pre-consent]
    reason: Hotjar under contract
  - vendor: Criteo
    reason: on the way out
  - name: gone
    reason: was removed
`))
	if err != nil {
		t.Fatal(err)
	}
	find := func(rule, name, vendor string) audit.Finding {
		fd := audit.Finding{RuleID: rule, Vendor: vendor, State: cookie.Before}
		if name != "" {
			fd.Cookie = &audit.CookieRef{Name: name}
		}
		return fd
	}
	fs := []audit.Finding{
		find("pre-consent", "_ga", ""),
		find("pre-consent", "_hjSession_1", ""),
		find("undeclared-cookie", "_hjSession_1", ""), // rule not listed: stays
		find("undeclared-vendor", "", "Criteo"),
		find("pre-consent", "_gid", ""),
		find("pre-consent", "x_hj", ""), // the pattern matches whole names only
	}
	before := time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC)
	remaining, accepted, warnings := ApplyIgnore(f.Ignore, fs, before)
	if len(accepted) != 3 || len(remaining) != 3 {
		t.Fatalf("accepted %d, remaining %d: want 3 and 3", len(accepted), len(remaining))
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "name gone") {
		t.Errorf("warnings %q: want one for the unused rule", warnings)
	}
	after := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	remaining, _, warnings = ApplyIgnore(f.Ignore, fs, after)
	if len(remaining) != 4 || !strings.Contains(strings.Join(warnings, "\n"), "expired on 2026-06-30") {
		t.Errorf("after expiry: remaining %d, warnings %q", len(remaining), warnings)
	}
}

func TestEnvName(t *testing.T) {
	if got := EnvName("block-third-party-cookies"); got != "COOKIESCAN_BLOCK_THIRD_PARTY_COOKIES" {
		t.Error(got)
	}
}

// A command whose flag shares a name with scan's but not its type (history
// --format table|json beside scan's list of report formats) takes nothing
// from the file or the environment for it; same-typed flags still apply.
func TestOtherCommandsKeepTheirOwnFlagTypes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "format: [html, sarif]\nbrowser: /from/file\n")
	tr := newTree()
	var format, browser string
	ran := false
	history := &cobra.Command{Use: "history", RunE: func(*cobra.Command, []string) error { ran = true; return nil }}
	history.Flags().StringVar(&format, "format", "table", "")
	history.Flags().StringVar(&browser, "browser", "", "")
	tr.root.AddCommand(history)
	Bind(tr.root, Options{Dir: dir, Getenv: env(map[string]string{"COOKIESCAN_FORMAT": "json,csv"})})
	tr.root.SetArgs([]string{"history"})
	if err := tr.root.Execute(); err != nil || !ran {
		t.Fatalf("history: %v", err)
	}
	if format != "table" || browser != "/from/file" {
		t.Errorf("history --format %q --browser %q; want table (its own default) and /from/file", format, browser)
	}
}
