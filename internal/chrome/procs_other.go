//go:build !linux

package chrome

import (
	"errors"
	"os"
	"syscall"

	"github.com/chromedp/chromedp"
)

// killProcessesUsing has no /proc to read here; the process group kill in
// Close does the work, so it reports nothing left.
func killProcessesUsing(string) (int, error) { return 0, nil }

// ProfileProcess is a live process whose command line names a profile.
type ProfileProcess struct {
	PID     int
	Cmdline string
}

// ErrNoProcessList: only Linux lets us read other processes' command lines.
var ErrNoProcessList = errors.New("chrome: listing processes by profile needs /proc (Linux)")

// ProfileProcesses is not available without /proc.
func ProfileProcesses(string, bool) ([]ProfileProcess, error) { return nil, ErrNoProcessList }

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// processGroupOptions: a process group is Linux's way to find Chrome's
// orphaned children; here there is no /proc to find them in, and chromedp's
// own start options stay.
func processGroupOptions() []chromedp.ExecAllocatorOption { return nil }

func recordProcessGroup(string, int) error { return nil }
