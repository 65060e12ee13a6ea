package reports

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/cookiescan/cookiescan/internal/textsafe"
)

// WriteRows renders a plain list of rows (such as `cookiescan classify`'s
// labelled cookies) as a terminal table or CSV, with the same defences as a
// scan report: every cell is cleaned and bounded, and a CSV cell cannot start
// a formula. Other formats are the caller's (JSON is the caller's own type).
func WriteRows(w io.Writer, format string, opts Options, header []string, rows [][]string) error {
	clean := make([][]string, len(rows))
	for i, r := range rows {
		clean[i] = make([]string, len(r))
		for j, c := range r {
			if format == "csv" {
				clean[i][j] = csvCell(c)
			} else {
				clean[i][j] = textsafe.Short(c, maxText)
			}
		}
	}
	switch format {
	case "table":
		return tableWriter{width: opts.width(), color: opts.Color}.render(w, header, clean, true)
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
		if err := cw.WriteAll(clean); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
		return nil
	}
	return fmt.Errorf("unknown row format %q (want table or csv)", format)
}
