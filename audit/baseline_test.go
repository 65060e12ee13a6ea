package audit

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestBaseline(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	fa := Finding{RuleID: "pre-consent", Cookie: &CookieRef{Name: "_ga"}, Fingerprint: "aaaa"}
	fb := Finding{RuleID: "undeclared-vendor", Vendor: "Criteo", Fingerprint: "bbbb"}
	fc := Finding{RuleID: "unknown-cookie", Cookie: &CookieRef{Name: "xq7"}, Fingerprint: "cccc"}
	all := []Finding{fa, fb, fc}

	tests := []struct {
		name         string
		file         string
		wantKept     []string
		wantAccepted []string
		wantWarnings []string
	}{
		{"entries accept by fingerprint",
			`{"entries":[{"fingerprint":"aaaa","rule":"pre-consent","cookie":"_ga","reason":"legal says ok"}]}`,
			[]string{"bbbb", "cccc"}, []string{"aaaa"}, nil},
		{"bare array",
			`[{"fingerprint":"bbbb"},{"fingerprint":"cccc"}]`,
			[]string{"aaaa"}, []string{"bbbb", "cccc"}, nil},
		{"unused entry warns",
			`{"entries":[{"fingerprint":"aaaa"},{"fingerprint":"dddd","rule":"pre-consent","cookie":"_gid"}]}`,
			[]string{"bbbb", "cccc"}, []string{"aaaa"},
			[]string{"baseline entry dddd (pre-consent _gid) matched no finding; remove it if the problem is fixed"}},
		{"expired entry no longer applies",
			`{"entries":[{"fingerprint":"aaaa","rule":"pre-consent","cookie":"_ga","expires":"2026-03-09"}]}`,
			[]string{"aaaa", "bbbb", "cccc"}, nil,
			[]string{"baseline entry aaaa (pre-consent _ga) expired on 2026-03-09"}},
		{"entry expiring today still applies",
			`{"entries":[{"fingerprint":"aaaa","expires":"2026-03-10"}]}`,
			[]string{"bbbb", "cccc"}, []string{"aaaa"}, nil},
		{"earlier JSON report accepts its findings and baselined",
			`{"schema_version":1,"findings":[{"rule_id":"pre-consent","severity":"high","site":"x","message":"m","evidence":{},"fingerprint":"aaaa"}],
			  "baselined":[{"rule_id":"unknown-cookie","severity":"low","site":"x","message":"m","evidence":{},"fingerprint":"cccc"}]}`,
			[]string{"bbbb"}, []string{"aaaa", "cccc"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ReadBaseline(strings.NewReader(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			kept, accepted, warnings := b.Apply(all, now)
			if diff := cmp.Diff(tt.wantKept, prints(kept)); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantAccepted, prints(accepted)); diff != "" {
				t.Errorf("accepted (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWarnings, warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func prints(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Fingerprint)
	}
	return out
}

func TestBaselineErrors(t *testing.T) {
	for _, tt := range []struct{ name, file, want string }{
		{"not json", `nope`, "read baseline"},
		{"neither baseline nor report", `{"x":1}`, "not a baseline"},
		{"entry without fingerprint", `{"entries":[{"rule":"pre-consent"}]}`, "entry 1 has no fingerprint"},
		{"bad expiry", `{"entries":[{"fingerprint":"a","expires":"next week"}]}`, `expires "next week"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadBaseline(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	_, err := ReadBaseline(strings.NewReader(`{"x":1}`))
	if !errors.Is(err, ErrBaselineFormat) {
		t.Errorf("errors.Is(%v, ErrBaselineFormat) = false", err)
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	fs := []Finding{
		{RuleID: "undeclared-vendor", Vendor: "Criteo", Fingerprint: "bbbb"},
		{RuleID: "pre-consent", Cookie: &CookieRef{Name: "_ga"}, Fingerprint: "aaaa"},
		{RuleID: "pre-consent", Cookie: &CookieRef{Name: "_ga"}, Fingerprint: "aaaa"},
	}
	var buf bytes.Buffer
	if err := NewBaseline(fs, "accepted in review").Write(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "entries": [
    {
      "fingerprint": "aaaa",
      "rule": "pre-consent",
      "cookie": "_ga",
      "reason": "accepted in review"
    },
    {
      "fingerprint": "bbbb",
      "rule": "undeclared-vendor",
      "cookie": "vendor Criteo",
      "reason": "accepted in review"
    }
  ]
}
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("baseline file (-want +got):\n%s", diff)
	}
	b, err := ReadBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}
	kept, accepted, warnings := b.Apply(fs[:2], time.Time{})
	if len(kept) != 0 || len(accepted) != 2 || len(warnings) != 0 {
		t.Errorf("round trip: kept %d accepted %d warnings %v", len(kept), len(accepted), warnings)
	}
}
