package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// junitWriter writes one test suite per rule and one test case per rule and
// cookie (or vendor, or the site for site-wide rules), so a CI server shows
// which cookie broke which rule. Baselined findings are skipped cases. The
// shape follows the Ant JUnit schema CI servers read.
type junitWriter struct{}

var _ Writer = junitWriter{}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Package    string          `xml:"package,attr"`
	ID         int             `xml:"id,attr"`
	Name       string          `xml:"name,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitSkipped `xml:"skipped"`
	Failure   *junitFailure `xml:"failure"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (junitWriter) Write(w io.Writer, s *result.Scan) error {
	v := newView(s)
	host := "localhost"
	if u, err := url.Parse(s.Site); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	elapsed := s.FinishedAt.Sub(s.StartedAt).Seconds()
	doc := junitSuites{}
	for i, rule := range audit.Rules() {
		suite := junitSuite{Package: "cookiescan", ID: i, Name: rule.ID, Hostname: textsafe.Short(host, maxName),
			Timestamp: s.StartedAt.UTC().Format("2006-01-02T15:04:05"), Time: fmt.Sprintf("%.3f", max(elapsed, 0)),
			Properties: []junitProperty{{"title", rule.Title}, {"severity", rule.Severity.String()}, {"site", textsafe.Short(s.Site, maxURL)}}}
		var order []string
		cases := map[string]*junitCase{}
		add := func(name string) *junitCase {
			if c, ok := cases[name]; ok {
				return c
			}
			cases[name] = &junitCase{Name: name, Classname: "cookiescan." + rule.ID, Time: "0"}
			order = append(order, name)
			return cases[name]
		}
		// Cookie rules judge every cookie; the others have a case per
		// subject they found, or one passing case for the site.
		if isCookieRule(rule.ID) {
			for _, c := range v.inventory {
				add(textsafe.Short(c.Name+" ("+c.Domain+")", maxName))
			}
		}
		for _, f := range v.baselined {
			if f.RuleID == rule.ID {
				add(textsafe.Short(subject(f), maxName)).Skipped = &junitSkipped{Message: "accepted by the baseline"}
			}
		}
		for _, f := range v.findings {
			if f.RuleID != rule.ID {
				continue
			}
			c := add(textsafe.Short(subject(f), maxName))
			c.Skipped = nil
			text := findingText(f)
			if c.Failure != nil { // a second state of the same cookie
				text = c.Failure.Text + "\n\n" + text
			}
			c.Failure = &junitFailure{Message: textsafe.Short(f.Message, maxText), Type: f.Severity.String(), Text: text}
		}
		if len(order) == 0 {
			add("site")
		}
		for _, name := range order {
			c := cases[name]
			suite.Cases = append(suite.Cases, *c)
			suite.Tests++
			switch {
			case c.Failure != nil:
				suite.Failures++
			case c.Skipped != nil:
				suite.Skipped++
			}
		}
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	return nil
}

// isCookieRule reports whether a rule judges each cookie of the inventory.
func isCookieRule(id string) bool {
	switch id {
	case "declared-not-found", "undeclared-vendor", "no-reject-option":
		return false
	}
	return true
}

// findingText is the plain-text body of a finding for JUnit and similar.
func findingText(f audit.Finding) string {
	lines := []string{textsafe.Short(f.Message, maxText)}
	add := func(label, s string, n int) {
		if s != "" {
			lines = append(lines, label+": "+textsafe.Short(s, n))
		}
	}
	add("state", string(f.State), maxName)
	add("page", f.PageURL, maxURL)
	add("set by", f.Evidence.Setter, maxURL)
	add("observed", f.Evidence.Observed, maxText)
	add("classified", f.Evidence.Classification, maxText)
	add("declared as", f.Evidence.DeclaredAs, maxURL)
	add("declaration says", f.Evidence.Declared, maxText)
	add("declaration at", f.Evidence.DeclaredWhere, maxURL)
	add("fingerprint", f.Fingerprint, maxName)
	return strings.Join(lines, "\n")
}
