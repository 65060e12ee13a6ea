package main

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/declaration"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/hostmap"
	"github.com/cookiescan/cookiescan/scan"
)

// declarationOptions are the flags of `cookiescan declaration`.
type declarationOptions struct {
	format    string
	insecure  bool
	connectTo []string
	browser   string
	noRender  bool
}

func newDeclarationCmd(stdout, stderr io.Writer) *cobra.Command {
	var o declarationOptions
	cmd := &cobra.Command{
		Use:   "declaration URL|FILE",
		Short: "Read a published cookie declaration and show what it declares",
		Long: `declaration reads a site's cookie declaration, from a URL or a saved HTML or text file,
and shows the cookies it names (with vendor, category and lifespan), the vendors and
services it names, the categories it uses, whether it promises a way to refuse, and
links to further declaration pages.

Exit codes: 0 read, 2 the declaration could not be read or holds no declaration.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeclaration(cmd, args[0], o, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "table", "output format: table or json")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "do not verify TLS certificates")
	f.StringArrayVar(&o.connectTo, "connect-to", nil, "HOST1:PORT1:HOST2:PORT2: connect to HOST2:PORT2 for HOST1:PORT1 (as curl; empty parts are wildcards; repeatable)")
	f.StringVar(&o.browser, "browser", "", "Chrome binary path, or ws://… of a running Chrome, to render declarations drawn by scripts")
	f.BoolVar(&o.noRender, "no-render", false, "read the page as served, without rendering its scripts in a browser")
	return cmd
}

func runDeclaration(cmd *cobra.Command, target string, o declarationOptions, stdout io.Writer) error {
	if o.format != "table" && o.format != "json" {
		return fmt.Errorf("unknown --format %q (want table or json)", o.format)
	}
	var (
		d   *cookie.Declaration
		err error
	)
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		rules, rerr := hostmap.ParseAll(o.connectTo)
		if rerr != nil {
			return rerr
		}
		fetcher := &scan.RenderingFetcher{HTTP: declaration.NewHTTPFetcher(declaration.HTTPOptions{
			Insecure:    o.insecure,
			DialContext: hostmap.DialContext(rules, (&net.Dialer{Timeout: 10 * time.Second}).DialContext),
		})}
		if !o.noRender {
			b, berr := chrome.Start(cmd.Context(), chrome.Options{Browser: o.browser, Insecure: o.insecure, ConnectTo: rules})
			if berr != nil {
				return fmt.Errorf("%w (or pass --no-render to read the page as served)", berr)
			}
			defer b.Close()
			fetcher.Browser = b
		}
		d, err = declaration.Read(cmd.Context(), fetcher, target, declaration.ReadOptions{})
	} else {
		page, lerr := declaration.LoadFile(target, 0)
		if lerr != nil {
			return lerr
		}
		d, err = declaration.Parse(page, declaration.Options{})
	}
	if d == nil {
		return err
	}
	// A declaration that says nothing is still shown before the error, so
	// that the user sees what was read.
	var werr error
	if o.format == "json" {
		werr = writeJSON(stdout, d)
	} else {
		werr = writeDeclarationTable(stdout, d)
	}
	if werr != nil {
		return fmt.Errorf("write declaration: %w", werr)
	}
	return err
}

// inert strips control characters, so that a hostile declaration cannot
// drive the terminal, and bounds a cell.
func inert(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

func lifespanDays(l cookie.Lifespan) string {
	switch l.Kind {
	case cookie.LifespanSession:
		return "session"
	case cookie.LifespanBounded:
		return strconv.FormatFloat(l.Days, 'g', 4, 64)
	case cookie.LifespanPersistent:
		return "no bound"
	}
	return "?"
}

func writeDeclarationTable(w io.Writer, d *cookie.Declaration) error {
	if _, err := fmt.Fprintf(w, "Declaration: %s\n", inert(d.URL, 200)); err != nil {
		return err
	}
	if len(d.Cookies) > 0 {
		t := tablewriter.NewTable(w)
		t.Header("Cookie", "Vendor", "Category", "Lifespan", "Days")
		for _, c := range d.Cookies {
			name := c.Name
			if c.Pattern {
				name += " (pattern)"
			}
			if err := t.Append([]string{inert(name, 60), inert(c.Vendor, 40), string(c.Category), inert(c.Lifespan.Text, 50), lifespanDays(c.Lifespan)}); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(d.Vendors) > 0 {
		t := tablewriter.NewTable(w)
		t.Header("Vendor", "Category")
		for _, v := range d.Vendors {
			if err := t.Append([]string{inert(v.Name, 60), string(v.Category)}); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	cats := make([]string, 0, len(d.Categories))
	for _, c := range d.Categories {
		cats = append(cats, string(c))
	}
	reject := "not stated"
	if d.RejectOption != nil {
		reject = map[bool]string{true: "promised", false: "none (continued use counts as consent)"}[*d.RejectOption]
	}
	lines := []string{
		fmt.Sprintf("Cookies: %d, vendors: %d", len(d.Cookies), len(d.Vendors)),
		"Categories: " + strings.Join(cats, ", "),
		"Reject option: " + reject,
	}
	if d.ConsentLifespanDays > 0 {
		lines = append(lines, fmt.Sprintf("Consent kept: %g days", d.ConsentLifespanDays))
	}
	if d.Platform != "" {
		lines = append(lines, "Consent platform: "+d.Platform)
	}
	for _, l := range d.Links {
		lines = append(lines, "Further declaration page: "+inert(l, 200))
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}
