package cookie

import "fmt"

// State is the consent state a page was visited in.
type State string

// The three consent states. Each starts from an empty browser profile.
const (
	// Before: the pages are loaded and nothing is touched.
	Before State = "before"
	// Accept: accept-all is chosen on the first page, then the pages load.
	Accept State = "accept"
	// Reject: reject-all is chosen on the first page, then the pages load.
	Reject State = "reject"
)

// States lists the consent states in the order a scan visits them.
func States() []State { return []State{Before, Accept, Reject} }

// Action is what the consent banner is asked to do to make the state:
// "none", "accept" or "reject", as the consent engine takes it and
// ConsentOutcome.Action records it.
func (s State) Action() string {
	if s == Before {
		return "none"
	}
	return string(s)
}

// ParseState accepts the canonical spelling of a state.
func ParseState(s string) (State, error) {
	for _, st := range States() {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("unknown consent state %q (want before, accept or reject)", s)
}

// Party says whether a cookie or request belongs to the visited site's
// registrable domain (first) or to someone else's (third).
type Party string

// The parties.
const (
	FirstParty Party = "first"
	ThirdParty Party = "third"
)
