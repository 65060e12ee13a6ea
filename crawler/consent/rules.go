package consent

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Rule is one consent platform as data: how to see it, where its banner and
// buttons are, how to accept and reject, and where it stores the choice.
// Adding a platform is adding a rule to rules.yaml; a user adds their own
// with --consent-rules in the same format.
type Rule struct {
	Name string `yaml:"name" json:"name"`
	// Detect lists the signals that the platform is on the page, any of them.
	Detect Detect `yaml:"detect" json:"detect"`
	// Frame, when set, is a substring of the URL of the frame that holds the
	// banner (Sourcepoint and TrustArc put it in a cross-origin iframe).
	Frame string `yaml:"frame,omitempty" json:"frame,omitempty"`
	// Banner lists selectors of the first layer; one visible means it shows.
	Banner []string `yaml:"banner" json:"banner"`
	// Accept, Reject and Settings list the first-layer buttons, best first.
	Accept   []string `yaml:"accept" json:"accept"`
	Reject   []string `yaml:"reject,omitempty" json:"reject,omitempty"`
	Settings []string `yaml:"settings,omitempty" json:"settings,omitempty"`
	// SecondLayer are the steps that reject once Settings has been clicked.
	SecondLayer []Step `yaml:"second_layer,omitempty" json:"second_layer,omitempty"`
	// PayWall lists selectors whose presence makes the banner consent-or-pay.
	PayWall []string `yaml:"paywall,omitempty" json:"paywall,omitempty"`
	// API holds main-world JavaScript used only when no click worked.
	API API `yaml:"api,omitempty" json:"api,omitempty"`
	// Version is a main-world JavaScript expression giving the platform's version.
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
	Verify  Verify `yaml:"verify" json:"verify"`
}

// Detect holds the independent detection signals of a platform.
type Detect struct {
	Scripts  []string `yaml:"scripts,omitempty" json:"scripts,omitempty"`   // substrings of script or frame URLs
	Globals  []string `yaml:"globals,omitempty" json:"globals,omitempty"`   // window properties in the page's main world
	Elements []string `yaml:"elements,omitempty" json:"elements,omitempty"` // CSS selectors, shadow roots included
}

// Step is one action of a second layer: exactly one of Click, Uncheck or
// WaitFor is set.
type Step struct {
	Click   []string `yaml:"click,omitempty" json:"click,omitempty"`
	Uncheck []string `yaml:"uncheck,omitempty" json:"uncheck,omitempty"`
	WaitFor []string `yaml:"wait_for,omitempty" json:"wait_for,omitempty"`
	// Text, for Click, is a case-insensitive regular expression the label must match.
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
	// Optional steps that find nothing do not fail the sequence.
	Optional bool `yaml:"optional,omitempty" json:"optional,omitempty"`
	// Final ends the sequence when this click succeeded (a "reject all" in
	// the second layer makes unticking and saving unnecessary).
	Final bool `yaml:"final,omitempty" json:"final,omitempty"`
}

// API is the platform's own JavaScript for accept and reject.
type API struct {
	Accept string `yaml:"accept,omitempty" json:"accept,omitempty"`
	Reject string `yaml:"reject,omitempty" json:"reject,omitempty"`
}

// Verify says where the platform stores the choice and how to read it.
type Verify struct {
	// Cookie is the name of the consent cookie; a trailing * matches a prefix.
	Cookie string `yaml:"cookie,omitempty" json:"cookie,omitempty"`
	// LocalStorage is the localStorage key of the top frame.
	LocalStorage string `yaml:"local_storage,omitempty" json:"local_storage,omitempty"`
	// Decode names the decoder of the stored value (see decoders).
	Decode string `yaml:"decode,omitempty" json:"decode,omitempty"`
	// API is a main-world expression that returns "accept", "reject",
	// "partial" or "" (no choice) from the platform's JS API.
	API string `yaml:"api,omitempty" json:"api,omitempty"`
	// Configured is a main-world expression that returns the categories (or
	// TCF purpose ids) the site configures, as an array of strings: accept-all
	// is judged against them instead of a fixed list.
	Configured string `yaml:"configured,omitempty" json:"configured,omitempty"`
}

// ErrInvalidRule is wrapped by every rule validation error.
var ErrInvalidRule = errors.New("invalid consent rule")

// RuleError names the rule and the field that is wrong.
type RuleError struct {
	Source string // "embedded" or the file name
	Rule   string // the rule's name, or its index when it has none
	Field  string
	Msg    string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("consent: rules %s: rule %s: field %s: %s", e.Source, e.Rule, e.Field, e.Msg)
}

func (e *RuleError) Unwrap() error { return ErrInvalidRule }

//go:embed rules.yaml
var embeddedRules []byte

// builtinRules parses the embedded rules once, on first use.
var builtinRules = sync.OnceValues(func() ([]Rule, error) {
	return ParseRules(bytes.NewReader(embeddedRules), "embedded")
})

