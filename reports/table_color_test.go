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

// The consent table fits the width it is given, long words included, and
// keeps its header as written.
func TestWrappedTableFits(t *testing.T) {
	rows := [][]string{
		{"before", "generic", `reject on the first layer: no; offers other "Read more about cookies", accept "OK"`, "", "yes: hand-made banner shown; nothing clicked"},
		{"reject", "OneTrust 6.x", "reject on the first layer: yes", "Reject all (mouse)", "yes: stored " + strings.Repeat("x", 80)},
	}
	for _, width := range []int{100, 72} {
		var b bytes.Buffer
		if err := WrappedTable(&b, []string{"State", "Platform", "Banner", "Clicked", "Verified at 1st"}, rows, width); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			if n := len([]rune(line)); n > width {
				t.Errorf("width %d: a line of %d columns:\n%s", width, n, b.String())
				break
			}
		}
		if !strings.Contains(b.String(), "1st") || strings.Contains(b.String(), "1 ST") {
			t.Errorf("header reformatted:\n%s", b.String())
		}
		if strings.Count(b.String(), "x") < 80 {
			t.Errorf("text lost:\n%s", b.String())
		}
	}
}
