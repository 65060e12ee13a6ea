package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/hostmap"
	"github.com/cookiescan/cookiescan/result"
)

// TestValidationExits2BeforeChrome runs scan with one bad input at a time.
// --browser is a fake Chrome that leaves a mark when started: every case
// must exit 2 with the usage line and leave no mark.
func TestValidationExits2BeforeChrome(t *testing.T) {
	dir := t.TempDir()
	mark := filepath.Join(dir, "chrome-started")
	fake := filepath.Join(dir, "fake-chrome")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\ntouch "+mark+"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	badConfig := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badConfig, []byte("max-page: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "https://www.example.test/"
	cases := []struct {
		name  string
		args  []string
		env   [2]string
		want  string
		usage bool
	}{
		{"missing URL", []string{"scan"}, [2]string{}, "scan: missing URL", true},
		{"two URLs", []string{"scan", url, url}, [2]string{}, "want URL, got 2 arguments", true},
		{"not a number", []string{"scan", url, "--max-pages", "ten"}, [2]string{}, `--max-pages "ten": want a whole number`, true},
		{"zero pages", []string{"scan", url, "--max-pages", "0"}, [2]string{}, "--max-pages 0", true},
		{"no tabs", []string{"scan", url, "--tabs", "0"}, [2]string{}, "--tabs 0: want 1 to", true},
		{"tabs from the environment", []string{"scan", url}, [2]string{"COOKIESCAN_TABS", "99"}, "--tabs 99: want 1 to", true},
		{"short timeout", []string{"scan", url, "--timeout", "10ms"}, [2]string{}, "--timeout 10ms", true},
		{"unknown state", []string{"scan", url, "--states", "before,later"}, [2]string{}, "--states", true},
		{"unknown format", []string{"scan", url, "--format", "docx"}, [2]string{}, "--format", true},
		{"two formats to stdout", []string{"scan", url, "--format", "json,html"}, [2]string{}, "need --output DIR", true},
		{"unknown fail-on", []string{"scan", url, "--fail-on", "severe"}, [2]string{}, "--fail-on", true},
		{"output is a file", []string{"scan", url, "--output", file}, [2]string{}, "is a file; give a folder", true},
		{"baseline missing", []string{"scan", url, "--baseline", filepath.Join(dir, "none.json")}, [2]string{}, "--baseline", true},
		{"write-baseline folder missing", []string{"scan", url, "--write-baseline", filepath.Join(dir, "no", "b.json")}, [2]string{}, "does not exist; create it first", true},
		{"history folder missing", []string{"scan", url, "--db", filepath.Join(dir, "no", "h.db")}, [2]string{}, "--db", true},
		{"cookie-db missing", []string{"scan", url, "--cookie-db", filepath.Join(dir, "none.csv")}, [2]string{}, "--cookie-db", true},
		{"consent-rules missing", []string{"scan", url, "--consent-rules", filepath.Join(dir, "none.yaml")}, [2]string{}, "--consent-rules", true},
		{"bad connect-to", []string{"scan", url, "--connect-to", "nonsense"}, [2]string{}, `--connect-to: host mapping "nonsense": want HOST1:PORT1:HOST2:PORT2`, true},
		{"connect-to Chrome cannot take", []string{"scan", url, "--connect-to", ":::8443"}, [2]string{}, "--connect-to: a host mapping with an empty HOST1 and HOST2", true},
		{"bad accept selector", []string{"scan", url, "--accept-selector", "button[oops"}, [2]string{}, "--accept-selector: unbalanced brackets", true},
		{"bad reject selector", []string{"scan", url, "--reject-selector", "#a'"}, [2]string{}, "--reject-selector: unbalanced quotes", true},
		{"page not http", []string{"scan", url, "--page", "ftp://www.example.test/a"}, [2]string{}, "--page", true},
		{"URL not http", []string{"scan", "ftp://www.example.test/"}, [2]string{}, "not ftp:", true},
		{"bad env value", []string{"scan", url}, [2]string{"COOKIESCAN_TIMEOUT", "soon"}, `COOKIESCAN_TIMEOUT="soon"`, false},
		{"bad config file", []string{"scan", url, "--config", badConfig}, [2]string{}, `"max-page" is not a flag`, false},
		{"browser missing", []string{"scan", url, "--browser", filepath.Join(dir, "no-chrome")}, [2]string{}, "--browser", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.env[0] != "" {
				t.Setenv(c.env[0], c.env[1])
			}
			args := append([]string{}, c.args...)
			if c.name != "browser missing" {
				args = append(args, "--browser", fake)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(args, "--quiet"), &stdout, &stderr)
			if code != exitFailure {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitFailure, stderr.String())
			}
			if !strings.Contains(stderr.String(), c.want) {
				t.Errorf("stderr does not say %q:\n%s", c.want, stderr.String())
			}
			if got := strings.Contains(stderr.String(), "Usage: cookiescan scan URL [flags]"); got != c.usage {
				t.Errorf("usage line printed: %v, want %v:\n%s", got, c.usage, stderr.String())
			}
			if stdout.Len() > 0 {
				t.Errorf("a report was written: %.200s", stdout.String())
			}
			if _, err := os.Stat(mark); err == nil {
				t.Fatal("the browser was started before the bad input was caught")
			}
		})
	}
}

// TestSchemeFallback: a URL without scheme is tried over https, then http,
// and the choice is said.
func TestSchemeFallback(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<p>hi</p>") })
	plain := httptest.NewServer(page)
	defer plain.Close()
	secure := httptest.NewTLSServer(page)
	defer secure.Close()
	closed := httptest.NewServer(page)
	closedAddr := closed.Listener.Addr().String()
	closed.Close()

	cases := []struct {
		name, target string
		insecure     bool
		want, say    string
	}{
		{"plain HTTP server", plain.Listener.Addr().String(), false, "http://", "did not answer (the server did not answer in TLS"},
		{"TLS server with -k", secure.Listener.Addr().String(), true, "https://", "no scheme given: using https://"},
		{"TLS server, untrusted", secure.Listener.Addr().String(), false, "https://", "no scheme given: using https://"},
		{"nothing listening", closedAddr, false, "https://", "neither https://"},
		{"scheme given", "http://" + secure.Listener.Addr().String(), false, "http://", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			got, err := resolveTarget(context.Background(), c.target, hostmap.Network{Insecure: c.insecure}, &stderr)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("scanning %s, want %s…", got, c.want)
			}
			if !strings.Contains(stderr.String(), c.say) || (c.say == "" && stderr.Len() > 0) {
				t.Errorf("said %q, want %q", stderr.String(), c.say)
			}
		})
	}
}

// TestFailedPagesListedOnce: a page that failed in discovery and in every
// state is one line naming them all, in the browser's words.
func TestFailedPagesListedOnce(t *testing.T) {
	u := "http://127.0.0.1:1/"
	var res result.Scan
	res.Observation.DiscoveryErrors = []cookie.PageVisit{{URL: u, Error: u + ": connection refused", ErrorKind: "refused"}}
	for _, st := range []cookie.State{cookie.Before, cookie.Accept, cookie.Reject} {
		res.Observation.States = append(res.Observation.States, cookie.StateObservation{State: st,
			Pages: []cookie.PageVisit{{URL: u, Error: u + ": unsafe port", ErrorKind: "unsafe-port"}, {URL: "http://127.0.0.1:1/ok"}}})
	}
	var stderr bytes.Buffer
	reportPages(&res, &stderr)
	want := "cookiescan: page failed (discovery, before, accept, reject): http://127.0.0.1:1/: unsafe port\n"
	if stderr.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", stderr.String(), want)
	}
}
