package cookie

import "strconv"

// LifespanText is the cookie's lifespan as people read it: "session" or
// FormatDays of its days.
func (c Observed) LifespanText() string {
	if c.Session {
		return "session"
	}
	return FormatDays(c.LifespanDays)
}

// String is the declared lifespan by meaning, not wording, so that a
// reworded entry with the same bound reads the same: "session",
// "persistent", FormatDays of the bound, else the quoted text, else
// "unknown".
func (l Lifespan) String() string {
	switch l.Kind {
	case LifespanSession:
		return "session"
	case LifespanPersistent:
		return "persistent"
	case LifespanBounded:
		return FormatDays(l.Days)
	}
	if l.Text != "" {
		return strconv.Quote(l.Text)
	}
	return "unknown"
}
