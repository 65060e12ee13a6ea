package declaration

import "strings"

// A table copied out of a page as text often loses its rows: every cell
// becomes a line of its own ("Ime piškotka |", "Trajanje |", then
// "pagesession |", "do konca seje |", …). regroupCellLines finds such runs
// and puts the table back together, so that the table reader sees its
// columns.
//
// The header is three to six short lines in a row, each a column label
// (roleOf) and one of them the name column's; the cells that follow are
// taken as many at a time, one row after another, for as long as each row's
// name cell holds cookie names. A row that does not (a cell that ran over
// two lines, a cell left out) ends the table there: nothing after it is
// read as cells.
func regroupCellLines(blocks []block) []block {
	var out []block
	for i := 0; i < len(blocks); {
		width, nameCol := cellHeader(blocks[i:])
		if width == 0 {
			out = append(out, blocks[i])
			i++
			continue
		}
		rows := [][]string{cellRow(blocks[i : i+width])}
		j := i + width
		for j+width <= len(blocks) && len(rows) < maxTableRows {
			row := namesRow(blocks[j:j+width], nameCol)
			if row == nil {
				// A group row that spans the columns ("Sitevision web
				// analytics | Matomo") has fewer cells than the others;
				// the table goes on where two rows of names line up again.
				skip := groupRowWidth(blocks[j:], width, nameCol)
				if skip == 0 {
					break
				}
				j += skip
				continue
			}
			rows = append(rows, row)
			j += width
		}
		if len(rows) < 2 {
			out = append(out, blocks[i])
			i++
			continue
		}
		out = append(out, block{isTable: true, rows: rows, head: 1})
		i = j
	}
	return out
}

// cellHeader returns the width of a header of cell lines at the start of
// blocks, and the index of its name column; 0 when there is none.
func cellHeader(blocks []block) (width, nameCol int) {
	seen := map[string]bool{}
	nameCol = -1
	for k, b := range blocks {
		if k == 6 || b.isTable || b.item || countFields(b.text, 5) > 4 {
			break
		}
		role := roleOf(lineCell(b.text))
		if role == "" || seen[role] {
			break
		}
		seen[role] = true
		if role == roleName {
			nameCol = k
		}
		width = k + 1
	}
	if width < 3 || nameCol < 0 {
		return 0, 0
	}
	return width, nameCol
}

// cellRow is the cells of one row, or nil when a block cannot be a cell:
// a table, a heading, or a column label, which means the lines are labels
// and values of cards ("Name", "_calendly_session", "Ablaufdatum", …), not
// the cells of a table.
func cellRow(blocks []block) []string {
	row := make([]string, len(blocks))
	for k, b := range blocks {
		if b.isTable || b.heading > 0 {
			return nil
		}
		row[k] = lineCell(b.text)
		if countFields(row[k], 4) <= 3 && roleOf(row[k]) != "" {
			if ns := splitNames(row[k]); ns == nil || plainWord(ns) {
				return nil // "Ablaufdatum", not "cookie_consent"
			}
		}
	}
	return row
}

// namesRow is the cells of a row whose name cell holds cookie names, or nil.
func namesRow(blocks []block, nameCol int) []string {
	row := cellRow(blocks)
	if row == nil || !namesCell(row[nameCol]) {
		return nil
	}
	row[nameCol] = withoutEllipsis(row[nameCol])
	return row
}

// groupRowWidth returns how many lines of a shorter row (1 to width-1) come
// before two full rows of names, or 0. Two rows, so that a stray line of
// text is not taken for a group row.
func groupRowWidth(blocks []block, width, nameCol int) int {
	for skip := 1; skip < width; skip++ {
		if skip+2*width > len(blocks) {
			return 0
		}
		if namesRow(blocks[skip:skip+width], nameCol) != nil && namesRow(blocks[skip+width:skip+2*width], nameCol) != nil {
			return skip
		}
	}
	return 0
}

// lineCell is a line without the pipe a copied table ends its cells with.
func lineCell(s string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "|"))
}

// namesCell reports a cell that holds cookie names, leaving out an
// ellipsis that stands for names in between ("__utma, … , __utmz").
func namesCell(s string) bool {
	ns := splitNames(withoutEllipsis(s))
	return ns != nil && !stoppedNames(ns)
}

// withoutEllipsis drops the ellipsis that stands for names left out, and
// the commas it leaves.
func withoutEllipsis(s string) string {
	var kept []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" && p != "…" && p != "..." {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ", ")
}
