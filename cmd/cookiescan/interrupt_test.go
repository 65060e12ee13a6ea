package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
)

// chromeProcessesIn lists the live processes whose --user-data-dir is a
// cookiescan profile under tmp.
func chromeProcessesIn(t *testing.T, tmp string) []string {
	t.Helper()
	procs, err := chrome.ProfileProcesses(filepath.Join(tmp, "cookiescan-chrome-"), true)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range procs {
		out = append(out, strconv.Itoa(p.PID)+" "+p.Cmdline)
	}
	return out
}

// progressCue is in the progress line a state prints as it starts visiting.
const progressCue = ": visiting "

// lockedBuffer is the child's stderr, read while it is written.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// No Chrome process outlives a scan, whether it ends or is interrupted with
// SIGINT midway; nor does its profile folder. The scan runs as a child
// process (this test binary running main) with its own TMPDIR, so its Chrome
// processes are told from any other by their --user-data-dir.
func TestNoChromeOutlivesScan(t *testing.T) {
	browsertest.NeedBrowser(t)
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	for _, interrupt := range []bool{false, true} {
		name := map[bool]string{false: "completed", true: "sigint"}[interrupt]
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			var stderr lockedBuffer
			cmd := exec.Command(os.Args[0], "demo", "--format", "json", "--output", filepath.Join(tmp, "out"))
			cmd.Env = append(os.Environ(), workerEnv+"=1", "TMPDIR="+tmp)
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			if interrupt {
				// Midway: Chrome is up and the states have begun their pages
				// (a demo scan takes several seconds after that).
				sawChrome := false
				for !sawChrome || !strings.Contains(stderr.String(), progressCue) {
					select {
					case err := <-done:
						t.Fatalf("the scan ended before it could be interrupted (%v):\n%s", err, stderr.String())
					case <-time.After(100 * time.Millisecond):
					}
					sawChrome = sawChrome || len(chromeProcessesIn(t, tmp)) > 0
				}
				time.Sleep(time.Second) // into the pages; not a timing check
				if len(chromeProcessesIn(t, tmp)) == 0 {
					t.Fatal("no Chrome process of the scan is running when it is interrupted: the check would prove nothing")
				}
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case <-done:
			case <-time.After(3 * time.Minute): // a hang guard, not a timing check
				_ = cmd.Process.Kill()
				t.Fatalf("the scan did not end:\n%s", stderr.String())
			}
			if left := chromeProcessesIn(t, tmp); len(left) > 0 {
				t.Errorf("%d Chrome processes outlive the scan:\n%s\nscan stderr:\n%s", len(left), strings.Join(left, "\n"), stderr.String())
			}
			if profiles, _ := filepath.Glob(filepath.Join(tmp, "cookiescan-chrome-*")); len(profiles) > 0 {
				t.Errorf("profile folders left: %v", profiles)
			}
			if !interrupt && !strings.Contains(stderr.String(), progressCue) {
				t.Errorf("the completed scan printed no progress, so the interrupt test's cue is wrong:\n%s", stderr.String())
			}
		})
	}
}
