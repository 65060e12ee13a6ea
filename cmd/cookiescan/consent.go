package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"
	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
)

// consentFlags are the flags of `cookiescan consent`.
type consentFlags struct {
	format        string
	browser       string
	insecure      bool
	connectTo     []string
	rulesFile     string
	acceptSel     string
	rejectSel     string
	bannerTimeout time.Duration
	timeout       time.Duration
	keepIsolation bool
}

// consentReport is the JSON output of `cookiescan consent`.
type consentReport struct {
	SchemaVersion int             `json:"schema_version"`
	URL           string          `json:"url"`
	Browser       string          `json:"browser,omitempty"`
	States        []consentResult `json:"states"`
}

type consentResult struct {
	State      string                `json:"state"`
	DurationMS int64                 `json:"duration_ms"`
	Outcome    cookie.ConsentOutcome `json:"outcome"`
}

func newConsentCmd(stdout, stderr io.Writer) *cobra.Command {
	var f consentFlags
	cmd := &cobra.Command{
		Use:   "consent URL",
		Short: "Show a site's consent banner and check that accept-all and reject-all really take",
		Long: `consent loads URL three times, each in a fresh browser profile: once touching nothing,
once accepting all and once rejecting all through the site's consent banner. It prints the
consent platform, the choices the banner's first layer offers, what was clicked and whether
the platform's own stored consent shows that the choice took (verified).

Exit codes: 0 done, 2 the page or the browser could not be used.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.format != "table" && f.format != "json" {
				return fmt.Errorf("--format %q: want table or json", f.format)
			}
			rep, err := runConsent(cmd.Context(), args[0], f)
			if err != nil {
				return err
			}
			if f.format == "json" {
				if err := writeJSON(stdout, rep); err != nil {
					return fmt.Errorf("consent: write json: %w", err)
				}
				return nil
			}
			return writeConsentTable(stdout, rep)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", "output format: table or json")
	fl.StringVar(&f.browser, "browser", "", "Chrome binary path, or ws://… of a running Chrome (default: chromium or google-chrome on the PATH)")
	fl.BoolVarP(&f.insecure, "insecure", "k", false, "accept untrusted TLS certificates")
	fl.StringArrayVar(&f.connectTo, "connect-to", nil, "HOST1:PORT1:HOST2:PORT2: connect to HOST2:PORT2 for HOST1:PORT1 (as curl; empty parts are wildcards; repeatable)")
	fl.StringVar(&f.rulesFile, "consent-rules", "", "extra consent platform rules (YAML, same format as the built-in ones)")
	fl.StringVar(&f.acceptSel, "accept-selector", "", "CSS selector of the site's accept-all button; wins over the rules")
	fl.StringVar(&f.rejectSel, "reject-selector", "", "CSS selector of the site's reject-all button; wins over the rules")
	fl.DurationVar(&f.bannerTimeout, "banner-timeout", consent.DefaultBannerTimeout, "how long to wait for a late banner")
	fl.DurationVar(&f.timeout, "timeout", 45*time.Second, "time limit for one state: load, banner, click and verification")
	fl.BoolVar(&f.keepIsolation, "site-isolation", false, "keep Chrome's site isolation on")
	_ = stderr // errors go back to run, which prints them
	return cmd
}

// runConsent starts a browser and applies each consent action in its own
// browser context.
func runConsent(ctx context.Context, url string, f consentFlags) (*consentReport, error) {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		url = "https://" + url
	}
	rules, err := hostmap.ParseAll(f.connectTo)
	if err != nil {
		return nil, err
	}
	eng, err := consent.New(consent.Options{
		RulesFile: f.rulesFile, AcceptSelector: f.acceptSel, RejectSelector: f.rejectSel, BannerTimeout: f.bannerTimeout,
	})
	if err != nil {
		return nil, err
	}
	b, err := chrome.Start(ctx, chrome.Options{Browser: f.browser, Insecure: f.insecure, ConnectTo: rules, KeepSiteIsolation: f.keepIsolation})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	rep := &consentReport{SchemaVersion: 1, URL: url, Browser: b.Version}
	for _, action := range []string{consent.ActionNone, consent.ActionAccept, consent.ActionReject} {
		res, err := consentState(ctx, b, eng, url, action, f.timeout)
		if err != nil {
			return rep, err
		}
		rep.States = append(rep.States, res)
	}
	return rep, nil
}

func consentState(ctx context.Context, b *chrome.Browser, eng *consent.Engine, url, action string, timeout time.Duration) (consentResult, error) {
	tab, cancel := b.NewContext()
	defer cancel()
	if err := chromedp.Do(tab); err != nil {
		return consentResult{}, fmt.Errorf("consent: open tab: %w", err)
	}
	// The state's time limit must not reach the first Do above, which would
	// close the tab when it ends; it limits the work on the page only.
	tctx, tcancel := context.WithTimeout(tab, timeout)
	defer tcancel()
	stop := context.AfterFunc(ctx, tcancel)
	defer stop()
	start := time.Now()
	if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
		return consentResult{}, fmt.Errorf("consent: load %s: %w", url, err)
	}
	out, err := eng.Apply(tctx, action)
	if err != nil {
		return consentResult{}, err
	}
	state := map[string]string{consent.ActionNone: "before", consent.ActionAccept: "accept", consent.ActionReject: "reject"}[action]
	return consentResult{State: state, DurationMS: time.Since(start).Milliseconds(), Outcome: out}, nil
}

// consentClean strips control characters, so a hostile banner label cannot drive
// the terminal.
func consentClean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

func writeConsentTable(w io.Writer, rep *consentReport) error {
	t := tablewriter.NewTable(w)
	t.Header("State", "Platform", "Banner", "First layer", "Reject at 1st", "Clicked", "Method", "Verified", "Verification")
	for _, s := range rep.States {
		o := s.Outcome
		var buttons []string
		for _, b := range o.Buttons {
			buttons = append(buttons, b.Role+": "+b.Label)
		}
		platform := o.Platform
		if o.PlatformVersion != "" {
			platform += " " + o.PlatformVersion
		}
		verified := "no"
		switch {
		case o.Verified:
			verified = "yes"
		case o.Action != consent.ActionNone:
			verified = "UNVERIFIED"
		}
		why := o.Verification
		if o.Error != "" {
			why += " (error: " + o.Error + ")"
		}
		if o.PayWall {
			why += " [consent-or-pay wall]"
		}
		row := []string{s.State, platform, consentYesNo(o.BannerFound), strings.Join(buttons, "\n"), consentYesNo(o.RejectAtFirstLayer),
			strings.Join(o.Clicked, " → "), o.Method, verified, why}
		for i := range row {
			row[i] = consentClean(row[i])
		}
		if err := t.Append(row); err != nil {
			return fmt.Errorf("consent table: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("consent table: %w", err)
	}
	return nil
}

func consentYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
