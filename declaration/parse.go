package declaration

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cookiescan/cookiescan/cookie"
)

// Bounds on the text kept with each entry.
const (
	maxSourceText   = 300
	maxPurposeText  = 500
	maxLifespanText = 200
	maxCookies      = 10000
	maxVendors      = 2000
)

// Options configures Parse. A zero field means its default.
type Options struct {
	// Vendors recognises vendor names in prose; nil means a ListMatcher
	// over DefaultVendors.
	Vendors VendorMatcher
}

func (o Options) matcher() VendorMatcher {
	if o.Vendors != nil {
		return o.Vendors
	}
	return NewListMatcher(DefaultVendors())
}

// Parse reads a published cookie declaration (HTML or plain text, in any
// common encoding) into what it declares. It returns ErrNotText for binary
// data, and the declaration with ErrNoDeclaration when the page names no
// cookie, vendor or category: a page without a declaration.
func Parse(page *Page, opts Options) (*cookie.Declaration, error) {
	d, _, err := parsePage(page, opts.matcher())
	return d, err
}

// parsePage parses a page and also returns its document, which Read and
// Discover use for links and consent platform scripts.
func parsePage(page *Page, vm VendorMatcher) (d *cookie.Declaration, doc *document, err error) {
	if page == nil {
		return nil, nil, errors.New("declaration: parse: no page")
	}
	where := page.FinalURL
	if where == "" {
		where = page.URL
	}
	// A page is hostile input: a fault of the reader on one page costs
	// that page's declaration, never the scan that reads it.
	defer func() {
		if r := recover(); r != nil {
			d, doc = nil, nil
			err = fmt.Errorf("declaration: %s: %w (%v); the page was not read, please report it", where, ErrReaderFault, r)
		}
	}()
	text, err := decodeBody(page.Body, page.ContentType)
	if err != nil {
		return nil, nil, fmt.Errorf("declaration: parse %s: %w", where, err)
	}
	platform := ""
	if isScript(page) {
		// A consent platform's declaration script: its string literals
		// hold the declaration's HTML.
		text = scriptHTML(text, DefaultMaxBytes)
		if cookiebotCDRE.MatchString(where) || cookiebotCDRE.MatchString(page.URL) {
			platform = "cookiebot"
		}
		doc, err = parseHTML(text, where)
		if err != nil {
			return nil, nil, fmt.Errorf("declaration: parse %s: %w", where, err)
		}
	} else if isHTML(page.ContentType, text) {
		doc, err = parseHTML(text, where)
		if err != nil {
			return nil, nil, fmt.Errorf("declaration: parse %s: %w", where, err)
		}
	} else {
		doc = parseText(text)
	}
	var p *parser
	d, p = parseDocument(doc, vm)
	d.URL = where
	p.dropOwnVendors(d)
	d.Platform = platform
	if d.Platform == "" {
		d.Platform = doc.elementPlatform
	}
	if d.Platform == "complianz" {
		functionalIsNecessary(d)
	}
	if d.Title == "" {
		d.Title = bound(doc.title, maxSourceText)
	}
	if len(d.Cookies) == 0 && len(d.Vendors) == 0 && len(d.Categories) == 0 {
		return d, doc, fmt.Errorf("declaration: parse %s: %w", where, ErrNoDeclaration)
	}
	return d, doc, nil
}

// functionalIsNecessary reads a Complianz policy's "Functional" category
// as what Complianz makes it: the always-active one, "strictly necessary"
// in its own words, beside a Preferences category of its own. Elsewhere
// "functional" means preferences, as Cookiebot and OneTrust use it.
func functionalIsNecessary(d *cookie.Declaration) {
	changed := false
	for i := range d.Cookies {
		if c := &d.Cookies[i]; c.Category == cookie.Preferences && functionalText(c.CategoryText) {
			c.Category, changed = cookie.Necessary, true
		}
	}
	for i := range d.Vendors {
		if v := &d.Vendors[i]; v.Category == cookie.Preferences && functionalText(v.CategoryText) {
			v.Category, changed = cookie.Necessary, true
		}
	}
	if !changed {
		return
	}
	present := map[cookie.Category]bool{}
	for _, c := range d.Cookies {
		present[c.Category] = true
	}
	for _, v := range d.Vendors {
		present[v.Category] = true
	}
	cats := d.Categories[:0]
	for _, c := range cookie.Categories() {
		if present[c] || (c != cookie.Preferences && slices.Contains(d.Categories, c)) {
			cats = append(cats, c)
		}
	}
	d.Categories = cats
}

// functionalText reports words that name the functional category and not
// the preferences one ("Functional", "Funktional", "Functioneel").
func functionalText(t string) bool {
	low := strings.ToLower(t)
	has := func(stems []string) bool {
		return slices.ContainsFunc(stems, func(st string) bool { return strings.Contains(low, st) })
	}
	return has(functionalStems) && !has(preferenceStems)
}

// vendorEntry is a vendor named by the declaration, merged over spellings.
type vendorEntry struct {
	name, canonical string
	explicit, def   cookie.Category
	explicitText    string
	source          string
	// namedForCookie is true once the name comes from a cookie entry: the
	// spelling used for cookies is the one to show.
	namedForCookie bool
}

type cookieEntry struct {
	c           cookie.Declared
	canonical   string
	explicitCat bool
	// notNecessary: its row answers that it is not necessary ("Nødvendig:
	// No", "Requires consent: Yes"), so it takes no necessary category
	// from its vendor's other rows.
	notNecessary bool
}

// headedEntry is a group of a headed list: names, a description, a lifespan.
type headedEntry struct {
	namesIdx, lifeIdx int
	headingIdx        int // -1 when no heading stands right above
	names             []cookieName
	desc, life        string
	vendor            string
	group             bool // vendor is the platform's provider group
}

// card is a "Name: …, Provider: …, Expiry: …" group being read.
type card struct {
	fields map[string]string
	where  string
	// named is a card whose name is the heading above its fields; it is a
	// cookie's entry only when a field says how long it lasts or what it is.
	named bool
	// title is what a "Name" field gave that is no cookie name ("Session
	// Cookie"); the card waits for a field that names the cookie.
	title string
}

// headingState is the vendor heading in force (parser.headingVendor and
// what goes with it).
type headingState struct {
	vendor  string
	level   int
	unknown bool
}

// isNameHeading reports a heading that is nothing but cookie names with a
// shape no ordinary word has ("_utmb", "__cf_bm"): a heading such as
// "Analytics" or "Google" above labelled fields is a section, not a name.
func isNameHeading(text string) bool {
	if hasCookieWord(text) {
		return false // "Statistik-Cookies"
	}
	if _, ok := firstCategory(text); ok {
		return false
	}
	ns := splitNames(text)
	return ns != nil && !stoppedNames(ns) && !plainWord(ns) && countFields(text, 6) <= 5
}

// sectionState is the category section being read.
type sectionState struct {
	sectionCat   cookie.Category
	sectionLevel int
	// sectionText is the heading that states sectionCat; sectionToggle is
	// true when it is a platform's category toggle.
	sectionText   string
	sectionToggle bool
	// sectionFresh: the last line read was the section's title.
	sectionFresh bool
}

type parser struct {
	vm VendorMatcher

	sectionState
	// listOfCookies is set while the items of a list whose lead-in speaks
	// of cookies are read ("Some services may set their own cookies:"):
	// a service an item names is a cookie vendor, as in a sentence about
	// cookies.
	listOfCookies bool
	// rowNotNecessary is set while a table row that answers "not
	// necessary" adds its cookies.
	rowNotNecessary bool
	// cookiePart is the level of the outermost heading about cookies in
	// force, 0 when none: the services' headings under it are declared.
	cookiePart int
	// cookieHeading is the level of the heading in force that speaks of
	// cookies ("Kolmansien osapuolten evästeet"), 0 when none: the services
	// its sentences name are named in a cookie context.
	cookieHeading int
	// headingVendor is the vendor a heading above a table names, for tables
	// without a provider column.
	headingVendor  string
	vendorLevel    int  // the heading level of headingVendor
	headingUnknown bool // headingVendor is known to no vendor list: it names cards only

	cats      map[cookie.Category]bool
	vendors   []*vendorEntry
	vendorIdx map[string]*vendorEntry
	cookies   []*cookieEntry
	cookieIdx map[string]bool

	card         *card
	pendingLabel string
	// nameHeading is a heading (or a bold line alone) that was only a
	// cookie's name, kept for the line after it: when that line is a field
	// of a card ("Duración: 30 minutos"), the heading is the card's name.
	nameHeading string
	beforeName  headingState

	rejectTrue, rejectFalse bool
	consentDays             float64
	links                   []string
	linkSet                 map[string]bool
	language                string
	// canonicalCache memoises vendorOf: table rows repeat providers;
	// cells and vendorNameMemo memoise what cells look like.
	canonicalCache map[string]canonicalName
	cells          map[string]cellInfo
	vendorNameMemo map[string]bool
	lifeMemo       map[string]cookie.Lifespan
}

