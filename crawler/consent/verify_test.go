package consent

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
)

// Real consentmanager.net values (CMP id 31), as sites store them in
// __cmpconsentx<id>; sources in testdata/sites/cmp-consentmanager/README.md.
const (
	cmReject17155 = "CP9AEggP9AEggAfSDBRUAwEgAAAAAEPAAAYgAABBQgJgA4AM-AjwBKoDfAHbAO5AgoBIgCSgEowJaATHAmSBNICfYFBAKDhBQAAA"
	cmAccept11319 = "CPVjjLAPVjjLAAfUnBENCFCsAP_AAH_AACiQGgwDwAGgAVABAADQAJgAXwAwgB4AEEAJAAUYBCAFoALzAaCBoMA8ABoAFQAQAA0ACYAF8AMIAeABBACQAFGAQgBaAC8wGggAAA"
	cmReject66181 = "CPtS9XAPtS9XAAfC1BENDICgAAAAAAAAAAigAAAS0gHAA4AKcAZ8BHgCVwFYAMEAdiA7YB3IEKQJEASjAloAAA"
	// A TCF v1 consent string still stored by an old consentmanager setup.
	cmV1_40263 = "BPuKNGaPuKNGaAfEHBFIABAAAAA_mABAfyA"
	// A real accept string cut short, as a size-limited log or proxy leaves it.
	cmTruncated47082 = "CQYqGvAQYqGvAAfQ6BENB-FgAP_AAEPAAAigJSkR5C5cDWFBeTp3QMskeYQX0cgBZgABAgaAASABCDAAcIQAkkESIAyAAAACAQAAIDSBAAAADAhAAEAAAIgBAADoAAAEgBAIIAAEABERQ0IAAAgKCIgAEAAIAAAxIkAAkAKAAILiQFAAgIAiAAABAAAAAIABAAMAAAAIAAACAAIAAAAAAAAAgAAAAAACABAIAAAAAAAAII3wPgAFgAVAAuABwADwAIAAVAAyABoADwAI4ATAAuABiADQAG8APwA"
)

func TestRealConsentmanagerTCStrings(t *testing.T) {
	for _, c := range []struct {
		name, value string
		want        Choice
		cmp         int
	}{
		{"reject (legitimate interest left on)", cmReject17155, ChoiceReject, 31},
		{"accept", cmAccept11319, ChoiceAccept, 31},
		{"reject", cmReject66181, ChoiceReject, 31},
	} {
		d, err := Decode("tcf", c.value)
		if err != nil || d.Choice != c.want {
			t.Errorf("%s: %+v, %v", c.name, d, err)
		}
		tc, _ := DecodeTCString(c.value)
		if tc.CMPID != c.cmp {
			t.Errorf("%s: cmp id %d, want %d (consentmanager)", c.name, tc.CMPID, c.cmp)
		}
	}
	for name, v := range map[string]string{"TCF v1 string": cmV1_40263, "truncated": cmTruncated47082, "truncated mid-header": cmAccept11319[:12]} {
		if _, err := Decode("tcf", v); !errors.Is(err, ErrUndecodable) {
			t.Errorf("%s: want ErrUndecodable, got %v", name, err)
		}
	}
}

