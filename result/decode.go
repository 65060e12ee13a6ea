package result

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cookiescan/cookiescan/cookie"
)

// ErrNewerSchema is wrapped by Decode's error for a scan written by a newer
// cookiescan, whose JSON this one must not guess at.
var ErrNewerSchema = errors.New("scan written by a newer cookiescan")

// Decode reads the JSON form of a Scan, of this version or an older one,
// and returns it in this version's form.
func Decode(data []byte) (*Scan, error) {
	var probe struct {
		SchemaVersion int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("decode scan: %w", err)
	}
	switch v := probe.SchemaVersion; {
	case v > SchemaVersion:
		return nil, fmt.Errorf("%w: schema_version %d, this cookiescan reads up to %d; use a newer cookiescan", ErrNewerSchema, v, SchemaVersion)
	case v < 1:
		return nil, fmt.Errorf("decode scan: no schema_version; not a cookiescan scan")
	}
	var sc Scan
	if err := json.Unmarshal(data, &sc); err != nil {
		return nil, fmt.Errorf("decode scan: %w", err)
	}
	if probe.SchemaVersion == 1 {
		if err := upgradeV1(data, &sc); err != nil {
			return nil, fmt.Errorf("decode scan: schema_version 1: %w", err)
		}
	}
	return &sc, nil
}

// v1 is what version 1 had and version 2 dropped: the states of each
// inventory cookie, and each state's own cookie list.
type v1 struct {
	Inventory []struct {
		States []cookie.State `json:"states"`
	} `json:"inventory"`
	Observation struct {
		States []struct {
			State   cookie.State      `json:"state"`
			Cookies []cookie.Observed `json:"cookies"`
		} `json:"states"`
	} `json:"observation"`
}

// upgradeV1 fills each inventory cookie's Seen from version 1's per-state
// lists, exactly as cookie.Merge would have: a state's own entry when it
// has one, else (never in files cookiescan wrote) the merged attributes.
func upgradeV1(data []byte, sc *Scan) error {
	var old v1
	if err := json.Unmarshal(data, &old); err != nil {
		return err
	}
	if len(old.Inventory) != len(sc.Inventory) {
		return fmt.Errorf("inventory read twice gives %d and %d cookies", len(old.Inventory), len(sc.Inventory))
	}
	perState := map[cookie.State]map[string]cookie.Observed{}
	for _, st := range old.Observation.States {
		m := map[string]cookie.Observed{}
		for _, c := range st.Cookies {
			m[c.Key()] = c
		}
		perState[st.State] = m
	}
	for i := range sc.Inventory {
		c := &sc.Inventory[i]
		var jars []cookie.StateCookies
		for _, s := range old.Inventory[i].States {
			seen, ok := perState[s][c.Key()]
			if !ok {
				seen = *c
			}
			jars = append(jars, cookie.StateCookies{State: s, Cookies: []cookie.Observed{seen}})
		}
		merged := cookie.Merge(jars)
		if len(merged) == 1 {
			c.Seen = merged[0].Seen
		}
	}
	sc.SchemaVersion = SchemaVersion
	return nil
}
