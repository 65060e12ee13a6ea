package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// BaselineEntry accepts one known finding, by its fingerprint. Rule and
// Cookie are there for the reader of the file; Reason says why the finding
// is accepted, and Expires (a date, 2006-01-02, or an RFC 3339 time) when
// the acceptance ends, so an accepted problem comes back unless renewed.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule,omitempty"`
	Cookie      string `json:"cookie,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Expires     string `json:"expires,omitempty"`
}

// Baseline is a set of accepted findings.
type Baseline struct {
	Entries []BaselineEntry `json:"entries"`
}

// ErrBaselineFormat is returned for a file that is neither a baseline nor a
// JSON report.
var ErrBaselineFormat = errors.New("not a baseline or a cookiescan JSON report")

// maxBaselineSize bounds what ReadBaseline reads; a baseline is small, and a
// JSON report with screenshots stays well under it.
const maxBaselineSize = 64 << 20

// ReadBaseline reads a baseline file, which is either a small baseline
// ({"entries": [...]}, or the bare array) or an earlier JSON report, whose
// findings and already baselined findings are all accepted.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBaselineSize+1))
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if len(data) > maxBaselineSize {
		return nil, fmt.Errorf("read baseline: larger than %d bytes", maxBaselineSize)
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var entries []BaselineEntry
		if err := json.Unmarshal(data, &entries); err != nil {
			return nil, fmt.Errorf("read baseline: %w", err)
		}
		return checkEntries(&Baseline{Entries: entries})
	}
	var doc struct {
		Entries   *[]BaselineEntry `json:"entries"`
		Findings  *[]Finding       `json:"findings"`
		Baselined []Finding        `json:"baselined"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	switch {
	case doc.Entries != nil:
		return checkEntries(&Baseline{Entries: *doc.Entries})
	case doc.Findings != nil:
		return checkEntries(NewBaseline(append(*doc.Findings, doc.Baselined...), "accepted from an earlier report"))
	}
	return nil, fmt.Errorf("read baseline: %w", ErrBaselineFormat)
}

func checkEntries(b *Baseline) (*Baseline, error) {
	for i, e := range b.Entries {
		if strings.TrimSpace(e.Fingerprint) == "" {
			return nil, fmt.Errorf("read baseline: entry %d has no fingerprint", i+1)
		}
		if e.Expires != "" {
			if _, err := parseExpiry(e.Expires); err != nil {
				return nil, fmt.Errorf("read baseline: entry %d (%s): %w", i+1, e.Fingerprint, err)
			}
		}
	}
	return b, nil
}

// parseExpiry returns the first instant at which an entry no longer
// applies: the end of the given day (UTC) for a date, the time itself for
// an RFC 3339 time.
func parseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.AddDate(0, 0, 1), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expires %q is neither a date (2006-01-02) nor an RFC 3339 time", s)
	}
	return t, nil
}

// NewBaseline accepts every given finding with the same reason, one entry
// per fingerprint, in fingerprint order so the file diffs well.
func NewBaseline(fs []Finding, reason string) *Baseline {
	b := &Baseline{Entries: []BaselineEntry{}}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Fingerprint == "" || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		e := BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.RuleID, Reason: reason}
		switch {
		case f.Cookie != nil:
			e.Cookie = f.Cookie.Name
		case f.Vendor != "":
			e.Cookie = "vendor " + f.Vendor
		}
		b.Entries = append(b.Entries, e)
	}
	slices.SortFunc(b.Entries, func(x, y BaselineEntry) int { return strings.Compare(x.Fingerprint, y.Fingerprint) })
	return b
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// Apply splits findings into the new ones and the ones the baseline
// accepts at time now. Warnings name the entries that matched nothing (the
// problem is gone, or the fingerprint changed) and those that expired.
func (b *Baseline) Apply(fs []Finding, now time.Time) (remaining, accepted []Finding, warnings []string) {
	active := map[string]int{}
	for i, e := range b.Entries {
		if e.Expires != "" {
			if until, err := parseExpiry(e.Expires); err == nil && !now.Before(until) {
				warnings = append(warnings, fmt.Sprintf("baseline entry %s (%s %s) expired on %s", e.Fingerprint, e.Rule, e.Cookie, e.Expires))
				continue
			}
		}
		if _, dup := active[e.Fingerprint]; !dup {
			active[e.Fingerprint] = i
		}
	}
	used := map[string]bool{}
	for _, f := range fs {
		if _, ok := active[f.Fingerprint]; ok {
			accepted = append(accepted, f)
			used[f.Fingerprint] = true
			continue
		}
		remaining = append(remaining, f)
	}
	var unused []string
	for fp, i := range active {
		if !used[fp] {
			e := b.Entries[i]
			unused = append(unused, fmt.Sprintf("baseline entry %s (%s %s) matched no finding; remove it if the problem is fixed", fp, e.Rule, e.Cookie))
		}
	}
	slices.Sort(unused)
	return remaining, accepted, append(warnings, unused...)
}
