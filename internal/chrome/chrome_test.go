package chrome_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/internal/chrome"
)

func TestStartFailsClearlyForAMissingBinary(t *testing.T) {
	_, err := chrome.Start(context.Background(), chrome.Options{Browser: filepath.Join(t.TempDir(), "no-chrome")})
	if err == nil || !strings.Contains(err.Error(), "--browser") {
		t.Fatalf("err = %v, want an error naming --browser", err)
	}
}

func TestNoBrowserOnPath(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := chrome.FindExecForTest(nil); err != chrome.ErrNoBrowser {
		t.Fatalf("FindExec with an empty PATH = %v, want ErrNoBrowser", err)
	}
}

// TestHeadlessShellPreferred: with both on the PATH, the headless shell is
// the one scans use (the full browser stays a --browser away).
func TestHeadlessShellPreferred(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"chromium", "chromium-headless-shell"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	got, err := chrome.FindExecForTest(nil)
	if want := filepath.Join(dir, "chromium-headless-shell"); err != nil || got != want {
		t.Fatalf("FindExec = %q, %v; want %s", got, err, want)
	}
}

// TestBrowserInInstallLocation: a Chrome off the PATH (a macOS app bundle,
// /opt/google/chrome) is found in its install location.
func TestBrowserInInstallLocation(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := t.TempDir()
	notExec := filepath.Join(dir, "Chromium")
	exe := filepath.Join(dir, "Google Chrome")
	if err := os.WriteFile(notExec, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := chrome.FindExecForTest([]string{filepath.Join(dir, "missing"), notExec, exe})
	if err != nil || got != exe {
		t.Fatalf("FindExec = %q, %v; want %s (the first executable location)", got, err, exe)
	}
}

// TestAttachOverWebSocket starts a Chrome by hand, as a user would for
// --browser ws://…, and runs a page in a fresh browser context of it.
func TestAttachOverWebSocket(t *testing.T) {
	url, _ := launchRemote(t)
	b, err := chrome.Start(context.Background(), chrome.Options{Browser: url})
	if err != nil {
		t.Fatalf("attach to %s: %v", url, err)
	}
	defer b.Close()
	if !b.Remote() || !strings.Contains(b.Version, "Chrom") {
		t.Errorf("Remote() = %v, Version = %q", b.Remote(), b.Version)
	}
	tab, cancel := b.NewContext()
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(`data:text/html,<title>attached</title>`)); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(tab, chromedp.Title())
	if err != nil || title != "attached" {
		t.Fatalf("title = %q, %v", title, err)
	}
}

// The profile decides the third-party cookie policy; a regression here
// silently changes every verdict.
func TestProfileSetsThirdPartyCookiePolicy(t *testing.T) {
	for _, block := range []bool{false, true} {
		dir, err := chrome.NewProfileForTest(block)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, "Default", "Preferences"))
		os.RemoveAll(dir)
		if err != nil {
			t.Fatal(err)
		}
		var prefs struct {
			Profile struct {
				Mode int `json:"cookie_controls_mode"`
			} `json:"profile"`
		}
		if err := json.Unmarshal(raw, &prefs); err != nil {
			t.Fatal(err)
		}
		want := 0
		if block {
			want = 1
		}
		if prefs.Profile.Mode != want {
			t.Errorf("block=%v: cookie_controls_mode = %d, want %d", block, prefs.Profile.Mode, want)
		}
	}
}
