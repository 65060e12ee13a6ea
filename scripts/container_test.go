// Package scripts holds the tests of the shell scripts the build and the
// container image use; the scripts themselves are not Go.
package scripts

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// needRoot skips where the install script cannot run (not root, no apt-get),
// except under CI=true, where CI runs as root on Debian and must check it.
func needRoot(t *testing.T) {
	t.Helper()
	_, aptErr := exec.LookPath("apt-get")
	if os.Geteuid() == 0 && aptErr == nil {
		return
	}
	msg := "the container install script needs root and apt-get"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " under CI=true")
	}
	t.Skip(msg)
}

// TestContainerInstall runs the image's install script on this machine, twice:
// the first run installs what is missing, the second must find everything in
// place and not call apt-get.
func TestContainerInstall(t *testing.T) {
	needRoot(t)
	reports := filepath.Join(t.TempDir(), "reports")
	run := func() string {
		cmd := exec.Command("bash", "container-install.sh")
		cmd.Env = append(os.Environ(), "COOKIESCAN_REPORTS="+reports, "COOKIESCAN_USER=cookiescan")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("container-install.sh: %v\n%s", err, out)
		}
		return string(out)
	}
	run()
	second := run()
	if !strings.Contains(second, "packages already installed") || strings.Contains(second, "installing") {
		t.Errorf("second run is not a no-op:\n%s", second)
	}
	for _, bin := range []string{"chromium", "tini"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Errorf("%s not on the PATH after the install: %v", bin, err)
		}
	}
	u, err := user.Lookup("cookiescan")
	if err != nil {
		t.Fatalf("user cookiescan not created: %v", err)
	}
	if u.Uid == "0" {
		t.Errorf("the scan user is root")
	}
	fi, err := os.Stat(reports)
	if err != nil {
		t.Fatal(err)
	}
	if uid := fi.Sys().(*syscall.Stat_t).Uid; strconv.Itoa(int(uid)) != u.Uid {
		t.Errorf("reports folder owned by uid %d, want the scan user %s", uid, u.Uid)
	}
	// Fonts: without any, screenshots in the HTML report show empty boxes.
	if out, err := exec.Command("fc-list").Output(); err == nil && !strings.Contains(string(out), "Liberation") {
		t.Errorf("no Liberation font after the install:\n%.500s", out)
	}
}

// TestDockerfile checks the image recipe's promises that no container
// engine is needed to see: the install script is what it runs, a non-root
// user runs scans, tini reaps Chrome's children, cookiescan is the entry point.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	var stages, users []string
	var entry string
	for _, line := range strings.Split(df, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			stages = append(stages, f[1])
		case "USER":
			users = append(users, f[1])
		case "ENTRYPOINT":
			entry = strings.Join(f[1:], " ")
		}
	}
	if len(stages) < 2 || !strings.HasPrefix(stages[0], "golang:") || !strings.HasPrefix(stages[len(stages)-1], "debian:") {
		t.Errorf("want a Go build stage then a Debian runtime stage, got %v", stages)
	}
	if len(users) == 0 || users[len(users)-1] == "root" || users[len(users)-1] == "0" {
		t.Errorf("the image must run as a non-root user, got USER %v", users)
	}
	if !regexp.MustCompile(`^\["/usr/bin/tini",\s*"--",\s*"cookiescan"\]$`).MatchString(entry) {
		t.Errorf("ENTRYPOINT %s: want tini, then cookiescan", entry)
	}
	if !strings.Contains(df, "scripts/container-install.sh") {
		t.Error("the Dockerfile does not run scripts/container-install.sh, so the tested steps are not the image's")
	}
	if !regexp.MustCompile(`(?m)^VOLUME\s+\["/reports"\]`).MatchString(df) {
		t.Error("no /reports volume for the reports")
	}
}
