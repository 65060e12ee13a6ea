package consent

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/cookie"
)

// The platforms the issue asks for; each must have a rule.
var wantPlatforms = []string{
	"Cookiebot", "OneTrust", "Cookie Information", "Usercentrics", "Didomi", "Quantcast Choice",
	"TrustArc", "CookieYes", "Complianz", "Borlabs Cookie", "Osano", "iubenda", "Sourcepoint",
	"CookieFirst", "Termly", "Axeptio", "Klaro", "Cookie-Script", "Civic Cookie Control",
	"Moove GDPR", "consentmanager.net", "Google Funding Choices",
}

func TestBuiltinRulesLoadAndValidate(t *testing.T) {
	rules, err := BuiltinRules()
	if err != nil {
		t.Fatalf("embedded rules: %v", err)
	}
	byName := map[string]Rule{}
	for _, r := range rules {
		byName[r.Name] = r
	}
	for _, p := range wantPlatforms {
		r, ok := byName[p]
		if !ok {
			t.Errorf("no rule for %s", p)
			continue
		}
		if r.Verify.Decode == "" && r.Verify.API == "" {
			t.Errorf("%s: no way to verify", p)
		}
	}
	// Loading twice returns the same parse (sync.OnceValues).
	again, err := BuiltinRules()
	if err != nil || len(again) != len(rules) || &again[0] != &rules[0] {
		t.Errorf("second load differs: %v", err)
	}
}

func TestParseRulesErrorsNameRuleAndField(t *testing.T) {
	base := `- name: Mine
  detect: {elements: ["#mine"]}
  banner: ["#mine"]
  accept: ["#mine .yes"]
  verify: {cookie: mine, decode: complianz}
`
	tests := []struct {
		name, yaml, rule, field string
	}{
		{"no name", strings.Replace(base, "name: Mine", "name: ''", 1), "#1", "name"},
		{"no detect", strings.Replace(base, `detect: {elements: ["#mine"]}`, "detect: {}", 1), "Mine", "detect"},
		{"no accept", strings.Replace(base, `accept: ["#mine .yes"]`, "accept: []", 1), "Mine", "accept"},
		{"bad selector", strings.Replace(base, `accept: ["#mine .yes"]`, `accept: ["button[x"]`, 1), "Mine", "accept"},
		{"unknown decoder", strings.Replace(base, "decode: complianz", "decode: nope", 1), "Mine", "verify.decode"},
		{"cookie without decoder", strings.Replace(base, ", decode: complianz", "", 1), "Mine", "verify.decode"},
		{"no verify", strings.Replace(base, "verify: {cookie: mine, decode: complianz}", "verify: {}", 1), "Mine", "verify"},
		{"bad global", strings.Replace(base, `detect: {elements: ["#mine"]}`, `detect: {globals: ["a.b"]}`, 1), "Mine", "detect.globals"},
		{"second layer without settings", base + "  second_layer: [{click: [\"#x\"]}]\n", "Mine", "second_layer"},
		{"step with two actions", base + "  settings: [\"#s\"]\n  second_layer: [{click: [\"#x\"], uncheck: [\"#y\"]}]\n", "Mine", "second_layer[0]"},
		{"bad step regexp", base + "  settings: [\"#s\"]\n  second_layer: [{click: [\"#x\"], text: \"(\"}]\n", "Mine", "second_layer[0].text"},
		{"duplicate", base + strings.Replace(base, "name: Mine", "name: mine", 1), "mine", "name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRules(strings.NewReader(tc.yaml), "test.yaml")
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("want *RuleError, got %v", err)
			}
			if !errors.Is(err, ErrInvalidRule) {
				t.Errorf("%v does not wrap ErrInvalidRule", err)
			}
			if re.Rule != tc.rule || re.Field != tc.field || re.Source != "test.yaml" {
				t.Errorf("got rule %q field %q source %q, want %q %q: %v", re.Rule, re.Field, re.Source, tc.rule, tc.field, err)
			}
		})
	}
	if _, err := ParseRules(strings.NewReader(base+"  colour: red\n"), "x"); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Errorf("unknown field not reported: %v", err)
	}
	if rules, err := ParseRules(strings.NewReader(base), "x"); err != nil || len(rules) != 1 {
		t.Errorf("valid rule rejected: %v", err)
	}
}

