package declaration

import (
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// Reading a table by the shape of its cells: which column holds cookie
// names, which hosts or vendors, which lifespans, which categories. Header
// words help where they are known, but a table in a language or a
// platform's markup we have no words for is read the same way, because a
// column of "_ga", "_gid", "OptanonConsent" looks like names whatever its
// header says.

// columnShape counts, over a table's body cells of one column, the cells of
// each shape.
type columnShape struct {
	cells    int // non-empty cells
	names    int // every part is a cookie name
	strong   int // and at least one part has a shape no word has
	hosts    int // a host or domain name
	vendors  int // a vendor the matcher knows
	lifes    int // a lifespan
	cats     int // short, and names a category
	textLen  int // total length, for the purpose column
	sentence int // has several words and ends like a sentence
}

// cellShape is what one cell looks like.
type cellShape struct {
	names, strong, host, vendor, life, cat, sentence bool
}

// maxShapeMemo bounds the memo of cell shapes.
const maxShapeMemo = 20000

// cellInfo is what is known of one cell's text: its shape, the names it
// lists and its lifespan (hasLife: read, for cells short enough to be one).
type cellInfo struct {
	shape   cellShape
	names   []cookieName
	life    cookie.Lifespan
	hasLife bool
}

// cellShapeOf tells what a cell looks like; tables repeat their providers,
// lifespans and types row after row, so the answer is memoised, with the
// names and lifespan read on the way, which the rows use again.
func (p *parser) cellShapeOf(c string) cellShape {
	if ci, ok := p.cells[c]; ok {
		return ci.shape
	}
	var ci cellInfo
	sh := &ci.shape
	ci.names = splitNames(c)
	if ci.names == nil && strings.HasSuffix(c, ")") {
		ci.names, _ = p.namesOfProvider(splitParen(c))
	}
	if ns := ci.names; ns != nil && !stoppedNames(ns) {
		allHosts := true
		for _, n := range ns {
			if !looksLikeHost(n.Name) {
				allHosts = false
			}
			if strongShape(n.Name) || n.Pattern != "" || hasDigitOrUpperInside(n.Name) {
				sh.strong = true
			}
		}
		sh.names = !allHosts
	}
	first := firstLine(c)
	sh.host = looksLikeHost(first)
	sh.vendor = len(c) <= 60 && !sh.strong && p.isVendorName(first)
	if len(c) <= 80 {
		l, ok := p.lifeMemo[c]
		if !ok {
			l = ParseLifespan(c)
		}
		ci.life, ci.hasLife = l, true
		// A name that says session ("visitor_session") is no lifespan.
		sh.life = ci.life.Kind != cookie.LifespanUnknown && !(sh.strong && countFields(c, 2) == 1)
	}
	if len(c) <= 60 && countFields(c, 7) <= 6 {
		_, sh.cat = firstCategory(c)
	}
	sh.sentence = countFields(c, 5) >= 5
	if p.cells == nil {
		p.cells = map[string]cellInfo{}
	}
	if len(p.cells) < maxShapeMemo {
		p.cells[c] = ci
	}
	return ci.shape
}

// splitNames is splitNames, taken from the cell memo where the cell's
// shape was read: a table's name cells are read once for the shape of
// their column and again for their rows.
func (p *parser) splitNames(c string) []cookieName {
	if ci, ok := p.cells[c]; ok {
		return ci.names
	}
	return splitNames(c)
}

// maxShapeRows is how many body rows decide the shape of a column.
const maxShapeRows = 40

func (p *parser) shapeOf(rows [][]string, col int) columnShape {
	var s columnShape
	for i, r := range rows {
		if i >= maxShapeRows {
			break
		}
		if col >= len(r) {
			continue
		}
		c := strings.TrimSpace(r[col])
		if c == "" {
			continue
		}
		s.cells++
		s.textLen += len(c)
		sh := p.cellShapeOf(c)
		for _, b := range []struct {
			ok bool
			n  *int
		}{{sh.names, &s.names}, {sh.strong && sh.names, &s.strong}, {sh.host, &s.hosts}, {sh.vendor, &s.vendors},
			{sh.life, &s.lifes}, {sh.cat, &s.cats}, {sh.sentence, &s.sentence}} {
			if b.ok {
				*b.n++
			}
		}
	}
	return s
}

// hasDigitOrUpperInside reports a letter-digit mix or an upper-case letter
// after the first character ("CookieConsent", "_ym3", "IDE" is not).
func hasDigitOrUpperInside(s string) bool {
	digit, letter, innerUpper, lower := false, false, false, false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z':
			letter, lower = true, true
		case r >= 'A' && r <= 'Z':
			letter = true
			if i > 0 && lower {
				innerUpper = true
			}
		}
	}
	return (digit && letter) || innerUpper
}

