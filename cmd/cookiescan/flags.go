package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
	"github.com/cookiescan/cookiescan/store"
)

// browserFlags choose and shape the browser; every command that starts
// Chrome declares them here, once, with one help text.
type browserFlags struct {
	browser       string
	keepIsolation bool
	blockThirdPty bool
	locale        string
	net           networkFlags
}

func (f *browserFlags) add(fl *pflag.FlagSet) {
	fl.StringVar(&f.browser, "browser", "", "Chrome binary path, or ws://… of a running Chrome (default: chromium or google-chrome on the PATH)")
	fl.BoolVar(&f.keepIsolation, "site-isolation", false, "keep Chrome's site isolation on (cross-site iframes are then attributed less precisely)")
	fl.BoolVar(&f.blockThirdPty, "block-third-party-cookies", false, "block third-party cookies, as Safari, Firefox and some Chrome users do")
	fl.StringVar(&f.locale, "locale", "", "language and region the browser presents, e.g. da-DK (sets Accept-Language, navigator.languages and the time zone; default: the site's <html lang>, else "+chrome.DefaultLocale+")")
	f.net.add(fl)
}

// options turns the flags into the browser's options; the network flags
// come with them, since Chrome and every Go client of a scan share them.
func (f *browserFlags) options() (chrome.Options, error) {
	rules, err := f.net.rules()
	if err != nil {
		return chrome.Options{}, err
	}
	if _, err := hostmap.ChromeResolverRules(rules); err != nil {
		return chrome.Options{}, fmt.Errorf("--connect-to: %w", err)
	}
	return chrome.Options{
		Browser: f.browser,

		BlockThirdPartyCookies: f.blockThirdPty,
		Network:                hostmap.Network{Insecure: f.net.insecure, ConnectTo: rules},
		KeepSiteIsolation:      f.keepIsolation,
		Locale:                 f.locale,
	}, nil
}

// networkFlags say how to reach the site: TLS trust and host mapping.
type networkFlags struct {
	insecure  bool
	connectTo []string
}

func (f *networkFlags) add(fl *pflag.FlagSet) {
	fl.BoolVarP(&f.insecure, "insecure", "k", false, "accept untrusted TLS certificates")
	fl.StringArrayVar(&f.connectTo, "connect-to", nil, "HOST1:PORT1:HOST2:PORT2: connect to HOST2:PORT2 for HOST1:PORT1 (as curl; empty parts are wildcards; repeatable)")
}

func (f *networkFlags) rules() ([]hostmap.Rule, error) {
	rules, err := hostmap.ParseAll(f.connectTo)
	if err != nil {
		return nil, fmt.Errorf("--connect-to: %w", err)
	}
	return rules, nil
}

// historyFlag is --db, the history database, for every command that reads
// or writes the history.
type historyFlag struct{ path string }

func (f *historyFlag) add(fl *pflag.FlagSet, what string) {
	fl.StringVar(&f.path, "db", "", what+" history database: a SQLite file, or postgres://user:password@host/database for one shared by many workers (default $"+dbEnv+", else $XDG_DATA_HOME/cookiescan/history.db, else ~/.local/share/cookiescan/history.db; on macOS and Windows the user config folder)")
}

// dbEnv names the history database when --db is not given, so that a
// PostgreSQL URL with its password can come from a secret rather than the
// command line.
const dbEnv = "COOKIESCAN_DB"

// resolve returns --db, $COOKIESCAN_DB or the default location.
func (f *historyFlag) resolve() (string, error) {
	if f.path != "" {
		return f.path, nil
	}
	if env := os.Getenv(dbEnv); env != "" {
		return env, nil
	}
	p, err := store.DefaultPath()
	if err != nil {
		return "", fmt.Errorf("%w (pass --db FILE)", err)
	}
	return p, nil
}

// checkSelectors validates --accept-selector and --reject-selector before
// any browser starts; the consent engine says what is wrong, this adds the flag.
func checkSelectors(accept, reject string) error {
	for _, s := range []struct{ flag, sel string }{{"--accept-selector", accept}, {"--reject-selector", reject}} {
		if s.sel == "" {
			continue
		}
		if err := consent.CheckSelector(s.sel); err != nil {
			return fmt.Errorf("%s: %w", s.flag, err)
		}
	}
	return nil
}
