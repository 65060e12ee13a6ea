package declaration

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// Bounds on what one document may produce, so that a hostile page costs
// bounded time and memory whatever its shape.
const (
	maxBlocks      = 100000
	maxLineLen     = 20000
	maxTableRows   = 5000
	maxTableCells  = 40
	maxDepth       = 400
	maxLinks       = 5000
	maxScriptBytes = 2 << 20
)

// block is one unit of a document in reading order: a line of text (a
// paragraph, heading, list item or line of a text file) or a table.
type block struct {
	text    string
	heading int  // 1–6 for an HTML heading, 0 otherwise
	item    bool // a list item
	rows    [][]string
	isTable bool
	// head is how many leading rows of a table its markup marks as header
	// rows (<th> cells, a Markdown separator line).
	head int
	// group is a provider group's label ("Google" of "Google 6"), and
	// toggle a category toggle's label, in a platform's dialog; locked a
	// toggle the visitor cannot turn off (checked and disabled): the
	// category that needs no consent, whatever its label says ("Login").
	group, toggle, locked bool
	// bold is a line that was a bold run alone, as a platform's dialog
	// copied to Markdown sets a cookie's name apart from its purpose.
	bold bool
	// cont is a line of the same HTML list item as the block before it,
	// after a line break ("<li>name<br>what it does</li>").
	cont bool
	// lead is the text of the emphasis or code element a list item opens
	// with ("<li><strong>_ga, _gid</strong> – …"): markup that sets names
	// apart from what is said of them.
	lead string
	// term is a definition list's term (<dt>): its description follows.
	term bool
	// cell is a line of a table cell read as text (a table without a
	// column of names).
	cell bool
	// title is a table's title row, one cell across the table above its
	// header: a title by its place, however many words it has.
	title bool
	// fieldLabel is a line that is only a field's label ("Nombre") in a run
	// of labels and values, one a line: a cookie card copied as text.
	fieldLabel bool
}

// markFieldLabels marks the label lines of cookie cards copied one line a
// field ("Nombre", "elementor", "Caducidad", "persistente", …): short lines
// that a field label's words make up, two lines apart, in a run that has a
// name's label. Such a run is read as the cards its headings would make.
func markFieldLabels(blocks []block) {
	isLabel := func(i int) bool {
		if i < 0 || i >= len(blocks) {
			return false
		}
		b := blocks[i]
		if b.isTable || b.heading > 0 || b.item || b.term || strings.Contains(b.text, ":") || countFields(b.text, 4) > 3 {
			return false
		}
		return roleOf(b.text) != "" && !hasCookieWord(b.text) || roleOf(b.text) == roleName && countFields(b.text, 3) <= 2
	}
	for i := 0; i < len(blocks); {
		if !isLabel(i) {
			i++
			continue
		}
		// A run: labels at i, i+2, … (a label with no value is followed
		// right away by the next label).
		end, named, pairs, inRow, header := i, false, 0, 0, false
		for j := i; isLabel(j); {
			if roleOf(blocks[j].text) == roleName && j+1 < len(blocks) && !isLabel(j+1) {
				// The name's value must look like one: not a capitalised
				// word ("Navn", "Lengd" of a table's header).
				ns := splitNames(blocks[j+1].text)
				named = named || ns != nil && !(plainWord(ns) && startsUpper(blocks[j+1].text))
			}
			end = j
			switch {
			case isLabel(j + 1):
				// A label without its value; three in a row are a
				// table's header copied one cell a line, not cards.
				inRow++
				header = header || inRow >= 2
				j++
			case isLabel(j + 2):
				inRow = 0
				pairs++
				j += 2
			default:
				pairs++
				j = len(blocks)
			}
		}
		if named && pairs >= 2 && !header {
			for k := i; k <= end; k++ {
				if isLabel(k) {
					blocks[k].fieldLabel = true
				}
			}
		}
		i = end + 1
	}
}

