// Package chrome starts (or connects to) the headless Chrome a scan runs in,
// with the settings every part of cookiescan relies on: a throwaway profile
// that accepts third-party cookies as a typical visitor's browser does (unless
// asked to block them), host mapping, and one isolated browser context per
// consent state.
package chrome

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/internal/hostmap"
)

// ErrNoBrowser means no Chrome or Chromium could be found.
var ErrNoBrowser = errors.New("no Chrome or Chromium found: install one (Debian: apt-get install chromium) or pass --browser PATH or set COOKIESCAN_BROWSER")

// Options say how to get a browser.
type Options struct {
	// Browser is a Chrome binary path, a ws:// DevTools URL of a running
	// Chrome, or empty to search the PATH.
	Browser string
	// Network: TLS trust and host mapping, shared with the scan's Go clients.
	hostmap.Network
	// BlockThirdPartyCookies emulates browsers that block them.
	BlockThirdPartyCookies bool
	// KeepSiteIsolation leaves Chrome's site isolation on. It is off by
	// default so that cross-site iframes (a YouTube embed, a consent
	// platform's dialog) run in the page's process: their network events and
	// DOM then reach the page's session. The profile is throwaway.
	KeepSiteIsolation bool
	// Locale (--locale, e.g. "da-DK") sets the languages and time zone the
	// browser presents; empty means DefaultLocale. See LocaleFromLang.
	Locale string
	// Logf receives Chrome's log lines; nil discards them.
	Logf func(string, ...any)
	// Avoid is a remote endpoint not to attach to while another answers:
	// the one that dropped a scan about to be retried.
	Avoid string
}

// Browser is a running (or attached) Chrome.
type Browser struct {
	ctx         context.Context // the browser's root chromedp context
	cancel      context.CancelFunc
	allocCancel context.CancelFunc
	userDataDir string
	remote      bool
	// blockThirdParty is --block-third-party-cookies, applied to every tab.
	blockThirdParty bool
	id              identity // what every tab presents: a visitor's browser
	// Version is the product string, e.g. "Chrome/156.0.8078.73".
	Version string
	// Endpoint is the ws:// URL of an attached browser.
	Endpoint string
}

