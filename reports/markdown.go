package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// markdownWriter renders the report as GitHub-flavoured Markdown, for a
// pull request comment or a ticket.
type markdownWriter struct{}

var _ Writer = markdownWriter{}

func (markdownWriter) Write(w io.Writer, s *result.Scan) error {
	v := newView(s)
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# cookiescan report for %s\n\n", md(s.Site, maxURL))
	fmt.Fprintf(b, "- Tool: cookiescan %s\n", md(s.ToolVersion, 40))
	fmt.Fprintf(b, "- Scanned: %s to %s\n", s.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"), s.FinishedAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	fmt.Fprintf(b, "- Pages: %d visited, %d failed\n", len(s.Observation.Pages), len(v.failed))
	switch {
	case s.Declaration != nil:
		fmt.Fprintf(b, "- Declaration: %s (%d cookies, %d vendors)\n", md(s.Declaration.URL, maxURL), len(s.Declaration.Cookies), len(s.Declaration.Vendors))
	default:
		fmt.Fprintf(b, "- Declaration: none read %s\n", md(s.DeclarationError, maxText))
	}
	for _, st := range v.states {
		fmt.Fprintf(b, "- Consent, %s: %s\n", st.State, md(consentText(st), maxText))
	}
	fmt.Fprintf(b, "- Findings: %s", strings.Join(v.severityCounts(), ", "))
	if len(v.baselined) > 0 {
		fmt.Fprintf(b, " (and %d accepted by the baseline)", len(v.baselined))
	}
	fmt.Fprint(b, "\n\n## Findings\n\n")
	if len(v.findings) == 0 {
		fmt.Fprint(b, "No findings.\n")
	} else {
		fmt.Fprint(b, "| Severity | Rule | Cookie / vendor | State | Message | Evidence |\n|---|---|---|---|---|---|\n")
		for _, f := range v.findings {
			var ev []string
			if f.PageURL != "" {
				ev = append(ev, "page "+md(f.PageURL, maxURL))
			}
			if f.Evidence.Setter != "" {
				ev = append(ev, "set by "+md(f.Evidence.Setter, maxURL))
			}
			if f.Evidence.Declared != "" {
				quote := "declared: “" + md(f.Evidence.Declared, maxText) + "”"
				if f.Evidence.DeclaredWhere != "" {
					quote += " (" + md(f.Evidence.DeclaredWhere, maxName) + ")"
				}
				ev = append(ev, quote)
			}
			fmt.Fprintf(b, "| %s | `%s` | %s | %s | %s | %s |\n", f.Severity, f.RuleID, md(subject(f), maxName),
				f.State, md(f.Message, maxText), strings.Join(ev, "<br>"))
		}
	}
	for _, st := range v.states {
		fmt.Fprintf(b, "\n## Cookies in state %s (%d)\n\n", st.State, len(st.Cookies))
		if len(st.Cookies) == 0 {
			fmt.Fprint(b, "No cookies.\n")
			continue
		}
		fmt.Fprint(b, "| Name | Domain | Party | Vendor | Category | Lifespan | Declared |\n|---|---|---|---|---|---|---|\n")
		for _, c := range st.Cookies {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", md(c.Name, maxName), md(c.Domain, maxName),
				c.Party, md(c.Label.Vendor, maxName), md(category(c), maxName), c.LifespanText(), v.declared(c))
		}
	}
	if len(v.failed) > 0 {
		fmt.Fprintf(b, "\n## Failed pages (%d)\n\n| Page | Error |\n|---|---|\n", len(v.failed))
		for _, p := range v.failed {
			fmt.Fprintf(b, "| %s | %s |\n", md(p.URL, maxURL), md(p.Error, maxText))
		}
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("markdown report: %w", err)
	}
	return nil
}

// mdEscaper makes text inert in Markdown: HTML is escaped, because most
// renderers pass raw HTML through, and the characters that start emphasis,
// links, code, tables or headings are backslash-escaped.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"(", `\(`, ")", `\)`, "#", `\#`, "|", `\|`, "!", `\!`, "~", `\~`,
)

// md cleans, bounds and escapes text from the website for a table cell.
func md(s string, n int) string { return mdEscaper.Replace(textsafe.Short(s, n)) }
