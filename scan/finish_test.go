package scan

import (
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/result"
)

func TestParseFailPolicy(t *testing.T) {
	for _, c := range []struct {
		in      string
		sev     string
		rules   int
		wantErr string
	}{
		{"none", "", 0, ""},
		{"", "", 0, ""},
		{"high", "high", 0, ""},
		{"undeclared-cookie, pre-consent", "", 2, ""},
		{"low,pre-consent", "low", 1, ""},
		{"severe", "", 0, `"severe" is neither a severity`},
	} {
		p, err := ParseFailPolicy(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) || strings.Contains(err.Error(), "--") {
				t.Errorf("%q: err = %v, want %q without a flag name", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		sev := ""
		if p.MinSeverity != nil {
			sev = p.MinSeverity.String()
		}
		if sev != c.sev || len(p.Rules) != c.rules {
			t.Errorf("%q = %+v", c.in, p)
		}
	}
}

func TestFinish(t *testing.T) {
	high, crit := audit.High, audit.Critical
	one, two := 1, 2
	findings := []audit.Finding{
		{RuleID: "pre-consent", Severity: audit.High, Fingerprint: "f-high"},
		{RuleID: "unknown-cookie", Severity: audit.Low, Fingerprint: "f-low"},
	}
	accept := &audit.Baseline{Entries: []audit.BaselineEntry{{Fingerprint: "f-high"}, {Fingerprint: "f-gone"}}}
	expired := &audit.Baseline{Entries: []audit.BaselineEntry{{Fingerprint: "f-high", Expires: "2020-01-01"}}}
	for _, c := range []struct {
		name      string
		p         Policy
		want      ExitCode
		baselined int
		warnings  int
	}{
		{"no policy", Policy{}, ExitOK, 0, 0},
		{"fail on high", Policy{FailOn: FailPolicy{MinSeverity: &high}}, ExitFindings, 0, 0},
		{"fail on critical", Policy{FailOn: FailPolicy{MinSeverity: &crit}}, ExitOK, 0, 0},
		{"fail on a rule id", Policy{FailOn: FailPolicy{Rules: []string{"unknown-cookie"}}}, ExitFindings, 0, 0},
		{"more than one finding", Policy{FailOn: FailPolicy{MaxFindings: &one}}, ExitFindings, 0, 0},
		{"at most two findings", Policy{FailOn: FailPolicy{MaxFindings: &two}}, ExitOK, 0, 0},
		{"baseline accepts the high finding", Policy{Baseline: accept, FailOn: FailPolicy{MinSeverity: &high}}, ExitOK, 1, 1},
		{"expired baseline accepts nothing", Policy{Baseline: expired, FailOn: FailPolicy{MinSeverity: &high}}, ExitFindings, 0, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := &result.Scan{Findings: append([]audit.Finding(nil), findings...)}
			c.p.Now = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
			v := Finish(res, c.p)
			if v.Code != c.want || len(res.Baselined) != c.baselined || len(v.Warnings) != c.warnings {
				t.Errorf("verdict %+v, %d baselined; want code %d, %d baselined, %d warnings", v, len(res.Baselined), c.want, c.baselined, c.warnings)
			}
			if len(res.Findings)+len(res.Baselined) != len(findings) {
				t.Errorf("findings lost: %d remain, %d baselined", len(res.Findings), len(res.Baselined))
			}
		})
	}
}