// BuiltinRules returns the embedded platform rules. The slice is shared:
// callers must not change it.
func BuiltinRules() ([]Rule, error) { return builtinRules() }

// LoadRulesFile reads user rules from a YAML (or JSON, a subset of YAML) file.
func LoadRulesFile(name string) ([]Rule, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("consent: rules: %w", err)
	}
	defer f.Close()
	return ParseRules(f, name)
}

// ParseRules decodes and validates a list of rules. Unknown fields are
// errors, so a typo in a user's rule file is reported instead of ignored.
func ParseRules(r io.Reader, source string) ([]Rule, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var rules []Rule
	if err := dec.Decode(&rules); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &RuleError{Source: source, Rule: "-", Field: "-", Msg: "no rules in file"}
		}
		return nil, fmt.Errorf("consent: rules %s: %w", source, err)
	}
	seen := map[string]bool{}
	for i := range rules {
		if err := rules[i].validate(source, i); err != nil {
			return nil, err
		}
		key := strings.ToLower(rules[i].Name)
		if seen[key] {
			return nil, &RuleError{Source: source, Rule: rules[i].Name, Field: "name", Msg: "duplicate name"}
		}
		seen[key] = true
	}
	return rules, nil
}

// badSelector catches what would make querySelectorAll throw in the page in
// the cheapest way: empty strings and unbalanced brackets or quotes.
// CheckSelector says what is wrong with a CSS selector given by a user
// (Options.AcceptSelector, RejectSelector), before any page is loaded.
func CheckSelector(s string) error {
	if msg := badSelector(s); msg != "" {
		return errors.New(msg)
	}
	return nil
}

func badSelector(s string) string {
	if strings.TrimSpace(s) == "" {
		return "empty selector"
	}
	if strings.Count(s, "[") != strings.Count(s, "]") || strings.Count(s, "(") != strings.Count(s, ")") {
		return fmt.Sprintf("unbalanced brackets in %q", s)
	}
	if strings.Count(s, `"`)%2 != 0 || strings.Count(s, `'`)%2 != 0 {
		return fmt.Sprintf("unbalanced quotes in %q", s)
	}
	return ""
}

func (r *Rule) validate(source string, index int) error {
	name := r.Name
	if name == "" {
		name = fmt.Sprintf("#%d", index+1)
	}
	fail := func(field, format string, args ...any) error {
		return &RuleError{Source: source, Rule: name, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(r.Name) == "" {
		return fail("name", "missing")
	}
	if len(r.Detect.Scripts)+len(r.Detect.Globals)+len(r.Detect.Elements) == 0 {
		return fail("detect", "needs at least one of scripts, globals, elements")
	}
	if len(r.Banner) == 0 {
		return fail("banner", "missing")
	}
	if len(r.Accept) == 0 {
		return fail("accept", "missing")
	}
	if len(r.SecondLayer) > 0 && len(r.Settings) == 0 {
		return fail("second_layer", "needs settings to open it")
	}
	lists := []struct {
		field string
		sels  []string
	}{
		{"detect.elements", r.Detect.Elements}, {"banner", r.Banner}, {"accept", r.Accept},
		{"reject", r.Reject}, {"settings", r.Settings}, {"paywall", r.PayWall},
	}
	for _, l := range lists {
		for _, s := range l.sels {
			if msg := badSelector(s); msg != "" {
				return fail(l.field, "%s", msg)
			}
		}
	}
	for _, g := range r.Detect.Globals {
		if !jsIdent.MatchString(g) {
			return fail("detect.globals", "%q is not a JavaScript identifier", g)
		}
	}
	for i, st := range r.SecondLayer {
		field := fmt.Sprintf("second_layer[%d]", i)
		n := 0
		for _, l := range [][]string{st.Click, st.Uncheck, st.WaitFor} {
			if len(l) > 0 {
				n++
			}
			for _, s := range l {
				if msg := badSelector(s); msg != "" {
					return fail(field, "%s", msg)
				}
			}
		}
		if n != 1 {
			return fail(field, "needs exactly one of click, uncheck, wait_for")
		}
		if st.Text != "" {
			if _, err := regexp.Compile(st.Text); err != nil {
				return fail(field+".text", "%v", err)
			}
		}
	}
	v := r.Verify
	if v.Cookie == "" && v.LocalStorage == "" && v.API == "" {
		return fail("verify", "needs cookie, local_storage or api")
	}
	if v.Cookie != "" && v.LocalStorage != "" {
		return fail("verify", "cookie and local_storage are exclusive")
	}
	if (v.Cookie != "" || v.LocalStorage != "") && v.Decode == "" {
		return fail("verify.decode", "missing (the stored value needs a decoder)")
	}
	if v.Decode != "" {
		if _, ok := decoderFor(v.Decode); !ok {
			return fail("verify.decode", "unknown decoder %q (known: %s)", v.Decode, strings.Join(decoderNames(), ", "))
		}
	}
	return nil
}

var jsIdent = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