// nearCookieLines is how far below a line about cookies (or a line of
// names) a line of names without a lifespan still counts as a cookie's
// entry: the rows of a flattened table under their service's heading.
const nearCookieLines = 6

func parseDocument(doc *document, vm VendorMatcher) (*cookie.Declaration, *parser) {
	p := &parser{
		vm: vm, cats: map[cookie.Category]bool{}, vendorIdx: map[string]*vendorEntry{},
		cookieIdx: map[string]bool{}, linkSet: map[string]bool{}, canonicalCache: map[string]canonicalName{},
	}
	doc.blocks = regroupCellLines(doc.blocks)
	// The memo of cells is sized for the cells whose shape is read, and
	// the document's whole text (for its language and hash) for that
	// text, so that neither grows by copying.
	cells, size := 0, 0
	for _, b := range doc.blocks {
		size += len(b.text) + 1
		if b.isTable && len(b.rows) > 0 {
			cells += min(len(b.rows), maxShapeRows+1) * len(b.rows[0])
			for _, r := range b.rows {
				for _, c := range r {
					size += len(c) + 1
				}
			}
		}
	}
	p.cells = make(map[string]cellInfo, min(cells/2, maxShapeMemo))
	markFieldLabels(doc.blocks)
	entries, consumed := p.findEntries(doc.blocks)
	p.findRecords(doc.blocks, entries, consumed)
	p.findDefinitionItems(doc.blocks, entries, consumed)
	var all strings.Builder
	all.Grow(size)
	leadIn, service := "", ""
	// cookieLineAt is the last block that spoke of cookies or named them.
	cookieLineAt := -nearCookieLines - 1
	for i, b := range doc.blocks {
		if b.isTable {
			p.closeCard()
			// The description right before a table is the nearest word
			// on its category; it holds for that table only.
			before := p.sectionState
			introduced := i > 0 && !doc.blocks[i-1].isTable && p.introduce(doc.blocks[i-1].text)
			p.table(b.rows, b.head)
			if introduced {
				p.sectionState = before
			}
			for _, r := range b.rows {
				for k, c := range r {
					if k > 0 {
						all.WriteByte(' ')
					}
					all.WriteString(c)
				}
				all.WriteByte('\n')
			}
			continue
		}
		all.WriteString(b.text)
		all.WriteByte('\n')
		if e, ok := entries[i]; ok {
			p.closeCard()
			p.emitEntry(e, doc.blocks)
		}
		if consumed[i] {
			continue
		}
		if p.itemNames(b, leadIn) {
			continue
		}
		if hasCookieWord(b.text) {
			cookieLineAt = i
		}
		// A lead-in that introduces something else ("Example
		// configuration:") ends the nearness.
		near := i-cookieLineAt <= nearCookieLines && !(strings.HasSuffix(strings.TrimSpace(leadIn), ":") && !hasCookieWord(leadIn))
		if p.nameLifespanLine(b, leadIn, service, near) {
			cookieLineAt = i
			continue
		}
		if !b.item {
			leadIn = b.text
			// A short line that opens with a known service names whose
			// lines of storage durations follow ("Google Analytics 4
			// (Google Ireland Limited)").
			if ms := p.vm.Match(b.text); len(ms) > 0 && ms[0].Start == 0 && countFields(b.text, 9) <= 8 && !strings.HasSuffix(b.text, ".") {
				service = ms[0].Name
			}
		}
		if b.heading > 0 {
			service = ""
		}
		p.listOfCookies = b.item && strings.HasSuffix(strings.TrimSpace(leadIn), ":") && cookieWords.in(strings.ToLower(leadIn))
		if b.heading > 0 {
			// The outermost heading about cookies holds for the services'
			// headings under it ("Facebook (Pixel)" under "Cookie di terze
			// parti" is one of its parts).
			switch {
			case hasCookieWord(b.text) && (p.cookiePart == 0 || b.heading <= p.cookiePart):
				p.cookiePart = b.heading
			case !hasCookieWord(b.text) && b.heading <= p.cookiePart:
				p.cookiePart = 0
			}
			switch {
			case hasCookieWord(b.text):
				p.cookieHeading = b.heading
			case b.heading <= p.cookieHeading:
				p.cookieHeading = 0
			}
		}
		p.line(b)
	}
	p.closeCard()
	if doc.isHTML {
		p.htmlLinks(doc.links)
	}
	d := p.result()
	d.Language = detectLanguage(doc.lang, all.String())
	sum := sha256.Sum256([]byte(cleanSpace(all.String())))
	d.TextHash = hex.EncodeToString(sum[:])
	return d, p
}

// findEntries finds the groups of a headed list: a line of cookie names, a
// description, and a lifespan line, under a vendor heading that may cover
// several groups.
func (p *parser) findEntries(blocks []block) (map[int]*headedEntry, map[int]bool) {
	entries := map[int]*headedEntry{}
	consumed := map[int]bool{}
	var ordered []*headedEntry
	// groupAt is the provider group a platform's dialog has open at each
	// block: its entries belong to it.
	groupAt := make([]string, len(blocks))
	group := ""
	for i, b := range blocks {
		switch {
		case b.group:
			group = b.text
		case b.toggle || b.heading > 0 || b.isTable:
			group = ""
		}
		groupAt[i] = group
	}
	for i, b := range blocks {
		if b.isTable {
			continue
		}
		life, ok := lifespanLine(b.text)
		if !ok {
			continue
		}
		namesIdx := -1
		var names []cookieName
		for j := i - 1; j >= 0 && i-j <= 6; j-- {
			bj := blocks[j]
			if bj.isTable || consumed[j] || bj.heading > 0 {
				break
			}
			if _, isLife := lifespanLine(bj.text); isLife {
				break
			}
			if m := labelMatch(bj.text); m != nil && roleOf(m[1]) != "" {
				if roleOf(m[1]) == roleName {
					break // a card of labelled fields, read elsewhere
				}
				// A field of the entry ("Type: localStorage") between its
				// name and its lifespan.
				continue
			}
			// The nearest line of names, unless it is one plain word
			// ("Pending", a one-word description) below a line of names
			// shaped like no word.
			if ns := splitNames(bj.text); ns != nil && !stoppedNames(ns) {
				if namesIdx < 0 {
					namesIdx, names = j, ns
					if !plainWord(ns) {
						break
					}
					continue
				}
				// A farther line is the name when it has a name's shape, or
				// when the markup sets it apart as the name ("**qmb**Pending").
				if (!plainWord(ns) || (bj.bold && !blocks[namesIdx].bold)) && !p.isVendorName(bj.text) {
					namesIdx, names = j, ns
				}
				break
			}
		}
		if namesIdx < 0 {
			continue
		}
		e := &headedEntry{namesIdx: namesIdx, lifeIdx: i, headingIdx: -1, names: names, life: life}
		var desc []string
		for k := namesIdx + 1; k < i; k++ {
			desc = append(desc, blocks[k].text)
		}
		e.desc = strings.Join(desc, " ")
		if k := namesIdx - 1; k >= 0 && !blocks[k].isTable && !consumed[k] && p.isVendorHeading(blocks[k]) {
			e.headingIdx = k
		}
		for k := namesIdx; k <= i; k++ {
			consumed[k] = true
		}
		if e.headingIdx >= 0 {
			consumed[e.headingIdx] = true
			e.vendor = trimBareCount(strings.TrimSuffix(blocks[e.headingIdx].text, ":"))
		}
		if g := groupAt[namesIdx]; g != "" {
			e.vendor, e.group = g, true
		}
		entries[namesIdx] = e
		ordered = append(ordered, e)
	}
	// A group without its own heading belongs to the vendor of the group
	// right above it; one that stands apart belongs to none.
	for k, e := range ordered {
		if e.headingIdx >= 0 || e.group {
			continue
		}
		if k > 0 && onlyFieldsBetween(blocks, ordered[k-1].lifeIdx, e.namesIdx) {
			e.vendor = ordered[k-1].vendor
		}
		if v := p.usedBy(e.desc); v != "" {
			e.vendor = v
		}
	}
	// Headings above entries are also where an entry starts; move the entry
	// key to the heading so that it is emitted in reading order.
	for _, e := range ordered {
		if e.headingIdx >= 0 {
			delete(entries, e.namesIdx)
			entries[e.headingIdx] = e
		}
	}
	return entries, consumed
}

// onlyFieldsBetween reports whether the blocks strictly between from and to
// are nothing but labelled fields of an entry ("Type: HTTP" after its
// lifespan), so that the entry at to follows the one ending at from.
func onlyFieldsBetween(blocks []block, from, to int) bool {
	if to <= from {
		return false
	}
	for k := from + 1; k < to; k++ {
		m := labelMatch(blocks[k].text)
		if m == nil {
			return false
		}
		if r := roleOf(m[1]); r == "" || r == roleProvider || r == roleName {
			return false
		}
	}
	return true
}

