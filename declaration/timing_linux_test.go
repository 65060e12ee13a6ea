//go:build linux

package declaration

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// processCPU is the CPU time of the whole process (parsing and its garbage
// collection): unlike wall time, it barely grows when other processes load
// the machine.
func processCPU(b *testing.B) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
