package scan_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/crawler/consent"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/reports"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/scan"
)

// checkDemoReport checks the evidence report of a demo scan: a consent
// screenshot per state that is not blank, the element chosen outlined, the
// cookie matrix with the cells the demo's tags give, and a PDF of several
// pages whose text holds the verdict and every cookie name.
func checkDemoReport(t *testing.T, b *chrome.Browser, res *result.Scan) {
	t.Run("screenshots", func(t *testing.T) { checkShots(t, res) })
	t.Run("matrix", func(t *testing.T) { checkMatrix(t, b, res) })
	t.Run("pdf", func(t *testing.T) { checkPDF(t, b, res) })
}

// minStdDev is the least standard deviation of grey levels a screenshot
// with a page and a banner in it has; a blank white box has 0.
const minStdDev = 8

func checkShots(t *testing.T, res *result.Scan) {
	for _, st := range res.Observation.States {
		shots := map[string][]byte{"choice": st.Consent.ScreenshotPNG}
		if st.State != cookie.Before {
			shots["after"] = st.Consent.AfterScreenshotPNG
		}
		for name, data := range shots {
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s %s screenshot: %v (%d bytes)", st.State, name, err, len(data))
				continue
			}
			if sd := greyStdDev(img); sd < minStdDev {
				t.Errorf("%s %s screenshot is blank: grey level deviation %.1f < %d", st.State, name, sd, minStdDev)
			}
			if dir := os.Getenv("COOKIESCAN_SCREENSHOT_DIR"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, "demo-"+string(st.State)+"-"+name+".png"), data, 0o644)
			}
			box, n := outlineBox(img)
			if name == "after" {
				if n > 0 {
					t.Errorf("%s after-choice screenshot has an outline (%d pixels)", st.State, n)
				}
				continue
			}
			// The banner (before) or the button clicked (accept: "OK",
			// reject: "Reject all") is framed: a full-width frame for the
			// banner, a button-sized one for a click.
			switch {
			case n < 100:
				t.Errorf("%s: no outline in the screenshot (%d pixels)", st.State, n)
			case st.State == cookie.Before && box.Dx() < img.Bounds().Dx()*9/10:
				t.Errorf("before: the outline %v does not frame the full-width banner", box)
			case st.State != cookie.Before && (box.Dx() > 300 || box.Dy() > 120):
				t.Errorf("%s: the outline %v is not button-sized; clicked %q", st.State, box, st.Consent.Clicked)
			}
		}
	}
}

func greyStdDev(img image.Image) float64 {
	var sum, sq, n float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			v := (float64(r) + float64(g) + float64(bl)) / 3 / 257
			sum += v
			sq += v * v
			n++
		}
	}
	mean := sum / n
	return math.Sqrt(sq/n - mean*mean)
}

// outlineBox finds the pixels of the outline colour and their bounds.
func outlineBox(img image.Image) (image.Rectangle, int) {
	c := consent.OutlineColor
	var box image.Rectangle
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
				p := image.Rect(x, y, x+1, y+1)
				if n == 0 {
					box = p
				} else {
					box = box.Union(p)
				}
				n++
			}
		}
	}
	return box, n
}

// checkMatrix opens the HTML report in the browser and reads the cookie
// matrix as a reader sees it.
func checkMatrix(t *testing.T, b *chrome.Browser, res *result.Scan) {
	var html bytes.Buffer
	w, err := reports.New("html", reports.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&html, res); err != nil {
		t.Fatal(err)
	}
	t.Logf("HTML report of the demo: %d bytes", html.Len())
	tab, cancel := b.NewContext()
	defer cancel()
	ctx, cancelT := context.WithTimeout(tab, 60*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: html.String()}); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](
		`[...document.querySelectorAll('table.matrix tr')].map(r => [...r.cells].map(c => c.innerText.trim()))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(res.Inventory)+1 {
		t.Fatalf("matrix has %d rows, want a header and %d cookies", len(rows), len(res.Inventory))
	}
	if got := strings.Join(rows[0][:5], " "); got != "Cookie Domain before accept reject" {
		t.Errorf("matrix header %q", got)
	}
	// What the demo's tags do (testdata/sites/demo/js/site.js): classic
	// GA and YouTube run before consent and ignore reject; gtag's _ga waits
	// for accept; the Meta pixel runs after accept and after reject.
	want := map[string]string{
		"__utma .kystbyg.test":               "yes yes yes",
		"_ga .kystbyg.test":                  "no yes no",
		"VISITOR_INFO1_LIVE .youtube.com":    "yes yes yes",
		"_fbp .kystbyg.test":                 "no yes yes",
		"ASP.NET_SessionId www.kystbyg.test": "yes yes yes",
	}
	for _, r := range rows[1:] {
		key := r[0] + " " + r[1]
		if w, ok := want[key]; ok {
			if got := strings.Join(r[2:5], " "); got != w {
				t.Errorf("matrix row %s: before/accept/reject %q, want %q", key, got, w)
			}
			delete(want, key)
		}
	}
	for key := range want {
		t.Errorf("matrix lacks %s", key)
	}
}

func checkPDF(t *testing.T, b *chrome.Browser, res *result.Scan) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found (CI=true: install poppler-utils; `make test` does)")
		}
		t.Skip("pdftotext not found: install poppler-utils")
	}
	print, closePrinter := scan.PDFPrinter(context.Background(), b, chrome.Options{})
	defer closePrinter()
	w, err := reports.New("pdf", reports.Options{Print: print})
	if err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	start := time.Now()
	if err := w.Write(&pdf, res); err != nil {
		t.Fatal(err)
	}
	t.Logf("PDF of the demo: %d bytes in %v", pdf.Len(), time.Since(start).Round(time.Millisecond))
	path := filepath.Join(t.TempDir(), "demo.pdf")
	if dir := os.Getenv("COOKIESCAN_SCREENSHOT_DIR"); dir != "" {
		path = filepath.Join(dir, "demo.pdf")
	}
	if err := os.WriteFile(path, pdf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	if pages := strings.Count(text, "\f"); pages < 2 {
		t.Errorf("the PDF has %d pages, want more than one", pages)
	}
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"Notcompliant:", "consentchecksfailed", "www.kystbyg.test"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	for _, c := range res.Inventory {
		if !strings.Contains(flat, strings.Join(strings.Fields(c.Name), "")) {
			t.Errorf("PDF text lacks cookie %s", c.Name)
		}
	}
}
