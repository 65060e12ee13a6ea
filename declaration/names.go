package declaration

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// maxNameLen bounds a cookie name: real names are short, and a longer token
// is a sentence fragment or an attack on the output.
const maxNameLen = 100

// isTokenChar reports whether c may stand in a cookie name: RFC 6265 allows
// any visible ASCII character except separators.
func isTokenChar(c rune) bool {
	return c < 0x80 && tokenChars[c]
}

var tokenChars = func() (t [0x80]bool) {
	for c := rune(0x21); c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`()<>@,;:\"/[]?={}`, c)
	}
	return t
}()

var (
	multiplicityRE    = regexp.MustCompile(`\s*\[\s*x\s*\d+\s*\]\s*$`)
	multiplicityAllRE = regexp.MustCompile(`\s*\[\s*x\s*\d+\s*\]`)
	// placeholderRE finds the parts of a declared name that stand for many
	// values: "_ga_#", "_hjSession_*", "_ga_<container-id>", "_pk_id.{id}",
	// "AMP_xxxxxxxxxx", "_gac_[id]".
	placeholderRE = regexp.MustCompile(`<[^<>]{1,40}>|\{[^{}]{1,40}\}|\[[^\[\]]{1,40}\]|#+|\*+|x{4,}|X{4,}`)
)

// cookieName is a declared name after cleaning: the name as it will be
// compared, and its pattern when it stands for many names.
type cookieName struct {
	Name    string
	Pattern string // Go regexp, anchored; empty for a literal name
}

// cleanName turns a token from a declaration into a cookie name, or reports
// that it is none. strong asks for the shapes only a cookie name has
// (underscores, dots inside, digits mixed with letters), for tokens found in
// running prose.
func cleanName(tok string, strong bool) (cookieName, bool) {
	tok = strings.TrimSpace(tok)
	if tok != "" && (quoteEnd(tok[0]) || quoteEnd(tok[len(tok)-1])) {
		tok = strings.Trim(tok, "\"'`“”‘’«»„")
	}
	if strings.IndexByte(tok, '[') >= 0 {
		tok = strings.TrimSpace(multiplicityRE.ReplaceAllString(tok, ""))
	}
	if tok == "" || len(tok) > maxNameLen {
		return cookieName{}, false
	}
	if strings.Contains(tok, "://") || (len(tok) >= 4 && strings.EqualFold(tok[:4], "www.")) || strings.HasSuffix(tok, ".") {
		return cookieName{}, false
	}
	literal := tok
	if hasPlaceholder(tok) {
		literal = placeholderRE.ReplaceAllString(tok, "\x00")
	}
	hasLetter := false
	for i, c := range literal {
		if c == 0 {
			continue
		}
		// Storage keys and pixel paths of a declaration's own lists hold
		// ':', '/', '\' and '|' ("persist:root", "rc::a", "ads/ga-audiences");
		// inside a name, not in prose, where they join words.
		if !isTokenChar(c) {
			inner := i > 0 && i < len(literal)-1 && !strong && strings.ContainsRune(`:/\|`, c)
			// A pixel's path may end with its slash ("pagead/1p-conversion/#/").
			pathEnd := c == '/' && i == len(literal)-1 && i > 0 && !strong && strings.IndexByte(literal[:i], '/') > 0
			if !inner && !pathEnd {
				return cookieName{}, false
			}
		}
		if unicode.IsLetter(c) {
			hasLetter = true
		}
	}
	if !hasLetter {
		return cookieName{}, false
	}
	if looksLikeDomain(tok) {
		return cookieName{}, false
	}
	if strong && !strongShape(literal) {
		return cookieName{}, false
	}
	cn := cookieName{Name: tok}
	if strings.ContainsRune(literal, 0) {
		parts := strings.Split(literal, "\x00")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		cn.Pattern = "^" + strings.Join(parts, `[!#$%&'*+\-.^_`+"`"+`|~0-9A-Za-z]+`) + "$"
	}
	return cn, true
}

