package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/classifier/batch"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
	"github.com/cookiescan/cookiescan/reports"
)

// newClassifyCmd is `cookiescan classify FILE`; the work is in classifier/batch.
func newClassifyCmd(stdout, _ io.Writer) *cobra.Command {
	var (
		db     dbFlags
		format string
		values bool
	)
	cmd := &cobra.Command{
		Use:   "classify FILE",
		Short: "Label the cookies of a HAR file or a cookiescan JSON report",
		Long: `classify labels cookies collected elsewhere: a HAR file exported from a browser's
developer tools (the cookies of every response and request, with the entry's page as the
site) or a cookiescan JSON report (scan --format json). Each cookie gets a category, the
classifier's probability, a confidence and the reason, as in a scan. Values are left out of
the output unless --include-values is given.

Exit codes: 0 done, 2 the file could not be read or the command was used wrongly.`,
		Example: `  cookiescan classify export.har
  cookiescan classify cookiescan-report.json --format csv > labels.csv
  cookiescan classify export.har --format json --cookie-db my-cookies.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := batch.CheckFormat(format); err != nil {
				return err
			}
			d, err := knowncookies.Open(cmd.Context(), db.options())
			if err != nil {
				return err
			}
			items, err := batch.ClassifyFile(args[0], d, values)
			if err != nil {
				return err
			}
			return batch.Write(stdout, format, reports.Options{}, items)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "table", "output format: table, json or csv")
	f.BoolVar(&values, "include-values", false, "keep cookie values in the output")
	addDBFlags(f, &db)
	return cmd
}
