package classifier

import "syscall"

// cpuNow is the process's CPU time in nanoseconds: a benchmark figure that
// holds on a machine shared with other work, where wall time does not.
func cpuNow() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