// exampleWords open a list of names given as examples ("o.a. _ga, _ga_*",
// "e.g. _ga"): abbreviations only, which no cookie name is.
var exampleWords = []string{"e.g.", "eg.", "o.a.", "z.b.", "z. b.", "bijv.", "bv.", "f.eks.", "fx.", "t.ex.", "p.ex.", "p. ex.",
	"np.", "esim.", "např.", "incl.", "inkl.", "u.a.", "bl.a.", "m.fl."}

func trimExampleWord(s string) string {
	if len(s) < 4 || !strings.Contains(s[:min(len(s), 6)], ".") {
		return s
	}
	for _, w := range exampleWords {
		if len(s) > len(w) && strings.EqualFold(s[:len(w)], w) && (s[len(w)] == ' ' || s[len(w)] == '\t') {
			return strings.TrimSpace(s[len(w):])
		}
	}
	return s
}

// quoteEnd reports a byte that may end a quotation mark: an ASCII quote
// or the last byte of a typographic one.
func quoteEnd(c byte) bool {
	return c == '"' || c == '\'' || c == '`' || c >= 0x80
}

// strongShape reports whether a token has a shape that ordinary words in a
// sentence do not: a leading underscore, an underscore between characters,
// or a dot between two letters in a token that is not a domain
// ("Dynamicweb.VisitorID").
func strongShape(tok string) bool {
	if strings.HasPrefix(tok, "_") {
		return len(strings.Trim(tok, "_")) >= 2
	}
	if i := strings.IndexByte(tok, '_'); i > 0 && i < len(tok)-1 {
		return true
	}
	return false
}

// commonTLDs are endings that make a token a host name, not a cookie name.
var commonTLDs = []string{".com", ".net", ".org", ".dk", ".de", ".se", ".no", ".nl", ".fr", ".eu", ".io", ".co.uk", ".info"}

func looksLikeDomain(tok string) bool {
	if strings.IndexByte(tok, '.') < 0 {
		return false
	}
	low := strings.ToLower(tok)
	for _, t := range commonTLDs {
		if strings.HasSuffix(low, t) && len(low) > len(t) {
			return true
		}
	}
	return false
}

// splitNames splits a cell or line that lists cookie names: "datr, locale,
// reg_fb_gate", "_ga; _gid", one name per line. It returns nil when any part
// is not a cookie name, so that a sentence is never read as a list.
func splitNames(s string) []cookieName {
	if strings.IndexByte(s, '[') >= 0 {
		s = multiplicityAllRE.ReplaceAllString(s, "")
	}
	s = trimExampleWord(strings.TrimSpace(s))
	if s == "" {
		return nil
	}
	// One word without separators, notes or placeholders (most name
	// cells): the name itself, or none.
	if !strings.ContainsAny(s, ",;\n|[( \t") && countFields(s, 2) == 1 {
		if cn, ok := cleanName(s, false); ok {
			return []cookieName{cn}
		}
		return nil
	}
	// "||" joins the parts of one storage name (Cookiebot writes an
	// IndexedDB store "database||store"); a single "|" separates names.
	joined := strings.Contains(s, "||")
	if joined {
		s = strings.ReplaceAll(s, "||", "\x01\x01")
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '|' })
	for i, p := range parts {
		if joined {
			p = strings.ReplaceAll(p, "\x01\x01", "||")
		}
		parts[i] = dropAnnotation(p)
	}
	if len(parts) == 1 {
		if cn, ok := sizedPlaceholder(parts[0]); ok {
			return []cookieName{cn}
		}
		// Several strong-shaped names may also be separated by spaces or
		// the language's "and" ("_ga _gid", "_ga og _gid"); plain words
		// separated by spaces are a phrase.
		fields := strings.Fields(parts[0])
		if len(fields) == 2 && fields[1] == "*" {
			// "_ga *": a name family with its wildcard set apart; the
			// name stays as written, the pattern is the family's.
			if cn, ok := cleanName(fields[0]+"*", false); ok && cn.Pattern != "" {
				cn.Name = strings.TrimSpace(parts[0])
				return []cookieName{cn}
			}
		}
		if len(fields) > 1 && !spacedPlaceholder(parts[0]) {
			var out []cookieName
			for k, f := range fields {
				if k > 0 && k < len(fields)-1 && conjunctions[strings.ToLower(f)] {
					continue
				}
				cn, ok := cleanName(f, true)
				if !ok {
					return nil
				}
				out = append(out, cn)
			}
			return out
		}
	}
	var out []cookieName
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		// "and"/"og"/"und" before the last name of a list.
		for _, conj := range []string{"and ", "og ", "och ", "und ", "en ", "et ", "& "} {
			p = strings.TrimPrefix(p, conj)
		}
		if cn, ok := sizedPlaceholder(p); ok {
			out = append(out, cn)
			continue
		}
		if fs := strings.Fields(p); len(fs) == 3 && conjunctions[strings.ToLower(fs[1])] {
			// "_gid och _gat" after a comma: the last two names of a list.
			a, okA := cleanName(fs[0], true)
			b, okB := cleanName(fs[2], true)
			if okA && okB {
				out = append(out, a, b)
				continue
			}
		}
		if strings.ContainsAny(p, " \t") {
			// A name written with its multiplicity or a placeholder with
			// spaces is still one name; anything else is a phrase.
			if multiplicityRE.MatchString(p) {
				p = multiplicityRE.ReplaceAllString(p, "")
			}
			if !spacedPlaceholder(p) {
				return nil
			}
		}
		cn, ok := cleanName(p, false)
		if !ok {
			return nil
		}
		out = append(out, cn)
	}
	return out
}