// link is an anchor of an HTML page.
type link struct {
	href string // absolute when the base is known
	text string
}

// document is a page reduced to what the parser reads.
type document struct {
	blocks []block
	links  []link
	title  string
	lang   string
	// scripts are the src of script elements; inline holds the text of
	// inline scripts (bounded), where consent platforms keep settings.
	scripts []string
	inline  []string
	// cookieDeclarationElement is true when the page has an element a
	// consent platform fills with its declaration (Cookiebot's
	// id="CookieDeclaration", OneTrust's ot-sdk-cookie-policy).
	cookieDeclarationElement bool
	elementPlatform          string
	// cookiebotID is the data-cbid of Cookiebot's script, when present.
	cookiebotID string
	isHTML      bool
}

// decodeBody turns the body into UTF-8 text: BOMs (UTF-8 and UTF-16), the
// Content-Type charset, a <meta charset>, and otherwise UTF-8 when the bytes
// are valid UTF-8 and Windows-1252 when they are not.
func decodeBody(body []byte, contentType string) (string, error) {
	if looksBinary(body) {
		return "", ErrNotText
	}
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		return string(bytes.ToValidUTF8(body[3:], []byte("\uFFFD"))), nil
	}
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" && utf8.Valid(body) {
		return string(body), nil // nothing to decode or repair
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", fmt.Errorf("decode: %w", err)
	}
	return string(bytes.ToValidUTF8(out, []byte("\uFFFD"))), nil
}

// looksBinary reports whether the start of body holds bytes no text has:
// NUL bytes outside a UTF-16 byte-order mark, or many control bytes.
func looksBinary(body []byte) bool {
	head := body
	if len(head) > 4096 {
		head = head[:4096]
	}
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return false
	}
	ctrl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			ctrl++
		}
	}
	return len(head) > 0 && ctrl*10 > len(head)
}

var htmlStartRE = regexp.MustCompile(`(?i)^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|div|table|p|h[1-6]|section|article|main|ul|meta|title|script)\b`)

// isHTML decides whether a page is HTML from its type and its first bytes.
func isHTML(contentType string, text string) bool {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "html"):
		return true
	case strings.Contains(ct, "text/plain"):
		return false
	}
	head := text
	if len(head) > 2048 {
		head = head[:2048]
	}
	return htmlStartRE.MatchString(head)
}

// embeddedTableRE finds an HTML table inside a text or Markdown file:
// static-site content keeps tables as HTML where Markdown cannot span rows.
var embeddedTableRE = regexp.MustCompile(`(?is)<table\b.*?</table\s*>`)

// inlineTagRE is inline HTML in a text or Markdown line (a link, emphasis,
// a line break). Only these tag names: a placeholder such as
// "_ga_<container-id>" is part of a cookie name.
var inlineTagRE = regexp.MustCompile(`(?i)</?(?:a|abbr|b|br|cite|code|em|font|i|mark|p|small|span|strong|sub|sup|u|div)(?:\s[^<>]{0,500})?\s*/?>`)

// parseText turns a plain-text declaration into blocks, one a line. Lines
// with tabs or pipes between three or more cells are read as tables, and
// HTML tables embedded in the text as the HTML tables they are.
func parseText(text string) *document {
	locs := embeddedTableRE.FindAllStringIndex(text, 100)
	if len(locs) == 0 {
		return parseTextLines(text, looksMarkdown(text))
	}
	markdown := looksMarkdown(text)
	doc := &document{}
	add := func(part *document) {
		for _, b := range part.blocks {
			if len(doc.blocks) < maxBlocks {
				doc.blocks = append(doc.blocks, b)
			}
		}
		doc.links = append(doc.links, part.links[:min(len(part.links), maxLinks-len(doc.links))]...)
	}
	pos := 0
	for _, loc := range locs {
		add(parseTextLines(text[pos:loc[0]], markdown))
		if tdoc, err := parseHTML(text[loc[0]:loc[1]], ""); err == nil {
			add(tdoc)
		}
		pos = loc[1]
	}
	add(parseTextLines(text[pos:], markdown))
	return doc
}

