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
	ru := rusage(b)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident memory so far, in bytes.
func peakRSS(b *testing.B) int64 {
	return rusage(b).Maxrss * 1024 // kilobytes on Linux
}

func rusage(b *testing.B) unix.Rusage {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return ru
}
