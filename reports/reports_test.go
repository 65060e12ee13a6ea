package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cookiescan/cookiescan/result"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// loadScan reads the shared hand-written input of the golden tests.
func loadScan(t *testing.T) *result.Scan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s result.Scan
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("testdata/report.json: %v", err)
	}
	return &s
}

func render(t *testing.T, format string, s *result.Scan) []byte {
	t.Helper()
	w, err := New(format, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, s); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

// goldenFormats are the formats with a golden file: every text format,
// and findings-csv, the second file of csv in an output folder. The pdf is
// checked in the browser test.
func goldenFormats() []string {
	var out []string
	for _, f := range Formats() {
		if f != "pdf" {
			out = append(out, f)
		}
	}
	return append(out, "findings-csv")
}

func renderGolden(t *testing.T, format string, s *result.Scan) []byte {
	t.Helper()
	if format != "findings-csv" {
		return render(t, format, s)
	}
	var buf bytes.Buffer
	if err := (findingsCSVWriter{}).Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, format := range goldenFormats() {
		t.Run(format, func(t *testing.T) {
			s := loadScan(t)
			got := renderGolden(t, format, s)
			path := filepath.Join("testdata", "report."+format+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./reports -update and review the file)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", format, path, diff)
			}
			// Same input, same bytes: nothing depends on map order or the clock.
			if again := renderGolden(t, format, loadScan(t)); !bytes.Equal(got, again) {
				t.Errorf("%s: two renderings of the same scan differ", format)
			}
			// The writer must not change the scan it was given.
			if diff := cmp.Diff(loadScan(t), s); diff != "" {
				t.Errorf("%s changed its input (-before +after):\n%s", format, diff)
			}
		})
	}
}

func TestNewUnknownFormat(t *testing.T) {
	_, err := New("docx", Options{})
	if err == nil {
		t.Fatal("New(docx) succeeded")
	}
	for _, f := range Formats() {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list format %s", err, f)
		}
	}
	if _, err := FileName("docx"); err == nil {
		t.Error("FileName(docx) succeeded")
	}
}

func TestFileNames(t *testing.T) {
	seen := map[string]string{}
	for _, f := range Formats() {
		name, err := FileName(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "cookiescan-report.") {
			t.Errorf("%s: file name %q", f, name)
		}
		if other, dup := seen[name]; dup {
			t.Errorf("%s and %s share the file name %s", f, other, name)
		}
		seen[name] = f
	}
}

func TestTableFitsWidth(t *testing.T) {
	out := string(render(t, "table", loadScan(t)))
	for i, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > 100 {
			t.Errorf("line %d is %d columns wide: %q", i+1, n, line)
		}
	}
	for _, want := range []string{"reject  Example CMP, reject UNVERIFIED", "Failed pages (2)", "high 4"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

// TestWriteFilesCSV: csv in an output folder is two files, the cookies and
// the findings, and the pdf format without a browser fails clearly.
func TestWriteFilesCSV(t *testing.T) {
	dir := t.TempDir()
	written, err := WriteFiles(dir, []string{DefaultStem}, []string{"csv"}, loadScan(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "cookiescan-report.csv"), filepath.Join(dir, "cookiescan-report.findings.csv")}
	if diff := cmp.Diff(want, written); diff != "" {
		t.Fatalf("files written (-want +got):\n%s", diff)
	}
	cookies, _ := os.ReadFile(want[0])
	if !bytes.Equal(cookies, render(t, "csv", loadScan(t))) {
		t.Error("cookies.csv differs from the csv format")
	}
	findings, _ := os.ReadFile(want[1])
	if n := strings.Count(string(findings), "\n"); n != 1+11+1 { // header, 11 open findings, 1 baselined
		t.Errorf("findings.csv has %d lines, want 13:\n%s", n, findings)
	}
	if _, err := WriteFiles(dir, []string{DefaultStem}, []string{"pdf"}, loadScan(t), Options{}); !errors.Is(err, ErrNoPrinter) {
		t.Errorf("pdf without a printer: %v, want ErrNoPrinter", err)
	}
}
