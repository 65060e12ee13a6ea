package cookie

import "time"

// Sighting is one inventory cookie as one consent state saw it: where it
// first appeared, who set it, and its value's shape and attributes there.
type Sighting struct {
	State State `json:"state"`

	FirstSeenPage string    `json:"first_seen_page"`
	SetAt         time.Time `json:"set_at,omitzero"`
	SetBy         Setter    `json:"set_by"`
	// Removed is "deleted" or "gone" when the cookie was set in this state
	// but never in the jar when it was read (see Observed.Removed).
	Removed string `json:"removed,omitempty"`

	HostOnly     bool      `json:"host_only"`
	ValueLength  int       `json:"value_length"`
	Value        string    `json:"value,omitempty"`
	Session      bool      `json:"session"`
	Expires      time.Time `json:"expires,omitzero"`
	LifespanDays float64   `json:"lifespan_days"`
	Secure       bool      `json:"secure"`
	HTTPOnly     bool      `json:"http_only"`
	SameSite     string    `json:"same_site,omitempty"`
	Partitioned  bool      `json:"partitioned"`
	PartitionKey string    `json:"partition_key,omitempty"`
}

// sighting is what state s saw of o, a cookie of that state's jar.
func (o Observed) sighting(s State) Sighting {
	return Sighting{
		State: s, FirstSeenPage: o.FirstSeenPage, SetAt: o.SetAt, SetBy: o.SetBy, Removed: o.Removed,
		HostOnly: o.HostOnly, ValueLength: o.ValueLength, Value: o.Value,
		Session: o.Session, Expires: o.Expires, LifespanDays: o.LifespanDays,
		Secure: o.Secure, HTTPOnly: o.HTTPOnly, SameSite: o.SameSite,
		Partitioned: o.Partitioned, PartitionKey: o.PartitionKey,
	}
}

// States lists the consent states in which the cookie was seen, in visiting order.
func (o Observed) States() []State {
	out := make([]State, len(o.Seen))
	for i, sg := range o.Seen {
		out[i] = sg.State
	}
	return out
}

// SeenIn reports whether the cookie was seen in state s.
func (o Observed) SeenIn(s State) bool {
	_, ok := o.In(s)
	return ok
}

// In returns the cookie as state s saw it, and whether s saw it at all.
func (o Observed) In(s State) (Sighting, bool) {
	for _, sg := range o.Seen {
		if sg.State == s {
			return sg, true
		}
	}
	return Sighting{}, false
}

// StateCookies is the cookies of one consent state's jar, as the crawler
// read them, before Merge.
type StateCookies struct {
	State   State
	Cookies []Observed
}

// Merge folds the cookies of each state (in visiting order) into the
// inventory: one entry per name, domain and path, with what every state saw
// in Seen. The attributes of the first state that saw a cookie win, except
// that the longest lifespan seen is the one the visitor gets, and a cookie
// that was in the jar in any state is not transient (Removed is empty).
func Merge(states []StateCookies) []Observed {
	byKey := map[string]int{}
	var out []Observed
	for _, st := range states {
		for _, c := range st.Cookies {
			sg := c.sighting(st.State)
			k := c.Key()
			i, ok := byKey[k]
			if !ok {
				byKey[k] = len(out)
				c.Seen = []Sighting{sg}
				out = append(out, c)
				continue
			}
			o := &out[i]
			if o.SeenIn(st.State) {
				continue
			}
			o.Seen = append(o.Seen, sg)
			if c.Removed == "" {
				o.Removed = ""
			}
			if c.LifespanDays > o.LifespanDays {
				o.LifespanDays, o.Expires = c.LifespanDays, c.Expires
			}
		}
	}
	return out
}

// WithStates returns o seen alike in each of the states: one sighting per
// state with o's own attributes. It is how a cookie is written by hand (a
// test, a fixture); a scan's inventory comes from Merge.
func (o Observed) WithStates(states ...State) Observed {
	o.Seen = make([]Sighting, len(states))
	for i, s := range states {
		o.Seen[i] = o.sighting(s)
	}
	return o
}

// AsSeenIn returns the cookie with the details state s saw (page, setter,
// attributes), and whether s saw it: one state's view of the inventory.
func (o Observed) AsSeenIn(s State) (Observed, bool) {
	sg, ok := o.In(s)
	if !ok {
		return o, false
	}
	o.FirstSeenPage, o.SetAt, o.SetBy, o.Removed = sg.FirstSeenPage, sg.SetAt, sg.SetBy, sg.Removed
	o.HostOnly, o.ValueLength, o.Value = sg.HostOnly, sg.ValueLength, sg.Value
	o.Session, o.Expires, o.LifespanDays = sg.Session, sg.Expires, sg.LifespanDays
	o.Secure, o.HTTPOnly, o.SameSite = sg.Secure, sg.HTTPOnly, sg.SameSite
	o.Partitioned, o.PartitionKey = sg.Partitioned, sg.PartitionKey
	return o, true
}

// SeenInState lists the inventory's cookies that state s saw, each with the
// details s saw (see AsSeenIn), in inventory order.
func SeenInState(inv []Observed, s State) []Observed {
	var out []Observed
	for _, c := range inv {
		if v, ok := c.AsSeenIn(s); ok {
			out = append(out, v)
		}
	}
	return out
}
