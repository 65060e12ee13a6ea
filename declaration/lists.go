package declaration

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cookiescan/cookiescan/cookie"
)

// Lists without a lifespan line: records of a fixed number of lines (a
// storage key, its type, its description; an app's settings screen), and
// list items that open with the names they describe ("_pk_ses, _pk_cvar
// sparas i 30 minuter …", "_ga: onderscheidt unieke gebruikers").

// findRecords finds runs of records: every period-th line is a lone name
// and the lines between are not, at least three times in a row. It adds
// them to entries and consumed, skipping blocks already consumed.
func (p *parser) findRecords(blocks []block, entries map[int]*headedEntry, consumed map[int]bool) {
	loneName := func(i int) ([]cookieName, bool) {
		b := blocks[i]
		if b.isTable || b.heading > 0 || b.group || b.toggle || consumed[i] || strings.ContainsAny(b.text, " \t") {
			return nil, false
		}
		ns := splitNames(b.text)
		if len(ns) != 1 || stoppedNames(ns) {
			return nil, false
		}
		return ns, true
	}
	for i := 0; i < len(blocks); {
		best, bestLen := 0, 0
		for _, period := range []int{3, 2, 4} {
			n, shaped := 0, 0
			for j := i; j+period <= len(blocks); j += period {
				ns, ok := loneName(j)
				if !ok {
					break
				}
				inner := true
				for k := j + 1; k < j+period; k++ {
					if blocks[k].isTable || blocks[k].heading > 0 || consumed[k] {
						inner = false
						break
					}
					if other, ok := loneName(k); ok && !plainWord(other) {
						inner = false
						break
					}
				}
				if !inner {
					break
				}
				n++
				if !plainWord(ns) {
					shaped++
				}
			}
			// Most keys must have a shape no word has: a run of
			// one-word lines is a plain list, not records.
			if n >= 3 && shaped*3 >= n*2 && n > bestLen {
				best, bestLen = period, n
			}
		}
		if bestLen == 0 {
			i++
			continue
		}
		for r := 0; r < bestLen; r++ {
			j := i + r*best
			ns, _ := loneName(j)
			if plainWord(ns) && p.isVendorName(blocks[j].text) {
				// A service among the keys ("Plausible", then "uses no
				// cookies"): its lines are read as text.
				continue
			}
			var desc []string
			for k := j + 1; k < j+best; k++ {
				desc = append(desc, blocks[k].text)
				consumed[k] = true
			}
			consumed[j] = true
			d := strings.Join(desc, " ")
			entries[j] = &headedEntry{namesIdx: j, lifeIdx: j + best - 1, headingIdx: -1, names: ns, desc: d, vendor: p.vendorIn(d)}
		}
		i += bestLen * best
	}
}

// findDefinitionItems finds list items that hold only cookie names and a
// colon, each described by the paragraph under it ("* `design`:" then
// "Speichert das ausgewählte Design"). An item of names with a shape no word
// has stands on its own; items of plain words count only in a run of three
// or more in which at least half have such a shape, so that a list of
// labels ("Zweck:", "Beispiel:") is not read as names.
func (p *parser) findDefinitionItems(blocks []block, entries map[int]*headedEntry, consumed map[int]bool) {
	// lineBreak: the item's name and its description are lines of one
	// HTML list item; otherwise a Markdown item ends with a colon and the
	// paragraph under it describes it.
	lineBreak := func(i int) bool { return i+1 < len(blocks) && blocks[i+1].cont && !blocks[i].cont }
	namesOf := func(i int) []cookieName {
		if i+1 >= len(blocks) {
			return nil
		}
		b, next := blocks[i], blocks[i+1]
		t := strings.TrimSpace(b.text)
		if !(b.item || b.term) || consumed[i] || b.heading > 0 || b.isTable || consumed[i+1] || next.heading > 0 || next.isTable || next.group || next.toggle {
			return nil
		}
		switch {
		case b.term && !next.term && !next.item:
			// <dt>names</dt><dd>what they do</dd>
			t = strings.TrimSuffix(t, ":")
		case lineBreak(i):
			t = strings.TrimSuffix(t, ":")
		case !strings.HasSuffix(t, ":") || next.item || b.term:
			return nil
		}
		t = strings.ReplaceAll(strings.TrimSpace(strings.TrimSuffix(t, ":")), " + ", ", ")
		if m := labelMatch(t + ":"); m != nil && roleOf(m[1]) != "" {
			return nil
		}
		ns := splitNames(t)
		if ns == nil || stoppedNames(ns) {
			return nil
		}
		return ns
	}
	shaped := func(ns []cookieName) bool { return len(ns) > 1 || !plainWord(ns) }
	for i := 0; i < len(blocks); {
		type item struct {
			at    int
			names []cookieName
		}
		var run []item
		n := 0 // items with a name's shape
		for j := i; j < len(blocks); j += 2 {
			ns := namesOf(j)
			if ns == nil {
				break
			}
			run = append(run, item{j, ns})
			if shaped(ns) {
				n++
			}
		}
		if len(run) == 0 {
			i++
			continue
		}
		plainOK := len(run) >= 3 && n*2 >= len(run)
		for _, it := range run {
			j, ns := it.at, it.names
			// A plain word on an HTML item's first line is as often a
			// service's name ("Umami<br>does not use cookies").
			if (!plainOK || lineBreak(j)) && !shaped(ns) {
				continue
			}
			desc := blocks[j+1].text
			entries[j] = &headedEntry{namesIdx: j, lifeIdx: j + 1, headingIdx: -1, names: ns, desc: desc, life: durationPhrase(desc), vendor: p.vendorIn(desc)}
			consumed[j], consumed[j+1] = true, true
		}
		i = run[len(run)-1].at + 2
	}
}

