package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHostWithoutScheme(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "policy.example")
	if err := os.WriteFile(saved, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for arg, want := range map[string]bool{
		"www.example.com":              true,
		"www.example.com/cookies":      true,
		"127.0.0.1:8088/cookie-policy": true,
		"localhost:8080":               true,
		"https://www.example.com":      false,
		"cookie-policy.html":           false, // a mistyped file, not a host
		"./policy.md":                  false,
		saved:                          false, // exists: a file
		"policy":                       false,
	} {
		if got := hostWithoutScheme(arg); got != want {
			t.Errorf("hostWithoutScheme(%q) = %v, want %v", arg, got, want)
		}
	}
}

// A declaration URL typed without its scheme is read over http when the
// server speaks no TLS, and the user is told which scheme was used.
func TestDeclarationWithoutScheme(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<html lang="en"><body><h1>Cookie policy</h1>
<table><tr><th>Name</th><th>Provider</th><th>Purpose</th><th>Expiry</th></tr>
<tr><td>_ga</td><td>Google Analytics</td><td>Statistics</td><td>2 years</td></tr></table></body></html>`))
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	code, out, errOut := runCLI(t, "declaration", host+"/cookie-policy", "--no-render", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "no scheme given") || !strings.Contains(errOut, "using http://"+host) {
		t.Errorf("stderr does not say http was used:\n%s", errOut)
	}
	if !strings.Contains(out, `"_ga"`) {
		t.Errorf("declaration read over http lacks _ga:\n%s", out)
	}
}