// opensWithName reports a line of several words whose first has a cookie
// name's shape ("_fbp Pixel di Facebook 3 mesi"): an entry, not a title.
func opensWithName(t string) bool {
	f := strings.Fields(t)
	if len(f) < 2 {
		return false
	}
	cn, ok := cleanName(f[0], true)
	return ok && cn.Pattern == ""
}

// isDisclosureControl reports a short line that shows or hides a
// section's details ("Cookie-Informationen anzeigen").
func isDisclosureControl(t string) bool {
	return countFields(t, 6) <= 5 && disclosureWords.in(strings.ToLower(t))
}

// plainWord reports a single name with the shape of an ordinary word.
func plainWord(ns []cookieName) bool {
	if len(ns) != 1 || ns[0].Pattern != "" {
		return false
	}
	n := ns[0].Name
	return !strongShape(n) && !hasDigitOrUpperInside(n) && !strings.ContainsAny(n, "-.:/") && strings.ToUpper(n) != n
}

func stoppedNames(ns []cookieName) bool {
	return len(ns) == 1 && stopNames[strings.ToLower(ns[0].Name)]
}

// isVendorHeading reports whether a line can be the vendor heading of a
// headed list: short, not a sentence, not a category heading.
func (p *parser) isVendorHeading(b block) bool {
	t := strings.TrimSuffix(strings.TrimSpace(b.text), ":")
	if t != strings.TrimSpace(b.text) && !p.isVendorName(t) {
		return false // a heading that introduces a list ("Servizi Utilizzati:")
	}
	if t == "" || countFields(t, 7) > 6 || utf8.RuneCountInString(t) > 60 {
		return false
	}
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") {
		return false
	}
	if _, ok := lifespanLine(t); ok {
		return false
	}
	if m := labelMatch(t); m != nil && roleOf(m[1]) != "" && roleOf(m[1]) != roleProvider {
		return false // a field of the entry above ("Type: HTTP")
	}
	if r := roleOf(t); r != "" && r != roleName && countFields(t, 3) <= 2 && !p.isVendorName(t) {
		return false // a field's label ("Finalità:", "Purpose")
	}
	if _, ok := categoryHeading(b); ok && !p.isVendorName(t) {
		return false
	}
	// "Own cookies", "Cookies of third parties": a section, not a vendor
	// (Cookiebot, a vendor whose name says cookie, is known).
	if hasCookieWord(t) && !p.isVendorName(t) {
		return false
	}
	return !b.item
}

// usedByPrefixes introduce the vendor that uses a cookie.
var usedByPrefixes = []string{
	"used by ", "set by ", "placed by ", "provided by ", "served by ", "bruges af ", "sættes af ", "anvendes af ",
	"benyttes af ", "verwendet von ", "gesetzt von ", "genutzt von ", "gebruikt door ", "geplaatst door ",
	"används av ", "sätts av ", "brukes av ", "settes av ", "utilisé par ", "déposé par ",
}

// usedBy returns the vendor a description says uses the cookies ("Used by
// Facebook to …"), or "".
func (p *parser) usedBy(desc string) string {
	first := splitSentences(desc)[0]
	low := strings.ToLower(first)
	for _, pre := range usedByPrefixes {
		i := strings.Index(low, pre)
		if i < 0 {
			continue
		}
		rest := first[i+len(pre):]
		if len(rest) > 60 {
			rest = rest[:60]
		}
		if ms := p.vm.Match(rest); len(ms) > 0 && ms[0].Start <= 12 {
			return ms[0].Name
		}
	}
	return ""
}

func (p *parser) emitEntry(e *headedEntry, blocks []block) {
	where := "list"
	if e.vendor != "" {
		where = "list: " + e.vendor
	}
	src := strings.Join([]string{blocks[e.namesIdx].text, e.desc, blocks[e.lifeIdx].text}, " ")
	life := ParseLifespan(e.life)
	for _, n := range e.names {
		p.addCookie(n, e.vendor, p.sectionCat, p.sectionText, life, e.desc, "", src, where)
	}
}

// introduce opens the section of the table after text when text is the
// description of a category (categoryIntro) other than the open section's,
// and reports whether it did.
func (p *parser) introduce(text string) bool {
	cat, words, ok := categoryIntro(text)
	if !ok || cat == p.sectionCat {
		return false
	}
	p.sectionCat, p.sectionLevel, p.sectionText, p.sectionToggle = cat, 0, words, false
	p.cats[cat] = true
	return true
}

// categoryIntro reports a description that opens by naming its category
// and the word cookies ("Strictly necessary cookies help make a website
// usable …", "Statistik-Cookies helfen …"), as a platform's declaration
// introduces each category's table when its title is elsewhere (a tab),
// and returns the category and those opening words.
func categoryIntro(text string) (cookie.Category, string, bool) {
	ws := strings.Fields(text)
	if len(ws) < 5 {
		return "", "", false // a description is a sentence
	}
	for k := 0; k < len(ws) && k < 3; k++ {
		if !hasCookieWord(ws[k]) {
			continue
		}
		opening := strings.Join(ws[:k+1], " ")
		cat, ok := firstCategory(opening)
		return cat, opening, ok
	}
	return "", "", false
}

// categoryHeading reports whether a line heads a category section
// ("Necessary cookies", "Statistik (3)", "Marketing – tracking across sites").
func categoryHeading(b block) (cookie.Category, bool) {
	t := strings.TrimSpace(b.text)
	t = strings.TrimSuffix(t, ":")
	t = trimCountSuffix(t)
	t = strings.TrimLeft(t, "•·-–*▪◦ ")
	most := 7
	if b.title {
		most = 12 // "Cookies Essenciais (Necessários) fundados em nosso legítimo interesse"
	}
	if n := countFields(t, most+1); n == 0 || n > most {
		return "", false
	}
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, ",") {
		return "", false
	}
	if opensWithName(t) {
		return "", false // a row of a table set as text ("cc_shop Settings 1 year Necessary")
	}
	if b.item && b.heading == 0 && !b.bold && !b.title && !hasCookieWord(t) && countFields(t, 4) > 3 {
		return "", false // a purpose in a list ("Funzionalità di base del sito")
	}
	cat, ok := firstCategory(t)
	if !ok {
		return "", false
	}
	if cat == cookie.Preferences && functionalAndNecessary(t) {
		// "Cookies funcionales y técnicas (estrictamente necesarias)":
		// functional in the sense of needed.
		cat = cookie.Necessary
	}
	startsWith := false
	if ws := words(t); len(ws) > 0 {
		_, startsWith = categoryOfWord(ws[0])
		if !startsWith && len(ws) > 1 && enumeratorRE.MatchString(t) {
			_, startsWith = categoryOfWord(ws[1]) // "a) Niezbędne (zawsze aktywne)"
		}
	}
	if b.heading > 0 || hasCookieWord(t) || startsWith {
		return cat, true
	}
	return "", false
}

// endsSection reports whether a line closes the current category section.
func (p *parser) endsSection(b block) bool {
	if b.cell {
		return false // a table's header cell ("Udbyder") is not a new subject
	}
	t := strings.TrimSpace(b.text)
	if b.heading > 0 && !(b.toggle && isDisclosureControl(t)) {
		return p.sectionLevel == 0 || b.heading <= p.sectionLevel
	}
	if t == "" {
		return false // an empty row of a table, a spacer
	}
	if p.sectionToggle {
		// A platform's category toggle holds until the next toggle.
		return false
	}
	if numberedHeadingRE.MatchString(t) && countFields(t, 13) <= 12 && !strings.HasSuffix(t, ".") {
		return true
	}
	if labelMatch(t) != nil {
		return false // a field of an entry or section ("Type: HTTP Cookie")
	}
	if opensWithName(t) {
		return false // an entry that opens with its name ("_fbp Pixel di Facebook 3 mesi")
	}
	if isDisclosureControl(t) {
		return false // a control that opens the section's details ("Cookie-Informationen anzeigen")
	}
	if countFields(t, 8) <= 7 && hasCookieWord(t) && !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, ":") {
		_, names := firstCategory(t)
		return names || countFields(t, 5) > 4 || !listIntroWords.in(strings.ToLower(t))
	}
	// A short title-like line that names no vendor ("Kontakt", "Your
	// rights") starts another subject.
	if countFields(t, 6) <= 5 && startsUpper(t) && !strings.ContainsAny(t[len(t)-1:], ".?!:,;") && !p.isVendorName(t) &&
		!(p.sectionLevel > 0 && (b.item || !b.bold)) {
		// (Under a category heading of the page's own markup, a list item
		// or a plain paragraph is one of the section's points: "Gestione
		// della sessione utente", "Privacybeschermende maatregelen"; a
		// heading or a bold line starts another subject.)
		return true
	}
	return false
}