// TestTCStringUnderAnyCookieName: consentmanager keeps its TC string in
// __cmpconsentx<id>, not euconsent-v2; the engine must find it there and
// leave other cookies alone.
func TestTCStringUnderAnyCookieName(t *testing.T) {
	jar := []*network.Cookie{
		{Name: "__cmpcc", Value: "1"},
		{Name: "__cmpconsentx17155", Value: cmReject17155},
		{Name: "__cmpcvcx17155", Value: "__s94_s64_s1469_s65_s23_s69_s1433_c6085_s135_U__"},
		{Name: "session", Value: "Cabcdefghijklmnopqrstuvwxyz0123456789"}, // starts with C, is no TC string
		{Name: "__cmpconsentx40263", Value: cmV1_40263},
		{Name: "euconsent-v2", Value: url.QueryEscape(cmAccept11319)},
	}
	rs := tcCookieReadings(jar, "euconsent-v2", nil)
	if len(rs) != 1 || rs[0].source != "cookie __cmpconsentx17155 (TC string)" || rs[0].choice != ChoiceReject {
		t.Fatalf("readings %+v", rs)
	}
	rs = tcCookieReadings(jar, "", nil)
	if len(rs) != 2 || rs[1].choice != ChoiceAccept {
		t.Fatalf("readings %+v", rs)
	}
	// Judged against the purposes the site configures (consentmanager's
	// __cmp('getCMPData').purposesList): an accept string covers them.
	d := tcDecisionFor(mustTC(t, cmAccept11319), []string{"1", "2", "3", "4", "7", "c51"})
	if d.Choice != ChoiceAccept {
		t.Errorf("configured purposes: %+v", d)
	}
	d = tcDecisionFor(mustTC(t, cmAccept11319), []string{"1", "11"})
	if d.Choice != ChoicePartial {
		t.Errorf("purpose 11 configured and not granted: %+v", d)
	}
}

