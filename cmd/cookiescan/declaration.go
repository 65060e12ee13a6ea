package main

import (
	"errors"
	"fmt"
	"io"

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
		Use:   "declaration URL|FILE",
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
			d, err := scan.ReadDeclaration(cmd.Context(), args[0], scan.DeclarationOptions{
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