// line reads one line of text outside tables and headed lists.
func (p *parser) line(b block) {
	text := b.text
	nameHeading := p.nameHeading
	p.nameHeading = ""
	if b.group {
		// A provider group of a platform's dialog: its cookies follow.
		p.closeCard()
		p.headingVendor = text
		return
	}
	// A label heading alone ("Name", "Expiration") announces the value on
	// the next line, as consent platforms lay out their cookie cards.
	if (b.heading > 0 || p.card != nil || b.fieldLabel) && countFields(text, 4) <= 3 && roleOf(text) != "" && (!hasCookieWord(text) || b.fieldLabel) && labelMatch(text) == nil {
		role := roleOf(text)
		if role == roleName {
			p.closeCard()
			p.card = &card{fields: map[string]string{}}
		}
		if p.card != nil {
			p.pendingLabel = role
			return
		}
	}
	if nameHeading != "" && p.card == nil && p.pendingLabel == "" {
		if m := labelMatch(text); m != nil && roleOf(m[1]) != "" && roleOf(m[1]) != roleName {
			p.card = &card{fields: map[string]string{roleName: nameHeading}, named: true}
			if p.headingVendor == nameHeading {
				// The heading was the cookie's, not a service's.
				p.headingVendor, p.vendorLevel, p.headingUnknown = p.beforeName.vendor, p.beforeName.level, p.beforeName.unknown
			}
		}
	}
	if b.heading > 0 {
		p.pendingLabel = "" // a heading is no field's value ("Esempi di Cookie:", then a section's title)
	}
	if p.cardLine(text) {
		return
	}
	if (b.heading > 0 || b.bold) && p.card == nil && isNameHeading(text) {
		// Perhaps a cookie's own heading; the next line tells.
		p.nameHeading = text
		p.beforeName = headingState{p.headingVendor, p.vendorLevel, p.headingUnknown}
	}
	if b.heading > 0 && (p.cookiePart > 0 && b.heading > p.cookiePart || p.sectionCat != "") &&
		countFields(text, 7) <= 6 && !strings.ContainsAny(text, ".?!") {
		// A service's heading in a part about cookies ("Cookie di terze
		// parti", then "Stripe (Pagamenti)"): a service in use, whether or
		// not its cookies are listed.
		for _, m := range p.vm.Match(text) {
			p.addVendor(m.Name, m.Canonical, p.sectionCat, m.Category, text, false)
		}
	}
	switch v := p.vendorOfHeading(text); {
	case v != "" && (b.heading > 0 || p.isVendorHeading(b)):
		p.headingVendor, p.vendorLevel, p.headingUnknown = v, b.heading, false
	case b.heading > 0 && p.vendorLevel > 0 && b.heading > p.vendorLevel:
		// A sub-heading ("Usage", "Sharing data") of the vendor's section.
	case b.heading >= 3 && !strings.HasSuffix(strings.TrimSpace(text), ":") && ((p.isVendorHeading(b) && !p.isCategoryText(text)) ||
		(p.startsWithVendor(text) && countFields(text, 6) <= 5 && !strings.ContainsAny(text, ".?!:"))):
		// A service's own heading, known to no vendor list ("Google Ads
		// Optimization"): the cookie cards below it are its.
		p.headingVendor, p.vendorLevel, p.headingUnknown = strings.TrimSuffix(text, ":"), b.heading, true
	case b.heading > 0:
		p.headingVendor, p.vendorLevel = "", 0
	}
	cat, ok := categoryHeading(b)
	if ok && b.item && b.heading == 0 && !b.bold && p.sectionCat != "" && !hasCookieWord(text) {
		// A point of the section's list of purposes ("Pubblicità
		// personalizzata", "Misurazione efficacia campagne"), not a title.
		ok = false
	}
	if !ok && b.locked {
		// A category the visitor cannot turn off ("Login", checked and
		// disabled) is the one that needs no consent.
		cat, ok = cookie.Necessary, true
	}
	if ok && !p.isVendorName(text) {
		if b.heading == 0 && cat == p.sectionCat && p.sectionLevel > 0 {
			// "Hoe we deze analytische cookies gebruiken" under the
			// heading "Analytische cookies": the same section goes on.
			return
		}
		p.sectionCat, p.sectionLevel, p.sectionText = cat, b.heading, bound(strings.TrimSuffix(text, ":"), 120)
		p.sectionToggle = b.toggle
		p.sectionFresh = true
		p.cats[cat] = true
		if sessionCookiePhrases.in(strings.ToLower(text)) {
			p.cats[cookie.Necessary] = true
		}
		return
	}
	// The short line right under a category's title is a note on it
	// ("Always active", "Toujours actifs", "3 cookies"), not a new subject.
	// A service's name there (in bold, or one the vendor list knows) does
	// start its own part.
	fresh := p.sectionFresh && b.heading == 0 && b.lead == "" && countFields(text, 5) <= 4 && !p.startsWithVendor(text)
	p.sectionFresh = false
	if p.sectionCat != "" && !fresh && p.endsSection(b) {
		p.sectionCat, p.sectionLevel, p.sectionText, p.sectionToggle = "", 0, "", false
	}
	if p.sectionCat != "" || p.listOfCookies || p.cookieHeading > 0 {
		if n, desc, life, ok := inlineEntry(text); ok {
			// "_fbp Pixel di Facebook 3 mesi": a cookie's name, what it
			// does and how long it lasts, set inline as one line.
			vendor := p.headingVendor
			if ms := p.vm.Match(desc); len(ms) > 0 && distinctVendors(ms) == 1 {
				vendor = ms[0].Name
			}
			p.addCookie(n, vendor, p.sectionCat, p.sectionText, life, desc, "", text, "text")
			return
		}
	}
	labelled := false
	if m := labelMatch(text); m != nil {
		labelled = p.vendorLabel(m[1], m[2])
		p.categoryTerm(m[1])
	}
	for _, sep := range []string{" – ", " — ", " - "} {
		if i := strings.Index(text, sep); i > 0 {
			p.categoryTerm(text[:i])
			break
		}
	}
	for _, s := range splitSentences(text) {
		p.sentence(s, labelled)
	}
}

// vendorOfHeading returns the vendor a heading names when the heading is
// little more than the vendor's name.
func (p *parser) vendorOfHeading(text string) string {
	t := strings.TrimSuffix(strings.TrimSpace(text), ":")
	if countFields(t, 6) > 5 {
		return ""
	}
	if p.isVendorName(t) {
		return p.vm.Match(t)[0].Name
	}
	return ""
}

// startsWithVendor reports whether a text opens with a vendor's name
// ("Google Ads Optimization").
func (p *parser) startsWithVendor(t string) bool {
	ms := p.vm.Match(t)
	return len(ms) > 0 && ms[0].Start == 0
}

// isCategoryText reports whether a short text names a category or speaks
// of cookies, as section headings do.
func (p *parser) isCategoryText(t string) bool {
	_, ok := firstCategory(t)
	return ok || hasCookieWord(t)
}

// isVendorName reports whether text is (nearly) only a vendor's name.
func (p *parser) isVendorName(text string) bool {
	t := strings.TrimSuffix(strings.TrimSpace(text), ":")
	if v, ok := p.vendorNameMemo[t]; ok {
		return v
	}
	ms := p.vm.Match(t)
	v := len(ms) > 0 && (ms[0].End-ms[0].Start)*10 >= len(t)*6
	if p.vendorNameMemo == nil {
		p.vendorNameMemo = map[string]bool{}
	}
	if len(p.vendorNameMemo) < maxShapeMemo {
		p.vendorNameMemo[t] = v
	}
	return v
}

// vendorLabel reads "Vendor:" lines: a standalone label in a category
// section names a vendor even when no list knows it ("Dynamicweb:"); a label
// before a description names the vendors the list knows ("Google
// AdWords: By using …").
func (p *parser) vendorLabel(label, rest string) bool {
	label = strings.TrimSpace(label)
	if n := countFields(label, 5); n == 0 || n > 4 || roleOf(label) != "" || strings.ContainsAny(label, ".?!") {
		return false
	}
	ms := p.vm.Match(label)
	if len(ms) > 0 {
		for _, m := range ms {
			p.addVendor(m.Name, m.Canonical, p.sectionCat, m.Category, label+": "+rest, false)
		}
		return true
	}
	if strings.TrimSpace(rest) == "" && p.sectionCat != "" && startsUpper(label) &&
		!hasCookieWord(label) && !listIntroWords.in(strings.ToLower(label)) { // not "Servizi Utilizzati:"
		p.addVendor(label, label, p.sectionCat, "", label+":", false)
		return true
	}
	return false
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= 'A' && r <= 'Z' || (r > 127 && strings.ToUpper(string(r)) == string(r))
}

