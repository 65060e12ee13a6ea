package reports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/result"
)

// pdfText extracts a PDF's text with pdftotext (poppler-utils), which
// `make test` installs; without it the test skips, or fails under CI=true.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if inCI() {
			t.Fatal("pdftotext not found (CI=true: install poppler-utils; `make test` does)")
		}
		t.Skip("pdftotext not found: install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// printReport renders s as a PDF through a real headless Chrome.
func printReport(t *testing.T, b *chrome.Browser, s *result.Scan, paper string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, err := New("pdf", Options{Paper: paper, Print: func(html []byte, p PDFPage) ([]byte, error) {
		return b.PrintPDF(ctx, html, chrome.PDFOptions{Paper: p.Paper, HeaderLeft: p.Site, HeaderRight: p.Date})
	}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var mediaBox = regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`)

// TestPDFInBrowser prints the golden scan on A4 and Letter and the hostile
// scan on A4: a PDF of several pages, of the paper asked for, with the
// verdict, the cookie names, the header and page numbers in its text, and
// nothing the site sent turned into a link or a script.
func TestPDFInBrowser(t *testing.T) {
	findChrome(t)
	b, err := chrome.Start(context.Background(), chrome.Options{})
	if err != nil {
		if inCI() {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer b.Close()

	for _, tc := range []struct {
		name, paper string
		scan        *result.Scan
		width       string // of the MediaBox, in points
	}{
		{"golden-a4", "a4", loadScan(t), "595"},
		{"golden-letter", "letter", loadScan(t), "612"},
		{"hostile", "a4", hostileScan(), "595"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := printReport(t, b, tc.scan, tc.paper)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %.20q", pdf)
			}
			if m := mediaBox.FindSubmatch(pdf); m == nil || !strings.HasPrefix(string(m[1]), tc.width) {
				t.Errorf("page box %q, want width %s (%s)", m, tc.width, tc.paper)
			}
			for _, bad := range []string{"/JavaScript", "/JS ", "/Launch", "javascript:"} {
				if bytes.Contains(pdf, []byte(bad)) {
					t.Errorf("the PDF holds %q", bad)
				}
			}
			text := pdfText(t, pdf)
			pages := strings.Count(text, "\f")
			if dir := os.Getenv("COOKIESCAN_SCREENSHOT_DIR"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, "report-"+tc.name+".pdf"), pdf, 0o644)
			}
			t.Logf("%s: %d bytes, %d pages", tc.name, len(pdf), pages)
			flat := strings.Join(strings.Fields(text), "")
			want := []string{"Notcompliant", "page1of", "Cookieauditof"}
			if tc.name == "hostile" {
				if pages < 1 {
					t.Errorf("%d pages", pages)
				}
				want = append(want, strings.ReplaceAll(hostileMarkup, " ", ""), "www.evil.test")
			} else {
				if pages < 2 {
					t.Errorf("%d pages, want more than one", pages)
				}
				for _, c := range tc.scan.Inventory {
					want = append(want, strings.Join(strings.Fields(c.Name), ""))
				}
				want = append(want, "2026-03-1009:00UTC") // the header's date
			}
			for _, w := range want {
				if !strings.Contains(flat, w) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			if strings.ContainsAny(text, "\x1b\u202e") {
				t.Error("PDF text holds a control or bidi character from the site")
			}
		})
	}
}
