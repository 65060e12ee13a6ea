package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/result"
)

// Severities are coloured only when the CLI asks (a terminal without
// NO_COLOR), and the colour codes take no column.
func TestTableSeverityColour(t *testing.T) {
	s := &result.Scan{Site: "a.example", Findings: []audit.Finding{
		{RuleID: "pre-consent", Severity: audit.High, State: "before", Message: "m"},
		{RuleID: "unknown-cookie", Severity: audit.Info, State: "before", Message: "n"}}}
	render := func(color bool) string {
		var b bytes.Buffer
		w, err := New("table", Options{Width: 80, Color: color})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(&b, s); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	plain, colored := render(false), render(true)
	if strings.Contains(plain, "\x1b[") {
		t.Error("escape codes without colour")
	}
	if !strings.Contains(colored, "\x1b[31mhigh\x1b[0m") {
		t.Errorf("high is not red:\n%q", colored)
	}
	if got, want := sgr.ReplaceAllString(colored, ""), plain; got != strings.ReplaceAll(want, "\x1b", "") {
		t.Errorf("colour changed the layout:\n%s\nwant:\n%s", got, want)
	}
}