func TestNewWithUserRules(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "rules.yaml")
	user := `- name: Acme Consent
  detect: {scripts: [consent.acme.test]}
  banner: ["#acme-banner"]
  accept: ["#acme-yes"]
  reject: ["#acme-no"]
  verify: {cookie: acme_consent, decode: complianz}
`
	if err := os.WriteFile(file, []byte(user), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{RulesFile: file})
	if err != nil {
		t.Fatal(err)
	}
	rules := e.Rules()
	if rules[0].Name != "Acme Consent" {
		t.Errorf("user rule not first: %s", rules[0].Name)
	}
	if e.opts.BannerTimeout != DefaultBannerTimeout {
		t.Errorf("default banner timeout not filled: %v", e.opts.BannerTimeout)
	}
	if _, err := New(Options{RulesFile: filepath.Join(dir, "missing.yaml")}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := New(Options{BannerTimeout: -time.Second}); err == nil {
		t.Error("negative timeout accepted")
	}
	// The library says which selector is wrong and why; naming the flag is
	// the CLI's business (cmd/cookiescan TestValidationExits2BeforeChrome).
	if _, err := New(Options{AcceptSelector: "button[oops"}); err == nil || !strings.Contains(err.Error(), "accept selector: unbalanced brackets") || strings.Contains(err.Error(), "--") {
		t.Errorf("bad selector: %v", err)
	}
}

func TestClassifyLabel(t *testing.T) {
	tests := []struct {
		label, role string
		pay, login  bool
	}{
		{"Accept all", RoleAccept, false, false},
		{"Accepter alle", RoleAccept, false, false},
		{"Tillad alle", RoleAccept, false, false},
		{"Godta alle", RoleAccept, false, false},
		{"Acceptera alla", RoleAccept, false, false},
		{"Alle akzeptieren", RoleAccept, false, false},
		{"Alles accepteren", RoleAccept, false, false},
		{"Tout accepter", RoleAccept, false, false},
		{"Aceptar todo", RoleAccept, false, false},
		{"Accetta tutto", RoleAccept, false, false},
		{"OK", RoleAccept, false, false},
		{"  Ok!  ", RoleAccept, false, false},
		{"Reject all", RoleReject, false, false},
		{"Afvis alle", RoleReject, false, false},
		{"Kun nødvendige", RoleReject, false, false},
		{"Avvis alle", RoleReject, false, false},
		{"Avvisa alla", RoleReject, false, false},
		{"Alle ablehnen", RoleReject, false, false},
		{"Alles weigeren", RoleReject, false, false},
		{"Tout refuser", RoleReject, false, false},
		{"Rechazar todo", RoleReject, false, false},
		{"Rifiuta tutto", RoleReject, false, false},
		{"Continuer sans accepter →", RoleReject, false, false},
		{"Nur notwendige Cookies akzeptieren", RoleReject, false, false},
		{"Indstillinger", RoleSettings, false, false},
		{"Settings", RoleSettings, false, false},
		{"Einstellungen", RoleSettings, false, false},
		{"Tillad valgte", RoleSave, false, false},
		{"Accept selected", RoleSave, false, false},
		{"Auswahl speichern", RoleSave, false, false},
		// The twelve languages of the declaration reader, and the default
		// texts of the open-source libraries the tests run on.
		{"Aanvaarden", RoleAccept, false, false},
		{"Alles aanvaarden", RoleAccept, false, false},
		{"Hyväksy kaikki", RoleAccept, false, false},
		{"Hylkää kaikki", RoleReject, false, false},
		{"Vain välttämättömät", RoleReject, false, false},
		{"Akceptuj wszystkie", RoleAccept, false, false},
		{"Odrzuć wszystkie", RoleReject, false, false},
		{"Aceitar todos", RoleAccept, false, false},
		{"Rejeitar todos", RoleReject, false, false},
		{"Apenas necessários", RoleReject, false, false},
		{"Definições", RoleSettings, false, false},
		{"Ustawienia", RoleSettings, false, false},
		{"Tallenna valinnat", RoleSave, false, false},
		{"That's ok", RoleAccept, false, false},
		{"I decline", RoleReject, false, false},
		{"Let me choose", RoleSettings, false, false},
		{"Manage preferences", RoleSettings, false, false},
		{"Subscribe for €2.99", RoleOther, true, false},
		{"Accept and subscribe", RoleOther, true, false},
		{"Abonnieren ohne Werbung", RoleOther, true, false},
		{"Jetzt Pur-Abo abschließen für 2,99 €", RoleOther, true, false},
		{"Continue with ads or 3,99 kr./md.", RoleOther, true, false},
		{"Log in", RoleOther, false, true},
		{"Anmelden", RoleOther, false, true},
		{"Read more about how we use cookies and why we think you should accept them", RoleOther, false, false},
		{"Cookie", RoleOther, false, false}, // "ok" inside a word is not OK
		{"", RoleOther, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			got := classifyLabel(tc.label)
			if got.Role != tc.role || got.Pay != tc.pay || got.Login != tc.login {
				t.Errorf("classifyLabel(%q) = %+v, want role %s pay %v login %v", tc.label, got, tc.role, tc.pay, tc.login)
			}
		})
	}
	// Ranking: "Reject all" outranks "Reject", "Accept all" outranks "OK".
	if a, b := classifyLabel("Reject all"), classifyLabel("Reject"); a.Score <= b.Score {
		t.Errorf("reject all %d <= reject %d", a.Score, b.Score)
	}
	if a, b := classifyLabel("Accept all"), classifyLabel("OK"); a.Score <= b.Score {
		t.Errorf("accept all %d <= ok %d", a.Score, b.Score)
	}
}

