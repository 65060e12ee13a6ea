package chrome

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// profilePrefix names the throwaway profiles this package makes in the temp
// folder; RemoveStaleProfiles finds leftovers of dead scans by it.
const profilePrefix = "cookiescan-chrome-"

// ownerFile records, inside a profile, the pid of the cookiescan process
// that made it, so a later run can tell a dead scan's profile from a live one.
const ownerFile = "cookiescan.pid"

// StopProfile kills every process that runs with dir as its --user-data-dir,
// waits until none is left (or ctx ends), and removes the singleton-socket
// folder Chrome made for that profile outside it.
//
// Killing Chrome's main process is not enough: its children (zygote, network
// service, renderers) can go on writing into the profile, so removing the
// folder races with them. Chrome passes --user-data-dir to every child, and
// the folder is unique, so the command line finds them all, even those that
// left Chrome's process group.
func StopProfile(ctx context.Context, dir string) error {
	if dir == "" {
		return nil
	}
	defer removeSingletonFolder(dir)
	// Quiet passes: a child can fork just as its parent dies.
	const quietPasses = 3
	for quiet := 0; quiet < quietPasses; {
		n, err := killProcessesUsing(dir)
		if err != nil {
			return err
		}
		if n == 0 {
			quiet++
		} else {
			quiet = 0
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("chrome: processes of profile %s still running: %w", dir, ctx.Err())
		case <-time.After(15 * time.Millisecond):
		}
	}
	return nil
}

// removeProfile kills what still uses the profile, then removes it, retrying
// briefly: a process that just died may still have files being closed.
func removeProfile(dir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	killErr := StopProfile(ctx, dir)
	var err error
	for {
		if err = os.RemoveAll(dir); err == nil {
			return killErr
		}
		select {
		case <-ctx.Done():
			return errors.Join(killErr, fmt.Errorf("chrome: remove profile: %w", err))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// RemoveStaleProfiles removes the profiles that scans which no longer run
// left in the temp folder (after kill -9, say), with any Chrome process still
// using them. It returns how many it removed.
func RemoveStaleProfiles() (int, error) {
	matches, err := filepath.Glob(filepath.Join(os.TempDir(), profilePrefix+"*"))
	if err != nil {
		return 0, err
	}
	var removed int
	var errs []error
	for _, dir := range matches {
		if !staleProfile(dir) {
			continue
		}
		if err := removeProfile(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// staleProfile: its owner pid is recorded and that process is gone. A profile
// without an owner file is left alone unless it is old, since it may belong
// to a scan that is just starting.
func staleProfile(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil {
		info, serr := os.Stat(dir)
		return serr == nil && time.Since(info.ModTime()) > 24*time.Hour
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return true
	}
	return pid != os.Getpid() && !processAlive(pid)
}

// removeSingletonFolder removes the temp folder Chrome makes for its
// singleton socket (org.chromium.Chromium.*, outside the profile, since a
// socket path must be short). Chrome removes it on a clean exit, not when it
// is killed. The profile's SingletonSocket link points into it.
func removeSingletonFolder(profile string) {
	target, err := os.Readlink(filepath.Join(profile, "SingletonSocket"))
	if err != nil {
		return
	}
	folder := filepath.Dir(target)
	if strings.HasPrefix(filepath.Base(folder), "org.chromium.Chromium.") || strings.HasPrefix(filepath.Base(folder), "com.google.Chrome.") {
		_ = os.RemoveAll(folder)
	}
}
