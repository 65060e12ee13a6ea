package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// sarifWriter writes SARIF 2.1.0 for code-scanning dashboards: the whole
// rule catalog, one result per finding with the page as the artifact, and
// the finding's fingerprint as a partial fingerprint so a dashboard tracks a
// problem across scans. Baselined findings carry an external suppression.
type sarifWriter struct{}

var _ Writer = sarifWriter{}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration map[string]string `json:"defaultConfiguration"`
	Properties           map[string]any    `json:"properties"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool   `json:"executionSuccessful"`
	StartTimeUTC        string `json:"startTimeUtc,omitempty"`
	EndTimeUTC          string `json:"endTimeUtc,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
	} `json:"physicalLocation"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

// sarifLevel maps a severity to SARIF's three levels.
func sarifLevel(s audit.Severity) string {
	switch {
	case s >= audit.High:
		return "error"
	case s == audit.Medium:
		return "warning"
	}
	return "note"
}

func (sarifWriter) Write(w io.Writer, s *result.Scan) error {
	v := newView(s)
	driver := sarifDriver{Name: "cookiescan", Version: s.ToolVersion, InformationURI: "https://github.com/cookiescan/cookiescan"}
	index := map[string]int{}
	for i, r := range audit.Rules() {
		index[r.ID] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, Name: pascal(r.Title),
			ShortDescription:     sarifText{Text: r.Title},
			FullDescription:      sarifText{Text: r.Description},
			Help:                 sarifText{Text: r.Help, Markdown: r.Help},
			DefaultConfiguration: map[string]string{"level": sarifLevel(r.Severity)},
			Properties:           map[string]any{"severity": r.Severity.String(), "tags": []string{"privacy", "cookies"}},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true, StartTimeUTC: sarifTime(s.StartedAt), EndTimeUTC: sarifTime(s.FinishedAt)}}}
	add := func(f audit.Finding, suppressed bool) {
		res := sarifResult{
			RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: sarifLevel(f.Severity),
			Message:             sarifText{Text: strings.ReplaceAll(findingText(f), "\n", "; ")},
			PartialFingerprints: map[string]string{"cookiescan/v1": f.Fingerprint},
			Properties:          map[string]any{"severity": f.Severity.String(), "subject": textsafe.Short(subject(f), maxName)},
		}
		if f.State != "" {
			res.Properties["state"] = string(f.State)
		}
		if uri := artifactURI(f.PageURL, s.Site); uri != "" {
			var loc sarifLocation
			loc.PhysicalLocation.ArtifactLocation.URI = uri
			res.Locations = []sarifLocation{loc}
		}
		if suppressed {
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: "accepted by the cookiescan baseline"}}
		}
		run.Results = append(run.Results, res)
	}
	for _, f := range v.findings {
		add(f, false)
	}
	for _, f := range v.baselined {
		add(f, true)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	err := enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
	if err != nil {
		return fmt.Errorf("sarif report: %w", err)
	}
	return nil
}

// artifactURI is the page of a finding (or the site) as an absolute URI;
// text that does not parse as one, or is too long, is left out rather than
// put in a field that must be a URI.
func artifactURI(page, site string) string {
	for _, raw := range []string{page, site} {
		u, err := url.Parse(raw)
		if err != nil || !u.IsAbs() || len(raw) > 2048 {
			continue
		}
		return u.String()
	}
	return ""
}

func sarifTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// pascal turns a rule title into the PascalCase name SARIF viewers show:
// "Non-necessary cookie set before consent" → "NonNecessaryCookieSetBeforeConsent".
func pascal(title string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r, size := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[size:])
	}
	return b.String()
}
