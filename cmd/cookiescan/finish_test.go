package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/config"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/scan"
	"github.com/cookiescan/cookiescan/schedule"
	"github.com/cookiescan/cookiescan/store"
)

// finishScanFixture is a finished scan with a high pre-consent finding and
// a low unknown-cookie finding.
func finishScanFixture(site string) *result.Scan {
	s := outputScan()
	s.Site = site
	s.StartedAt = time.Date(2026, 5, 6, 12, 0, 0, 0, time.UTC)
	s.Inventory = []cookie.Observed{cookie.Observed{Name: "_ga", Domain: ".shop.test", Path: "/"}.WithStates(cookie.Before)}
	return s
}

// TestPostScanSameForCLIAndSchedule runs one table of fail policies and
// baselines through `cookiescan scan`'s post-scan path and through a
// schedule run: both must fail, accept and report alike.
func TestPostScanSameForCLIAndSchedule(t *testing.T) {
	dir := t.TempDir()
	acceptHigh := filepath.Join(dir, "accept-high.json")
	if err := os.WriteFile(acceptHigh, []byte(`{"entries": [{"fingerprint": "f-pre", "reason": "known"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		failOn    string
		baseline  string
		ignore    config.IgnoreSet // the configuration file's ignore rules
		wantFail  bool
		baselined int
	}{
		{"no policy", "none", "", nil, false, 0},
		{"severity high", "high", "", nil, true, 0},
		{"severity critical", "critical", "", nil, false, 0},
		{"rule id present", "unknown-cookie", "", nil, true, 0},
		{"rule id absent", "after-reject,undeclared-cookie", "", nil, false, 0},
		{"baseline accepts the high finding", "high", acceptHigh, nil, false, 1},
		{"baseline does not hide a rule id", "high,unknown-cookie", acceptHigh, nil, true, 1},
		{"ignore rule accepts the high finding", "high", "", config.IgnoreSet{{Name: "_ga", Rules: []string{"pre-consent"}, Reason: "vendor contract"}}, false, 1},
		{"ignore rule of another rule id accepts nothing", "high", "", config.IgnoreSet{{Name: "_ga", Rules: []string{"after-reject"}, Reason: "x"}}, true, 0},
		{"baseline and ignore rule together", "low", acceptHigh, config.IgnoreSet{{Name: "xq7", Reason: "ours"}}, false, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			// The CLI.
			out := t.TempDir()
			args := []string{"--format", "json", "--output", out, "--fail-on", c.failOn}
			if c.baseline != "" {
				args = append(args, "--baseline", c.baseline)
			}
			of := parseOutputFlags(t, args...)
			policy, err := of.policy()
			if err != nil {
				t.Fatal(err)
			}
			if c.ignore != nil {
				policy.Accept = []scan.Acceptor{c.ignore}
			}
			var stderr bytes.Buffer
			err = afterScan(ctx, finishScanFixture("https://www.shop.test/"), nil, policy, "", of, &bytes.Buffer{}, &stderr)
			if errors.Is(err, errFindings) != c.wantFail || (err != nil && !errors.Is(err, errFindings)) {
				t.Errorf("CLI: %v, want failing %v", err, c.wantFail)
			}
			if got := baselinedIn(t, filepath.Join(out, "cookiescan-report.json")); got != c.baselined {
				t.Errorf("CLI report: %d baselined, want %d", got, c.baselined)
			}

			// The schedule.
			sdir := t.TempDir()
			text := fmt.Sprintf("sites:\n  - url: https://www.shop.test/\n    cron: '@daily'\n    formats: [json]\n    fail_on: %q\n", c.failOn)
			if c.baseline != "" {
				text += fmt.Sprintf("    baseline: %q\n", c.baseline)
			}
			path := filepath.Join(sdir, "s.yaml")
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := schedule.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(ctx, filepath.Join(sdir, "h.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			r := &schedule.Runner{Store: st, Scan: func(context.Context, schedule.Site) (*result.Scan, error) {
				return finishScanFixture("https://www.shop.test/"), nil
			}}
			if c.ignore != nil {
				r.Accept = []scan.Acceptor{c.ignore}
			}
			outs := r.RunSites(ctx, f.Sites)
			if outs[0].Err != nil {
				t.Fatal(outs[0].Err)
			}
			if outs[0].Failed != c.wantFail {
				t.Errorf("schedule: failed %v, want %v", outs[0].Failed, c.wantFail)
			}
			if got := baselinedIn(t, filepath.Join(f.Sites[0].Output, f.Sites[0].Name+"-latest.json")); got != c.baselined {
				t.Errorf("schedule report: %d baselined, want %d", got, c.baselined)
			}
		})
	}
}

func baselinedIn(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s result.Scan
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return len(s.Baselined)
}

// TestBrokenHistoryKeepsReports: a --db that is not a history (a text
// file, or a newer schema) loses no report; the command says so and exits 2.
func TestBrokenHistoryKeepsReports(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("this is not a database\n", 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	future := filepath.Join(dir, "future.db")
	st, err := store.Open(ctx, future)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := setUserVersion(future, 99); err != nil {
		t.Fatal(err)
	}
	for name, db := range map[string]string{"not sqlite": notDB, "newer schema": future} {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			of := parseOutputFlags(t, "--format", "json,html", "--output", out, "--fail-on", "critical")
			policy, err := of.policy()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			err = afterScan(ctx, finishScanFixture("https://www.shop.test/"), nil, policy, db, of, &bytes.Buffer{}, &stderr)
			if !errors.Is(err, errHistory) {
				t.Fatalf("err = %v, want errHistory", err)
			}
			if code := exitCode(err); code != exitFailure || !strings.Contains(err.Error(), "reports were written") {
				t.Errorf("exit %d, message %q", code, err)
			}
			for _, ext := range []string{"json", "html"} {
				if fi, err := os.Stat(filepath.Join(out, "cookiescan-report."+ext)); err != nil || fi.Size() == 0 {
					t.Errorf("report .%s missing: %v", ext, err)
				}
			}
		})
	}
	if b, _ := os.ReadFile(notDB); !strings.HasPrefix(string(b), "this is not a database") {
		t.Error("the text file given as --db was changed")
	}
}

// setUserVersion marks a database as written by another schema version.
func setUserVersion(path string, v int) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v))
	return err
}
