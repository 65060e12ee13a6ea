package diff

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/reports"
)

// JSONSchemaVersion is the version of the JSON form of a diff. It changes
// when a field changes meaning or goes away; new fields do not change it.
const JSONSchemaVersion = 1

//go:embed templates/diff.html.tmpl
var templates embed.FS

// Formats lists the output formats Write knows.
func Formats() []string { return []string{"table", "json", "html"} }

// Write renders r in the given format: "table" for a terminal, "json", or
// "html", a self-contained page with every value escaped.
func Write(w io.Writer, format string, r Result) error {
	switch format {
	case "table":
		return writeTable(w, r)
	case "json":
		return writeJSON(w, r)
	case "html":
		return writeHTML(w, r)
	}
	return fmt.Errorf("unknown diff format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

func writeJSON(w io.Writer, r Result) error {
	doc := struct {
		SchemaVersion int `json:"schema_version"`
		Result
	}{JSONSchemaVersion, r}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("diff: write json: %w", err)
	}
	return nil
}

func writeHTML(w io.Writer, r Result) error {
	t, err := template.New("diff.html.tmpl").Funcs(template.FuncMap{
		"when":     when,
		"ref":      refText,
		"subject":  subject,
		"lifespan": cookie.Lifespan.String,
		"days":     cookie.FormatDays,
		"clean":    textsafe.Clean,
	}).ParseFS(templates, "templates/diff.html.tmpl")
	if err != nil {
		return fmt.Errorf("diff: parse html template: %w", err)
	}
	// Render to a buffer first, so that a template error leaves no half page.
	var buf bytes.Buffer
	if err := t.Execute(&buf, r); err != nil {
		return fmt.Errorf("diff: render html: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("diff: write html: %w", err)
	}
	return nil
}

func when(t time.Time) string {
	if t.IsZero() {
		return "unknown time"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func refText(r Ref) string {
	if r.ID != 0 {
		return fmt.Sprintf("scan %d (%s)", r.ID, when(r.StartedAt))
	}
	return "scan of " + when(r.StartedAt)
}

// writeTable writes a plain-text report: one table per kind of change, and
// sections with nothing to show are left out.
func writeTable(w io.Writer, r Result) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%s: %s → %s\n", textsafe.Short(r.B.Site, 200), refText(r.A), refText(r.B))
	if r.Empty() {
		buf.WriteString("No changes.\n")
		_, err := w.Write(buf.Bytes())
		return wrapWrite(err)
	}
	var rows [][]string
	for _, s := range r.States {
		for _, c := range s.Appeared {
			rows = append(rows, cookieRow(string(s.State), "appeared", c))
		}
		for _, c := range s.Vanished {
			rows = append(rows, cookieRow(string(s.State), "vanished", c))
		}
	}
	if err := section(&buf, "Cookies that appeared or vanished", []string{"State", "Change", "Name", "Domain", "Vendor", "Category", "Lifespan"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, c := range r.Changed {
		rows = append(rows, []string{c.Name, c.Domain, c.Field, c.From, c.To})
	}
	if err := section(&buf, "Cookies that changed", []string{"Name", "Domain", "Field", "From", "To"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, f := range r.NewFindings {
		rows = append(rows, findingRow("new", f))
	}
	for _, f := range r.ResolvedFindings {
		rows = append(rows, findingRow("resolved", f))
	}
	if err := section(&buf, "Findings", []string{"Change", "Severity", "Rule", "State", "Cookie or vendor", "Message"}, rows); err != nil {
		return err
	}
	if r.Declaration.Changed {
		fmt.Fprintf(&buf, "\nDeclaration changed (text hash %s → %s)\n", orNone(r.Declaration.FromHash), orNone(r.Declaration.ToHash))
		rows = nil
		for _, c := range r.Declaration.Added {
			rows = append(rows, []string{"added", c.Name, "", "", c.Lifespan.String() + ", " + string(c.Category)})
		}
		for _, c := range r.Declaration.Removed {
			rows = append(rows, []string{"removed", c.Name, "", c.Lifespan.String() + ", " + string(c.Category), ""})
		}
		for _, c := range r.Declaration.Modified {
			rows = append(rows, []string{"changed", c.Name, c.Field, c.From, c.To})
		}
		if len(rows) > 0 {
			if err := table(&buf, []string{"Change", "Declared cookie", "Field", "From", "To"}, rows); err != nil {
				return err
			}
		}
	}
	_, err := w.Write(buf.Bytes())
	return wrapWrite(err)
}

func wrapWrite(err error) error {
	if err != nil {
		return fmt.Errorf("diff: write table: %w", err)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func cookieRow(state, change string, c Cookie) []string {
	life := cookie.FormatDays(c.LifespanDays)
	if c.Session {
		life = "session"
	}
	return []string{state, change, c.Name, c.Domain, c.Vendor, string(c.Category), life}
}

func findingRow(change string, f audit.Finding) []string {
	return []string{change, f.Severity.String(), f.RuleID, string(f.State), subject(f), f.Message}
}

// subject names what a finding is about: its cookie, else its vendor.
func subject(f audit.Finding) string {
	if f.Cookie != nil {
		return f.Cookie.Name + " (" + f.Cookie.Domain + ")"
	}
	return f.Vendor
}

func section(buf *bytes.Buffer, title string, header []string, rows [][]string) error {
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintf(buf, "\n%s\n", title)
	return table(buf, header, rows)
}

func table(buf *bytes.Buffer, header []string, rows [][]string) error {
	if err := reports.Table(buf, header, rows); err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	return nil
}
