package reports

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

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

// WrappedTable is Table for rows with long text: columns share width (0:
// 100) fairly, narrow ones keep their natural width, cells wrap at words,
// and a word longer than its column is cut into pieces that fit. The
// header is printed as given.
func WrappedTable(w io.Writer, header []string, rows [][]string, width int) error {
	if width <= 0 {
		width = 100
	}
	cells := make([][]string, len(rows))
	for r, row := range rows {
		cells[r] = make([]string, len(row))
		for i, c := range row {
			cells[r][i] = textsafe.Short(c, maxText)
		}
	}
	natural := make([]int, len(header))
	for i, h := range header {
		natural[i] = utf8.RuneCountInString(h)
		for _, row := range cells {
			natural[i] = max(natural[i], utf8.RuneCountInString(row[i]))
		}
	}
	// Each column costs its content, 2 of padding and 1 of border, plus
	// the table's last border.
	content := fairShare(natural, width-3*len(header)-1)
	widths := tw.Mapper[int, int]{}
	for i, n := range content {
		widths[i] = n + 2
		for _, row := range cells {
			row[i] = breakLongWords(row[i], n)
		}
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithColumnWidths(widths),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithHeaderAutoWrap(tw.WrapNormal),
		tablewriter.WithHeaderAutoFormat(tw.Off),
	)
	h := make([]any, len(header))
	for i, s := range header {
		h[i] = s
	}
	t.Header(h...)
	for _, row := range cells {
		if err := t.Append(row); err != nil {
			return fmt.Errorf("table row: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("render table: %w", err)
	}
	return nil
}

// fairShare splits budget among columns: a column that needs less than an
// equal share keeps what it needs, the rest share what is left equally.
func fairShare(natural []int, budget int) []int {
	out := make([]int, len(natural))
	open := make([]bool, len(natural))
	left, n := budget, len(natural)
	for i := range open {
		open[i] = true
	}
	for changed := true; changed && n > 0; {
		changed = false
		share := max(left/n, 4)
		for i, need := range natural {
			if open[i] && need <= share {
				out[i], open[i] = need, false
				left -= need
				n--
				changed = true
			}
		}
	}
	for i := range out {
		if open[i] {
			out[i] = max(left/max(n, 1), 4)
		}
	}
	return out
}

// breakLongWords cuts every word longer than n runes into n-rune pieces.
func breakLongWords(s string, n int) string {
	words := strings.Split(s, " ")
	for i, word := range words {
		r := []rune(word)
		if len(r) <= n {
			continue
		}
		var parts []string
		for len(r) > n {
			parts = append(parts, string(r[:n]))
			r = r[n:]
		}
		words[i] = strings.Join(append(parts, string(r)), " ")
	}
	return strings.Join(words, " ")
}
