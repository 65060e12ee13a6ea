package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassifyCmd(t *testing.T) {
	har := filepath.Join("..", "..", "classifier", "batch", "testdata", "shop.har")
	var out, errb bytes.Buffer
	if code := run(t.Context(), []string{"classify", har, "--format", "csv", "--offline-db"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "site,name,domain,party,vendor,category,probability") || !strings.Contains(out.String(), "IDE,.doubleclick.net,third,Google Ads,marketing") {
		t.Errorf("csv:\n%s", out.String())
	}
	out.Reset()
	errb.Reset()
	if code := run(t.Context(), []string{"classify", har, "--format", "xml"}, &out, &errb); code != exitFailure || !strings.Contains(errb.String(), "--format") {
		t.Errorf("bad format: exit %d, %q", code, errb.String())
	}
	if code := run(t.Context(), []string{"classify", filepath.Join(t.TempDir(), "none.har"), "--offline-db"}, &out, &errb); code != exitFailure {
		t.Errorf("missing file: exit %d", code)
	}
}
