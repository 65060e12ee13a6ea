package main

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/cookiescan/cookiescan/config"
	"github.com/cookiescan/cookiescan/reports"
)

// scanCommand returns the real `scan` command, with the root's flags merged.
func scanCommand(t *testing.T) *cobra.Command {
	t.Helper()
	var out bytes.Buffer
	root := newRootCmd(&out, &out)
	cmd, _, err := root.Find([]string{"scan"})
	if err != nil || cmd.Name() != "scan" {
		t.Fatalf("no scan command: %v", err)
	}
	cmd.InheritedFlags() // merges the root's persistent flags (--config)
	return cmd
}

// flagsIn returns the --flags a shell script passes to cookiescan.
var flagRe = regexp.MustCompile(`(?:^|\s)--([a-z][a-z0-9-]+)`)

func checkScriptFlags(t *testing.T, where, script string, cmd *cobra.Command) {
	t.Helper()
	for _, m := range flagRe.FindAllStringSubmatch(script, -1) {
		if cmd.Flags().Lookup(m[1]) == nil {
			t.Errorf("%s passes --%s, which `cookiescan scan` does not have", where, m[1])
		}
	}
	for _, m := range regexp.MustCompile(`--format ([a-z,]+)`).FindAllStringSubmatch(script, -1) {
		if err := reports.Check(strings.Split(m[1], ",")); err != nil {
			t.Errorf("%s: --format %s: %v", where, m[1], err)
		}
	}
}

// TestActionInputsAreFlags parses action.yml: every input that is not the
// action's own must be a flag of `cookiescan scan`, passed as its
// COOKIESCAN_* variable; renaming a flag breaks this test.
func TestActionInputsAreFlags(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Default  string `yaml:"default"`
			Required bool   `yaml:"required"`
		} `yaml:"inputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				ID   string            `yaml:"id"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				Env  map[string]string `yaml:"env"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	cmd := scanCommand(t)
	own := []string{"url", "upload-sarif", "artifact-name", "args"}
	var scanEnv map[string]string
	var scanRun string
	var uses []string
	for _, s := range action.Runs.Steps {
		if s.ID == "scan" {
			scanEnv, scanRun = s.Env, s.Run
		}
		uses = append(uses, strings.Split(s.Uses, "@")[0])
	}
	if scanEnv == nil {
		t.Fatal("action.yml has no step with id scan")
	}
	for name := range action.Inputs {
		if slices.Contains(own, name) {
			continue
		}
		if cmd.Flags().Lookup(name) == nil {
			t.Errorf("input %s is not a flag of cookiescan scan", name)
			continue
		}
		env := config.EnvName(name)
		if got, want := scanEnv[env], "${{ inputs."+name+" }}"; got != want {
			t.Errorf("input %s: the scan step sets %s=%q, want %q", name, env, got, want)
		}
	}
	for env := range scanEnv {
		if name, ok := strings.CutPrefix(env, config.EnvPrefix); ok {
			flag := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
			if _, isInput := action.Inputs[flag]; !isInput || cmd.Flags().Lookup(flag) == nil {
				t.Errorf("the scan step sets %s, which is not an input mapped to a flag", env)
			}
		}
	}
	if !action.Inputs["url"].Required {
		t.Error("input url must be required")
	}
	checkScriptFlags(t, "action.yml", scanRun, cmd)
	for _, want := range []string{"github/codeql-action/upload-sarif", "actions/upload-artifact"} {
		if !slices.Contains(uses, want) {
			t.Errorf("action.yml does not use %s", want)
		}
	}
	sarif, _ := reports.FileName("sarif")
	if !strings.Contains(string(data), "/"+sarif) {
		t.Errorf("action.yml does not upload %s, the name cookiescan writes", sarif)
	}
}

// TestGitLabTemplate: the GitLab template's script uses real flags and its
// artifacts are the files cookiescan writes.
func TestGitLabTemplate(t *testing.T) {
	data, err := os.ReadFile("../../ci/cookiescan.gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]struct {
		Script    []string          `yaml:"script"`
		Variables map[string]string `yaml:"variables"`
		Artifacts struct {
			Reports struct {
				JUnit string `yaml:"junit"`
			} `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	job, ok := doc[".cookiescan"]
	if !ok {
		t.Fatal("no .cookiescan job template")
	}
	cmd := scanCommand(t)
	checkScriptFlags(t, "the GitLab template", strings.Join(job.Script, "\n"), cmd)
	for env := range job.Variables {
		if name, ok := strings.CutPrefix(env, config.EnvPrefix); ok && env != "COOKIESCAN_IMAGE" {
			if cmd.Flags().Lookup(strings.ToLower(strings.ReplaceAll(name, "_", "-"))) == nil {
				t.Errorf("variable %s names no flag of cookiescan scan", env)
			}
		}
	}
	junit, _ := reports.FileName("junit")
	if job.Artifacts.Reports.JUnit != job.Variables["COOKIESCAN_OUTPUT"]+"/"+junit {
		t.Errorf("junit report %q, want %s/%s", job.Artifacts.Reports.JUnit, job.Variables["COOKIESCAN_OUTPUT"], junit)
	}
}