// looksLikeHost reports a host or domain name: "doubleclick.net",
// ".gentlemonster.com", "eu.i.posthog.com".
func looksLikeHost(s string) bool {
	s = strings.TrimPrefix(strings.TrimSpace(s), ".")
	if s == "" || strings.ContainsAny(s, " _/") || !strings.Contains(s, ".") {
		return false
	}
	last := s[strings.LastIndexByte(s, '.')+1:]
	if len(last) < 2 || len(last) > 6 {
		return false
	}
	for _, r := range last {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// columnRoles assigns roles to the columns of a table from its header
// (when it has one) and the shapes of its body cells. It returns the roles
// by column and the number of header rows, or nil when no column holds
// cookie names.
func (p *parser) columnRoles(rows [][]string, markedHead int) (map[int]string, int) {
	if len(rows) == 0 {
		return nil, 0
	}
	width := 0
	for _, r := range rows {
		if len(r) > width {
			width = len(r)
		}
	}
	if width < 2 {
		return nil, 0
	}
	// A header row is one whose cells have roles, or whose would-be name
	// cell is no name while the body's are.
	header := map[int]string{}
	headRows := 0
	for i, c := range rows[0] {
		var cells []string
		for _, r := range rows[1:min(len(rows), maxShapeRows+1)] {
			if i < len(r) {
				cells = append(cells, r[i])
			}
		}
		if r := flagColumn(firstLine(c), cells); r != "" {
			header[i] = r
		} else if r := roleOf(firstLine(c)); r != "" {
			header[i] = r
		}
	}
	body := rows
	if len(header) > 0 || markedHead > 0 {
		headRows = 1
		body = rows[1:]
	}
	shapes := make([]columnShape, width)
	for j := range shapes {
		shapes[j] = p.shapeOf(body, j)
	}
	share := func(n, of int) float64 {
		if of == 0 {
			return 0
		}
		return float64(n) / float64(of)
	}
	// The name column: the most name-like column; a header saying "name"
	// breaks ties and lowers the bar.
	nameCol, best := -1, 0.0
	for j, s := range shapes {
		if s.cells == 0 {
			continue
		}
		nameShare := share(s.names, s.cells)
		score := nameShare + 0.5*share(s.strong, s.cells) - share(s.vendors, s.cells) - 0.5*share(s.lifes, s.cells)
		if header[j] == roleName {
			score += 0.3
		}
		need := 0.6
		if header[j] == roleName {
			need = 0.5
		} else if s.strong == 0 {
			// Without a header saying so, a column of plain words
			// ("Frankreich", "Schweiz") is not one of cookie names.
			continue
		}
		if nameShare >= need && score > best {
			nameCol, best = j, score
		}
	}
	if nameCol < 0 {
		return nil, 0
	}
	// A first row in words we do not know is a header when its name cell
	// holds no name.
	if headRows == 0 && nameCol < len(rows[0]) {
		if ns := p.splitNames(rows[0][nameCol]); ns == nil || stoppedNames(ns) {
			headRows = 1
		}
	}
	return p.assignRoles(header, shapes, nameCol, share), headRows
}

func (p *parser) assignRoles(header map[int]string, shapes []columnShape, nameCol int, share func(n, of int) float64) map[int]string {
	roles := map[int]string{nameCol: roleName}
	taken := map[string]bool{roleName: true}
	// Header roles for the other columns, unless the cells say otherwise,
	// in column order (a map's order would make the result vary between
	// runs), the header's own words before what a column's cells suggest:
	// a "Category" column states the category before a "Type" column of
	// category words does.
	for _, converted := range []bool{false, true} {
		for j := range shapes {
			r, ok := header[j]
			if !ok || j == nameCol || r == roleName {
				continue
			}
			s := shapes[j]
			// A "Type" column of category words, or a "Purpose" column of
			// nothing else ("Tecnico", "Analitico": no sentence, no
			// service, a word or two a cell), states the category.
			categoryWords := r == rolePurpose && s.sentence == 0 && s.vendors == 0 && s.textLen <= 20*s.cells
			isTypeOfCategories := (r == roleType || categoryWords) && share(s.cats, s.cells) >= 0.6
			if isTypeOfCategories != converted {
				continue
			}
			if isTypeOfCategories {
				r = roleCategory
			}
			if r == roleCategory && s.cats == 0 && share(s.hosts, s.cells) >= 0.8 {
				// A "Categories" header over hosts (google.com): a
				// mislabelled provider column; the cells say what it is.
				r = roleProvider
			}
			if _, done := roles[j]; done || taken[r] {
				continue
			}
			roles[j] = r
			taken[r] = true
		}
	}
	// Columns the header left open (or names we read as something else),
	// by shape. Of the open columns that read as lifespans, the one that
	// reads so most often, in the fewest words: a description that
	// mentions a session ("Functionele sessie voor …") is not the
	// lifespan beside it ("90 dagen").
	lifeCol := -1
	for j, s := range shapes {
		if _, ok := roles[j]; ok || s.cells == 0 || taken[roleExpiry] || share(s.lifes, s.cells) < 0.5 {
			continue
		}
		if lifeCol < 0 {
			lifeCol = j
			continue
		}
		b := shapes[lifeCol]
		sj, sb := share(s.lifes, s.cells), share(b.lifes, b.cells)
		if sj > sb || (sj == sb && s.textLen*b.cells < b.textLen*s.cells) {
			lifeCol = j
		}
	}
	for j, s := range shapes {
		if _, ok := roles[j]; ok || s.cells == 0 {
			continue
		}
		switch {
		case !taken[roleExpiry] && j == lifeCol:
			roles[j] = roleExpiry
		case !taken[roleProvider] && share(s.hosts+s.vendors, s.cells) >= 0.5:
			roles[j] = roleProvider
		case !taken[roleCategory] && share(s.cats, s.cells) >= 0.6 && s.sentence == 0:
			roles[j] = roleCategory
		case !taken[rolePurpose] && share(s.sentence, s.cells) >= 0.5:
			roles[j] = rolePurpose
		case !taken[roleProvider] && header[j] == roleName:
			// A second "cookie" column that holds no names: the service
			// the cookie belongs to ("Cookie lié au service: Matomo").
			roles[j] = roleProvider
		default:
			continue
		}
		taken[roles[j]] = true
	}
	return roles
}
