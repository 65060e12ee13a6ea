package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/scan"
)

// preflight checks every file and folder the scan flags name, and the
// target URL, before any browser starts: a typo must not cost a scan. It
// returns the URL to scan, with a scheme chosen when none was given.
func preflight(ctx context.Context, target string, sf *scanFlags, of *outputFlags, stderr io.Writer) (string, error) {
	if err := checkBrowser(sf.browser.browser); err != nil {
		return "", err
	}
	if of.outputDir != "" {
		if err := checkOutputDir(of.outputDir); err != nil {
			return "", err
		}
	}
	for flag, path := range map[string]string{"--write-baseline": of.writeBaseline, "--db": sf.history.path} {
		if err := checkParent(flag, path); err != nil {
			return "", err
		}
	}
	for _, f := range sf.known.files {
		if err := checkReadable("--cookie-db", f); err != nil {
			return "", err
		}
	}
	if sf.consentRules != "" {
		if _, err := consent.LoadRulesFile(sf.consentRules); err != nil {
			return "", usagef("--consent-rules %s: %w", sf.consentRules, err)
		}
	}
	for _, p := range sf.pages {
		if _, err := checkURL("--page", p); err != nil {
			return "", err
		}
	}
	rules, err := sf.browser.net.rules()
	if err != nil {
		return "", &usageError{err}
	}
	return resolveTarget(ctx, target, hostmap.Network{ConnectTo: rules, Insecure: sf.browser.net.insecure}, stderr)
}

// checkBrowser: a --browser path must be an executable file; without one,
// a browser must be found before the scan is worth starting.
func checkBrowser(path string) error {
	switch {
	case strings.HasPrefix(path, "ws://") || strings.HasPrefix(path, "wss://"):
		return nil
	case path == "":
		_, err := chrome.FindExec()
		return err
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return usagef("--browser %s: %w; give the path of a Chrome or Chromium binary, or the ws:// address of a running one", path, unwrapPath(err))
	case fi.IsDir():
		return usagef("--browser %s: is a folder; give the Chrome or Chromium binary inside it", path)
	case fi.Mode()&0o111 == 0:
		return usagef("--browser %s: is not executable", path)
	}
	return nil
}

// checkOutputDir makes the reports folder now and proves it writable, so a
// scan never ends unable to write its reports.
func checkOutputDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return usagef("--output %s: is a file; give a folder (one report file per format is written into it)", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usagef("--output %s: cannot create the folder: %w", dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".cookiescan-check-*")
	if err != nil {
		return usagef("--output %s: cannot write into the folder: %w", dir, unwrapPath(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// checkParent: a file to be written needs an existing folder, and must not
// be a folder itself.
func checkParent(flag, path string) error {
	if path == "" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usagef("%s %s: is a folder; give a file name", flag, path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return usagef("%s %s: the folder %s does not exist; create it first", flag, path, dir)
	}
	return nil
}

func checkReadable(flag, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return usagef("%s %s: %w", flag, path, unwrapPath(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return usagef("%s %s: is a folder; give a file", flag, path)
	}
	return nil
}

// unwrapPath drops the *PathError's repetition of the path, which the
// message already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkURL accepts an http or https URL with a host; flag names it.
func checkURL(flag, raw string) (*url.URL, error) {
	u, err := scan.CheckURL(raw)
	if err != nil {
		return nil, usagef("%s %w", flag, err)
	}
	return u, nil
}

// resolveTarget is scan.ResolveTarget with its errors as usage errors.
func resolveTarget(ctx context.Context, raw string, network hostmap.Network, stderr io.Writer) (string, error) {
	u, err := scan.ResolveTarget(ctx, raw, network, stderr)
	if err != nil {
		return "", usagef("URL %w", err)
	}
	return u, nil
}

// reportPages prints each skipped and each failed page once, naming where
// it failed (discovery, and each consent state), in the browser's words.
func reportPages(res *result.Scan, stderr io.Writer) {
	for _, p := range res.SkippedPages() {
		fmt.Fprintln(stderr, "cookiescan: page skipped:", p.Error)
	}
	type failure struct {
		msg         string
		fromBrowser bool
		states      []string
	}
	var order []string
	byKey := map[string]*failure{}
	add := func(p cookie.PageVisit, where string) {
		key := p.URL
		f, ok := byKey[key]
		if !ok {
			f = &failure{msg: p.Error}
			byKey[key] = f
			order = append(order, key)
		}
		if where != "discovery" && !f.fromBrowser {
			f.msg, f.fromBrowser = p.Error, true // the browser's words, rather than discovery's
		}
		if !slices.Contains(f.states, where) {
			f.states = append(f.states, where)
		}
	}
	for _, p := range res.Observation.DiscoveryErrors {
		if p.Failed() {
			add(p, "discovery")
		}
	}
	for _, st := range res.Observation.States {
		for _, p := range st.Pages {
			if p.Failed() {
				add(p, string(st.State))
			}
		}
	}
	for _, key := range order {
		f := byKey[key]
		fmt.Fprintf(stderr, "cookiescan: page failed (%s): %s\n", strings.Join(f.states, ", "), f.msg)
	}
}
