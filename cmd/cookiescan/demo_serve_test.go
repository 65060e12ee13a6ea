package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// TestDemoServe starts `demo --serve` in one process and runs the scan
// command it prints from a second one, as a newcomer would from two
// terminals; then Ctrl-C stops the server cleanly.
func TestDemoServe(t *testing.T) {
	if _, err := chrome.FindExec(); err != nil {
		browsertest.RequireBrowser(t, err)
	}
	server := cookiescanProcess("demo", "--serve")
	out, err := server.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer server.Process.Kill()
	var scanArgs, consentLine []string
	lines := bufio.NewScanner(out)
	for lines.Scan() && (scanArgs == nil || consentLine == nil) {
		f := strings.Fields(lines.Text())
		if len(f) > 2 && f[0] == "cookiescan" && f[1] == "scan" && scanArgs == nil {
			scanArgs = f[1:]
		}
		if len(f) > 2 && f[0] == "cookiescan" && f[1] == "consent" {
			consentLine = f
		}
	}
	if scanArgs == nil || consentLine == nil {
		t.Fatalf("demo --serve printed no scan and consent commands (%v)", lines.Err())
	}
	go func() { // keep draining, so the server never blocks on a full pipe
		for lines.Scan() {
		}
	}()

	scan := cookiescanProcess(append(scanArgs, "--states", "before", "--max-pages", "2", "--declaration", "none", "--format", "json", "--quiet")...)
	var stderr strings.Builder
	scan.Stderr = &stderr
	report, err := scan.Output()
	if code := scan.ProcessState.ExitCode(); code != 0 && code != 1 {
		t.Fatalf("scan from the second process: exit %d (%v)\n%s", code, err, stderr.String())
	}
	var doc struct {
		Site      string `json:"site"`
		Inventory []struct {
			Name string `json:"name"`
		} `json:"inventory"`
	}
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatalf("report: %v\n%.300s", err, report)
	}
	names := map[string]bool{}
	for _, c := range doc.Inventory {
		names[c.Name] = true
	}
	// The demo site sets Google Analytics' __utma (ga.js, a third-party
	// script served by the same process) before any consent.
	if doc.Site != demoSite || !names["__utma"] {
		t.Errorf("the scan of the served demo site (site %q) found no __utma; cookies %v\n%s", doc.Site, names, stderr.String())
	}

	if err := server.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- server.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo --serve did not stop cleanly on Ctrl-C: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("demo --serve still running 30s after Ctrl-C")
	}
}
