package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/reports"
	"github.com/cookiescan/cookiescan/scan"
)

// declarationFlags are the flags of `cookiescan declaration`.
type declarationFlags struct {
	format   string
	browser  browserFlags
	known    dbFlags
	noRender bool
}

func newDeclarationCmd(stdout, stderr io.Writer) *cobra.Command {
	var f declarationFlags
	cmd := &cobra.Command{
		Use: "declaration URL|FILE",
		Example: `  cookiescan declaration https://www.example.com/cookie-policy
  cookiescan declaration ./cookie-policy.html --format json
  cookiescan declaration https://www.example.com/cookie-policy --no-render`,
		Short: "Read a published cookie declaration and show what it declares",
		Long: `declaration reads a site's cookie declaration, from a URL or a saved HTML or text file,
exactly as a scan reads it, and shows the cookies it names (with vendor, category and
lifespan), the vendors and services it names, the categories it uses, whether it promises a
way to refuse, and links to further declaration pages.

Exit codes: 0 read, 2 the declaration could not be read or holds no declaration.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			browser, err := checkTextCmd(f.format, &f.browser)
			if err != nil {
				return err
			}
			source := args[0]
			if hostWithoutScheme(source) {
				if source, err = resolveTarget(cmd.Context(), source, browser.Network, stderr); err != nil {
					return err
				}
			}
			d, err := scan.ReadDeclaration(cmd.Context(), source, scan.DeclarationOptions{
				Browser: browser, NoRender: f.noRender, KnownCookies: f.known.options(),
			})
			if errors.Is(err, scan.ErrBrowser) {
				return fmt.Errorf("%w (or pass --no-render to read the page as served)", err)
			}
			if d == nil {
				return err
			}
			// A declaration that says nothing is still shown before the
			// error, so that the user sees what was read.
			if werr := writeTextOrJSON(stdout, f.format, d, func(w io.Writer) error { return reports.DeclarationTable(w, d) }); werr != nil {
				return fmt.Errorf("write declaration: %w", werr)
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", "output format: table or json")
	f.browser.add(fl)
	addDBFlags(fl, &f.known)
	fl.BoolVar(&f.noRender, "no-render", false, "read the page as served, without rendering its scripts in a browser")
	return cmd
}

// hostWithoutScheme: the argument is no file here and starts like a host
// name (www.example.com/cookies, localhost:8080), so it is a URL typed
// without its scheme rather than a mistyped file name.
func hostWithoutScheme(arg string) bool {
	if strings.Contains(arg, "://") {
		return false
	}
	if _, err := os.Stat(arg); err == nil {
		return false
	}
	host, _, _ := strings.Cut(arg, "/")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" || net.ParseIP(host) != nil {
		return true
	}
	// A dotted name whose last label is not a file extension we read.
	i := strings.LastIndexByte(host, '.')
	if i <= 0 || i == len(host)-1 {
		return false
	}
	switch strings.ToLower(host[i+1:]) {
	case "html", "htm", "txt", "md", "markdown", "xhtml", "json", "pdf":
		return false
	}
	return !strings.ContainsAny(host, `\ `)
}
