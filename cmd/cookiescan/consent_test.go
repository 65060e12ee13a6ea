package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/fixture"
	"github.com/cookiescan/cookiescan/result"
)

// TestConsentCommand runs `cookiescan consent` against the Cookiebot fixture
// in a real browser, in both output formats.
func TestConsentCommand(t *testing.T) {
	browsertest.NeedBrowser(t)
	srv, err := fixture.Start(os.DirFS(filepath.Join("..", "..", "testdata", "sites")))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	connect := "::127.0.0.1:" + strconv.Itoa(srv.Port())

	var out, errOut bytes.Buffer
	code := run(ctx, []string{"consent", "https://www.cmp-cookiebot.test/", "-k", "--connect-to", connect, "--format", "json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep result.ConsentCheck
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out.String())
	}
	if len(rep.States) != 3 {
		t.Fatalf("%d states, want 3", len(rep.States))
	}
	for _, s := range rep.States {
		if s.Outcome.Platform != "Cookiebot" || !s.Outcome.Verified {
			t.Errorf("%s: platform %q verified %v (%s)", s.State, s.Outcome.Platform, s.Outcome.Verified, s.Outcome.Verification)
		}
	}

	out.Reset()
	code = run(ctx, []string{"consent", "www.cmp-generic-okonly.test", "-k", "--connect-to", connect, "--banner-timeout", "2s"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	table := out.String()
	for _, want := range []string{"generic", "accept: OK", "UNVERIFIED", "no reject option"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}

	if code := run(ctx, []string{"consent", "x", "--format", "xml"}, &out, &errOut); code != exitFailure {
		t.Errorf("bad --format: exit %d", code)
	}
}
