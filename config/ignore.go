package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/cookiescan/cookiescan/audit"
)

// IgnoreRule accepts the findings about a cookie the team knows of, by name
// or by pattern, like a baseline entry but without a fingerprint, so it
// keeps working when the cookie moves to another page or domain. Each rule
// says why, and may expire so an accepted problem comes back unless renewed.
type IgnoreRule struct {
	// Name is an exact cookie name, or Pattern a regular expression that
	// must match the whole name; one of the two. Vendor instead matches the
	// findings about a vendor (undeclared-vendor).
	Name    string   `yaml:"name"`
	Pattern string   `yaml:"pattern"`
	Vendor  string   `yaml:"vendor"`
	Rules   []string `yaml:"rules"` // rule ids it is limited to; empty: every rule
	Reason  string   `yaml:"reason"`
	Expires string   `yaml:"expires"` // 2006-01-02; after that day the rule no longer applies
	Line    int      `yaml:"-"`

	re      *regexp.Regexp
	expires time.Time
}

func parseIgnore(n *yaml.Node) ([]IgnoreRule, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: ignore: want a list of rules (- name: …, reason: …)", n.Line)
	}
	var out []IgnoreRule
	for _, item := range n.Content {
		var r IgnoreRule
		dec := item
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("line %d: ignore: %w", item.Line, err)
		}
		if err := knownKeys(item, "name", "pattern", "vendor", "rules", "reason", "expires"); err != nil {
			return nil, err
		}
		r.Line = item.Line
		if err := r.check(); err != nil {
			return nil, fmt.Errorf("line %d: ignore: %w", item.Line, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func knownKeys(n *yaml.Node, keys ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: ignore: want name/pattern/vendor, reason and expires", n.Line)
	}
	for i := 0; i < len(n.Content); i += 2 {
		if !slices.Contains(keys, n.Content[i].Value) {
			return fmt.Errorf("line %d: ignore: unknown key %q (known: %s)", n.Content[i].Line, n.Content[i].Value, strings.Join(keys, ", "))
		}
	}
	return nil
}

func (r *IgnoreRule) check() error {
	set := 0
	for _, s := range []string{r.Name, r.Pattern, r.Vendor} {
		if s != "" {
			set++
		}
	}
	if set != 1 {
		return fmt.Errorf("give exactly one of name, pattern or vendor")
	}
	if strings.TrimSpace(r.Reason) == "" {
		return fmt.Errorf("%s: give a reason, so the next reader knows why it is accepted", r.what())
	}
	if r.Pattern != "" {
		re, err := regexp.Compile("^(?:" + r.Pattern + ")$")
		if err != nil {
			return fmt.Errorf("pattern %q: %w", r.Pattern, err)
		}
		r.re = re
	}
	for _, id := range r.Rules {
		if _, ok := audit.RuleByID(id); !ok {
			return fmt.Errorf("%s: unknown rule id %q", r.what(), id)
		}
	}
	if r.Expires != "" {
		t, err := time.Parse("2006-01-02", r.Expires)
		if err != nil {
			return fmt.Errorf("%s: expires %q: want a date, 2006-01-02", r.what(), r.Expires)
		}
		r.expires = t.AddDate(0, 0, 1) // the rule holds through its last day
	}
	return nil
}

func (r *IgnoreRule) what() string {
	switch {
	case r.Name != "":
		return "name " + r.Name
	case r.Pattern != "":
		return "pattern " + r.Pattern
	}
	return "vendor " + r.Vendor
}

func (r *IgnoreRule) matches(f audit.Finding) bool {
	if len(r.Rules) > 0 && !slices.Contains(r.Rules, f.RuleID) {
		return false
	}
	switch {
	case r.Vendor != "":
		return strings.EqualFold(f.Vendor, r.Vendor)
	case f.Cookie == nil:
		return false
	case r.Name != "":
		return f.Cookie.Name == r.Name
	}
	return r.re.MatchString(f.Cookie.Name)
}

// IgnoreSet is a configuration's ignore rules as a scan.Policy acceptor, so
// a scan from the CLI and one from the schedule apply them alike.
type IgnoreSet []IgnoreRule

// Accept applies the rules; see ApplyIgnore.
func (s IgnoreSet) Accept(fs []audit.Finding, now time.Time) (remaining, accepted []audit.Finding, warnings []string) {
	return ApplyIgnore(s, fs, now)
}

// ApplyIgnore splits findings into those no rule accepts and those a live
// rule accepts at time now. Warnings name expired rules and rules that
// matched nothing, as the baseline does.
func ApplyIgnore(rules []IgnoreRule, fs []audit.Finding, now time.Time) (remaining, accepted []audit.Finding, warnings []string) {
	var live []*IgnoreRule
	for i := range rules {
		r := &rules[i]
		if !r.expires.IsZero() && !now.Before(r.expires) {
			warnings = append(warnings, fmt.Sprintf("ignore rule %s (line %d) expired on %s; its findings count again", r.what(), r.Line, r.Expires))
			continue
		}
		live = append(live, r)
	}
	used := make([]bool, len(live))
	for _, f := range fs {
		hit := false
		for i, r := range live {
			if r.matches(f) {
				used[i], hit = true, true
				break
			}
		}
		if hit {
			accepted = append(accepted, f)
		} else {
			remaining = append(remaining, f)
		}
	}
	for i, r := range live {
		if !used[i] {
			warnings = append(warnings, fmt.Sprintf("ignore rule %s (line %d) matched no finding; remove it if the cookie is gone", r.what(), r.Line))
		}
	}
	return remaining, accepted, warnings
}