func TestConsentModeFromURL(t *testing.T) {
	tests := []struct {
		name, url string
		want      []cookie.ConsentModeSignal
	}{
		{"ga4 collect denied", "https://region1.google-analytics.com/g/collect?v=2&tid=G-X&gcs=G100&gcd=13p3p3p2p5l1", []cookie.ConsentModeSignal{
			{Param: "gcs", Value: "G100"}, {Param: "gcd", Value: "13p3p3p2p5l1"}}},
		{"ads granted", "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/?gcs=G111", []cookie.ConsentModeSignal{{Param: "gcs", Value: "G111"}}},
		{"google country domain", "https://www.google.dk/pagead/1p-user-list/1/?gcd=13r3r3r3r5l1", []cookie.ConsentModeSignal{{Param: "gcd", Value: "13r3r3r3r5l1"}}},
		{"not google", "https://evil.example/collect?gcs=G111", nil},
		{"google label elsewhere", "https://www.google.evil.example/?gcs=G111", nil},
		{"google.co.uk", "https://www.google.co.uk/ads?gcs=G100", []cookie.ConsentModeSignal{{Param: "gcs", Value: "G100"}}},
		{"look-alike host", "https://google-analytics.com.evil.example/?gcs=G111", nil},
		{"no params", "https://www.googletagmanager.com/gtag/js?id=G-X", nil},
		{"garbage", "::", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ConsentModeFromURL(tc.url)
			for i := range tc.want {
				tc.want[i].URL = tc.url
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if ads, an, ok := ConsentModeGranted("G101"); !ok || ads || !an {
		t.Errorf("G101: ads %v analytics %v ok %v", ads, an, ok)
	}
	if _, _, ok := ConsentModeGranted("G1x0"); ok {
		t.Error("G1x0 accepted")
	}
}
