package chrome

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Chrome's children rewrite their title into one space-joined string; the
// main process keeps NUL-separated arguments. Both must be found, and a
// profile whose path merely starts with the same text must not be.
func TestNamesProfile(t *testing.T) {
	const dir = "/tmp/cookiescan-chrome-1"
	want := []byte("--user-data-dir=" + dir)
	cases := []struct {
		cmdline string
		prefix  bool
		match   bool
	}{
		{"/usr/lib/chromium/chromium\x00--headless\x00--user-data-dir=/tmp/cookiescan-chrome-1\x00about:blank\x00", false, true},
		{"/usr/lib/chromium/chromium --type=renderer --noerrdialogs --user-data-dir=/tmp/cookiescan-chrome-1 --no-sandbox", false, true},
		{"/usr/lib/chromium/chromium --type=zygote --user-data-dir=/tmp/cookiescan-chrome-1", false, true},
		{"/usr/lib/chromium/chromium --type=zygote --user-data-dir=/tmp/cookiescan-chrome-12 --x", false, false},
		{"/usr/lib/chromium/chromium --type=zygote --user-data-dir=/tmp/cookiescan-chrome-12 --x", true, true},
		{"sh -c echo x--user-data-dir=/tmp/cookiescan-chrome-1", false, false},
		{"/usr/lib/chromium/chrome_crashpad_handler\x00--database=/root/.config/chromium\x00", true, false},
	}
	for _, c := range cases {
		if got := namesProfile([]byte(c.cmdline), want, c.prefix); got != c.match {
			t.Errorf("namesProfile(%q, prefix=%v) = %v, want %v", c.cmdline, c.prefix, got, c.match)
		}
	}
}

// TestProfileProcessesIncludeDescendants: the headless shell's children do
// not name the profile; they are found as the descendants of the process
// that does, and are killed with it.
func TestProfileProcessesIncludeDescendants(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profile")
	// bash's argv names the profile (as Chrome's does); its child sleep does not.
	cmd := exec.Command("bash", "-c", "sleep 30 & wait", "--user-data-dir="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	waitForProfile(t, dir, "bash and its child sleep", func(procs []ProfileProcess) bool {
		return len(procs) == 2 && slices.ContainsFunc(procs, func(p ProfileProcess) bool { return strings.HasPrefix(p.Cmdline, "sleep 30") })
	})
	stopLeavesNone(t, dir)
}

// TestProfileProcessesIncludeOrphanedGroup: once Chrome is killed, its
// children are orphans: no longer descendants of a process that names the
// profile, and the headless shell's do not name it themselves. They are
// found by the process group Chrome was started in, and killed.
func TestProfileProcessesIncludeOrphanedGroup(t *testing.T) {
	dir := t.TempDir()
	// The outer bash names the profile, as Chrome does; the inner one runs
	// the same executable, as Chrome's children do, and does not; its child
	// sleep is found as its descendant.
	cmd := exec.Command("bash", "-c", "bash -c 'sleep 30; true' & wait", "--user-data-dir="+dir)
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if err := recordProcessGroup(dir, cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	waitForProfile(t, dir, "bash, bash and sleep", func(p []ProfileProcess) bool { return len(p) == 3 })
	// Chrome killed: its children stay, in its group.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitForProfile(t, dir, "the orphaned bash and its sleep", func(p []ProfileProcess) bool {
		return len(p) == 2 && !slices.ContainsFunc(p, func(p ProfileProcess) bool { return p.PID == cmd.Process.Pid })
	})
	// The same processes without the group file: the gap it closes.
	group := filepath.Join(dir, groupFile)
	recorded, err := os.ReadFile(group)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(group); err != nil {
		t.Fatal(err)
	}
	if without, _ := ProfileProcesses(dir, false); len(without) != 0 {
		t.Fatalf("without the group, found %+v: the test proves nothing", without)
	}
	if err := os.WriteFile(group, recorded, 0o600); err != nil {
		t.Fatal(err)
	}
	stopLeavesNone(t, dir)
}

// waitForProfile waits up to 5 s until the processes of the profile dir
// satisfy ok.
func waitForProfile(t *testing.T, dir, what string, ok func([]ProfileProcess) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		procs, err := ProfileProcesses(dir, false)
		if err != nil {
			t.Fatal(err)
		}
		if ok(procs) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes of the profile: %+v; want %s", procs, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stopLeavesNone stops the profile's processes and checks none is left.
func stopLeavesNone(t *testing.T, dir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := StopProfile(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if procs, _ := ProfileProcesses(dir, false); len(procs) != 0 {
		t.Fatalf("left after StopProfile: %+v", procs)
	}
}
