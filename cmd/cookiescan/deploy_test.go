package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// deployDir holds the Kubernetes manifests (Kustomize).
const deployDir = "../../deploy/kubernetes"

// cookiescanContainers finds, in every YAML document under deployDir, the
// containers that run cookiescan (by image or by name, so that patches
// count), with the file each is in.
func cookiescanContainers(t *testing.T) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	var walk func(file string, v any)
	walk = func(file string, v any) {
		switch x := v.(type) {
		case map[string]any:
			img, _ := x["image"].(string)
			name, _ := x["name"].(string)
			_, hasArgs := x["args"]
			if strings.HasPrefix(img, "cookiescan") || (name == "cookiescan" && hasArgs) {
				out[file] = append(out[file], x)
			}
			for _, c := range x {
				walk(file, c)
			}
		case []any:
			for _, c := range x {
				walk(file, c)
			}
		}
	}
	err := filepath.WalkDir(deployDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var doc any
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			walk(path, doc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDeployManifestsMatchCLI: every flag and environment variable the
// Kubernetes manifests pass to cookiescan exists in the CLI, so renaming a
// flag breaks this test rather than a cluster's nightly run.
func TestDeployManifestsMatchCLI(t *testing.T) {
	containers := cookiescanContainers(t)
	if len(containers) == 0 {
		t.Fatalf("no cookiescan container found under %s", deployDir)
	}
	documented := documentedEnv(t)
	runsOnce := false
	for file, cs := range containers {
		for _, c := range cs {
			var args []string
			for _, a := range c["args"].([]any) {
				args = append(args, a.(string))
			}
			cmd, rest, err := newRootCmd(io.Discard, io.Discard).Find(args)
			if err != nil || cmd.Parent() == nil {
				t.Errorf("%s: args %q name no cookiescan command: %v", file, args, err)
				continue
			}
			for _, a := range rest {
				switch {
				case strings.HasPrefix(a, "--"):
					name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
					if cmd.Flags().Lookup(name) == nil {
						t.Errorf("%s: %s has no flag --%s", file, cmd.CommandPath(), name)
					}
				case strings.HasPrefix(a, "-") && len(a) == 2:
					if cmd.Flags().ShorthandLookup(a[1:]) == nil {
						t.Errorf("%s: %s has no flag %s", file, cmd.CommandPath(), a)
					}
				}
				if a == "--once" && cmd.Name() == "schedule" {
					runsOnce = true
				}
			}
			env, _ := c["env"].([]any)
			for _, e := range env {
				name, _ := e.(map[string]any)["name"].(string)
				if !documented[name] {
					t.Errorf("%s: environment variable %s is not one cookiescan reads (see the Environment section of `cookiescan --help`)", file, name)
				}
			}
		}
	}
	if !runsOnce {
		t.Error("no manifest runs `cookiescan schedule --once`")
	}
}

// documentedEnv reads the Environment section of the root command's help,
// and checks that the program's source reads each variable it lists.
func documentedEnv(t *testing.T) map[string]bool {
	t.Helper()
	long := newRootCmd(io.Discard, io.Discard).Long
	_, section, ok := strings.Cut(long, "\nEnvironment:\n")
	if !ok {
		t.Fatal("the root help has no Environment section")
	}
	var src strings.Builder
	for _, dir := range []string{".", "../../schedule", "../../store"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src.Write(b)
		}
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  ([A-Z][A-Z0-9_]+) `).FindAllStringSubmatch(section, -1) {
		if !strings.Contains(src.String(), `"`+m[1]+`"`) {
			t.Errorf("the help documents %s, but no source reads it", m[1])
		}
		out[m[1]] = true
	}
	if len(out) == 0 {
		t.Fatal("the Environment section lists no variable")
	}
	return out
}