// parseTextLines is parseText for text without embedded HTML tables.
func parseTextLines(text string, markdown bool) *document {
	doc := &document{}
	var table [][]string
	head := 0
	flush := func() {
		if len(table) >= 2 {
			doc.blocks = append(doc.blocks, block{isTable: true, rows: table, head: head})
		} else {
			for _, r := range table {
				doc.blocks = append(doc.blocks, block{text: strings.Join(r, " ")})
			}
		}
		table, head = nil, 0
	}
	for _, line := range strings.Split(text, "\n") {
		if len(doc.blocks) >= maxBlocks {
			break
		}
		if strings.IndexByte(line, '<') >= 0 {
			line = inlineTagRE.ReplaceAllString(line, " ")
		}
		if cells := textCells(line); cells != nil {
			if isMarkdownRule(cells) {
				if len(table) == 1 {
					head = 1
				}
				continue
			}
			if markdown {
				for i := range cells {
					cells[i] = mdInline(cells[i])
				}
			}
			if len(table) < maxTableRows {
				table = append(table, cells)
			}
			continue
		}
		flush()
		if markdown {
			for _, b := range markdownLines(line) {
				if b.text = cleanSpace(b.text); b.text != "" && len(doc.blocks) < maxBlocks {
					doc.blocks = append(doc.blocks, b)
				}
			}
			continue
		}
		line = cleanSpace(line)
		if line == "" {
			continue
		}
		doc.blocks = append(doc.blocks, block{text: line, item: isBullet(line)})
	}
	flush()
	return doc
}

func textCells(line string) []string {
	sep := ""
	switch {
	case strings.Count(line, "\t") >= 2:
		sep = "\t"
	case strings.Count(line, "|") >= 3:
		sep = "|"
	case strings.Count(line, " -> ") >= 2:
		// "name -> provider -> purpose -> expiry", a table written out.
		sep = " -> "
	case strings.Count(line, " → ") >= 2:
		sep = " → "
	default:
		return nil
	}
	var cells []string
	for _, c := range strings.Split(strings.Trim(strings.TrimSpace(line), "|"), sep) {
		cells = append(cells, cleanSpace(c))
		if len(cells) >= maxTableCells {
			break
		}
	}
	if len(cells) < 3 {
		return nil
	}
	return cells
}

func isMarkdownRule(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" {
			return false
		}
	}
	return true
}

var bulletRE = regexp.MustCompile(`^(?:[•·\-–*▪◦]|\d{1,2}[.)])\s`)

func isBullet(line string) bool { return bulletRE.MatchString(line) }

// cleanSpace collapses runs of white space (including no-break spaces) and
// bounds the length of one line.
func cleanSpace(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	appendClean(&b, s, "")
	return b.String()
}

