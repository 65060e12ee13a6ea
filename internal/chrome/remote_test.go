package chrome_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// launchRemote starts a Chrome by hand, as a user would for --browser
// ws://…, and returns its DevTools URL and a function that kills it (as a
// crash or a lost node would). It is stopped when the test ends.
func launchRemote(t *testing.T) (string, func()) {
	t.Helper()
	exe, err := chrome.FindExec()
	if err != nil {
		browsertest.RequireBrowser(t, err)
	}
	profile := t.TempDir()
	args := []string{"--headless", "--disable-gpu", "--disable-background-networking", "--no-first-run",
		"--disable-crash-reporter", "--disable-breakpad",
		"--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	cmd := exec.Command(exe, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Chrome's children outlive a killed parent and go on writing into the
	// profile; all of them must be gone before t.TempDir removes it.
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := chrome.StopProfile(ctx, profile); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() {
		stop()
		_ = cmd.Wait()
	})
	wsURL := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`ws://\S+`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindString(sc.Text()); m != "" {
				wsURL <- m
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case url := <-wsURL:
		return url, func() { _ = cmd.Process.Signal(syscall.SIGKILL); stop() }
	case <-time.After(20 * time.Second):
		t.Fatal("Chrome printed no DevTools URL")
	}
	return "", nil
}

// TestSeveralRemoteBrowsers: scans spread over the endpoints --browser
// names, a dead one is passed over, Avoid is honoured while another
// answers, and a browser that goes away is reported as disconnected.
func TestSeveralRemoteBrowsers(t *testing.T) {
	ctx := context.Background()
	a, killA := launchRemote(t)
	b, _ := launchRemote(t)
	list := a + "," + b
	// Each attach starts at a random endpoint: over 30 attaches both are
	// used unless spreading is broken (chance of a false failure 2^-29).
	used := map[string]int{}
	for i := 0; i < 30 && (used[a] == 0 || used[b] == 0); i++ {
		br, err := chrome.Start(ctx, chrome.Options{Browser: list})
		if err != nil {
			t.Fatal(err)
		}
		used[br.Endpoint]++
		br.Close()
	}
	if used[a] == 0 || used[b] == 0 {
		t.Errorf("attaches used %v; want both endpoints", used)
	}
	for range 2 {
		br, err := chrome.Start(ctx, chrome.Options{Browser: list, Avoid: a})
		if err != nil {
			t.Fatal(err)
		}
		if br.Endpoint != b {
			t.Errorf("attached to %s while avoiding it", br.Endpoint)
		}
		br.Close()
	}
	// A closed port in the list is passed over.
	br, err := chrome.Start(ctx, chrome.Options{Browser: "ws://127.0.0.1:1," + a, Avoid: a})
	if err != nil || br.Endpoint != a {
		t.Fatalf("attach past a dead endpoint = %v, %v", br, err)
	}
	if br.Lost() != nil {
		t.Error("a live browser reported lost")
	}
	killA()
	deadline := time.Now().Add(10 * time.Second)
	for br.Lost() == nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	err = br.Lost()
	if !errors.Is(err, chrome.ErrDisconnected) || !strings.Contains(err.Error(), a) {
		t.Errorf("after its browser died: Lost() = %v; want ErrDisconnected naming %s", err, a)
	}
	br.Close()
	if _, err := chrome.Endpoints(ctx, "ws://,ws://x"); err == nil {
		t.Error("an endpoint without a host was taken")
	}
	eps, err := chrome.Endpoints(ctx, "ws://localhost:9222, ws://127.0.0.1:9223/devtools/browser/x")
	if err != nil || len(eps) != 2 {
		t.Errorf("Endpoints = %q, %v", eps, err)
	}
}