// categoryTerm reads a category named before a separator ("Analyse
// cookies – …", "3) Tracking-cookies: …").
func (p *parser) categoryTerm(term string) {
	term = strings.TrimLeft(strings.TrimSpace(term), "•·-–*▪◦ ")
	if countFields(term, 7) > 6 || !hasCookieWord(term) {
		return
	}
	if cat, ok := firstCategory(term); ok {
		p.cats[cat] = true
	}
}

// sentence reads vendors, category terms, cookie names in prose, consent
// facts and links from one sentence.
func (p *parser) sentence(s string, labelled bool) {
	low := strings.ToLower(s)
	cookieCtx := cookieWords.in(low)
	var ms []VendorMention
	if lm, ok := p.vm.(*ListMatcher); ok {
		ms = lm.matchLower(s, low)
	} else {
		ms = p.vm.Match(s)
	}
	var neg [][2]int
	if len(ms) > 0 && len(low) == len(s) {
		neg = negatedSpans(low)
	}
	for _, m := range ms {
		if m.NeedsContext && !cookieCtx && !labelled && p.sectionCat == "" && !p.listOfCookies && p.cookieHeading == 0 {
			continue
		}
		if negated(neg, m.Start, m.End) {
			continue // "we do not use Google Analytics"
		}
		p.addVendor(m.Name, m.Canonical, p.sectionCat, m.Category, s, false)
	}
	if cookieCtx {
		for _, cat := range adjacentCategories(low) {
			p.cats[cat] = true
		}
		p.proseNames(s, ms)
	}
	if sessionCookiePhrases.in(low) {
		p.cats[cookie.Necessary] = true
	}
	p.consent(s, low, cookieCtx)
	if cookieCtx && strings.Contains(s, "http") {
		for _, u := range urlRE.FindAllString(s, -1) {
			p.addLink(strings.TrimRight(u, ".,;:!?"), true)
		}
	}
}

// proseNames takes cookie names that running prose names, when they have a
// shape no ordinary word has ("the _ga and _gid cookies").
func (p *parser) proseNames(s string, ms []VendorMention) {
	vendor := ""
	if len(ms) > 0 && distinctVendors(ms) == 1 {
		vendor = ms[0].Name
	} else if len(ms) == 0 && !p.headingUnknown {
		// Prose under a service's own heading speaks of that service.
		vendor = p.headingVendor
	}
	toks := strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '(' || r == ')' || r == '/' || r == '“' || r == '”' || r == '"'
	})
	for k, tok := range toks {
		tok = strings.TrimRight(tok, ".:!?")
		if capitalName(tok) && (k+1 < len(toks) && isCookieWord(toks[k+1]) || k > 0 && isCookieWord(toks[k-1])) {
			// "the NRAGENT cookie", "cookie JSESSIONID": a name in capitals
			// right beside the word cookie.
			if cn, ok := cleanName(tok, false); ok {
				p.addCookie(cn, vendor, p.sectionCat, p.sectionText, cookie.Lifespan{}, "", "", s, "text")
			}
			continue
		}
		// A compound with the word cookie ("de cookie_consent-cookie", "das
		// _ga-Cookie") names the cookie before the hyphen.
		if i := strings.LastIndexByte(tok, '-'); i > 0 {
			if suffix := strings.ToLower(tok[i+1:]); suffix == "cookie" || suffix == "cookies" || suffix == "cookien" || suffix == "cookiet" {
				tok = tok[:i]
			}
		}
		if !strings.Contains(tok, "_") {
			continue // strongShape needs an underscore; skip the costly checks
		}
		if isEmphasis(tok) {
			continue // Markdown's "_cookies_" stresses a word
		}
		if cn, ok := cleanName(tok, true); ok {
			p.addCookie(cn, vendor, p.sectionCat, p.sectionText, cookie.Lifespan{}, "", "", s, "text")
		}
	}
}

// notCookieNames are words in capitals that stand beside "cookie" in prose
// and name no cookie ("HTTP cookies", "GDPR cookie rules").
var notCookieNames = map[string]bool{
	"HTTP": true, "HTTPS": true, "HTML": true, "HTML5": true, "GDPR": true, "CCPA": true, "PECR": true, "DSGVO": true,
	"RGPD": true, "TTDSG": true, "ICO": true, "CNIL": true, "CMP": true, "IAB": true, "TCF": true, "API": true,
	"URL": true, "NOTE": true, "ONLY": true, "THIRD": true, "FIRST": true, "PARTY": true, "THE": true, "THESE": true,
	"THIS": true, "OUR": true, "WHAT": true, "ABOUT": true, "POLICY": true, "FLASH": true, "SAME": true, "SITE": true,
}

// inlineEntry reads a line that is a cookie's entry set inline: a name
// with a shape no word has (or in capitals), a few words on what it does,
// and a lifespan that starts with its number or is a session ("_fbp Pixel
// di Facebook 3 mesi", "PHPSESSID Gestione sessione PHP Sessione").
func inlineEntry(text string) (cookieName, string, cookie.Lifespan, bool) {
	f := strings.Fields(text)
	if len(f) < 3 || len(f) > 14 || strings.HasSuffix(text, ".") || strings.ContainsAny(text, ":;") {
		return cookieName{}, "", cookie.Lifespan{}, false
	}
	n, ok := cleanName(f[0], true)
	if !ok && capitalName(f[0]) {
		n, ok = cleanName(f[0], false)
	}
	if !ok {
		return cookieName{}, "", cookie.Lifespan{}, false
	}
	for k := 1; k <= 3 && k < len(f)-1; k++ {
		tail := strings.Join(f[len(f)-k:], " ")
		r, _ := utf8.DecodeRuneInString(tail)
		if k == 1 && !unicode.IsDigit(r) && !slices.Contains(sessionPhrases, strings.ToLower(tail)) {
			continue
		}
		if k > 1 && !unicode.IsDigit(r) {
			continue
		}
		if l := ParseLifespan(tail); l.Kind != cookie.LifespanUnknown {
			return n, strings.Join(f[1:len(f)-k], " "), l, true
		}
	}
	return cookieName{}, "", cookie.Lifespan{}, false
}

// capitalName reports a word in capitals, digits and underscores of four
// characters or more, the way server frameworks name their cookies
// (JSESSIONID, PHPSESSID, NREUM).
func capitalName(tok string) bool {
	if len(tok) < 4 || notCookieNames[tok] {
		return false
	}
	letters := 0
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c >= 'A' && c <= 'Z':
			letters++
		case c >= '0' && c <= '9', c == '_':
		default:
			return false
		}
	}
	return letters >= 3
}

// isCookieWord reports the word cookie or cookies alone, not in capitals:
// beside a heading's "COOKIE UTILIZZATI" every word is in capitals.
func isCookieWord(tok string) bool {
	if strings.ToUpper(tok) == tok {
		return false
	}
	switch strings.ToLower(strings.TrimRight(tok, ".:!?")) {
	case "cookie", "cookies", "cookien", "cookiet", "cookie-ul", "cookie-urile", "cookie-uri":
		return true
	}
	return false
}

// isEmphasis reports a word between single underscores ("_cookies_"),
// the way Markdown and plain-text writers stress a word: three letters or
// more and nothing else, which no cookie name looks like.
func isEmphasis(tok string) bool {
	if len(tok) < 5 || tok[0] != '_' || tok[len(tok)-1] != '_' {
		return false
	}
	inner := tok[1 : len(tok)-1]
	return utf8.RuneCountInString(inner) >= 3 && !strings.ContainsFunc(inner, func(r rune) bool { return !unicode.IsLetter(r) })
}

// consent reads whether the text promises a reject option and how long
// consent is kept.
func (p *parser) consent(s, low string, cookieCtx bool) {
	if strings.ContainsAny(s, "“\"„«‘'‚") {
		for _, m := range quotedRE.FindAllStringSubmatch(s, -1) {
			if rejectLabels[strings.ToLower(strings.TrimSpace(m[1]))] {
				p.rejectTrue = true
			}
		}
	}
	if !p.rejectTrue && rejectPhrases.in(low) {
		p.rejectTrue = true
	}
	if !cookieCtx {
		return
	}
	if !p.rejectFalse && impliedPhrases.in(low) && consentVerbs.in(low) {
		// "By using the website you accept cookies": continued use is
		// taken as consent, so no refusal is offered.
		p.rejectFalse = true
	}
	if p.consentDays == 0 && consentWords.in(low) && storeVerbs.in(low) {
		if days, ok := maxDuration(s); ok {
			p.consentDays = days
		}
	}
}

// declarationLinkWords in a link's address or text mark a further
// declaration page.
var declarationLinkWords = []string{"cookie", "kakor", "informasjonskapsler", "cookiebeleid", "cookieverklaring"}