// isClean reports whether cleanSpace would return s unchanged: short
// enough, ASCII with single inner spaces and no control bytes.
func isClean(s string) bool {
	if len(s) > maxLineLen || s == "" {
		return s == ""
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || (c == ' ' && s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// appendClean writes cleanSpace(s) to b, after sep when it is not empty.
func appendClean(b *strings.Builder, s, sep string) {
	if len(s) > maxLineLen {
		s = s[:maxLineLen]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
	}
	wrote := false
	space := false
	for i := 0; i < len(s); {
		// ASCII needs no decoding.
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch r {
		case ' ', '\t', '\n', '\r', '\f', '\v', '\u00a0', '\u2007', '\u202f', '\u200b', '\ufeff':
			space = true
			continue
		}
		if r < 0x20 || r == 0x7f {
			continue
		}
		if space && wrote {
			b.WriteByte(' ')
		}
		if !wrote {
			b.WriteString(sep)
		}
		space = false
		b.WriteRune(r)
		wrote = true
	}
}

// blockAtoms are the elements that start a new line.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true, atom.Li: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Br: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Blockquote: true, atom.Pre: true, atom.Hr: true, atom.Form: true, atom.Fieldset: true,
	atom.Details: true, atom.Summary: true, atom.Figure: true, atom.Figcaption: true,
	atom.Address: true, atom.Caption: true, atom.Body: true, atom.Button: true, atom.Label: true,
}

// leadAtoms are the elements whose text at the start of a list item is
// set apart from the rest (block.lead).
var leadAtoms = map[atom.Atom]bool{atom.Strong: true, atom.B: true, atom.Code: true, atom.Em: true, atom.Kbd: true, atom.Samp: true}

// htmlBuilder walks the DOM into blocks.
type htmlBuilder struct {
	doc     *document
	base    *url.URL
	line    strings.Builder
	heading int
	item    bool
	// itemLines counts the lines of the list item being read.
	itemLines int
	// lead is the current line's opening emphasis (block.lead).
	lead string
	// term: the line being read is a <dt>.
	term bool
	// toggleNext: a checkbox was just read, so the next line is its label
	// (toggleOn, or toggleLocked when checked and disabled).
	toggleNext int
}

// What a checkbox makes of the next line (htmlBuilder.toggleNext).
const (
	toggleNone = iota
	toggleOn
	toggleLocked
)

// maxToggleLabel bounds a category toggle's label.
const maxToggleLabel = 60

// parseHTML turns an HTML page into blocks, links and scripts.
func parseHTML(text, pageURL string) (*document, error) {
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		// The HTML parser refuses pages nested past its limit (512 open
		// elements): an attack or a broken page. Its text is still read,
		// one line per block element, without structure.
		return parseText(htmlText(text)), nil
	}
	b := &htmlBuilder{doc: &document{isHTML: true}}
	if u, err := url.Parse(pageURL); err == nil && pageURL != "" {
		b.base = u
	}
	b.walk(root, 0)
	b.flush()
	return b.doc, nil
}

func (b *htmlBuilder) flush() {
	t := cleanSpace(b.line.String())
	b.line.Reset()
	if t != "" && len(b.doc.blocks) < maxBlocks {
		bl := block{text: t, heading: b.heading, item: b.item, cont: b.item && b.itemLines > 0, lead: b.lead, term: b.term}
		if b.toggleNext != toggleNone {
			if len(t) <= maxToggleLabel && countFields(t, 7) <= 6 {
				// A checkbox's label heads its category's section, as a
				// platform's dialog lays them out.
				bl.toggle, bl.locked, bl.heading = true, b.toggleNext == toggleLocked, 6
			}
			b.toggleNext = toggleNone
		}
		b.doc.blocks = append(b.doc.blocks, bl)
		b.itemLines++
	}
	b.lead = ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n carries the attribute key (a boolean one such
// as checked or disabled needs no value).
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func (b *htmlBuilder) resolve(href string) string {
	href = strings.TrimSpace(href)
	if b.base == nil {
		return href
	}
	u, err := b.base.Parse(href)
	if err != nil {
		return href
	}
	u.Fragment = ""
	return u.String()
}

func (b *htmlBuilder) walk(n *html.Node, depth int) {
	if depth > maxDepth {
		// Past this depth the page is an attack or a mistake; keep its
		// text, not its structure.
		b.line.WriteString(" " + textOf(n, 0))
		return
	}
	switch n.Type {
	case html.TextNode:
		if b.line.Len() < maxLineLen {
			b.line.WriteString(n.Data)
		}
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script:
			if id := attr(n, "data-cbid"); id != "" && b.doc.cookiebotID == "" {
				b.doc.cookiebotID = id
			}
			if src := attr(n, "src"); src != "" {
				b.doc.scripts = append(b.doc.scripts, b.resolve(src))
			} else if n.FirstChild != nil && len(n.FirstChild.Data) <= maxScriptBytes {
				b.doc.inline = append(b.doc.inline, n.FirstChild.Data)
			}
			// Cookiebot's declaration script sits where the declaration
			// will be drawn.
			if strings.Contains(attr(n, "id"), "CookieDeclaration") {
				b.doc.cookieDeclarationElement = true
				b.doc.elementPlatform = "cookiebot"
			}
			return
		case atom.Style, atom.Template, atom.Svg, atom.Noscript, atom.Iframe, atom.Object:
			return
		case atom.Title:
			if b.doc.title == "" {
				b.doc.title = cleanSpace(textOf(n, 0))
			}
			return
		case atom.Html:
			b.doc.lang = attr(n, "lang")
		case atom.Table:
			b.flush()
			b.table(n)
			return
		case atom.Input:
			if strings.EqualFold(attr(n, "type"), "checkbox") {
				b.flush()
				b.toggleNext = toggleOn
				if hasAttr(n, "checked") && hasAttr(n, "disabled") {
					b.toggleNext = toggleLocked
				}
			}
			return
		case atom.A:
			if href := attr(n, "href"); href != "" && len(b.doc.links) < maxLinks {
				b.doc.links = append(b.doc.links, link{href: b.resolve(href), text: cleanSpace(textOf(n, 0))})
			}
		}
		switch id := attr(n, "id"); {
		case id == "CookieDeclaration":
			b.doc.cookieDeclarationElement = true
			b.doc.elementPlatform = "cookiebot"
		case strings.HasPrefix(id, "ot-sdk-cookie-policy"):
			b.doc.cookieDeclarationElement = true
			b.doc.elementPlatform = "onetrust"
		}
		// Complianz renders its cookie policy in elements of its own
		// classes ("cmplz-service-header", "cmplz-dropdown").
		if b.doc.elementPlatform == "" && strings.Contains(attr(n, "class"), "cmplz-") {
			b.doc.elementPlatform = "complianz"
		}
	}
	if label, value, ok := labelValuePair(n); ok {
		// "<li><div>Duration</div><div>1 day</div></li>" (CookieYes's
		// cookie tables): a field of a cookie card, read as the line
		// "Duration: 1 day".
		b.flush()
		b.line.WriteString(label + ": " + value)
		b.flush()
		return
	}
	if pairs := labelValueRun(n); pairs != nil {
		// "<div class=cookie><div>Name</div><div>…</div><div>Cookie-Name</div>
		// <div>PHPSESSID</div>…" (Borlabs's cookie boxes): a card whose
		// labels and values are sibling blocks, read as its lines.
		b.flush()
		for _, lv := range pairs {
			b.line.WriteString(lv[0] + ": " + lv[1])
			b.flush()
		}
		return
	}
	isBlock := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
	level := 0
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			level = int(n.Data[1] - '0')
		}
	}
	if isBlock {
		b.flush()
	}
	prevHeading, prevItem, prevLines := b.heading, b.item, b.itemLines
	if level > 0 {
		b.heading = level
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.Li {
		b.item, b.itemLines = true, 0
	}
	prevTerm := b.term
	if n.Type == html.ElementNode && (n.DataAtom == atom.Dt || n.DataAtom == atom.Dd) {
		b.term = n.DataAtom == atom.Dt
	}
	opensItem := n.Type == html.ElementNode && leadAtoms[n.DataAtom] && strings.TrimSpace(b.line.String()) == ""
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if sameKindAsBefore(c) || c.NextSibling != nil && sameKindAsBefore(c.NextSibling) {
			// A chip of a run: an item of a list.
			b.flush()
			item, lines := b.item, b.itemLines
			b.item, b.itemLines = true, 0
			b.walk(c, depth+1)
			b.flush()
			b.item, b.itemLines = item, lines
			continue
		}
		b.walk(c, depth+1)
	}
	if opensItem {
		b.lead = cleanSpace(b.line.String())
	}
	if isBlock {
		b.flush()
	}
	b.heading, b.item, b.term = prevHeading, prevItem, prevTerm
	if n.Type == html.ElementNode && n.DataAtom == atom.Li {
		b.itemLines = prevLines
	}
}

