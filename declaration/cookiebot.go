package declaration

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Cookiebot draws its declaration with a script,
// https://consent.cookiebot.com/<cbid>/cd.js, whose string literals hold the
// declaration's HTML. A page that only carries the widget can still be read
// by fetching that script: the platform's own declaration data.

var (
	cookiebotCDRE = regexp.MustCompile(`(?i)^https?://consent\.cookiebot\.(?:com|eu)/([0-9a-f-]{36})/cd\.js(?:\?.*)?$`)
	cbidRE        = regexp.MustCompile(`(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// cookiebotDeclarationURL returns the address of the Cookiebot declaration
// script a page refers to, or "": the script itself when the page embeds it,
// or one built from the banner's data-cbid when the page has the element
// the declaration is drawn into.
//
// With anyBanner, the banner's data-cbid alone is enough: a site that uses
// Cookiebot has its declaration data at cd.js whether or not this page
// draws it (Discover uses this on the home page).
func cookiebotDeclarationURL(doc *document, anyBanner bool) string {
	if doc == nil {
		return ""
	}
	for _, s := range doc.scripts {
		if cookiebotCDRE.MatchString(s) {
			return s
		}
	}
	if (anyBanner || doc.cookieDeclarationElement) && cbidRE.MatchString(doc.cookiebotID) {
		return "https://consent.cookiebot.com/" + strings.ToLower(doc.cookiebotID) + "/cd.js"
	}
	return ""
}

// isScript reports whether a page is JavaScript rather than a document.
func isScript(page *Page) bool {
	ct := strings.ToLower(page.ContentType)
	if strings.Contains(ct, "javascript") || strings.Contains(ct, "ecmascript") {
		return true
	}
	return cookiebotCDRE.MatchString(page.FinalURL) || cookiebotCDRE.MatchString(page.URL)
}

// scriptHTML gathers the HTML held in a script's string literals, in order,
// so that a declaration drawn by the script can be parsed as a page. Only
// literals that look like markup are kept; the output is bounded by limit.
func scriptHTML(src string, limit int) string {
	var out strings.Builder
	for i := 0; i < len(src) && out.Len() < limit; i++ {
		q := src[i]
		switch q {
		case '/':
			// Skip comments, whose apostrophes would start false literals.
			if i+1 < len(src) && src[i+1] == '/' {
				if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
					i += j
				} else {
					i = len(src)
				}
			} else if i+1 < len(src) && src[i+1] == '*' {
				if j := strings.Index(src[i+2:], "*/"); j >= 0 {
					i += j + 3
				} else {
					i = len(src)
				}
			}
			continue
		case '"', '\'', '`':
		default:
			continue
		}
		lit, end := jsLiteral(src, i)
		i = end
		if strings.Contains(lit, "<") && strings.Contains(lit, ">") {
			out.WriteString(lit)
			out.WriteByte('\n')
		}
	}
	s := out.String()
	if len(s) > limit {
		s = s[:limit]
	}
	return s
}

// jsLiteral reads the string literal that starts with the quote at src[i]
// and returns its value and the index of its closing quote.
func jsLiteral(src string, i int) (string, int) {
	q := src[i]
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		c := src[j]
		if c == q {
			return b.String(), j
		}
		if c == '\n' && q != '`' {
			return b.String(), j
		}
		if c != '\\' || j+1 >= len(src) {
			b.WriteByte(c)
			j++
			continue
		}
		e := src[j+1]
		j += 2
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
		case 'u':
			if j+4 <= len(src) {
				if v, err := strconv.ParseUint(src[j:j+4], 16, 32); err == nil {
					r := rune(v)
					if !utf8.ValidRune(r) {
						r = utf8.RuneError
					}
					b.WriteRune(r)
					j += 4
					continue
				}
			}
			b.WriteByte('u')
		case 'x':
			if j+2 <= len(src) {
				if v, err := strconv.ParseUint(src[j:j+2], 16, 8); err == nil {
					b.WriteRune(rune(v))
					j += 2
					continue
				}
			}
			b.WriteByte('x')
		default:
			b.WriteByte(e)
		}
	}
	return b.String(), j
}
