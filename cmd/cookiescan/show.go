package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/reports"
)

func newShowCmd(stdout, stderr io.Writer) *cobra.Command {
	var db historyFlag
	var format string
	var width int
	cmd := &cobra.Command{
		Use:   "show SCAN_ID",
		Short: "Render a stored scan in any report format",
		Example: `  cookiescan show 12
  cookiescan show 12 --format html > scan-12.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := parseScanID(args[0])
			if err != nil {
				return err
			}
			w, err := reports.New(format, reports.Options{Width: width})
			if err != nil {
				return fmt.Errorf("--format: %w", err)
			}
			s, err := openHistory(ctx, db)
			if err != nil {
				return err
			}
			defer s.Close()
			sc, err := s.Load(ctx, id)
			if err != nil {
				return err
			}
			if err := w.Write(stdout, sc); err != nil {
				return fmt.Errorf("write %s report of scan %d: %w", format, id, err)
			}
			return nil
		},
	}
	db.add(cmd.Flags(), "the")
	cmd.Flags().StringVar(&format, "format", "table", "report format: "+strings.Join(reports.Formats(), ", "))
	cmd.Flags().IntVar(&width, "width", 100, "width of the terminal table")
	return cmd
}

// parseScanID reads a scan id as `cookiescan history` prints it.
func parseScanID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("scan id %q: want a positive number as `cookiescan history SITE` lists", s)
	}
	return id, nil
}
