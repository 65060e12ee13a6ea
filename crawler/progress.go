package crawler

import "github.com/cookiescan/cookiescan/cookie"

// ProgressEvent reports the crawler's progress: a state starting, a page
// starting or done, a state done. Options.Progress receives them in order,
// from one goroutine at a time.
type ProgressEvent struct {
	Kind  ProgressKind `json:"kind"`
	State cookie.State `json:"state,omitempty"`
	Page  string       `json:"page,omitempty"`
	// Done and Total count the pages of the current state.
	Done  int `json:"done"`
	Total int `json:"total"`
	// Err is the page's error text for a failed page.
	Err string `json:"error,omitempty"`
}

// ProgressKind says what a ProgressEvent reports.
type ProgressKind string

// The progress events, in the order a state sends them.
const (
	// ProgressDiscovered: discovery is done; Total is the number of pages to visit.
	ProgressDiscovered ProgressKind = "discovered"
	ProgressStateStart ProgressKind = "state-start"
	ProgressPageStart  ProgressKind = "page-start"
	// ProgressPageDone: Err is set when the page failed.
	ProgressPageDone  ProgressKind = "page-done"
	ProgressStateDone ProgressKind = "state-done"
)
