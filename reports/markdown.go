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
	sm := v.summary()
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# Cookie audit of %s\n\n", md(s.Site, maxURL))
	fmt.Fprintf(b, "Scanned %s to %s with cookiescan %s: %d pages, %d failed.\n\n",
		s.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"), s.FinishedAt.UTC().Format("2006-01-02 15:04:05 UTC"),
		md(s.ToolVersion, 40), len(s.Observation.Pages), len(v.failed))
	fmt.Fprintf(b, "**%s.** Grade **%s** (score %d of 100; an aid for reading the findings, not a legal opinion).\n\n", sm.Verdict, sm.Grade, sm.Score)
	fmt.Fprint(b, "| Consent check | Result | Why |\n|---|---|---|\n")
	for _, c := range sm.Checks {
		fmt.Fprintf(b, "| %s | **%s** | %s |\n", c.Name, c.Status, md(c.Detail, maxText))
	}
	if len(sm.Top) > 0 {
		fmt.Fprint(b, "\n**Most serious problems**\n\n")
		for i, t := range sm.Top {
			fmt.Fprintf(b, "%d. %s\n", i+1, md(t, maxText))
		}
	}
	var sev []string
	for _, c := range sm.BySeverity {
		sev = append(sev, fmt.Sprintf("%s %d", c.Name, c.N))
	}
	fmt.Fprintf(b, "\n**Findings:** %s", strings.Join(sev, ", "))
	if len(v.baselined) > 0 {
		fmt.Fprintf(b, " (and %d accepted by the baseline)", len(v.baselined))
	}
	fmt.Fprint(b, "\n")
	for _, st := range v.states {
		fmt.Fprintf(b, "\n- Consent, %s: %s", st.State, md(strings.Join(consentCaption(st), "; "), maxText))
	}
	fmt.Fprint(b, "\n")
	if d := s.Declaration; d != nil {
		fmt.Fprintf(b, "- Declaration: %s (%d cookies, %d vendors)\n", md(d.URL, maxURL), len(d.Cookies), len(d.Vendors))
	} else {
		fmt.Fprintf(b, "- Declaration: none read %s\n", md(s.DeclarationError, maxText))
	}

	fmt.Fprintf(b, "\n## Cookies across consent states (%d)\n\n", len(v.inventory))
	if len(v.inventory) == 0 {
		fmt.Fprint(b, "No cookies.\n")
	} else {
		head, rule := "| Cookie | Domain |", "|---|---|"
		for _, st := range v.states {
			head += " " + string(st.State) + " |"
			rule += ":-:|"
		}
		fmt.Fprintf(b, "%s Vendor | Category | Lifespan | Declared |\n%s---|---|---|---|\n", head, rule)
		for _, r := range v.matrix() {
			name := md(r.Name, maxName)
			if r.WithoutConsent {
				name = "**" + name + "** ⚠"
			}
			fmt.Fprintf(b, "| %s | %s |", name, md(r.Domain, maxName))
			for _, in := range r.In {
				fmt.Fprintf(b, " %s |", map[bool]string{true: "yes", false: "–"}[in])
			}
			fmt.Fprintf(b, " %s | %s | %s | %s |\n", md(r.Vendor, maxName), md(r.Category, maxName), r.Lifespan, r.Declared)
		}
		fmt.Fprint(b, "\n⚠ not necessary, and present before consent or after reject.\n")
	}

	fmt.Fprint(b, "\n## Findings by rule\n")
	groups := v.groups()
	if len(groups) == 0 {
		fmt.Fprint(b, "\nNo findings.\n")
	}
	for _, g := range groups {
		fmt.Fprintf(b, "\n### %s (%d, `%s`)\n\n", g.Rule.Title, len(g.Findings), g.Rule.ID)
		for i, q := range g.Quotes {
			fmt.Fprintf(b, "> [%d] %s\n>\n", i+1, md(q, maxText))
		}
		if len(g.Quotes) > 0 {
			fmt.Fprint(b, "\n")
		}
		fmt.Fprint(b, "| Severity | Cookie / vendor | State | Message | Evidence |\n|---|---|---|---|---|\n")
		for _, f := range g.Findings {
			var ev []string
			if f.PageURL != "" {
				ev = append(ev, "page "+md(f.PageURL, maxURL))
			}
			if f.Evidence.Setter != "" {
				ev = append(ev, "set by "+md(f.Evidence.Setter, maxURL))
			}
			if f.Quote > 0 {
				ev = append(ev, fmt.Sprintf("declaration \\[%d\\]", f.Quote))
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", f.Severity, md(f.Subject, maxName), f.State, md(f.Message, maxText), strings.Join(ev, "<br>"))
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
