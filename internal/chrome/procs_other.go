//go:build !linux

package chrome

import (
	"errors"
	"os"
	"syscall"
)

// killProcessesUsing has no /proc to read here; the process group kill in
// Close does the work, so it reports nothing left.
func killProcessesUsing(string) (int, error) { return 0, nil }

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
