package chrome_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// processesUsing counts live (non-zombie) processes whose command line holds
// --user-data-dir=dir.
func processesUsing(t *testing.T, dir string) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	procs, err := chrome.ProfileProcesses(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return len(procs)
}

// After Close no Chrome process of the scan is left, and neither its profile
// nor Chrome's own temp folders remain in TMPDIR.
func TestCloseLeavesNoProcessOrFolder(t *testing.T) {
	if _, err := chrome.FindExec(); err != nil {
		browsertest.RequireBrowser(t, err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	b, err := chrome.Start(context.Background(), chrome.Options{})
	if err != nil {
		t.Fatal(err)
	}
	profile := chrome.ProfileDirForTest(b)
	if filepath.Dir(profile) != tmp {
		t.Fatalf("profile %s not in TMPDIR %s", profile, tmp)
	}
	tab, cancel := b.NewContext()
	if err := chromedp.Do(tab, chromedp.Navigate(`data:text/html,<title>x</title>`)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if n := processesUsing(t, profile); n == 0 {
		t.Fatal("no Chrome process found using the profile while it runs: the check would prove nothing")
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if n := processesUsing(t, profile); n != 0 {
		t.Errorf("%d Chrome processes still use %s after Close", n, profile)
	}
	left, _ := os.ReadDir(tmp)
	for _, e := range left {
		t.Errorf("left in TMPDIR after Close: %s", e.Name())
	}
}

// A profile whose owner died (kill -9 of a scan) is removed at the next start,
// with the process still using it; a live scan's profile is left alone.
func TestStaleProfilesRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dead, err := chrome.NewProfileForTest(false)
	if err != nil {
		t.Fatal(err)
	}
	live, err := chrome.NewProfileForTest(false)
	if err != nil {
		t.Fatal(err)
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dead, chrome.OwnerFileForTest), []byte(strconv.Itoa(gone.Process.Pid)), 0o600); err != nil {
		t.Fatal(err)
	}
	// A stand-in for an orphaned Chrome child still using the dead profile.
	orphan := exec.Command("sh", "-c", "sleep 60; :", "--user-data-dir="+dead)
	if err := orphan.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- orphan.Wait() }()
	time.Sleep(50 * time.Millisecond)

	n, err := chrome.RemoveStaleProfiles()
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("removed %d profiles, want 1", n)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("dead scan's profile still there: %v", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("live scan's profile removed: %v", err)
	}
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		_ = orphan.Process.Kill()
		t.Error("the process using the dead profile was not killed")
	}
}
