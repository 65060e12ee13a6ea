package chrome

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/chromedp/chromedp"
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
// listed too, and so are the live members of the process group Chrome was
// started in (groupFile), which its children keep when a killed Chrome
// leaves them orphaned, no longer anyone's descendants.
func ProfileProcesses(dir string, prefix bool) ([]ProfileProcess, error) {
	want := []byte("--user-data-dir=" + dir)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("chrome: list processes: %w", err)
	}
	self := os.Getpid()
	groups := processGroups(dir, prefix)
	var out []ProfileProcess
	children := map[int][]ProfileProcess{}
	inGroup := map[int]ProfileProcess{}
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
		ppid, pgid := parentAndGroupOf(e.Name())
		switch {
		case namesProfile(cmdline, want, prefix):
			out = append(out, p)
			roots = append(roots, pid)
		case groups[pgid] != "" && exeOf(e.Name()) == groups[pgid]:
			inGroup[pid] = p
		case ppid > 0:
			children[ppid] = append(children[ppid], p)
		}
	}
	for pid, p := range inGroup {
		out = append(out, p)
		roots = append(roots, pid)
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

// groupFile records, inside a profile, the process group Chrome leads
// (ownProcessGroup), its pid, and Chrome's executable: a group member counts
// only if it runs that executable, so that a group id reused after every
// Chrome process is gone cannot name someone else's processes.
const groupFile = "chrome.pgid"

// ownProcessGroup starts Chrome as the leader of a process group of its
// own. Its children inherit the group and keep it when Chrome dies, so the
// group finds them when nothing else does: the headless shell's children do
// not name the profile, and once Chrome is killed they are no longer its
// descendants. Pdeathsig is chromedp's own default, which a command
// modifier replaces: the kernel kills Chrome if cookiescan dies.
func ownProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = new(syscall.SysProcAttr)
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

// processGroupOptions start Chrome in a group of its own (ownProcessGroup).
func processGroupOptions() []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{chromedp.ModifyCmdFunc(ownProcessGroup)}
}

// recordProcessGroup notes in the profile the group of the Chrome that
// runs with it, led by the process chromedp started, and Chrome's
// executable: that of a process of the group that names the profile other
// than the leader, since the leader may be a wrapper script (Debian's
// /usr/bin/chromium-headless-shell is one, which does not exec), else the
// leader's own.
func recordProcessGroup(dir string, leader int) error {
	exe := exeOf(strconv.Itoa(leader))
	want := []byte("--user-data-dir=" + dir)
	if entries, err := os.ReadDir("/proc"); err == nil {
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == leader {
				continue
			}
			if _, pgid := parentAndGroupOf(e.Name()); pgid != leader {
				continue
			}
			if cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil && namesProfile(cmdline, want, false) {
				if x := exeOf(e.Name()); x != "" {
					exe = x
					break
				}
			}
		}
	}
	if exe == "" {
		return fmt.Errorf("chrome: process %d: no executable", leader)
	}
	return os.WriteFile(filepath.Join(dir, groupFile), []byte(strconv.Itoa(leader)+"\n"+exe+"\n"), 0o600)
}

// processGroups reads the groups recorded in the profile dir (with prefix,
// in every profile whose path starts with dir): the executable of each.
func processGroups(dir string, prefix bool) map[int]string {
	dirs := []string{dir}
	if prefix {
		dirs, _ = filepath.Glob(dir + "*")
	}
	groups := map[int]string{}
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, groupFile))
		if err != nil {
			continue
		}
		id, exe, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		// Group 1 and our own group are never a Chrome's: a broken file
		// must not make us kill init or ourselves.
		if pgid, err := strconv.Atoi(id); err == nil && pgid > 1 && pgid != syscall.Getpgrp() && exe != "" {
			groups[pgid] = exe
		}
	}
	return groups
}

// exeOf is the executable the process runs, "" when it cannot be read.
func exeOf(pid string) string {
	exe, _ := os.Readlink("/proc/" + pid + "/exe")
	return exe
}

// parentAndGroupOf returns the parent and the process group of the
// process, 0 when they cannot be read.
func parentAndGroupOf(pid string) (ppid, pgid int) {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, 0
	}
	// "pid (comm) state ppid pgrp ...": the command name may hold spaces.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, 0
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 3 {
		return 0, 0
	}
	ppid, _ = strconv.Atoi(string(f[1]))
	pgid, _ = strconv.Atoi(string(f[2]))
	return ppid, pgid
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
