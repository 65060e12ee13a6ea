package main

import (
	"bytes"
	"net"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasWorkingExamples: each command's help shows examples,
// and each example names a real command and only flags it has, with
// values its flags accept.
func TestEveryCommandHasWorkingExamples(t *testing.T) {
	var out bytes.Buffer
	root := newRootCmd(&out, &out)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if !c.Runnable() || c.Hidden || c.Name() == "help" || c.Name() == "completion" || c == root {
			return
		}
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s has no examples in its help", c.CommandPath())
			return
		}
		for _, line := range strings.Split(c.Example, "\n") {
			f := strings.Fields(line)
			for len(f) > 0 && strings.Contains(f[0], "=") { // VAR=value before the command
				f = f[1:]
			}
			if len(f) == 0 {
				continue
			}
			if f[0] != "cookiescan" {
				t.Errorf("%s: example %q does not start with cookiescan", c.CommandPath(), line)
				continue
			}
			fresh := newRootCmd(&out, &out)
			target, rest, err := fresh.Find(f[1:])
			if err != nil || target.CommandPath() != c.CommandPath() {
				t.Errorf("%s: example %q runs %v (%v)", c.CommandPath(), line, target.CommandPath(), err)
				continue
			}
			if target.DisableFlagParsing {
				continue
			}
			if err := target.ParseFlags(rest); err != nil {
				t.Errorf("%s: example %q: %v", c.CommandPath(), line, err)
			}
		}
	}
	walk(root)
}

func TestVersionFromBuildInfo(t *testing.T) {
	cases := []struct {
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{"v1.4.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.3.0"}}, "v1.4.0"},
		{"dev", &debug.BuildInfo{Main: debug.Module{Version: "v1.3.0"}}, "v1.3.0"},
		{"dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"devel-0123456789ab-dirty 2026-12-01T10:00:00Z"},
		{"dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"dev", nil, "dev"},
	}
	for _, c := range cases {
		if got := versionFrom(c.stamped, c.info); got != c.want {
			t.Errorf("versionFrom(%q, …) = %q, want %q", c.stamped, got, c.want)
		}
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runCLI(t, args...)
		if code != 0 || !strings.HasPrefix(out, "cookiescan ") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

// TestDBUpdateOfflineSaysBuiltInIsUsed: a download that cannot connect says
// the built-in database still classifies cookies.
func TestDBUpdateOfflineSaysBuiltInIsUsed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, _, errOut := runCLI(t, "db", "update", "--db-cache-dir", t.TempDir(),
		"--cookie-db-url", "http://"+addr+"/ocd.csv", "--entities-url", "-")
	if code != 2 || !strings.Contains(errOut, "no connection to the download site") || !strings.Contains(errOut, "built into cookiescan") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}