// sizedKinds are the words that, with a length, stand for a name made of
// that many characters of a kind: Cookiebot writes a session cookie named by
// 32 hexadecimal digits "hex (32)".
var sizedKinds = map[string]string{
	"hex": "[0-9A-Fa-f]", "hexadecimal": "[0-9A-Fa-f]", "numeric": "[0-9]", "digits": "[0-9]", "number": "[0-9]",
	"alphanumeric": "[0-9A-Za-z]", "alnum": "[0-9A-Za-z]", "random": tokenClass, "string": tokenClass,
	"base64": "[0-9A-Za-z+/=_-]", "uuid": "[0-9A-Fa-f-]", "guid": "[0-9A-Fa-f-]", "hash": "[0-9A-Za-z]",
}

// tokenClass is any character a cookie name may hold.
const tokenClass = `[!#$%&'*+\-.^_` + "`" + `|~0-9A-Za-z]`

// sizedPlaceholder reads a whole name written as a kind of character and
// a length, "hex (32)" or "hex(32)": a pattern of that many characters.
func sizedPlaceholder(p string) (cookieName, bool) {
	p = strings.TrimSpace(p)
	open := strings.IndexByte(p, '(')
	if open <= 0 || !strings.HasSuffix(p, ")") {
		return cookieName{}, false
	}
	class, ok := sizedKinds[strings.ToLower(strings.TrimSpace(p[:open]))]
	n, err := strconv.Atoi(strings.TrimSpace(p[open+1 : len(p)-1]))
	if !ok || err != nil || n < 1 || n > maxNameLen {
		return cookieName{}, false
	}
	return cookieName{Name: p, Pattern: fmt.Sprintf("^%s{%d}$", class, n)}, true
}

// dropAnnotation removes a note in parentheses after a name ("cart
// (lokal lagring)", "_ga (Google)"); a bare count or size ("hex (32)") is
// part of how the name is written and stays.
func dropAnnotation(p string) string {
	t := strings.TrimSpace(p)
	if !strings.HasSuffix(t, ")") {
		return p
	}
	i := strings.LastIndex(t, "(")
	if i <= 0 {
		return p
	}
	note := t[i+1 : len(t)-1]
	if !strings.ContainsFunc(note, unicode.IsLetter) {
		return p
	}
	return strings.TrimSpace(t[:i])
}

// spacedPlaceholder reports one name whose spaces are all inside its
// placeholders ("_hjSession_<site id>", "wp_[hex (32)]").
func spacedPlaceholder(p string) bool {
	return hasPlaceholder(p) && !strings.ContainsAny(strings.TrimSpace(placeholderRE.ReplaceAllString(p, "x")), " \t")
}

// hasPlaceholder is a cheap test before placeholderRE.
func hasPlaceholder(s string) bool {
	return strings.ContainsAny(s, "<{[#*") || strings.Contains(s, "xxxx") || strings.Contains(s, "XXXX")
}
