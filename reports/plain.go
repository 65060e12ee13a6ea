package reports

import (
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"

	"github.com/cookiescan/cookiescan/internal/textsafe"
)

// Table writes a plain terminal table for the smaller outputs (the diff,
// the history, the consent check, a declaration, a lookup). Every cell is
// cleaned and bounded as the report formats clean text from a website, so
// no command draws a table that a hostile value can drive.
func Table(w io.Writer, header []string, rows [][]string) error {
	t := tablewriter.NewTable(w)
	h := make([]any, len(header))
	for i, s := range header {
		h[i] = s
	}
	t.Header(h...)
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = textsafe.Short(c, maxText)
		}
		if err := t.Append(cells); err != nil {
			return fmt.Errorf("table row: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("render table: %w", err)
	}
	return nil
}