func (p *parser) addLink(u string, fromText bool) {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return
	}
	if fromText {
		path := strings.ToLower(pu.Path)
		ok := false
		for _, w := range declarationLinkWords {
			if strings.Contains(path, w) {
				ok = true
			}
		}
		if !ok {
			return
		}
	}
	s := pu.String()
	if !p.linkSet[s] && len(p.links) < 50 {
		p.linkSet[s] = true
		p.links = append(p.links, s)
	}
}

// htmlLinks keeps the anchors of an HTML page that lead to a cookie
// declaration page.
func (p *parser) htmlLinks(links []link) {
	for _, l := range links {
		path := ""
		if u, err := url.Parse(l.href); err == nil {
			path = strings.ToLower(u.Path)
		}
		text := strings.ToLower(l.text)
		for _, w := range declarationLinkWords {
			// A link whose text is a vendor's name ("Cookiebot") leads to
			// the vendor, not to a declaration.
			if strings.Contains(path, w) || (strings.Contains(text, w) && !p.isVendorName(l.text)) {
				p.addLink(l.href, false)
				break
			}
		}
	}
}

// cardLine reads lines of a card ("Name: _ga", "Provider: Google", or a
// label alone with the value on the next line). It returns true when the
// line belonged to a card.
func (p *parser) cardLine(text string) bool {
	if p.pendingLabel != "" {
		role := p.pendingLabel
		p.pendingLabel = ""
		if p.cardField(role, text) {
			return true
		}
	}
	m := labelMatch(text)
	if m == nil {
		p.closeCard()
		return false
	}
	role := roleOf(m[1])
	if role == "" {
		p.closeCard()
		return false
	}
	if role != roleName && p.card == nil {
		return false
	}
	if role == roleName {
		// A whole card on one line: "Name: _ga (Google); Purpose: …;
		// Lifetime: 2 years."
		if fields := inlineFields(m[2]); fields != nil {
			p.closeCard()
			p.card = &card{fields: fields}
			p.closeCard()
			return true
		}
	}
	if strings.TrimSpace(m[2]) == "" {
		p.pendingLabel = role
		return true
	}
	return p.cardField(role, m[2])
}

// inlineFields reads "value; Label: value; Label: value" after a name
// label, or returns nil when the line is not such a card.
func inlineFields(rest string) map[string]string {
	parts := strings.Split(rest, ";")
	if len(parts) < 2 {
		return nil
	}
	f := map[string]string{roleName: strings.TrimSpace(parts[0])}
	for _, part := range parts[1:] {
		m := labelMatch(strings.TrimSpace(part))
		if m == nil {
			continue
		}
		if role := roleOf(m[1]); role != "" && role != roleName && f[role] == "" {
			f[role] = strings.TrimSpace(m[2])
		}
	}
	if len(f) < 2 {
		return nil
	}
	return f
}

// cardField records one field; a name field that holds no cookie name is
// not a card ("3) Tracking-cookies: we keep …") and is left to the prose.
func (p *parser) cardField(role, value string) bool {
	if role == roleName {
		if ns := splitNames(value); ns == nil || plainWord(ns) && p.isVendorName(value) {
			p.closeCard()
			if t := strings.TrimSpace(value); countFields(t, 6) <= 5 && !strings.ContainsAny(t, ".!?") {
				// "Name: Session Cookie" (Borlabs): the cookie's title; its
				// name is a later field ("Cookie-Name: PHPSESSID").
				p.card = &card{fields: map[string]string{}, title: t}
				return true
			}
			return false
		}
		if c := p.card; c == nil || c.title == "" || c.fields[roleName] != "" {
			p.closeCard()
			p.card = &card{fields: map[string]string{}}
		}
	}
	if p.card == nil {
		return false
	}
	value = strings.TrimSpace(value)
	if role == rolePurpose && p.card.fields[roleCategory] == "" && countFields(value, 4) <= 3 {
		// "Finalidad: Analítica": a purpose that is only a category's name
		// is the category, and the description stays the purpose.
		if _, ok := firstCategory(value); ok {
			role = roleCategory
		}
	}
	if role == rolePurpose && p.card.fields[rolePurpose] != "" {
		p.card.fields[role] += " " + value
		return true
	}
	p.card.fields[role] = value
	return true
}

func (p *parser) closeCard() {
	c := p.card
	p.card = nil
	if c == nil {
		return
	}
	if c.named && c.fields[roleExpiry] == "" && c.fields[roleCategory] == "" && c.fields[roleType] == "" {
		return
	}
	if c.fields[roleName] == "" {
		if c.title == "" {
			return
		}
		// A titled card that names no cookie: it may still name services.
		c.fields[roleName] = c.title
	}
	p.row(c.fields, "card")
}

// row adds the cookies of one table row or card.
func (p *parser) row(f map[string]string, where string) {
	names := p.splitNames(f[roleName])
	if names == nil {
		// A row of a cookie table that names no cookie ("Advertentienetwerken
		// (adnxs, mediamath, criteo)", "213.206.117.51 (OpenX)") still
		// names the services whose cookies it stands for.
		p.rowServices(f[roleName])
		p.rowServices(f[rolePurpose])
		return
	}
	if plainWord(names) && p.isVendorName(f[roleName]) {
		// A row of a provider whose cookies it does not name
		// ("Doubleclick | 30 days | …"): the provider is declared.
		p.line(block{text: rowSource(f)})
		return
	}
	// "_ga (Google)": a name with its provider in parentheses.
	front, paren := splitParen(f[roleName])
	vendor := providerName(firstLine(f[roleProvider]))
	if paren != "" && splitNames(f[roleName]) == nil {
		// "Addthis (_atuvc, uid, uvc)": the provider with its names.
		paren = ""
		if vendor == "" {
			vendor = front
		}
	}
	inParens := parenLifespans(f[roleName])
	if vendor == "" && paren != "" && startsUpper(paren) && countFields(paren, 4) <= 3 && inParens == nil {
		vendor = paren
	}
	if strings.Contains(f[roleProvider], "\n") {
		// One provider a line (Cookiebot's rows of a name several
		// services set): every one of them is declared.
		p.rowServices(f[roleProvider])
	}
	var ms []VendorMention
	if f[rolePurpose] != "" {
		ms = p.vm.Match(f[rolePurpose])
	}
	if vendor == "" && len(ms) > 0 && distinctVendors(ms) == 1 {
		// The row's own text names the service that sets the cookie
		// ("Third party cookies from Google Analytics").
		vendor = ms[0].Name
	}
	if len(ms) > 0 {
		// A service a cookie's description names is one the site uses
		// ("Used by Google AdSense to …" in a row of Google's).
		p.declareMentions(f[rolePurpose], ms)
	}
	if vendor == "" && (!p.headingUnknown || where == "card") {
		vendor = p.headingVendor
	}
	cat, catText := p.sectionCat, p.sectionText
	if c, ok := firstCategory(f[roleCategory]); ok && f[roleCategory] != "" {
		cat, catText = c, bound(firstLine(f[roleCategory]), 120)
	} else if f[roleCategory] == "" {
		// "Necessary: Yes", "Requires consent: No": needs no consent.
		for _, flag := range []struct {
			role string
			want bool
		}{{roleNecessaryFlag, true}, {roleConsentFlag, false}} {
			yes, ok := yesNo(f[flag.role])
			switch {
			case ok && yes == flag.want:
				cat, catText = cookie.Necessary, bound(strings.TrimPrefix(f[flag.role+headSuffix]+": ", ": ")+firstLine(f[flag.role]), 120)
			case ok:
				p.rowNotNecessary = true
				defer func() { p.rowNotNecessary = false }()
			}
		}
	}
	if catText != "" {
		p.cats[cat] = true
	}
	lifes := pairLifespans(f[roleExpiry], names)
	src := rowSource(f)
	for i, n := range names {
		if l, ok := inParens[n.Name]; ok && strings.TrimSpace(f[roleExpiry]) == "" {
			lifes[i] = l
		}
		p.addCookie(n, vendor, cat, catText, p.lifespan(lifes[i]), f[rolePurpose], firstLine(f[roleType]), src, where)
	}
}

