package cookie

import (
	"regexp"
	"strings"
)

// DeclaredName is one name a declaration gives, ready to match observed
// cookie names: a literal name, or the pattern a placeholder spelling
// stands for ("_ga_#", "_hjSession_*", "_ga_<container-id>").
type DeclaredName struct {
	Name string
	// Re is nil for a literal name. Matching is case-insensitive.
	Re *regexp.Regexp
}

// Matches reports whether the observed cookie name is this declared name.
func (n DeclaredName) Matches(name string) bool {
	if n.Re != nil {
		return n.Re.MatchString(name)
	}
	return strings.EqualFold(n.Name, name)
}

// CompileNames returns the names d declares, compiled once. The declaration
// reader calls it for every entry it emits and keeps the result in d.Names;
// a declaration loaded from JSON has none and is compiled by its user.
//
// A Name listing several names ("__atuvc, loc, dt") gives one entry each: a
// cookie name cannot hold a comma or a semicolon (the browser would cut it
// there), so splitting on them never breaks a real name.
func CompileNames(d *Declared) []DeclaredName {
	var out []DeclaredName
	for _, name := range strings.FieldsFunc(d.Name, func(r rune) bool { return r == ',' || r == ';' }) {
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, DeclaredName{Name: name, Re: declaredPattern(d, name)})
		}
	}
	return out
}

// hasPlaceholder reports whether a declared name uses one of the placeholder
// spellings declarations use for a variable part.
func hasPlaceholder(name string) bool { return strings.ContainsAny(name, "#*<{") }

// declaredPattern returns the regexp a declared name stands for, or nil when
// it is a literal name. PatternRegexp wins when it compiles; placeholders are
// turned into wildcards; a name flagged Pattern without placeholders is a
// prefix.
func declaredPattern(d *Declared, name string) *regexp.Regexp {
	if d.PatternRegexp != "" && !strings.ContainsAny(d.Name, ",;") {
		if re, err := regexp.Compile(`(?i)^(?:` + d.PatternRegexp + `)$`); err == nil {
			return re
		}
		// A bad regexp must not hide the entry: fall back to the name.
	}
	if !hasPlaceholder(name) && !d.Pattern {
		return nil
	}
	var b strings.Builder
	b.WriteString(`(?i)^`)
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '*':
			b.WriteString(`.*`)
		case '#':
			b.WriteString(`.+`)
		case '<', '{':
			closer := byte('>')
			if c == '{' {
				closer = '}'
			}
			if j := strings.IndexByte(name[i:], closer); j > 0 {
				b.WriteString(`.+`)
				i += j
				continue
			}
			b.WriteString(regexp.QuoteMeta(string(c)))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if !hasPlaceholder(name) {
		b.WriteString(`.*`) // Pattern without placeholder: a prefix
	}
	b.WriteString(`$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil
	}
	return re
}