// table reads the rows of a table; nested tables are read as the text of
// their cell.
func (b *htmlBuilder) table(t *html.Node) {
	var rows [][]string
	// spans holds the cells that rowspan carries into the rows below: by
	// column, the text and how many more rows it covers. A provider named
	// once for its ten cookies belongs to each of them.
	var spans []spanned
	var visit func(n *html.Node, depth int)
	visit = func(n *html.Node, depth int) {
		if depth > maxDepth || len(rows) >= maxTableRows {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Tr {
			var cells []string
			// carried fills the columns a cell above still spans.
			carried := func() {
				for len(cells) < len(spans) && spans[len(cells)].rows > 0 {
					spans[len(cells)].rows--
					cells = append(cells, spans[len(cells)].text)
				}
			}
			own, wide := 0, 0 // the row's own cells, and the columns the last spans
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
					continue
				}
				carried()
				own++
				wide = spanOf(c, "colspan", maxTableCells)
				if len(cells) >= maxTableCells {
					break
				}
				text := cellText(c)
				b.collectLinks(c, 0)
				down := spanOf(c, "rowspan", maxTableRows) - 1
				for range spanOf(c, "colspan", maxTableCells) {
					if len(cells) >= maxTableCells {
						break
					}
					for len(spans) <= len(cells) {
						spans = append(spans, spanned{})
					}
					spans[len(cells)] = spanned{text: text, rows: down}
					cells = append(cells, text)
				}
			}
			carried()
			if own == 1 && wide > 1 && len(cells) == wide {
				// One cell across the table is a title row ("Cookies
				// Essenciais (Necessários)"), not a value of every column.
				cells = cells[:1]
			}
			if len(cells) > 0 {
				rows = append(rows, cells)
			}
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Caption {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Table {
				continue
			}
			visit(c, depth+1)
		}
	}
	visit(t, 0)
	if len(rows) > 0 && len(b.doc.blocks) < maxBlocks {
		b.doc.blocks = append(b.doc.blocks, block{isTable: true, rows: rows})
	}
}