// conjunctions join the last two names of a list, in our languages.
var conjunctions = map[string]bool{
	"and": true, "og": true, "och": true, "und": true, "en": true, "et": true, "y": true, "e": true, "i": true,
	"ja": true, "oraz": true, "și": true, "şi": true, "és": true, "ir": true, "un": true, "a": true, "&": true, "or": true, "eller": true, "oder": true, "of": true, "ou": true, "o": true,
	"/": true, // "_ga / _ga_*"
}

// leadingNames returns the cookie names a list item opens with, and the
// rest of the item. Names must have a shape no word has (underscores,
// digits inside, placeholders), so that an item opening with an ordinary
// word is not read as names.
func leadingNames(text string) ([]cookieName, string) {
	t := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(text), "•·-–*▪◦ "))
	var names []cookieName
	rest := t
	for rest != "" {
		end := strings.IndexAny(rest, " \t")
		tok := rest
		if end >= 0 {
			tok = rest[:end]
		}
		word := strings.TrimRight(tok, ",;:")
		if len(names) > 0 && conjunctions[strings.ToLower(word)] {
			rest = strings.TrimSpace(strings.TrimPrefix(rest, tok))
			continue
		}
		var parts []string
		for _, s := range strings.Split(word, "/") {
			parts = append(parts, s)
		}
		var got []cookieName
		for _, part := range parts {
			cn, ok := cleanName(part, true)
			if !ok {
				cn, ok = cleanName(part, false)
				if !ok || cn.Pattern == "" {
					got = nil
					break
				}
			}
			got = append(got, cn)
		}
		if got == nil {
			break
		}
		names = append(names, got...)
		rest = strings.TrimSpace(strings.TrimPrefix(rest, tok))
		if strings.HasSuffix(tok, ":") {
			break
		}
	}
	if len(names) == 0 {
		return nil, text
	}
	rest = strings.TrimSpace(strings.TrimLeft(rest, ":–—- "))
	return names, rest
}

// itemNames reads a list item that opens with cookie names. The vendor is
// the one the item names, else the one its lead-in line names; the
// lifespan is the duration the item gives.
func (p *parser) itemNames(b block, leadIn string) bool {
	var names []cookieName
	var rest string
	switch {
	case b.item:
		names, rest = leadingNames(b.text)
		if names == nil {
			names, rest = p.leadNames(b)
		}
	case b.lead != "" && b.heading == 0 && (p.sectionCat != "" || hasCookieWord(leadIn)):
		// A paragraph or card of a cookie section that opens with a name
		// in emphasis ("<div><strong>CookieConsent</strong> Stocke …").
		names, rest = p.leadNames(b)
		if rest == "" {
			return false
		}
	default:
		return false
	}
	// An item of names alone ("- _ga") counts where the line that opens
	// the list speaks of cookies ("Google Analytics may set these
	// cookies:"), not in a list of, say, data fields.
	if names == nil || (rest == "" && !hasCookieWord(leadIn)) {
		return false
	}
	vendor := cmp.Or(p.vendorIn(rest), p.vendorIn(leadIn), p.headingVendor)
	life := ParseLifespan(durationPhrase(rest))
	for _, n := range names {
		p.addCookie(n, vendor, p.sectionCat, p.sectionText, life, rest, "", b.text, "list")
	}
	return true
}

