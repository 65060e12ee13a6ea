package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler"
	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/progress"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/scan"
	"github.com/cookiescan/cookiescan/store"
)

// scanFlags are the flags that shape a scan; `scan`, `demo` and `schedule`
// share them.
type scanFlags struct {
	maxPages       int
	depth          int
	ignoreRobots   bool
	states         []string
	timeout        time.Duration
	includeValues  bool
	sequential     bool
	tabs           int
	pages          []string
	noSitemap      bool
	consentRules   string
	acceptSelector string
	rejectSelector string
	noConsent      bool
	quiet          bool
	declaration    string
	browser        browserFlags
	known          dbFlags
	history        historyFlag
	// flags tells a flag given (on the command line, in the environment or
	// in the configuration file) from its default.
	flags *pflag.FlagSet
}

func addScanFlags(cmd *cobra.Command, f *scanFlags) {
	fl := cmd.Flags()
	f.flags = fl
	fl.IntVar(&f.maxPages, "max-pages", 10, "visit at most this many pages per consent state")
	fl.IntVar(&f.depth, "depth", 2, "follow same-site links at most this many clicks from the start page")
	fl.BoolVar(&f.ignoreRobots, "ignore-robots", false, "visit pages that robots.txt disallows")
	fl.BoolVar(&f.noSitemap, "no-sitemap", false, "do not read sitemap.xml")
	fl.StringSliceVar(&f.pages, "page", nil, "visit exactly these pages (repeatable) instead of discovering them")
	fl.StringSliceVar(&f.states, "states", []string{"before", "accept", "reject"}, "consent states to visit: before, accept, reject")
	fl.DurationVar(&f.timeout, "timeout", 20*time.Second, "time limit for one page to load and settle")
	fl.BoolVar(&f.includeValues, "include-values", false, "keep cookie values in the output (they may be session tokens)")
	fl.BoolVar(&f.sequential, "sequential", false, "visit the consent states one after another instead of at once")
	fl.IntVar(&f.tabs, "tabs", crawler.DefaultTabs(), fmt.Sprintf("browser tabs per consent state that visit its pages at once, after the consent choice on the first page (1 to %d; 1 visits them one after another; default: one more than the cores, at most 3, and one per 5 pages after the first)", crawler.MaxTabs))
	fl.StringVar(&f.consentRules, "consent-rules", "", "YAML file of extra consent-platform rules (same format as the built-in ones)")
	fl.StringVar(&f.acceptSelector, "accept-selector", "", "CSS selector of the banner's accept-all button (overrides detection)")
	fl.StringVar(&f.rejectSelector, "reject-selector", "", "CSS selector of the banner's reject-all button (overrides detection)")
	fl.BoolVar(&f.noConsent, "no-consent", false, "do not touch consent banners (accept and reject states are then unverified)")
	fl.StringVar(&f.declaration, "declaration", "auto", `the site's cookie declaration: "auto" finds it from the site's links, "none" skips it, or a URL or a local HTML or text file`)
	f.browser.add(fl)
	addDBFlags(fl, &f.known)
	f.history.add(fl, "save the scan in this")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress messages on stderr")
}

// options turns the flags into scan options once, with clear errors.
func (f *scanFlags) options(url string) (scan.Options, error) {
	browser, err := f.browser.options()
	if err != nil {
		return scan.Options{}, err
	}
	var states []cookie.State
	for _, s := range f.states {
		st, err := cookie.ParseState(s)
		if err != nil {
			return scan.Options{}, fmt.Errorf("--states: %w", err)
		}
		states = append(states, st)
	}
	if f.maxPages < 1 {
		return scan.Options{}, fmt.Errorf("--max-pages %d: want at least 1", f.maxPages)
	}
	if f.depth < 0 {
		return scan.Options{}, fmt.Errorf("--depth %d: want 0 or more", f.depth)
	}
	if f.tabs < 1 || f.tabs > crawler.MaxTabs {
		return scan.Options{}, fmt.Errorf("--tabs %d: want 1 to %d", f.tabs, crawler.MaxTabs)
	}
	tabs := f.tabs
	if f.flags != nil && !f.flags.Changed("tabs") {
		tabs = 0 // the crawler chooses, by the state's pages
	}
	if f.timeout < time.Second {
		return scan.Options{}, fmt.Errorf("--timeout %s: want at least 1s", f.timeout)
	}
	if err := checkSelectors(f.acceptSelector, f.rejectSelector); err != nil {
		return scan.Options{}, err
	}
	return scan.Options{
		URL:     url,
		Browser: browser,
		Crawler: crawler.Options{
			MaxPages:     f.maxPages,
			Depth:        f.depth,
			NoLinks:      f.depth == 0,
			IgnoreRobots: f.ignoreRobots,
			NoSitemap:    f.noSitemap,
			Pages:        f.pages,
			States:       states,
			Timeout:      f.timeout,
			Sequential:   f.sequential,
			Tabs:         tabs,
		},
		Consent: consent.Options{
			RulesFile:      f.consentRules,
			AcceptSelector: f.acceptSelector,
			RejectSelector: f.rejectSelector,
			Screenshot:     true,
		},
		NoConsent:    f.noConsent,
		Declaration:  f.declaration,
		KnownCookies: f.known.options(),
		KeepValues:   f.includeValues,
		ToolVersion:  version,
	}, nil
}

