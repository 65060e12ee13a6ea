package chrome

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// ProfileProcess is a live process whose command line names a profile.
type ProfileProcess struct {
	PID     int
	Cmdline string
}

// ProfileProcesses lists the live (non-zombie) processes whose command line
// holds --user-data-dir=dir; with prefix, any profile whose path starts with
// dir. It is how Close finds every process of a scan's Chrome, and how tests
// prove none is left.
//
// Chrome's children rewrite their process title, so their /proc cmdline is
// one space-joined string rather than NUL-separated arguments: an argument
// ends at a NUL, a space or the end. The headless shell's children do not
// name the profile at all: the live descendants of a process that does are
// listed too.
func ProfileProcesses(dir string, prefix bool) ([]ProfileProcess, error) {
	want := []byte("--user-data-dir=" + dir)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("chrome: list processes: %w", err)
	}
	self := os.Getpid()
	var out []ProfileProcess
	children := map[int][]ProfileProcess{}
	var roots []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || isZombie(e.Name()) {
			continue
		}
		p := ProfileProcess{PID: pid, Cmdline: string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))}
		if namesProfile(cmdline, want, prefix) {
			out = append(out, p)
			roots = append(roots, pid)
		} else if ppid := parentOf(e.Name()); ppid > 0 {
			children[ppid] = append(children[ppid], p)
		}
	}
	for len(roots) > 0 {
		pid := roots[len(roots)-1]
		roots = roots[:len(roots)-1]
		for _, c := range children[pid] {
			out = append(out, c)
			roots = append(roots, c.PID)
		}
		delete(children, pid)
	}
	return out, nil
}

// parentOf returns the parent of the process, 0 when it cannot be read.
func parentOf(pid string) int {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// "pid (comm) state ppid ...": the command name may hold spaces.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(string(f[1]))
	return ppid
}

// namesProfile: want occurs at the start of an argument and, unless prefix,
// the argument ends right after it.
func namesProfile(cmdline, want []byte, prefix bool) bool {
	for i := 0; i+len(want) <= len(cmdline); {
		j := bytes.Index(cmdline[i:], want)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(want)
		atArgStart := start == 0 || cmdline[start-1] == 0 || cmdline[start-1] == ' '
		atArgEnd := end == len(cmdline) || cmdline[end] == 0 || cmdline[end] == ' '
		if atArgStart && (prefix || atArgEnd) {
			return true
		}
		i = start + 1
	}
	return false
}

// killProcessesUsing sends SIGKILL to every process whose command line holds
// --user-data-dir=dir and returns how many it found.
func killProcessesUsing(dir string) (int, error) {
	procs, err := ProfileProcesses(dir, false)
	for _, p := range procs {
		_ = syscall.Kill(p.PID, syscall.SIGKILL)
	}
	return len(procs), err
}

// isZombie: a zombie has exited; killing it again would loop forever. Its
// parent (or init) reaps it.
func isZombie(pid string) bool {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return true
	}
	// The state follows the parenthesised command name, which may hold spaces.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] == 'Z'
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