// nameLifespanLine reads a line that opens with cookie names and a
// separator: "name : lifespan" of a list of storage durations ("Durée de
// stockage :", then "_ga : 2 ans"), "name — lifespan — purpose" of a table
// flattened to lines (Complianz), "names (Service): what they do",
// "name Service what it does". The
// names must have a name's shape; the rest must read as a lifespan, unless
// the label above says that is what the values are, or the line stands in
// a cookie section, under a line that speaks of cookies, or a few lines
// after a line that does or a line of names (nearCookies). vendor is the
// service the lines belong to, or "".
func (p *parser) nameLifespanLine(b block, leadIn, vendor string, nearCookies bool) bool {
	if b.item || b.heading > 0 {
		return false
	}
	names, rest := leadingNames(b.text)
	if names == nil {
		names, rest = p.dashedRow(b.text, leadIn, nearCookies)
	}
	if names == nil || rest == "" {
		return false
	}
	between := b.text[:len(b.text)-len(rest)]
	// "_pk_id / _pk_ref (Matomo): …": the service in parentheses after the
	// names, then the separator.
	if strings.HasPrefix(rest, "(") {
		if end := strings.Index(rest, ")"); end > 1 && end < 60 && strings.HasPrefix(strings.TrimSpace(rest[end+1:]), ":") {
			vendor = cmp.Or(strings.TrimSpace(rest[1:end]), vendor)
			between += rest[:end+1] + ":"
			rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest[end+1:]), ":"))
		}
	}
	// "cmplz_functional — 365 dagen — Opslaan van …" (leadingNames took
	// the dash).
	trimmed := strings.TrimSpace(between)
	dashed := strings.HasSuffix(trimmed, "—") || strings.HasSuffix(trimmed, "–") || strings.HasSuffix(trimmed, " -")
	// "_pk_id* Matomo Denne kapselen …": a row flattened to a line, the
	// provider's name right after the cookie's, near a line about cookies.
	vendorFirst := !dashed && nearCookies && p.startsWithVendor(rest)
	if rest == "" || (!dashed && !vendorFirst && !strings.Contains(between, ":")) {
		return false
	}
	lifeText := rest
	if dashed {
		// The lifespan is the part right after the names.
		lifeText, _, _ = cutDash(rest)
	}
	life := ParseLifespan(lifeText)
	if life.Kind == cookie.LifespanUnknown && !isLifespanLabel(leadIn) {
		// Without a lifespan, a line of names and what they do is a
		// cookie's entry only in a cookie section, under a line that
		// speaks of cookies, or after another such line.
		if p.sectionCat == "" && !hasCookieWord(leadIn) && !nearCookies {
			return false
		}
		if lead := strings.TrimSpace(leadIn); strings.HasSuffix(lead, ":") && !hasCookieWord(lead) && !p.isVendorName(strings.TrimSuffix(lead, ":")) {
			return false // under "Example configuration:", a setting, not a cookie
		}
		life = cookie.Lifespan{}
	}
	if v := p.vendorIn(rest); vendor == "" && v != "" {
		vendor = v
	}
	for _, n := range names {
		p.addCookie(n, vendor, p.sectionCat, p.sectionText, life, rest, "", b.text, "list")
	}
	return true
}

