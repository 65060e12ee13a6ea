// Package browsertest gives tests one shared Chrome and the fixture server.
// Without a browser the tests skip, except under CI=true, where a missing
// browser fails the run: CI must never pass by skipping every browser test.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/cookiescan/cookiescan"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/fixture"
	"github.com/cookiescan/cookiescan/internal/hostmap"
)

// Env is a running fixture server and the options to reach it.
type Env struct {
	Fixtures *fixture.Server
	// ConnectTo sends every host to the fixture server.
	ConnectTo []hostmap.Rule
}

// StartFixtures serves testdata/sites on loopback.
func StartFixtures() (*Env, error) {
	srv, err := fixture.Start(cookiescan.FixtureSites())
	if err != nil {
		return nil, err
	}
	return &Env{
		Fixtures:  srv,
		ConnectTo: []hostmap.Rule{{ToHost: "127.0.0.1", ToPort: srv.Port()}},
	}, nil
}

// Browser starts Chrome for the fixtures, or skips (fails under CI=true).
func (e *Env) Browser(t testing.TB, blockThirdParty bool) *chrome.Browser {
	t.Helper()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("browser test skipped in -short mode")
	}
	b, err := chrome.Start(context.Background(), chrome.Options{
		Browser:                os.Getenv("COOKIESCAN_BROWSER"),
		Network:                hostmap.Network{Insecure: true, ConnectTo: e.ConnectTo},
		BlockThirdPartyCookies: blockThirdParty,
	})
	if err != nil {
		RequireBrowser(t, err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// RequireBrowser skips the test for a missing browser, or fails it in CI.
func RequireBrowser(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("no usable browser: %v", err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: browser tests must run; `make test` installs Chromium)")
	}
	t.Skip(msg)
}

// Main serves the fixtures for the duration of a package's tests: call it
// from TestMain. It sets *env before the tests run and exits with their code.
func Main(m *testing.M, env **Env) {
	e, err := StartFixtures()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fixtures:", err)
		os.Exit(1)
	}
	*env = e
	code := m.Run()
	e.Fixtures.Close()
	os.Exit(code)
}

// NeedBrowser is for tests whose code under test starts its own Chrome
// (the CLI's commands): it skips in -short mode, and skips without a browser
// on the PATH, or fails under CI=true.
func NeedBrowser(t testing.TB) {
	t.Helper()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("browser test skipped in -short mode")
	}
	if _, err := chrome.FindExec(); err != nil {
		RequireBrowser(t, err)
	}
}