// execNames are the Chrome-like commands looked for on the PATH. The
// headless shell comes first: it is the same engine without the browser's
// windows and UI, and a scan in it takes about half the time (docs/tabs.md).
var execNames = []string{"chromium-headless-shell", "chrome-headless-shell", "headless-shell",
	"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// execLocations are where Chrome and Chromium install themselves when they
// are not on the PATH (a cron job or CI runner's PATH is often short; on
// macOS the app bundle is never on it). "~" is the user's home.
var execLocations = []string{
	"/usr/bin/chromium-headless-shell",
	"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
	"/opt/google/chrome/chrome", "/snap/bin/chromium", "/usr/local/bin/chromium",
	"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
	"/Applications/Chromium.app/Contents/MacOS/Chromium",
	"/Applications/Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary",
	"~/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
	"~/Applications/Chromium.app/Contents/MacOS/Chromium",
}

// FindExec returns the first Chrome-like binary on the PATH, else in the
// usual install locations of Linux and macOS.
func FindExec() (string, error) { return findExec(execLocations) }

func findExec(locations []string) (string, error) {
	for _, name := range execNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	home, _ := os.UserHomeDir()
	for _, p := range locations {
		if rest, ok := strings.CutPrefix(p, "~/"); ok {
			if home == "" {
				continue
			}
			p = filepath.Join(home, rest)
		}
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Start launches Chrome (or attaches to it) and waits until it answers.
// The browser lives until Close, not until ctx ends, so that a per-page
// timeout never kills it.
func Start(ctx context.Context, opts Options) (*Browser, error) {
	loc, err := ParseLocale(opts.Locale)
	if err != nil {
		return nil, fmt.Errorf("chrome: --locale: %w", err)
	}
	b := &Browser{blockThirdParty: opts.BlockThirdPartyCookies}
	var allocCtx context.Context
	switch {
	case IsRemote(opts.Browser):
		return attach(ctx, opts)
	default:
		path := opts.Browser
		if path == "" {
			p, err := FindExec()
			if err != nil {
				return nil, err
			}
			path = p
		} else if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("chrome: --browser %s: %w", path, err)
		}
		// A scan killed with -9 leaves its profile (and maybe its Chrome)
		// behind; the next start clears them. Best effort: a failure here
		// must not stop this scan.
		if n, err := RemoveStaleProfiles(); (n > 0 || err != nil) && opts.Logf != nil {
			opts.Logf("chrome: removed %d stale profile(s) of earlier scans (%v)", n, err)
		}
		dir, err := newProfile(opts.BlockThirdPartyCookies)
		if err != nil {
			return nil, err
		}
		b.userDataDir = dir
		flags, err := execOptions(path, dir, opts)
		flags = append(flags, visitorFlags(newIdentity(binaryVersion(path), loc))...)
		if err != nil {
			_ = removeProfile(dir)
			return nil, err
		}
		allocCtx, b.allocCancel = chromedp.NewExecAllocator(context.WithoutCancel(ctx), flags...)
	}
	if err := b.connect(ctx, allocCtx, opts); err != nil {
		return nil, fmt.Errorf("chrome: start %s: %w", displayName(opts.Browser), err)
	}
	if c := chromedp.FromContext(b.ctx); b.userDataDir != "" && c != nil && c.Browser != nil && c.Browser.Process() != nil {
		// Best effort: without it, Close still finds every process that
		// descends from Chrome or names its profile.
		if err := recordProcessGroup(b.userDataDir, c.Browser.Process().Pid); err != nil && opts.Logf != nil {
			opts.Logf("chrome: record the process group: %v", err)
		}
	}
	return b, nil
}

// connect opens the browser's root context on an allocator and waits until
// the browser answers; on failure the browser is closed.
func (b *Browser) connect(ctx, allocCtx context.Context, opts Options) error {
	var ctxOpts []chromedp.ContextOption
	if opts.Logf != nil {
		ctxOpts = append(ctxOpts, chromedp.WithLogf(opts.Logf))
	}
	ctxOpts = append(ctxOpts, chromedp.WithErrorf(func(string, ...any) {}))
	b.ctx, b.cancel = chromedp.NewContext(allocCtx, ctxOpts...)
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(b.ctx) }()
	select {
	case err := <-started:
		if err != nil {
			b.Close()
			return err
		}
	case <-ctx.Done():
		b.Close()
		return ctx.Err()
	}
	if v, err := chromedp.CallBrowser(b.ctx, browser.GetVersion, cdp.Empty{}); err == nil {
		b.Version = v.Product
	}
	// Every tab presents a visitor's browser, attached ones included.
	loc, err := ParseLocale(opts.Locale)
	if err != nil {
		b.Close()
		return fmt.Errorf("--locale: %w", err)
	}
	b.id = newIdentity(b.Version, loc)
	return nil
}

func displayName(s string) string {
	if s == "" {
		return "the browser on the PATH"
	}
	return s
}

// Remote reports whether the browser was attached over ws:// (its flags and
// profile are then not ours).
func (b *Browser) Remote() bool { return b.remote }

// NewContext returns a tab in a fresh, empty browser context: no cookies,
// storage or cache shared with any other. Cancel disposes of it.
//
// The tab presents itself as a visitor's browser (see PrepareTab): banners
// that hide from automation must show. A failure to prepare it surfaces on
// the caller's first action.
func (b *Browser) NewContext() (context.Context, context.CancelFunc) {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	_ = b.PrepareTab(ctx)
	return ctx, cancel
}

// BrowserContext is an isolated browser context with no tab of its own: its
// tabs come from NewTab. A scan's consent state is one: a separate visitor,
// with its own cookie jar, storage and cache.
type BrowserContext struct {
	b      *Browser
	id     cdp.BrowserContextID
	parent context.Context // b's context, cancelled by Close or by the ctx given to NewBrowserContext
	cancel context.CancelFunc
	stop   func() bool
}

// NewBrowserContext creates an empty browser context. Unlike NewContext it
// opens no tab: every tab is one more renderer for Chrome to start, and a
// state's pages have tabs of their own. The context and its tabs end with
// Close, or when ctx ends.
func (b *Browser) NewBrowserContext(ctx context.Context) (*BrowserContext, error) {
	// The tabs' parent carries the browser (chromedp's value of b.ctx) and
	// ends with ctx.
	parent, cancel := context.WithCancel(b.ctx)
	stop := context.AfterFunc(ctx, cancel)
	disposeOnDetach := true
	res, err := chromedp.CallBrowser(parent, target.CreateBrowserContext, target.CreateBrowserContextParams{DisposeOnDetach: &disposeOnDetach})
	if err != nil {
		stop()
		cancel()
		return nil, fmt.Errorf("chrome: new browser context: %w", err)
	}
	return &BrowserContext{b: b, id: res.BrowserContextID, parent: parent, cancel: cancel, stop: stop}, nil
}

// ID is the context's id, for the browser-wide commands that take one.
func (bc *BrowserContext) ID() cdp.BrowserContextID { return bc.id }

// Context is for the browser-wide commands on this browser context
// (chromedp.CallBrowser); it ends with Close.
func (bc *BrowserContext) Context() context.Context { return bc.parent }

// NewTab opens a tab in the browser context, with the visitor identity of
// PrepareTab. Cancel closes the tab; the context stays.
func (bc *BrowserContext) NewTab() (context.Context, context.CancelFunc, error) {
	tab, cancel := chromedp.NewContext(bc.parent, chromedp.WithExistingBrowserContext(bc.id))
	if err := bc.b.PrepareTab(tab); err != nil {
		cancel()
		return nil, nil, err
	}
	return tab, cancel, nil
}

// Close closes the context's tabs and disposes of it (its cookies and
// storage go with it).
func (bc *BrowserContext) Close() {
	bc.stop()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(bc.parent), closeGrace)
	defer cancel()
	bc.cancel()
	_, _ = chromedp.CallBrowser(ctx, target.DisposeBrowserContext, target.DisposeBrowserContextParams{BrowserContextID: bc.id})
}