// dashedRow reads a table row flattened to "name — lifespan — purpose"
// whose name is a plain word ("elementor — permanent — …"): three parts or
// more, the second only a lifespan, in a cookie context (a retention
// schedule of a privacy policy, "Rechnungen — 10 Jahre — …", is not).
func (p *parser) dashedRow(text, leadIn string, nearCookies bool) ([]cookieName, string) {
	if p.sectionCat == "" && !hasCookieWord(leadIn) && !nearCookies {
		return nil, ""
	}
	name, rest, ok := cutDash(text)
	if !ok || strings.ContainsAny(strings.TrimSpace(name), " \t") {
		return nil, ""
	}
	life, _, ok := cutDash(rest)
	if !ok || countFields(life, 5) > 4 || ParseLifespan(life).Kind == cookie.LifespanUnknown {
		return nil, ""
	}
	cn, ok := cleanName(strings.TrimSpace(name), false)
	if !ok || p.isVendorName(cn.Name) {
		return nil, ""
	}
	return []cookieName{cn}, strings.TrimSpace(rest)
}

// cutDash cuts s at its first dash set apart by spaces (" — ", " – ").
func cutDash(s string) (before, after string, found bool) {
	i := -1
	for _, sep := range []string{" — ", " – "} {
		if j := strings.Index(s, sep); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	if i < 0 {
		return s, "", false
	}
	_, size := utf8.DecodeRuneInString(s[i+1:])
	return s[:i], s[i+2+size:], true
}

// isLifespanLabel reports a line that is only a lifespan label and a colon
// ("Storage duration:", "Durée de stockage des Trackers :").
func isLifespanLabel(line string) bool {
	t := strings.TrimSpace(line)
	if !strings.HasSuffix(t, ":") || len(t) > 60 {
		return false
	}
	low := strings.ToLower(t)
	for _, l := range lifespanLabels {
		if strings.HasPrefix(low, l) {
			return true
		}
	}
	return false
}

// leadNames reads the names an HTML list item opens with in emphasis or
// code ("<strong>next-auth.session-token</strong> (NextAuth) – …"): the
// markup sets them apart, so names without an underscore count, provided
// each has a shape no word has and none is a service's name.
func (p *parser) leadNames(b block) ([]cookieName, string) {
	if b.lead == "" || !strings.HasPrefix(b.text, b.lead) {
		return nil, ""
	}
	ns := splitNames(strings.ReplaceAll(b.lead, " / ", ", "))
	if ns == nil || stoppedNames(ns) {
		return nil, ""
	}
	// Every name has a name's shape, or it stands beside one that has
	// ("PHPSESSID / session"); none is a service.
	shaped := false
	for _, n := range ns {
		if p.isVendorName(n.Name) {
			return nil, ""
		}
		shaped = shaped || !plainWord([]cookieName{n})
	}
	if !shaped {
		return nil, ""
	}
	rest := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(b.text[len(b.lead):]), ":–—- "))
	return ns, rest
}

// vendorIn is the one service a cookie's description names ("… i
// verktøyet Amplitude"), or "" when it names none or several.
func (p *parser) vendorIn(desc string) string {
	if ms := p.vm.Match(desc); len(ms) > 0 && distinctVendors(ms) == 1 {
		return ms[0].Name
	}
	return ""
}

func distinctVendors(ms []VendorMention) int {
	seen := map[string]bool{}
	for _, m := range ms {
		seen[strings.ToLower(m.Canonical)] = true
	}
	return len(seen)
}

// durationPhrase returns the first lifespan a sentence gives, as written:
// "sparas i 13 månader och …" gives "13 månader"; a labelled one
// ("(bewaartermijn: 2 jaar)") gives its value; "" when there is none.
func durationPhrase(s string) string {
	var buf [32][2]int
	locs := tokens(buf[:0], s, 200)
	for i, l := range locs {
		t := strings.ToLower(s[l[0]:l[1]])
		if _, isNum := numberToken(t); !isNum || i+1 >= len(locs) {
			continue
		}
		u := locs[i+1]
		if isUnit(strings.ToLower(s[u[0]:u[1]])) {
			return strings.TrimSuffix(s[l[0]:u[1]], ".")
		}
	}
	low := strings.ToLower(s)
	for _, ph := range sessionPhrases {
		// The last mention: a line that describes a cookie ends with its
		// lifespan ("Gestione sessione PHP Sessione").
		i := strings.LastIndex(low, ph)
		if i < 0 || len(low) != len(s) {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(low[:i]); i > 0 && unicode.IsLetter(r) {
			continue // inside a compound ("besökssession")
		}
		end := i + len(ph)
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !unicode.IsLetter(r) {
				break
			}
			end += size // the whole word ("Sessione", "sesión")
		}
		return s[i:end]
	}
	return ""
}
