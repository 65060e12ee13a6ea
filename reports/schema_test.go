package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// inCI reports whether a missing tool must fail the run instead of skipping.
func inCI() bool { return os.Getenv("CI") == "true" }

// TestSARIFSchema validates the SARIF output against the official SARIF
// 2.1.0 JSON schema (testdata/sarif-schema-2.1.0.json, from the OASIS
// sarif-spec repository), for the golden scan and the hostile one.
func TestSARIFSchema(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	validate := func(t *testing.T, out []byte) error {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		return schema.Validate(inst)
	}
	t.Run("golden", func(t *testing.T) {
		if err := validate(t, render(t, "sarif", loadScan(t))); err != nil {
			t.Errorf("SARIF does not validate: %v", err)
		}
	})
	t.Run("hostile", func(t *testing.T) {
		if err := validate(t, render(t, "sarif", hostileScan())); err != nil {
			t.Errorf("SARIF does not validate: %v", err)
		}
	})
	t.Run("validator can fail", func(t *testing.T) {
		bad := bytes.Replace(render(t, "sarif", loadScan(t)), []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
		if err := validate(t, bad); err == nil {
			t.Error("a SARIF log with level \"fatal\" validated")
		}
	})
}

// TestJUnitSchema validates the JUnit output with xmllint against the Ant
// JUnit schema most CI servers follow (testdata/JUnit.xsd, windyroad). It
// skips without xmllint, except under CI=true (make test installs
// libxml2-utils), so it cannot pass silently in CI.
func TestJUnitSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if inCI() {
			t.Fatal("xmllint not found; install libxml2-utils (CI=true forbids skipping)")
		}
		t.Skip("xmllint not found; install libxml2-utils to validate JUnit output")
	}
	xsd := filepath.Join("testdata", "JUnit.xsd")
	validate := func(t *testing.T, out []byte) error {
		path := filepath.Join(t.TempDir(), "junit.xml")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, path)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return &xmllintError{err: err, out: stderr.String()}
		}
		return nil
	}
	t.Run("golden", func(t *testing.T) {
		if err := validate(t, render(t, "junit", loadScan(t))); err != nil {
			t.Error(err)
		}
	})
	t.Run("hostile", func(t *testing.T) {
		if err := validate(t, render(t, "junit", hostileScan())); err != nil {
			t.Error(err)
		}
	})
	t.Run("validator can fail", func(t *testing.T) {
		bad := strings.Replace(string(render(t, "junit", loadScan(t))), ` classname="cookiescan.pre-consent"`, "", 1)
		if err := validate(t, []byte(bad)); err == nil {
			t.Error("a test case without classname validated")
		}
	})
}

type xmllintError struct {
	err error
	out string
}

func (e *xmllintError) Error() string { return "xmllint: " + e.err.Error() + ": " + e.out }
func (e *xmllintError) Unwrap() error { return e.err }