func mustTC(t *testing.T, s string) TCString {
	t.Helper()
	tc, err := DecodeTCString(s)
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

// TestBorlabsAcceptJudgedAgainstConfiguredGroups: a site that configures
// only statistics and marketing grants everything with those two; the
// plugin's default external-media group must not make it "partial".
func TestBorlabsAcceptJudgedAgainstConfiguredGroups(t *testing.T) {
	accept := url.QueryEscape(`{"consents":{"essential":["borlabs-cookie"],"statistics":["google-analytics"],"marketing":["facebook-pixel"]},"domainPath":"www.cmp-borlabs.test/","expires":"Wed, 01 Dec 2027 10:00:00 GMT","uid":"3q9vlk3d-eqc8kq3q-2kl4z0xv-p9b7kqaz","v3":true,"version":"1"}`)
	d, err := Decode("borlabs", accept)
	if err != nil {
		t.Fatal(err)
	}
	if d.Choice != ChoicePartial || !slices.Equal(d.Granted, []string{"marketing", "statistics"}) {
		t.Errorf("without the configuration: %+v, want partial (unknown groups) with the granted list", d)
	}
	if j := judge(d, []string{"essential", "statistics", "marketing"}); j.Choice != ChoiceAccept {
		t.Errorf("configured essential+statistics+marketing: %+v, want accept", j)
	}
	if j := judge(d, []string{"essential", "statistics", "marketing", "external-media"}); j.Choice != ChoicePartial {
		t.Errorf("external-media configured and not granted: %+v, want partial", j)
	}
	reject, _ := Decode("borlabs", url.QueryEscape(`{"consents":{"essential":["borlabs-cookie"]},"uid":"anonymous","version":"1"}`))
	if j := judge(reject, []string{"essential", "statistics", "marketing"}); j.Choice != ChoiceReject {
		t.Errorf("essential only: %+v", j)
	}
}

func TestJudgeReadings(t *testing.T) {
	undecodable := errors.New("not a TC string")
	for _, c := range []struct {
		name, action string
		rs           []reading
		state        string
		source       string
	}{
		{"own record decides", ActionReject, []reading{{source: "cookie __cmpconsentx1 (TC string)", choice: ChoiceReject}, {source: "__tcfapi", choice: ChoiceNone}}, StateVerified, "cookie __cmpconsentx1 (TC string)"},
		{"API fallback when the record is missing", ActionAccept, []reading{{source: "cookie klaro", absent: true}, {source: "Klaro API", choice: ChoiceAccept}}, StateVerified, "Klaro API"},
		{"opposite choice contradicts", ActionAccept, []reading{{source: "cookie x", choice: ChoiceAccept}, {source: "__tcfapi", choice: ChoiceReject}}, StateContradicted, "__tcfapi"},
		{"partial disagrees", ActionAccept, []reading{{source: "cookie x", choice: ChoiceAccept}, {source: "api", choice: ChoicePartial}}, StateUnverified, ""},
		{"unreadable never verifies", ActionReject, []reading{{source: "cookie x", err: undecodable}}, StateUnverified, ""},
		{"unreadable never contradicts", ActionAccept, []reading{{source: "cookie x", err: undecodable, choice: ChoiceReject}}, StateUnverified, ""},
		{"nothing at all", ActionReject, nil, StateUnverified, ""},
		{"before: accept stored is suspicious", ActionNone, []reading{{source: "cookie x", choice: ChoiceAccept}}, StateUnverified, "cookie x"},
		{"before: nothing stored", ActionNone, []reading{{source: "cookie x", absent: true}}, StateVerified, ""},
	} {
		v := judgeReadings(c.action, c.rs)
		if v.state != c.state || v.source != c.source {
			t.Errorf("%s: %+v, want state %s source %q", c.name, v, c.state, c.source)
		}
		if v.state != StateVerified && v.text == "" {
			t.Errorf("%s: no reason given", c.name)
		}
		if c.name == "unreadable never verifies" && !strings.Contains(v.text, "unreadable") {
			t.Errorf("reason %q does not say the record is unreadable", v.text)
		}
	}
}

// malformed are stored values every decoder must survive: nothing, junk,
// the wrong JSON shape, and real values cut short.
func malformed() []string {
	cut := func(s string) []string {
		var out []string
		for _, n := range []int{1, len(s) / 3, len(s) / 2, len(s) - 1} {
			if n > 0 && n < len(s) {
				out = append(out, s[:n])
			}
		}
		return out
	}
	out := []string{"", " ", "%", "%zz", "{", "}", "[", "null", "[]", "{}", `""`, "0", "-1", "true", "\x00\xff", strings.Repeat("A", 70000),
		`{"consents":{}}`, `{"purposes":null}`, `{"consent":"yes"}`, `{"categories":"[\"x\""}`, "permit ", "groups=C0001", "consent:"}
	out = append(out, cut(cmAccept11319)...)
	out = append(out, cut(url.QueryEscape(`{"consents":{"essential":["borlabs-cookie"],"statistics":["google-analytics"]}}`))...)
	out = append(out, cut(`{"necessaryCookies":[],"optionalCookies":{"analytics":"accepted"},"interactedWith":true}`)...)
	out = append(out, cut(`{"action":"accept","categories":"[\"targeting\"]"}`)...)
	out = append(out, cut(`{"session":true,"matomo":true}`)...)
	return out
}

// TestDecodersOnMalformedValues: a malformed or truncated value gives an
// error (reported as "unverified: …") or "no choice", never a panic and
// never an accept or a reject.
func TestDecodersOnMalformedValues(t *testing.T) {
	// Cut-short values that remain valid records of a lesser choice.
	legit := map[string]bool{"-1": true}
	for _, name := range decoderNames() {
		for _, v := range malformed() {
			d, err := Decode(name, v)
			if err != nil {
				if !errors.Is(err, ErrUndecodable) {
					t.Errorf("%s(%.40q): error %v does not wrap ErrUndecodable", name, v, err)
				}
				continue
			}
			if (d.Choice == ChoiceAccept || d.Choice == ChoiceReject) && !legit[v] {
				t.Errorf("%s(%.40q) = %s (%s): a malformed value gave a verdict", name, v, d.Choice, d.Detail)
			}
		}
	}
}

func FuzzDecoders(f *testing.F) {
	for _, v := range malformed()[:30] {
		f.Add(v)
	}
	f.Add(cmReject17155)
	f.Fuzz(func(t *testing.T, v string) {
		for _, name := range decoderNames() {
			d, err := Decode(name, v) // must not panic
			if err == nil && d.Choice != ChoiceNone && d.Choice != ChoiceAccept && d.Choice != ChoiceReject && d.Choice != ChoicePartial {
				t.Fatalf("%s: unknown choice %q", name, d.Choice)
			}
		}
		_ = tcCookieReadings([]*network.Cookie{{Name: "c", Value: v}}, "", []string{"1", v})
	})
}