// spanned is a cell that rowspan carries down: its text, and how many rows
// below it still covers.
type spanned struct {
	text string
	rows int
}

// spanOf is a cell's rowspan or colspan: 1 when absent or not a number,
// at most limit.
func spanOf(n *html.Node, key string, limit int) int {
	v, err := strconv.Atoi(strings.TrimSpace(attr(n, key)))
	if err != nil || v < 1 {
		return 1
	}
	return min(v, limit)
}

func (b *htmlBuilder) collectLinks(n *html.Node, depth int) {
	if depth > 50 || len(b.doc.links) >= maxLinks {
		return
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		if href := attr(n, "href"); href != "" {
			b.doc.links = append(b.doc.links, link{href: b.resolve(href), text: cleanSpace(textOf(n, 0))})
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.collectLinks(c, depth+1)
	}
}

// literalAtoms set text apart as a literal (a cookie's name).
var literalAtoms = map[atom.Atom]bool{atom.Code: true, atom.Kbd: true, atom.Samp: true, atom.Tt: true}

// labelValuePair reports a list item that holds exactly two blocks (div,
// p, dt, dd) and no text of its own, the first a short field label ("Cookie", "Duration",
// "Udløb"), as consent platforms lay out a cookie's fields, and returns the
// label and the value.
func labelValuePair(n *html.Node) (label, value string, ok bool) {
	if n.Type != html.ElementNode || n.DataAtom != atom.Li {
		return "", "", false
	}
	var kids []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.Type == html.ElementNode && (c.DataAtom == atom.Div || c.DataAtom == atom.P || c.DataAtom == atom.Dt || c.DataAtom == atom.Dd) && len(kids) < 2:
			kids = append(kids, c)
		default:
			return "", "", false
		}
	}
	if len(kids) != 2 {
		return "", "", false
	}
	label = cleanSpace(textOf(kids[0], 0))
	if roleOf(label) == "" || strings.HasSuffix(label, ".") || countFields(label, 4) > 3 || strings.Contains(strings.TrimSuffix(label, ":"), ":") {
		return "", "", false
	}
	value = cleanSpace(textOf(kids[1], 0))
	if value == "" || len(value) > maxLineLen {
		return "", "", false
	}
	return strings.TrimSuffix(label, ":"), value, true
}

