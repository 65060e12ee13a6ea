package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cookiescan/cookiescan"
	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/fixture"
)

// overlayFS serves base with some files replaced: a fixture site "after a
// deploy".
type overlayFS struct {
	base  fs.FS
	files fstest.MapFS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	return o.base.Open(name)
}

// TestScheduleOnceThenDiff runs `schedule --once` on three fixture sites,
// changes one site, runs it again, and reads the change with `diff`.
func TestScheduleOnceThenDiff(t *testing.T) {
	browsertest.NeedBrowser(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	sched := filepath.Join(dir, "sites.yaml")
	if err := os.WriteFile(sched, []byte(`defaults:
  cron: "0 3 * * 1"
  formats: [json, html]
  output: reports
sites:
  - url: https://www.discovery.test/
  - url: https://www.lazyload.test/
    declaration: https://www.kystbyg.test/cookies/
  - url: https://www.kystbyg.test/
`), 0o600); err != nil {
		t.Fatal(err)
	}
	runSchedule := func(sites fs.FS, extra ...string) {
		t.Helper()
		srv, err := fixture.Start(sites)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		args := append([]string{"schedule", sched, "--once", "--db", db, "-k", "--quiet",
			"--connect-to", fmt.Sprintf("::127.0.0.1:%d", srv.Port()), "--max-pages", "2", "--timeout", "10s"}, extra...)
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
			t.Fatalf("schedule exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		}
	}

	runSchedule(cookiescan.FixtureSites())
	latest, _ := filepath.Glob(filepath.Join(dir, "reports", "*", "*-latest.json"))
	if len(latest) != 3 {
		t.Fatalf("latest JSON reports: %v, want one per site", latest)
	}
	// The lazy site's entry names its declaration; the scan must read that one.
	for _, p := range latest {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Site        string `json:"site"`
			Declaration *struct {
				URL string `json:"url"`
			} `json:"declaration"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(r.Site, "lazyload") && (r.Declaration == nil || r.Declaration.URL != "https://www.kystbyg.test/cookies/") {
			t.Errorf("lazy site scanned with declaration %+v, want the one its schedule entry names", r.Declaration)
		}
	}
	dated, _ := filepath.Glob(filepath.Join(dir, "reports", "*", "*-2*.html"))
	if len(dated) != 3 {
		t.Errorf("dated HTML reports: %v, want one per site", dated)
	}

	// The same schedule again: nothing is due, nothing is scanned.
	runSchedule(cookiescan.FixtureSites())

	// A deploy adds a cookie to the discovery site; --all scans everything now.
	home, err := fs.ReadFile(cookiescan.FixtureSites(), "discovery/index.html")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(home), "</body>", "<script>document.cookie='promo_seen=1; Max-Age=864000; Path=/; Secure';</script></body>", 1)
	runSchedule(overlayFS{base: cookiescan.FixtureSites(), files: fstest.MapFS{"discovery/index.html": {Data: []byte(changed)}}}, "--all")

	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"history", "https://www.discovery.test/", "--db", db}, &out, &errb); code != exitOK {
		t.Fatalf("history exit %d: %s", code, errb.String())
	}
	if rows := len(regexp.MustCompile(`(?m)^│ \d+ `).FindAllString(out.String(), -1)); rows != 2 {
		t.Errorf("history of the discovery site has %d scans, want 2 (the second run found nothing due):\n%s", rows, out.String())
	}

	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"diff", "--site", "https://www.discovery.test/", "--db", db, "--format", "json"}, &out, &errb); code != exitOK {
		t.Fatalf("diff exit %d: %s", code, errb.String())
	}
	var d struct {
		States []struct {
			State    string `json:"state"`
			Appeared []struct {
				Name string `json:"name"`
			} `json:"appeared"`
			Vanished []json.RawMessage `json:"vanished"`
		} `json:"states"`
	}
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatalf("diff JSON: %v\n%s", err, out.String())
	}
	for _, st := range d.States {
		if len(st.Appeared) != 1 || st.Appeared[0].Name != "promo_seen" || len(st.Vanished) != 0 {
			t.Errorf("state %s: appeared %v, vanished %d; want exactly promo_seen to appear", st.State, st.Appeared, len(st.Vanished))
		}
	}
}