func newScanCmd(stdout, stderr io.Writer) *cobra.Command {
	var sf scanFlags
	var of outputFlags
	cmd := &cobra.Command{
		Use:   "scan URL",
		Short: "Scan a site before consent, after accept-all and after reject-all, and report its cookies",
		Example: `  cookiescan scan https://www.example.com
  cookiescan scan https://www.example.com --format table,html,sarif --output reports/ --fail-on high
  cookiescan scan https://www.example.com --connect-to www.example.com:443:staging.internal:8443 -k`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), args[0], &sf, &of, stdout, stderr)
		},
	}
	addScanFlags(cmd, &sf)
	addOutputFlags(cmd, &of)
	// scan saves only when --db is given, whatever the default file of the
	// commands that read the history (schedule always saves).
	cmd.Flags().Lookup("db").Usage = `also save the scan in this history database file, for "history", "show" and "diff" (without --db the scan is not saved)`
	return cmd
}

// runScan checks every flag before the scan, runs it, and hands the result
// to the one post-scan path. A scan that failed part way still writes what
// it has before exiting 2.
func runScan(ctx context.Context, url string, sf *scanFlags, of *outputFlags, stdout, stderr io.Writer) error {
	opts, err := sf.options(url)
	if err != nil {
		return &usageError{err}
	}
	policy, err := of.policy()
	if err != nil {
		return &usageError{err}
	}
	// An explicit declaration that cannot be read stops the run before
	// Chrome starts: CI must not go green on a typo'd --declaration.
	if err := scan.CheckDeclarationSource(ctx, opts); err != nil {
		return err
	}
	if opts.URL, err = preflight(ctx, url, sf, of, stderr); err != nil {
		return err
	}
	var display *progress.Display
	if !sf.quiet {
		display = progress.New(stderr)
		opts.Crawler.Progress = display.Event
	}
	if slices.Contains(of.formats, "pdf") {
		// The PDF is printed by the scan's own browser, kept open for it.
		scan.ResolveLocale(ctx, &opts)
		b, err := chrome.Start(ctx, opts.Browser)
		if err != nil {
			return fmt.Errorf("%w: %w", scan.ErrScanFailed, err)
		}
		defer b.Close()
		opts.UseBrowser = b
		var closePrinter func()
		of.print, closePrinter = scan.PDFPrinter(ctx, b, opts.Browser)
		defer closePrinter()
	}
	res, scanErr := scan.Run(ctx, opts)
	if display != nil {
		display.Close() // the bars end before anything else is printed
	}
	if res == nil {
		return scanErr
	}
	return afterScan(ctx, res, scanErr, policy, sf.history.path, of, stdout, stderr)
}

// afterScan is everything after scan.Run: the warnings, then finishScan
// (verdict and reports), then the history. Only a complete scan enters the
// history, and only after its reports are written, so a history that
// cannot be written loses no report.
func afterScan(ctx context.Context, res *result.Scan, scanErr error, policy scan.Policy, history string, of *outputFlags, stdout, stderr io.Writer) error {
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "cookiescan: warning:", w)
	}
	reportPages(res, stderr)
	if scanErr != nil {
		// The audit did not run: a report now would claim 0 findings.
		return scanErr
	}
	verdict, err := finishScan(ctx, res, policy, of, stdout, stderr)
	if err != nil {
		return err
	}
	if history != "" {
		if err := saveScan(ctx, history, res, stderr); err != nil {
			return fmt.Errorf("%w: %w", errHistory, err)
		}
	}
	if verdict.Failed() {
		return errFindings
	}
	return nil
}

// saveScan stores a finished scan in the history database in one transaction.
func saveScan(ctx context.Context, path string, res *result.Scan, stderr io.Writer) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := st.Save(ctx, res)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "cookiescan: saved as scan %d in %s\n", id, path)
	return nil
}
