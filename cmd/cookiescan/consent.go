package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/termout"
	"github.com/cookiescan/cookiescan/reports"
	"github.com/cookiescan/cookiescan/scan"
)

// consentFlags are the flags of `cookiescan consent`.
type consentFlags struct {
	format        string
	browser       browserFlags
	rulesFile     string
	acceptSel     string
	rejectSel     string
	bannerTimeout time.Duration
	timeout       time.Duration
}

func newConsentCmd(stdout, stderr io.Writer) *cobra.Command {
	var f consentFlags
	cmd := &cobra.Command{
		Use: "consent URL",
		Example: `  cookiescan consent https://www.example.com
  cookiescan consent https://www.example.com --format json
  cookiescan consent https://www.example.com --reject-selector "#onetrust-reject-all-handler"`,
		Short: "Show a site's consent banner and check that accept-all and reject-all really take",
		Long: `consent loads URL three times, each in a fresh browser profile: once touching nothing,
once accepting all and once rejecting all through the site's consent banner. It prints the
consent platform, the choices the banner's first layer offers, what was clicked and whether
the platform's own stored consent shows that the choice took (verified).

Exit codes: 0 done, 2 the page or the browser could not be used.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			browser, err := checkTextCmd(f.format, &f.browser)
			if err != nil {
				return err
			}
			if err := checkSelectors(f.acceptSel, f.rejectSel); err != nil {
				return err
			}
			target, err := resolveTarget(cmd.Context(), args[0], browser.Network, stderr)
			if err != nil {
				return err
			}
			rep, err := scan.CheckConsent(cmd.Context(), target, scan.ConsentCheckOptions{
				Browser: browser,
				Consent: consent.Options{RulesFile: f.rulesFile, AcceptSelector: f.acceptSel, RejectSelector: f.rejectSel, BannerTimeout: f.bannerTimeout},
				Timeout: f.timeout,
			})
			if err != nil {
				return err
			}
			return writeTextOrJSON(stdout, f.format, rep, func(w io.Writer) error { return reports.ConsentTable(w, rep, termout.Detect(stdout, os.Getenv).Width) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", "output format: table or json")
	f.browser.add(fl)
	fl.StringVar(&f.rulesFile, "consent-rules", "", "YAML file of extra consent-platform rules (same format as the built-in ones)")
	fl.StringVar(&f.acceptSel, "accept-selector", "", "CSS selector of the banner's accept-all button (overrides detection)")
	fl.StringVar(&f.rejectSel, "reject-selector", "", "CSS selector of the banner's reject-all button (overrides detection)")
	fl.DurationVar(&f.bannerTimeout, "banner-timeout", consent.DefaultBannerTimeout, "how long to wait for a late banner")
	fl.DurationVar(&f.timeout, "timeout", 45*time.Second, "time limit for one state: load, banner, click and verification")
	return cmd
}

// checkTextCmd checks --format and the browser flags of a command that
// starts a browser and prints a table or JSON.
func checkTextCmd(format string, b *browserFlags) (chrome.Options, error) {
	if err := checkTextFormat(format); err != nil {
		return chrome.Options{}, err
	}
	return b.options()
}

// checkTextFormat checks --format of the commands that print a table or JSON.
func checkTextFormat(format string) error {
	if format != "table" && format != "json" {
		return fmt.Errorf("--format %q: want table or json", format)
	}
	return nil
}

// writeTextOrJSON writes v as JSON, or as the table that table renders.
func writeTextOrJSON(w io.Writer, format string, v any, table func(io.Writer) error) error {
	if format == "json" {
		return writeJSON(w, v)
	}
	return table(w)
}