// parenLifespans reads a name cell whose lines give each name its lifespan
// in parentheses ("__utma (215 days)", "GAPS (< 1 days)"), as the cookie
// lists of one consent platform's older policies do: the lifespan text by
// name, nil when no line is of that form.
func parenLifespans(cell string) map[string]string {
	var out map[string]string
	for line := range strings.SplitSeq(cell, "\n") {
		front, paren := splitParen(line)
		if paren == "" || ParseLifespan(paren).Kind == cookie.LifespanUnknown {
			continue
		}
		ns := splitNames(front)
		if len(ns) != 1 {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[ns[0].Name] = paren
	}
	return out
}

// rowServices declares the services a cell of a cookie table row names.
func (p *parser) rowServices(cell string) {
	if cell == "" {
		return
	}
	if ms := p.vm.Match(cell); len(ms) > 0 {
		p.declareMentions(cell, ms)
	}
}

// declareMentions declares the services ms found in text, the cell of a
// cookie table, unless the text denies them ("we do not use Hotjar").
func (p *parser) declareMentions(text string, ms []VendorMention) {
	low := strings.ToLower(text)
	var neg [][2]int
	if len(low) == len(text) {
		neg = negatedSpans(low)
	}
	for _, m := range ms {
		if !negated(neg, m.Start, m.End) {
			p.addVendor(m.Name, m.Canonical, "", m.Category, bound(text, maxSourceText), false)
		}
	}
}

// namesOfProvider reads a name cell written as a provider with its cookie
// names in parentheses ("Scorecardresearch (UID, UIDR)"). The provider must
// be one the reader knows, or a short capitalised name whose list holds a
// name with a shape no word has: "Affiliate networks (tradedoubler,
// tradetracker)" lists companies, not cookies.
func (p *parser) namesOfProvider(front, paren string) ([]cookieName, bool) {
	if front == "" || paren == "" || !startsUpper(front) || countFields(front, 5) > 4 {
		return nil, false
	}
	ns := splitNames(paren)
	if ns == nil || stoppedNames(ns) {
		return nil, false
	}
	if ms := p.vm.Match(front); len(ms) > 0 && ms[0].Start == 0 {
		return ns, true
	}
	for _, n := range ns {
		if !plainWord([]cookieName{n}) {
			return ns, true
		}
	}
	return nil, false
}

// rowSource is the row's fields joined by " | " on one line, as far as the
// evidence keeps it: maxSourceText bytes and one more, which tells bound
// that the text went on.
func rowSource(f map[string]string) string {
	roles := []string{roleName, roleProvider, rolePurpose, roleExpiry, roleType, roleCategory}
	size := 0
	for _, k := range roles {
		size += len(f[k]) + len(" | ")
	}
	var b strings.Builder
	b.Grow(min(size, maxSourceText+len(" | ")+1))
	for _, k := range roles {
		v := f[k]
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		for i := 0; i < len(v) && b.Len() <= maxSourceText; i++ {
			if c := v[i]; c == '\n' {
				b.WriteByte(' ')
			} else {
				b.WriteByte(c)
			}
		}
		if b.Len() > maxSourceText {
			break
		}
	}
	s := b.String()
	return s[:min(len(s), maxSourceText+1)]
}

// lifespan is ParseLifespan, memoised: tables repeat their lifespans.
func (p *parser) lifespan(text string) cookie.Lifespan {
	if ci, ok := p.cells[text]; ok && ci.hasLife {
		return ci.life
	}
	if l, ok := p.lifeMemo[text]; ok {
		return l
	}
	l := ParseLifespan(text)
	if p.lifeMemo == nil {
		p.lifeMemo = map[string]cookie.Lifespan{}
	}
	if len(p.lifeMemo) < maxShapeMemo {
		p.lifeMemo[text] = l
	}
	return l
}

// splitParen splits "name (note)" into the name and the note.
func splitParen(s string) (string, string) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ")") {
		return s, ""
	}
	i := strings.LastIndex(s, "(")
	if i <= 0 {
		return s, ""
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1 : len(s)-1])
}

// providerName is a provider cell without the host written after the name
// ("PostHog (eu.i.posthog.com)" is PostHog).
func providerName(s string) string {
	if name, note := splitParen(s); note != "" && name != "" && looksLikeHost(note) {
		return name
	}
	return s
}

// respectively is the word that pairs a list of values with a list of
// names, in our languages.
var respectively = map[string]bool{"respectively": true, "henholdsvis": true, "respektive": true, "beziehungsweise": true,
	"bzw": true, "respectievelijk": true, "respectivement": true, "respectivamente": true, "rispettivamente": true,
	"odpowiednio": true, "vastaavasti": true}