// labelValueRun returns the fields of an element whose child blocks
// alternate a label and its value, three pairs or more, one of them a
// name's: a cookie card laid out in blocks. Nil when it is not one.
func labelValueRun(n *html.Node) [][2]string {
	if n.Type != html.ElementNode || n.DataAtom == atom.Li || n.DataAtom == atom.Table {
		return nil
	}
	var kids []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.Type == html.ElementNode && (c.DataAtom == atom.Div || c.DataAtom == atom.P || c.DataAtom == atom.Dt || c.DataAtom == atom.Dd || c.DataAtom == atom.Span):
			kids = append(kids, c)
		default:
			return nil
		}
		if len(kids) > 24 {
			return nil
		}
	}
	if len(kids) < 6 || len(kids)%2 != 0 {
		return nil
	}
	var pairs [][2]string
	named := false
	for k := 0; k < len(kids); k += 2 {
		label := strings.TrimSuffix(cleanSpace(textOf(kids[k], 0)), ":")
		role := roleOf(label)
		if role == "" || countFields(label, 4) > 3 || strings.Contains(label, ":") {
			return nil
		}
		named = named || role == roleName
		value := cleanSpace(textOf(kids[k+1], 0))
		if value == "" || len(value) > maxLineLen || roleOf(value) != "" && countFields(value, 2) == 1 && splitNames(value) == nil {
			return nil // a value that is another label: not pairs
		}
		pairs = append(pairs, [2]string{label, value})
	}
	if !named {
		return nil
	}
	// Two name labels ("Name: LinkedIn", "Cookie-Name: bcookie, lang"): the
	// one that says cookie names the cookies, the other the service.
	var nameLabels []int
	for k, lv := range pairs {
		if roleOf(lv[0]) == roleName {
			nameLabels = append(nameLabels, k)
		}
	}
	if len(nameLabels) == 2 {
		a, b := nameLabels[0], nameLabels[1]
		ca, cb := hasCookieWord(pairs[a][0]), hasCookieWord(pairs[b][0])
		if ca && !cb {
			a, b = b, a
		}
		if ca != cb {
			// The cookies' field first, since a name opens a card.
			pairs[a][0] = "Service"
			named := pairs[b]
			pairs = append([][2]string{named}, slices.Delete(pairs, b, b+1)...)
		}
	}
	return pairs
}

// sameKindAsBefore reports an element right after a sibling of the same
// tag and class, with no text between: one of a run of chips or badges
// (<span class="cookie">_ga</span><span class="cookie">_gid</span>), which
// the page sets apart by style: one a line, as a list's items are.
func sameKindAsBefore(n *html.Node) bool {
	prev := n.PrevSibling
	if n.Type != html.ElementNode || prev == nil || prev.Type != html.ElementNode || prev.DataAtom != n.DataAtom {
		return false
	}
	if literalAtoms[n.DataAtom] {
		return true // <code>_ga</code><code>_gid</code>
	}
	class := attr(n, "class")
	return class != "" && class == attr(prev, "class")
}

