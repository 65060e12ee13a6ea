package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/classifier"
)

func TestLookupCmd(t *testing.T) {
	dir := t.TempDir()
	userDB := filepath.Join(dir, "mine.csv")
	if err := os.WriteFile(userDB, []byte("Platform,Category,Cookie / Data Key name\nIntranet,Functional,_ga\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("Platform,Category,Cookie / Data Key name\nX,Tasty,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantExit int
		wantOut  []string
	}{
		{"pattern", []string{"lookup", "_ga_ABC123"}, exitOK, []string{"Google Analytics", "statistics", "pattern _ga_<…> in embedded database", "Probability", probability(classifier.ProbEmbedded)}},
		{"third party", []string{"lookup", "VISITOR_INFO1_LIVE", "--domain", ".youtube.com", "--site", "example.com"}, exitOK, []string{"YouTube", "marketing", "third"}},
		{"host", []string{"lookup", "zz", "--domain", ".x.doubleclick.net", "--site", "example.com"}, exitOK, []string{"Google Ads", "known host doubleclick.net"}},
		{"unknown", []string{"lookup", "zz", "--site", "example.com"}, exitOK, []string{"unclassified"}},
		{"user file wins", []string{"lookup", "_ga", "--cookie-db", userDB}, exitOK, []string{"Intranet", "necessary", "user database " + userDB}},
		{"json", []string{"lookup", "_fbp", "--format", "json"}, exitOK, []string{`"vendor": "Meta"`, `"category": "marketing"`, fmt.Sprintf(`"probability": %g`, classifier.ProbEmbedded), `"reason": "exact name in embedded database"`}},
		// Every label carries a probability and a reason, the model's too.
		{"json model", []string{"lookup", "zz", "--domain", ".x.doubleclick.net", "--site", "example.com", "--format", "json"}, exitOK, []string{`"probability": 0.`, `"reason": "model: marketing`}},
		{"bad format", []string{"lookup", "_ga", "--format", "xml"}, exitFailure, nil},
		{"bad user file", []string{"lookup", "_ga", "--cookie-db", bad}, exitFailure, nil},
		{"no name", []string{"lookup"}, exitFailure, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append(tc.args, "--offline-db")
			if code := run(t.Context(), args, &out, &errOut); code != tc.wantExit {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.wantExit, errOut.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestDBCmd(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n")
	for i := range 150 {
		fmt.Fprintf(&csv, "%d,Upstream,Analytics,upstream_%d,,,,,,0\n", i, i)
	}
	csv.WriteString("x,Upstream,Analytics,upstream_1,,,,,,0\n") // listed twice
	var ents strings.Builder
	ents.WriteString("[")
	for i := range 150 {
		if i > 0 {
			ents.WriteString(",")
		}
		fmt.Fprintf(&ents, `{"name":"E%d","category":"ad","domains":["e%d.example"]}`, i, i)
	}
	ents.WriteString("]")
	fail := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail {
			http.Error(w, "no", http.StatusBadGateway)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".json") {
			fmt.Fprint(w, ents.String())
			return
		}
		fmt.Fprint(w, csv.String())
	}))
	defer srv.Close()
	cache := t.TempDir()
	urls := []string{"--cookie-db-url", srv.URL + "/ocd.csv", "--entities-url", srv.URL + "/e.json", "--db-cache-dir", cache}

	var out, errOut bytes.Buffer
	if code := run(t.Context(), append([]string{"db", "update"}, urls...), &out, &errOut); code != exitOK {
		t.Fatalf("db update: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "151 entries") {
		t.Errorf("db update output: %s", out.String())
	}

	out.Reset()
	if code := run(t.Context(), []string{"db", "stats", "--db-cache-dir", cache, "--format", "json"}, &out, &errOut); code != exitOK {
		t.Fatalf("db stats: exit %d: %s", code, errOut.String())
	}
	var s dbStats
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Layers) != 2 || s.Layers[0].Source != "embedded" || s.Layers[1].Source != "open-cookie-database" || s.Layers[1].Entries != 151 {
		t.Errorf("layers = %+v", s.Layers)
	}
	if len(s.Duplicates) != 1 || s.Duplicates[0].Name != "upstream_1" {
		t.Errorf("duplicates = %+v", s.Duplicates)
	}

	out.Reset()
	if code := run(t.Context(), []string{"lookup", "upstream_7", "--db-cache-dir", cache}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "Open Cookie Database") {
		t.Errorf("lookup after update: exit %d: %s", code, out.String())
	}

	fail = true
	errOut.Reset()
	if code := run(t.Context(), append([]string{"db", "update"}, urls...), &out, &errOut); code != exitFailure || !strings.Contains(errOut.String(), "502") {
		t.Errorf("failed update: exit %d, stderr %q", code, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(cache, "open-cookie-database.csv")); err != nil {
		t.Errorf("the old download is gone: %v", err)
	}

	out.Reset()
	if code := run(t.Context(), []string{"db", "stats", "--offline-db"}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "embedded") {
		t.Errorf("db stats table: exit %d: %s", code, out.String())
	}
}
