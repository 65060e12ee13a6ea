package result

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/cookie"
)

// TestDecodeV1 reads a scan written with schema_version 1 (per-state cookie
// lists and an inventory whose cookies list their states) into the one
// cookie list of version 2: each state's own page and setter are kept.
func TestDecodeV1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "scan_v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if sc.SchemaVersion != SchemaVersion {
		t.Errorf("schema_version = %d, want %d", sc.SchemaVersion, SchemaVersion)
	}
	// What the v1 file says, read as v1.
	var old struct {
		Inventory []struct {
			Name   string         `json:"name"`
			States []cookie.State `json:"states"`
		} `json:"inventory"`
		Observation struct {
			States []struct {
				State   cookie.State      `json:"state"`
				Cookies []cookie.Observed `json:"cookies"`
			} `json:"states"`
		} `json:"observation"`
	}
	if err := json.Unmarshal(data, &old); err != nil {
		t.Fatal(err)
	}
	if len(sc.Inventory) != len(old.Inventory) || len(sc.Inventory) == 0 {
		t.Fatalf("%d inventory cookies, want the file's %d", len(sc.Inventory), len(old.Inventory))
	}
	for i, c := range sc.Inventory {
		if d := cmp.Diff(old.Inventory[i].States, c.States()); d != "" {
			t.Errorf("%s: states (-v1 +v2):\n%s", c.Name, d)
		}
	}
	// Every per-state cookie of v1 is the sighting of that state in v2.
	n := 0
	for _, st := range old.Observation.States {
		for _, pc := range st.Cookies {
			n++
			var inv *cookie.Observed
			for i := range sc.Inventory {
				if sc.Inventory[i].Key() == pc.Key() {
					inv = &sc.Inventory[i]
				}
			}
			if inv == nil {
				t.Errorf("%s seen in %s is not in the inventory", pc.Name, st.State)
				continue
			}
			got, ok := inv.AsSeenIn(st.State)
			pc.Seen, got.Seen, got.Label = nil, nil, pc.Label
			if !ok {
				t.Errorf("%s: no sighting in %s", pc.Name, st.State)
			} else if d := cmp.Diff(pc, got); d != "" {
				t.Errorf("%s in %s (-v1 per-state +v2 sighting):\n%s", pc.Name, st.State, d)
			}
		}
	}
	if n == 0 {
		t.Fatal("the fixture has no per-state cookie: the test checks nothing")
	}
	// The per-state list is gone from the new form.
	out, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	for _, st := range back["observation"].(map[string]any)["states"].([]any) {
		if _, ok := st.(map[string]any)["cookies"]; ok {
			t.Error("a state still carries a cookie list in the new form")
		}
	}
	again, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(sc, again); d != "" {
		t.Errorf("v2 round trip (-first +second):\n%s", d)
	}
}

func TestDecodeRefuses(t *testing.T) {
	if _, err := Decode([]byte(`{"schema_version": 99, "inventory": []}`)); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("newer schema: %v, want ErrNewerSchema", err)
	}
	if _, err := Decode([]byte(`{"site": "x"}`)); err == nil {
		t.Error("a document without schema_version was taken for a scan")
	}
	if _, err := Decode([]byte(`not json`)); err == nil {
		t.Error("not JSON was decoded")
	}
}