// literalThenNote reports a cell (or its only wrapper) that opens with a
// literal element (code) and goes on only in other elements, no literal
// among them: the literal and the first element after it.
func literalThenNote(cell *html.Node) (lit, rest *html.Node, ok bool) {
	n := cell
	for range 4 {
		var elems []*html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
			case c.Type == html.ElementNode:
				elems = append(elems, c)
			default:
				return nil, nil, false // text of the cell's own
			}
		}
		if len(elems) == 1 && !literalAtoms[elems[0].DataAtom] {
			n = elems[0] // a wrapper (<p>, <div>) around the content
			continue
		}
		if len(elems) < 2 || !literalAtoms[elems[0].DataAtom] {
			return nil, nil, false
		}
		for _, e := range elems[1:] {
			if hasLiteral(e, 0) {
				return nil, nil, false
			}
		}
		return elems[0], elems[1], true
	}
	return nil, nil, false
}

// hasLiteral reports a literal element in n or under it.
func hasLiteral(n *html.Node, depth int) bool {
	if depth > 20 {
		return false
	}
	if n.Type == html.ElementNode && literalAtoms[n.DataAtom] {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasLiteral(c, depth+1) {
			return true
		}
	}
	return false
}

// cellText is the text of a table cell with line breaks where the cell
// breaks lines (<br>, block children), so that "one name a line" survives.
func cellText(n *html.Node) string {
	var sb strings.Builder
	var visit func(n *html.Node, depth int)
	visit = func(n *html.Node, depth int) {
		if depth > maxDepth || sb.Len() > maxLineLen {
			return
		}
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Template:
				return
			}
		}
		isBlock := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
		if isBlock {
			sb.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if sameKindAsBefore(c) {
				sb.WriteByte('\n')
			}
			visit(c, depth+1)
		}
		if isBlock {
			sb.WriteByte('\n')
		}
	}
	if lit, rest, ok := literalThenNote(n); ok {
		// "<code>vp_admin</code><span class=block>cookie</span>": the
		// name, then a note on it (its type), read as "vp_admin (cookie)".
		visit(lit, 0)
		note := cleanSpace(textOf(rest, 0))
		for r := rest.NextSibling; r != nil; r = r.NextSibling {
			note += " " + cleanSpace(textOf(r, 0))
		}
		if note = cleanSpace(note); note != "" {
			sb.WriteString(" (" + note + ")")
		}
		return cleanLines(sb.String())
	}
	visit(n, 0)
	return cleanLines(sb.String())
}

// cleanLines is cleanSpace applied to every line of s, with the lines left
// empty dropped and the rest joined by "\n", in one pass.
func cleanLines(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		sep := ""
		if b.Len() > 0 {
			sep = "\n"
		}
		appendClean(&b, line, sep)
	}
	return b.String()
}

// textOf is the text content of n, bounded.
func textOf(n *html.Node, depth int) string {
	var sb strings.Builder
	var visit func(n *html.Node, depth int)
	visit = func(n *html.Node, depth int) {
		if depth > maxDepth || sb.Len() > maxLineLen {
			return
		}
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
			sb.WriteByte(' ')
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, depth+1)
		}
	}
	visit(n, depth)
	return sb.String()
}

// htmlText is the text of an HTML page with a line break at every block
// element, read by the tokenizer alone, which keeps no tree and so has no
// depth to exceed.
func htmlText(text string) string {
	var sb strings.Builder
	z := html.NewTokenizer(strings.NewReader(text))
	skip := 0
	for sb.Len() < len(text) {
		switch z.Next() {
		case html.ErrorToken:
			return sb.String()
		case html.TextToken:
			if skip == 0 {
				sb.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Template:
				if tt := z.Token().Type; tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			}
			if blockAtoms[a] || a == atom.Tr {
				sb.WriteByte('\n')
			} else if a == atom.Td || a == atom.Th {
				sb.WriteByte('\t')
			}
		}
	}
	return sb.String()
}