// pairLifespans pairs the lifespans of a row with its names: OneTrust
// writes "365 days, 30 days" for two names; one lifespan covers all names.
func pairLifespans(s string, names []cookieName) []string {
	n := len(names)
	out := make([]string, n)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' })
	if n > 1 && len(parts) == n {
		for i := range parts {
			out[i] = strings.TrimSpace(parts[i])
			// "_ga: 2 Jahre, _gid: 24 Stunden": each lifespan keyed by its
			// name, in the names' order.
			if rest, ok := strings.CutPrefix(out[i], names[i].Name+":"); ok {
				out[i] = strings.TrimSpace(rest)
			}
		}
		// "2 years, 10 minutes, 24 hours respectively": the word that
		// says so is no part of the last lifespan.
		last := strings.Fields(out[n-1])
		if len(last) > 1 && respectively[strings.ToLower(strings.Trim(last[len(last)-1], ".()"))] {
			out[n-1] = strings.Join(last[:len(last)-1], " ")
		}
		return out
	}
	for i := range out {
		out[i] = strings.ReplaceAll(strings.TrimSpace(s), "\n", " ")
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// table reads a table: a cookie table when its header names a cookie name
// column and another known column; a table of labelled rows as a card;
// otherwise its cells as lines.
func (p *parser) table(rows [][]string, head int) {
	// Title rows above the header ("Cookies Essenciais (Necessários)", one
	// cell across the table) head it as a heading above it would.
	titles := 0
	for titles < 2 && titles+1 < len(rows) && len(rows[titles]) == 1 {
		titles++
	}
	if len(rows) == 0 || len(rows[titles]) < 2 {
		titles = 0
	}
	if roles, head := p.columnRoles(rows[titles:], max(0, head-titles)); roles != nil {
		for _, r := range rows[:titles] {
			p.line(block{text: r[0], title: true})
		}
		rows = rows[titles:]
		f := map[string]string{} // one row's fields, reused: row keeps none of it
		for _, r := range rows[head:] {
			if len(r) == 1 {
				p.line(block{text: r[0]})
				continue
			}
			clear(f)
			for i, c := range r {
				if role, ok := roles[i]; ok {
					f[role] = c
					if (role == roleNecessaryFlag || role == roleConsentFlag) && head > 0 && i < len(rows[0]) {
						f[role+headSuffix] = firstLine(rows[0][i]) // the question the cell answers
					}
				}
			}
			p.row(f, "table")
		}
		return
	}
	if p.tableOfServices(rows) {
		return
	}
	// Labelled rows: "Name | _ga", "Provider | Google", …
	for _, r := range rows {
		if len(r) == 2 && roleOf(r[0]) != "" {
			p.cardLine(strings.TrimSuffix(r[0], ":") + ": " + strings.ReplaceAll(r[1], "\n", ", "))
			continue
		}
		p.closeCard()
		for _, c := range r {
			for _, l := range strings.Split(c, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					p.line(block{text: l, cell: true})
				}
			}
		}
	}
	p.closeCard()
}

// headSuffix keys the header of a flag column beside its cell in a row's
// fields.
const headSuffix = "/head"

// tableOfServices reads a table of services that has no name column but
// gives each service's cookies in brackets on a line of their own
// ("Service | Finalité | Durée", then "Google Analytics | Analyse …
// (_ga, _gid, _gat) | 2 ans"). It reports whether it read one: the
// header must give the other columns' roles, and a row's bracketed line
// must hold nothing but names.
func (p *parser) tableOfServices(rows [][]string) bool {
	if len(rows) < 2 {
		return false
	}
	header := map[int]string{}
	for i, c := range rows[0] {
		switch r := roleOf(firstLine(c)); r {
		case roleName:
			return false
		case "":
		default:
			header[i] = r
		}
	}
	if len(header) < 2 {
		return false
	}
	type found struct {
		f   map[string]string
		row []string
	}
	var rows2 []found
	for _, r := range rows[1:] {
		names := ""
		for i, c := range r {
			if header[i] == roleProvider {
				continue
			}
			for _, l := range strings.Split(c, "\n") {
				l = strings.TrimSpace(l)
				if len(l) < 3 || l[0] != '(' || l[len(l)-1] != ')' || strings.Count(l, "(") != 1 {
					continue
				}
				inner := l[1 : len(l)-1]
				// One plain word in brackets is a note ("(optional)").
				if ns := splitNames(inner); len(ns) > 0 && !stoppedNames(ns) && (len(ns) > 1 || !plainWord(ns)) &&
					!strings.ContainsAny(strings.Join(strings.Fields(inner), ""), ".:") {
					names = inner
				}
			}
		}
		f := map[string]string{}
		for i, c := range r {
			if role, ok := header[i]; ok {
				f[role] = c
			}
		}
		if names == "" {
			rows2 = append(rows2, found{f: nil, row: r})
			continue
		}
		f[roleName] = names
		rows2 = append(rows2, found{f: f, row: r})
	}
	any := false
	for _, fr := range rows2 {
		if fr.f != nil {
			any = true
		}
	}
	if !any {
		return false
	}
	for _, fr := range rows2 {
		if fr.f == nil {
			for _, c := range fr.row {
				for _, l := range strings.Split(c, "\n") {
					if l = strings.TrimSpace(l); l != "" {
						p.line(block{text: l, cell: true})
					}
				}
			}
			continue
		}
		if v, ok := fr.f[roleProvider]; ok {
			fr.f[roleProvider] = firstLine(v)
		}
		p.row(fr.f, "table")
	}
	return true
}

// vendorOf is the vendor a name stands for (canonical name, usual
// category), memoised: table rows repeat their providers.
func (p *parser) vendorOf(name string) canonicalName {
	if name == "" {
		return canonicalName{}
	}
	if c, ok := p.canonicalCache[name]; ok {
		return c
	}
	c := canonicalName{name: name}
	if ms := p.vm.Match(name); len(ms) > 0 {
		c = canonicalName{name: ms[0].Canonical, cat: ms[0].Category}
	}
	c.key, c.self = strings.ToLower(c.name), selfReference(name)
	if len(p.canonicalCache) < maxVendors {
		p.canonicalCache[name] = c
	}
	return c
}

type canonicalName struct {
	name string
	cat  cookie.Category
	// key is name lower-cased; self is true when the name is the site
	// itself ("this website").
	key  string
	self bool
}

func (p *parser) addVendor(name, canonical string, explicit, def cookie.Category, source string, forCookie bool) {
	text := ""
	if explicit != "" && explicit == p.sectionCat {
		text = p.sectionText
	}
	p.addVendorStated(name, canonical, explicit, text, def, source, forCookie)
}

// addVendorStated is addVendor with the words that state its category.
func (p *parser) addVendorStated(name, canonical string, explicit cookie.Category, explicitText string, def cookie.Category, source string, forCookie bool) {
	if explicit == "" {
		explicitText = ""
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	key := strings.ToLower(canonical)
	if e, ok := p.vendorIdx[key]; ok {
		if e.explicit == "" {
			e.explicit, e.explicitText = explicit, explicitText
		}
		if e.def == "" {
			e.def = def
		}
		if forCookie && !e.namedForCookie {
			e.name, e.namedForCookie = name, true
		}
		return
	}
	if len(p.vendors) >= maxVendors {
		return
	}
	e := &vendorEntry{name: name, canonical: canonical, explicit: explicit, explicitText: explicitText, def: def,
		source: bound(source, maxSourceText), namedForCookie: forCookie}
	p.vendors = append(p.vendors, e)
	p.vendorIdx[key] = e
}

// addCookie records one declared name. catText is the declaration's words
// that state cat (a heading, a category cell); empty when cat is inferred.
func (p *parser) addCookie(n cookieName, vendor string, cat cookie.Category, catText string, life cookie.Lifespan, purpose, typ, source, where string) {
	explicit := catText != "" && cat != ""
	if !explicit {
		catText = ""
	}
	vendor = strings.TrimSpace(vendor)
	v := p.vendorOf(vendor)
	canonical, def := v.name, v.cat
	key := n.Name + "\x00" + v.key
	if p.cookieIdx[key] || len(p.cookies) >= maxCookies {
		return
	}
	p.cookieIdx[key] = true
	if vendor != "" && !v.self {
		var ex cookie.Category
		if explicit {
			ex = cat
		}
		p.addVendorStated(vendor, canonical, ex, catText, def, source, true)
	}
	p.cookies = append(p.cookies, &cookieEntry{
		c: cookie.Declared{
			Name: n.Name, Pattern: n.Pattern != "", PatternRegexp: n.Pattern, Vendor: vendor,
			Category: cat, CategoryText: catText, Lifespan: life, Purpose: bound(strings.ReplaceAll(purpose, "\n", " "), maxPurposeText),
			Type: bound(typ, 40), Source: bound(source, maxSourceText), Where: bound(where, 80),
		},
		canonical:    canonical,
		explicitCat:  explicit,
		notNecessary: p.rowNotNecessary,
	})
}

// selfReferences are what a provider cell says when the cookie is the
// site's own ("Dieser Dienst", "this website"): first party, no vendor.
var selfReferences = map[string]bool{
	"this website": true, "this site": true, "this service": true, "our website": true, "our site": true, "first party": true, "first-party": true,
	"denne hjemmeside": true, "dette websted": true, "denne side": true, "denne tjeneste": true,
	"denna webbplats": true, "den här webbplatsen": true, "denna tjänst": true,
	"dette nettstedet": true, "denne nettsiden": true, "denne tjenesten": true,
	"diese website": true, "diese webseite": true, "dieser dienst": true, "diese seite": true, "unsere website": true,
	"deze website": true, "deze site": true, "deze dienst": true,
	"ce site": true, "ce site web": true, "ce service": true, "notre site": true,
	"este sitio": true, "este sitio web": true, "este servicio": true, "nuestro sitio": true,
	"questo sito": true, "questo servizio": true, "il nostro sito": true,
	"este site": true, "este serviço": true, "o nosso site": true,
	"ta strona": true, "ta witryna": true, "ta usługa": true, "nasza strona": true,
	"tämä sivusto": true, "tämä palvelu": true, "sivustomme": true,
}

func selfReference(vendor string) bool {
	return selfReferences[strings.ToLower(strings.TrimRight(strings.TrimSpace(vendor), ".:"))]
}

// result resolves the categories of cookies that had none from their
// vendor, and assembles the declaration.
func (p *parser) result() *cookie.Declaration {
	compiled := nameCompiler{}
	d := &cookie.Declaration{Cookies: make([]cookie.Declared, 0, len(p.cookies)), Vendors: make([]cookie.DeclaredVendor, 0, len(p.vendors)), Categories: []cookie.Category{}}
	for _, c := range p.cookies {
		if !c.explicitCat && c.canonical != "" {
			if v := p.vendorIdx[strings.ToLower(c.canonical)]; v != nil && !(c.notNecessary && v.category() == cookie.Necessary) {
				// The vendor's section states the category of its cookies;
				// its usual category (from the vendor list) states nothing.
				c.c.Category, c.c.CategoryText = v.category(), v.explicitText
			}
		}
		if c.c.Category != "" {
			p.cats[c.c.Category] = true
		}
		c.c.Names = compiled.names(&c.c)
		d.Cookies = append(d.Cookies, c.c)
		if consentCookieNames[strings.ToLower(c.c.Name)] && p.consentDays == 0 && c.c.Lifespan.Kind == cookie.LifespanBounded {
			p.consentDays = c.c.Lifespan.Days
		}
	}
	for _, v := range p.vendors {
		cat := v.category()
		if cat != "" {
			p.cats[cat] = true
		}
		d.Vendors = append(d.Vendors, cookie.DeclaredVendor{Name: v.name, Canonical: v.canonical, Category: cat, CategoryText: v.explicitText, Source: v.source})
	}
	for _, c := range cookie.Categories() {
		if p.cats[c] {
			d.Categories = append(d.Categories, c)
		}
	}
	switch {
	case p.rejectTrue:
		t := true
		d.RejectOption = &t
	case p.rejectFalse:
		f := false
		d.RejectOption = &f
	}
	d.ConsentLifespanDays = p.consentDays
	d.Links = p.links
	return d
}

// nameCompiler compiles the names of declared cookies, once per spelling
// of a pattern: a declaration that repeats "_pk_id.*" for several domains
// compiles its regexp once.
type nameCompiler map[string][]cookie.DeclaredName

func (nc nameCompiler) names(c *cookie.Declared) []cookie.DeclaredName {
	if !c.Pattern && c.PatternRegexp == "" && !strings.ContainsAny(c.Name, "#*<{") {
		return cookie.CompileNames(c) // literal: nothing to compile
	}
	key := c.Name + "\x00" + c.PatternRegexp
	if c.Pattern {
		key += "\x00p"
	}
	if ns, ok := nc[key]; ok {
		return slices.Clone(ns) // each entry owns its slice; the regexps are shared
	}
	ns := cookie.CompileNames(c)
	nc[key] = ns
	return ns
}

func (v *vendorEntry) category() cookie.Category {
	if v.explicit != "" {
		return v.explicit
	}
	return v.def
}

// bound cuts s to at most n bytes on a rune boundary.
func bound(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// labelMatch splits "Label: value" into the whole text, the label and the
// value, or returns nil.
func labelMatch(s string) []string {
	head := s
	if len(head) > 44 {
		head = head[:44]
	}
	if !strings.ContainsAny(head, ":：") {
		return nil
	}
	// The label runs to the first colon and holds 1 to 40 characters;
	// the value is the rest, from its first non-space, on one line.
	i := strings.IndexAny(s, ":：")
	if i <= 0 || utf8.RuneCountInString(s[:i]) > 40 {
		return nil
	}
	sep := 1
	if s[i] != ':' {
		sep = len("：")
	}
	rest := strings.TrimLeft(s[i+sep:], " \t\n\f\r")
	if strings.IndexByte(rest, '\n') >= 0 {
		return nil
	}
	return []string{s, s[:i], rest}
}
