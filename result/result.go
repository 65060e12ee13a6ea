// Package result holds the outcome of one scan: what the crawler observed, the
// classified cookie inventory, the declaration and the findings. Reports
// render it and the store saves it; neither needs the browser to do so.
package result

import (
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
)

// SchemaVersion is the version of the JSON form of Scan. It changes when a
// field changes meaning or goes away; new fields do not change it.
//
// Version 2 keeps one cookie list, the inventory: each cookie's "seen" holds
// what every consent state saw of it (page, setter, attributes), where
// version 1 had a "states" list on each inventory cookie and a second,
// per-state cookie list in observation.states[].cookies. Decode reads both.
const SchemaVersion = 2

// Scan is the result of one scan of one site.
type Scan struct {
	SchemaVersion int       `json:"schema_version"`
	ToolVersion   string    `json:"tool_version"`
	Site          string    `json:"site"`
	StartedAt     time.Time `json:"started_at"`
	FinishedAt    time.Time `json:"finished_at"`
	Options       Options   `json:"options"`

	Observation cookie.Observation `json:"observation"`
	// Inventory is every cookie seen, merged over the states (one entry per
	// name, domain and path, with what each state saw of it) and
	// classified: the scan's one cookie list.
	Inventory []cookie.Observed `json:"inventory"`

	Declaration *cookie.Declaration `json:"declaration,omitempty"`
	// DeclarationError says why no declaration could be read, when none was.
	DeclarationError string `json:"declaration_error,omitempty"`

	// Warnings are things the user should know that did not stop the scan.
	Warnings []string `json:"warnings,omitempty"`

	Findings []audit.Finding `json:"findings"`
	// Baselined are findings a baseline accepted; they do not fail a build.
	Baselined []audit.Finding `json:"baselined,omitempty"`
}

// Options records the options that shape a scan's verdicts, so a stored scan
// says how it was made.
type Options struct {
	MaxPages int `json:"max_pages"`
	// Depth is how many levels of links discovery followed (0: none).
	Depth                  int      `json:"depth"`
	States                 []string `json:"states"`
	BlockThirdPartyCookies bool     `json:"block_third_party_cookies"`
	IgnoreRobots           bool     `json:"ignore_robots"`
	TimeoutSeconds         float64  `json:"timeout_seconds"`
	DeclarationSource      string   `json:"declaration_source,omitempty"`
	CookieDBs              []string `json:"cookie_dbs,omitempty"`
}

// FailedPages lists every page that failed in discovery or in any state.
func (s *Scan) FailedPages() []cookie.PageVisit {
	var out []cookie.PageVisit
	for _, p := range s.Observation.DiscoveryErrors {
		if p.Failed() {
			out = append(out, p)
		}
	}
	for _, st := range s.Observation.States {
		for _, p := range st.Pages {
			if p.Failed() {
				out = append(out, p)
			}
		}
	}
	return out
}

// SkippedPages lists the pages discovery left out on purpose (robots.txt,
// not an HTML page), with the reason.
func (s *Scan) SkippedPages() []cookie.PageVisit {
	var out []cookie.PageVisit
	for _, p := range s.Observation.DiscoveryErrors {
		if p.Skipped() {
			out = append(out, p)
		}
	}
	return out
}

// ConsentCheck is the outcome of `cookiescan consent`: the banner of one
// page, operated once per consent state, each in a fresh profile.
type ConsentCheck struct {
	SchemaVersion int                 `json:"schema_version"`
	URL           string              `json:"url"`
	Browser       string              `json:"browser,omitempty"`
	States        []ConsentCheckState `json:"states"`
}

// ConsentCheckState is one state of a ConsentCheck.
type ConsentCheckState struct {
	State      cookie.State          `json:"state"`
	DurationMS int64                 `json:"duration_ms"`
	Outcome    cookie.ConsentOutcome `json:"outcome"`
}
