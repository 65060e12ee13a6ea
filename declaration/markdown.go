package declaration

import (
	"regexp"
	"strings"
)

// Markdown and markdown scrapes of rendered pages: declarations are often
// kept as Markdown (static sites, CMS exports), and a consent platform's
// dialog copied as text keeps its structure only in Markdown syntax:
// headings, bullets, links whose text is a provider group with its count,
// checkboxes after category toggles, and **bold** cookie names running
// into their descriptions. This file turns that syntax into blocks.

var (
	mdImageRE   = regexp.MustCompile(`!\[[^\]]{0,200}\]\([^)]{0,500}\)`)
	mdLinkRE    = regexp.MustCompile(`\[([^\]]{0,200})\]\(([^)\s]{0,500})(?:\s+"[^"]{0,300}")?\)`)
	mdEscapeRE  = regexp.MustCompile(`\\([_*\[\]#\x60\-.!()>+|])`)
	mdHeadingRE = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*$`)
	mdBulletRE  = regexp.MustCompile(`^\s*(?:[-*+•]\s+)+`)
	// mdCheckboxRE is a toggle's checkbox: the text before it labels a
	// section ("Necessary 14- [x]").
	mdCheckboxRE = regexp.MustCompile(`-?\s*\[[xX ]\]`)
	// groupCountRE is a provider or category group with its item count
	// ("Google 6", "Meta Platforms, Inc.7", "Unclassified 7").
	groupCountRE = regexp.MustCompile(`^(\S.{0,80}?)\s*\d{1,4}$`)
	// leadingGroupRE is a group label and count that open a line of text
	// ("Unclassified 7 Unclassified cookies are …").
	leadingGroupRE = regexp.MustCompile(`^(\p{L}[\p{L}\- ]{1,40}?) (\d{1,4}) (\p{Lu}.*)$`)
	mdBoldRE       = regexp.MustCompile(`\*\*([^*]{1,200})\*\*`)
	// mdUnderscoreBoldRE is __strong__ text between word boundaries
	// ("__`_ga`__:"); a name's own leading underscores ("__utma and
	// __utmb") have no closing pair and stay.
	mdUnderscoreBoldRE = regexp.MustCompile(`(^|[\s(\[])__(\S(?:[^\n]{0,200}?\S)?)__($|[\s).,:;!?\]])`)
	// mdUnderscoreItalicRE is _emphasised words_: only with a space inside,
	// since a single _word_ may be a cookie name.
	mdUnderscoreItalicRE = regexp.MustCompile(`(^|[\s(\[])_([^\s_][^_\n]{0,200}?\s[^_\n]{0,200}?[^\s_])_($|[\s).,:;!?\]])`)
)

// looksMarkdown reports whether a text uses Markdown structure.
func looksMarkdown(text string) bool {
	head := text
	if len(head) > 20000 {
		head = head[:20000]
	}
	return strings.Contains(head, "\n#") || strings.HasPrefix(head, "#") || strings.Contains(head, "](") ||
		strings.Contains(head, "**") || strings.Contains(head, "|---") || strings.Contains(head, "| ---") || strings.Contains(head, "|:--")
}

// markdownLines turns one line of Markdown into blocks: a heading, a
// provider group, a category toggle, bold names split from the text they
// run into, and plain lines without inline markup.
func markdownLines(line string) []block {
	raw := strings.TrimRight(line, " \t\r")
	// A backslash at the end of a line is a hard line break, not text.
	if strings.HasSuffix(raw, "\\") && !strings.HasSuffix(raw, "\\\\") {
		raw = strings.TrimRight(raw[:len(raw)-1], " \t")
	}
	// Each expression runs only where the text holds what it needs.
	if t := strings.TrimSpace(raw); strings.HasPrefix(t, "#") {
		if m := mdHeadingRE.FindStringSubmatch(t); m != nil {
			return []block{{text: mdInline(m[2]), heading: len(m[1])}}
		}
	}
	item := false
	if t := strings.TrimLeft(raw, " \t\n\f\r"); strings.HasPrefix(t, "-") || strings.HasPrefix(t, "*") || strings.HasPrefix(t, "+") || strings.HasPrefix(t, "•") {
		item = mdBulletRE.MatchString(raw)
		raw = mdBulletRE.ReplaceAllString(raw, "")
	}
	if strings.Contains(raw, "![") {
		raw = mdImageRE.ReplaceAllString(raw, "")
	}
	var out []block
	// Provider groups: a link to "#" (a toggle, not a page) whose text ends
	// with a count.
	for strings.Contains(raw, "](") {
		loc := mdLinkRE.FindStringSubmatchIndex(raw)
		if loc == nil {
			break
		}
		text, href := raw[loc[2]:loc[3]], raw[loc[4]:loc[5]]
		repl := text
		if strings.HasSuffix(href, "#") {
			if m := groupCountRE.FindStringSubmatch(strings.TrimSpace(text)); m != nil {
				before := strings.TrimSpace(raw[:loc[0]])
				if before != "" {
					out = append(out, splitBold(before, item)...)
				}
				out = append(out, block{text: strings.TrimSpace(m[1]), group: true})
				raw = raw[loc[1]:]
				continue
			}
		}
		// Other links keep their text; a link's own words ("Learn more
		// about this provider") carry no declaration.
		if strings.HasSuffix(href, "#") || !strings.HasPrefix(href, "http") {
			repl = text
		}
		raw = raw[:loc[0]] + repl + raw[loc[1]:]
	}
	// Category toggles: "Necessary 14- [x] Necessary cookies help …".
	if loc := checkbox(raw); loc != nil {
		label := strings.TrimSpace(raw[:loc[0]])
		rest := strings.TrimSpace(raw[loc[1]:])
		if label != "" && len(label) <= 60 {
			if m := groupCountRE.FindStringSubmatch(label); m != nil {
				label = m[1]
			}
			out = append(out, block{text: mdInline(label), heading: 6, toggle: true})
		}
		raw = rest
	} else if item {
		if m := leadingGroupRE.FindStringSubmatch(strings.TrimSpace(raw)); m != nil {
			if _, ok := firstCategory(m[1]); ok {
				out = append(out, block{text: m[1], heading: 6, toggle: true})
				raw = m[3]
			}
		}
	}
	if strings.TrimSpace(raw) != "" {
		out = append(out, splitBold(raw, item)...)
	}
	return out
}

// checkbox is mdCheckboxRE.FindStringIndex, tried only on text with a
// bracket.
func checkbox(s string) []int {
	if strings.IndexByte(s, '[') < 0 {
		return nil
	}
	return mdCheckboxRE.FindStringIndex(s)
}

// splitBold splits a line where bold runs hold cookie names or field labels
// ("**_ga[x6]**Registers …**Maximum Storage Duration**: 2 years**Type**: HTTP
// Cookie") into one line per name, description and field. A line with at
// most one bold run is kept whole.
func splitBold(s string, item bool) []block {
	if strings.Count(s, "**") < 4 {
		return []block{{text: mdInline(s), item: item}}
	}
	var out []block
	emit := func(t string) {
		if t = strings.TrimSpace(mdInline(t)); t != "" {
			out = append(out, block{text: t, item: item})
		}
	}
	var cur strings.Builder
	flush := func() {
		emit(cur.String())
		cur.Reset()
	}
	pos := 0
	for _, m := range mdBoldRE.FindAllStringSubmatchIndex(s, -1) {
		cur.WriteString(s[pos:m[0]])
		inner := s[m[2]:m[3]]
		pos = m[1]
		switch ns := splitNames(inner); {
		case strings.HasPrefix(strings.TrimLeft(s[m[1]:], " "), ":"):
			// A field label: its line runs to the next bold run.
			flush()
			cur.WriteString(inner)
		case ns != nil && !stoppedNames(ns):
			flush()
			emit(inner)
			if len(out) > 0 {
				out[len(out)-1].bold = true
			}
		default:
			cur.WriteString(inner)
		}
	}
	cur.WriteString(s[pos:])
	flush()
	return out
}

// mdInline removes inline Markdown: images, link targets, emphasis markers,
// code spans and backslash escapes.
func mdInline(s string) string {
	if !strings.ContainsAny(s, "*`\\[_") {
		return s
	}
	if strings.Contains(s, "](") {
		s = mdImageRE.ReplaceAllString(s, "")
		s = mdLinkRE.ReplaceAllString(s, "$1")
	}
	s = strings.ReplaceAll(s, "**", "")
	if strings.Contains(s, "__") {
		s = mdUnderscoreBoldRE.ReplaceAllString(s, "$1$2$3")
	}
	if strings.IndexByte(s, '_') >= 0 && strings.IndexByte(s, ' ') >= 0 {
		s = mdUnderscoreItalicRE.ReplaceAllString(s, "$1$2$3")
	}
	s = strings.ReplaceAll(s, "`", "")
	if strings.IndexByte(s, '\\') >= 0 {
		s = mdEscapeRE.ReplaceAllString(s, "$1")
	}
	return s
}