// PrepareTab gives a tab the visitor identity: user agent and client hints
// without "Headless", the locale's languages and time zone, and no
// navigator.webdriver. NewContext calls it; call it on other tabs of the
// browser (a tab reopened after a crash). It creates the tab if needed.
func (b *Browser) PrepareTab(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if err := b.id.apply(ctx); err != nil {
			return err
		}
		if b.blockThirdParty {
			// The profile's setting is what a full Chrome obeys; the
			// headless shell has no such setting, and obeys this.
			if _, err := chromedp.Call(ctx, network.SetCookieControls, network.SetCookieControlsParams{EnableThirdPartyCookieRestriction: true}); err != nil {
				return fmt.Errorf("chrome: block third-party cookies: %w", err)
			}
		}
		return nil
	}))
}

// Locale is the locale the browser presents.
func (b *Browser) Locale() Locale { return b.id.locale }

// BrowserContextID returns the browser context of a tab made by NewContext.
func BrowserContextID(ctx context.Context) cdp.BrowserContextID {
	if c := chromedp.FromContext(ctx); c != nil {
		return c.BrowserContextID
	}
	return ""
}

// closeGrace is how long Chrome gets to close itself (Browser.close) before
// it is killed.
const closeGrace = 3 * time.Second

// Close ends the browser and removes its profile. A browser we started is
// asked to close (Browser.close), so it flushes and removes its own temp
// files; then every process that still uses its profile is killed and
// waited for before the profile is removed. An attached browser is left
// running: it is not ours.
func (b *Browser) Close() error {
	if b.ctx != nil && !b.remote {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = chromedp.Cancel(b.ctx)
		}()
		select {
		case <-done:
		case <-time.After(closeGrace):
		}
	}
	if b.cancel != nil {
		b.cancel()
	}
	// What is left of Chrome is killed before the allocator is cancelled:
	// the allocator waits for Chrome's output pipes to close, and Chrome's
	// children hold them open until they exit, which on a loaded machine
	// took over a minute.
	var stopErr error
	if b.userDataDir != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		stopErr = StopProfile(ctx, b.userDataDir)
		cancel()
	}
	if b.allocCancel != nil {
		b.allocCancel()
	}
	if b.userDataDir != "" {
		return errors.Join(stopErr, removeProfile(b.userDataDir))
	}
	return nil
}

// newProfile makes a user-data-dir whose preferences set the third-party
// cookie policy. A fresh headless profile blocks third-party cookies, and
// Network.setCookieControls does not lift that; the profile preference does.
func newProfile(blockThirdParty bool) (string, error) {
	dir, err := os.MkdirTemp("", profilePrefix)
	if err != nil {
		return "", fmt.Errorf("chrome: profile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return "", fmt.Errorf("chrome: profile: %w", err)
	}
	mode := 0 // allow third-party cookies
	if blockThirdParty {
		mode = 1 // block third-party cookies
	}
	prefs, _ := json.Marshal(map[string]any{"profile": map[string]any{"cookie_controls_mode": mode}})
	if err := os.MkdirAll(filepath.Join(dir, "Default"), 0o700); err != nil {
		return "", fmt.Errorf("chrome: profile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Default", "Preferences"), prefs, 0o600); err != nil {
		return "", fmt.Errorf("chrome: profile: %w", err)
	}
	return dir, nil
}

func execOptions(path, userDataDir string, opts Options) ([]chromedp.ExecAllocatorOption, error) {
	disabled := "Translate,BlinkGenPropertyTrees,MediaRouter,OptimizationHints,InterestFeedContentSuggestions,AutofillServerCommunication"
	if !opts.KeepSiteIsolation {
		disabled += ",SitePerProcess,IsolateOrigins"
	}
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(userDataDir),
		chromedp.Flag("disable-features", disabled),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.WindowSize(1366, 900),
		// The crash reporter forks helpers that outlive Chrome as orphans
		// (zombies where nothing reaps them).
		chromedp.Flag("disable-crash-reporter", true),
		chromedp.Flag("disable-breakpad", true),
	)
	if !opts.KeepSiteIsolation {
		flags = append(flags, chromedp.Flag("disable-site-isolation-trials", true))
	}
	flags = append(flags, processGroupOptions()...)
	if os.Geteuid() == 0 {
		// Chrome refuses to run as root inside its sandbox.
		flags = append(flags, chromedp.NoSandbox)
	}
	if opts.Insecure {
		flags = append(flags, chromedp.IgnoreCertErrors)
	}
	if len(opts.ConnectTo) > 0 {
		rules, err := hostmap.ChromeResolverRules(opts.ConnectTo)
		if err != nil {
			return nil, fmt.Errorf("chrome: %w", err)
		}
		flags = append(flags, chromedp.Flag("host-resolver-rules", rules))
	}
	return flags, nil
}
