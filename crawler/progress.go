package crawler

import "github.com/cookiescan/cookiescan/cookie"

// ProgressEvent reports the crawler's progress: a state starting, a page
// starting or done, a state done. Options.Progress receives them in order,
// from one goroutine at a time.
type ProgressEvent struct {
	// Kind is "discovered", "state-start", "page-start", "page-done" or "state-done".
	Kind  string       `json:"kind"`
	State cookie.State `json:"state,omitempty"`
	Page  string       `json:"page,omitempty"`
	// Done and Total count the pages of the current state.
	Done  int `json:"done"`
	Total int `json:"total"`
	// Err is the page's error text for a failed page.
	Err string `json:"error,omitempty"`
}
