package reports

import (
	"bufio"
	"fmt"
	"github.com/cookiescan/cookiescan/audit"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// tableWriter renders the terminal report: a summary, the findings, the
// cookies per consent state and the failed pages, wrapped to a width.
type tableWriter struct {
	width int
	color bool
}

var _ Writer = tableWriter{}

func (t tableWriter) Write(w io.Writer, s *result.Scan) error {
	v := newView(s)
	bw := bufio.NewWriter(w)
	t.summary(bw, v)

	t.heading(bw, fmt.Sprintf("Findings (%d)", len(v.findings)))
	if len(v.findings) == 0 {
		fmt.Fprintln(bw, "No findings.")
	} else {
		rows := make([][]string, 0, len(v.findings))
		for _, f := range v.findings {
			// The message names the cookie or vendor, so the narrow
			// terminal spends no column on it twice.
			rows = append(rows, []string{t.severity(f.Severity), f.RuleID, string(f.State), textsafe.Short(f.Message, maxText)})
		}
		if err := t.render(bw, []string{"Severity", "Rule", "State", "Message"}, rows, true); err != nil {
			return err
		}
	}

	for _, st := range v.states {
		t.heading(bw, fmt.Sprintf("Cookies in state %s (%d)", st.State, len(st.Cookies)))
		if len(st.Cookies) == 0 {
			fmt.Fprintln(bw, "No cookies.")
			continue
		}
		rows := make([][]string, 0, len(st.Cookies))
		for _, c := range st.Cookies {
			rows = append(rows, []string{textsafe.Short(c.Name, maxName), textsafe.Short(c.Domain, 40), string(c.Party),
				textsafe.Short(c.Label.Vendor, 30), category(c), c.LifespanText(), v.declared(c)})
		}
		if err := t.render(bw, []string{"Name", "Domain", "Party", "Vendor", "Category", "Lifespan", "Declared"}, rows, false); err != nil {
			return err
		}
	}

	if len(v.failed) > 0 {
		t.heading(bw, fmt.Sprintf("Failed pages (%d)", len(v.failed)))
		rows := make([][]string, 0, len(v.failed))
		for _, p := range v.failed {
			rows = append(rows, []string{textsafe.Short(p.URL, maxURL), string(p.ErrorKind), textsafe.Short(p.Error, maxText)})
		}
		if err := t.render(bw, []string{"Page", "Kind", "Error"}, rows, false); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("table report: %w", err)
	}
	return nil
}

func (t tableWriter) summary(w io.Writer, v view) {
	s := v.s
	fmt.Fprintf(w, "cookiescan %s report for %s\n", textsafe.Short(s.ToolVersion, 40), textsafe.Short(s.Site, maxURL))
	fmt.Fprintf(w, "Scanned %s to %s\n", s.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"), s.FinishedAt.UTC().Format("15:04:05 UTC"))
	fmt.Fprintf(w, "Pages: %d visited, %d failed\n", len(s.Observation.Pages), len(v.failed))
	switch {
	case s.Declaration != nil:
		fmt.Fprintf(w, "Declaration: %s (%d cookies, %d vendors)\n", textsafe.Short(s.Declaration.URL, maxURL),
			len(s.Declaration.Cookies), len(s.Declaration.Vendors))
	case s.DeclarationError != "":
		fmt.Fprintf(w, "Declaration: none read: %s\n", textsafe.Short(s.DeclarationError, maxText))
	default:
		fmt.Fprintln(w, "Declaration: none read")
	}
	fmt.Fprintln(w, "Consent:")
	for _, st := range v.states {
		fmt.Fprintf(w, "  %-7s %s\n", st.State, textsafe.Short(consentText(st), maxText))
	}
	fmt.Fprintf(w, "Findings: %s", strings.Join(v.severityCounts(), ", "))
	if len(v.baselined) > 0 {
		fmt.Fprintf(w, " (and %d accepted by the baseline)", len(v.baselined))
	}
	fmt.Fprintln(w)
}

// severityColor is the ANSI colour of each severity, worst reddest.
var severityColor = map[audit.Severity]string{
	audit.Critical: "1;31", audit.High: "31", audit.Medium: "33", audit.Low: "36", audit.Info: "2",
}

// sgr matches the colour codes severity adds, which take no column.
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// severity is a severity's cell, coloured when the CLI asks for colour.
func (t tableWriter) severity(s audit.Severity) string {
	if c, ok := severityColor[s]; ok && t.color {
		return "\x1b[" + c + "m" + s.String() + "\x1b[0m"
	}
	return s.String()
}

func (t tableWriter) heading(w io.Writer, text string) {
	if t.color {
		fmt.Fprintf(w, "\n\x1b[1m%s\x1b[0m\n", text)
		return
	}
	fmt.Fprintf(w, "\n%s\n", text)
}

// render draws one table; every cell is already cleaned and bounded. With
// wide, every column but the last keeps its natural width up to 30 and the
// last one (a message or an error) gets what is left, so long text wraps in
// one wide column instead of many narrow ones.
func (t tableWriter) render(w io.Writer, header []string, rows [][]string, wide bool) error {
	opts := []tablewriter.Option{
		tablewriter.WithMaxWidth(t.width),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithHeaderAutoWrap(tw.WrapNormal),
	}
	if wide {
		last := len(header) - 1
		widths := tw.Mapper[int, int]{}
		used := 1 // the left border
		for col := 0; col < last; col++ {
			n := utf8.RuneCountInString(header[col])
			for _, r := range rows {
				n = max(n, utf8.RuneCountInString(sgr.ReplaceAllString(r[col], "")))
			}
			widths[col] = min(n, 30) + 2 // a column's width includes its padding
			used += widths[col] + 1      // and its border
		}
		widths[last] = max(t.width-used-1, 20)
		opts = append(opts, tablewriter.WithColumnWidths(widths))
	}
	table := tablewriter.NewTable(w, opts...)
	table.Header(header)
	if err := table.Bulk(rows); err != nil {
		return fmt.Errorf("table report: %w", err)
	}
	if err := table.Render(); err != nil {
		return fmt.Errorf("table report: %w", err)
	}
	return nil
}
