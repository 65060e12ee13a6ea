package reports

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/result"
)

// findChrome returns the Chrome binary, or skips; under CI=true a missing
// browser fails the run instead.
func findChrome(t *testing.T) string {
	t.Helper()
	if testing.Short() && !inCI() {
		t.Skip("browser test skipped in -short mode")
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "google-chrome", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if inCI() {
		t.Fatal("no Chrome or Chromium found (CI=true forbids skipping the browser test)")
	}
	t.Skip("no Chrome or Chromium found")
	return ""
}

// TestHTMLInBrowser opens the HTML report in headless Chromium and checks
// that the page runs no script, raises no error (a CSP violation, for
// instance a wrong style hash, is a console error), opens no dialog, shows
// the hostile cookie name as text and shows the banner screenshot.
func TestHTMLInBrowser(t *testing.T) {
	chrome := findChrome(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx); err != nil { // start the browser once
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name        string
		scan        func(*testing.T) *result.Scan
		screenshots int
	}{
		{"golden", loadScan, 1},
		{"hostile", func(*testing.T) *result.Scan { return hostileScan() }, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			if err := os.WriteFile(path, render(t, "html", tt.scan(t)), 0o644); err != nil {
				t.Fatal(err)
			}
			tab, closeTab := chromedp.NewContext(bctx)
			defer closeTab()

			var mu sync.Mutex
			var problems []string
			var wg sync.WaitGroup
			// Subscribe before navigating so no message is lost.
			console := chromedp.Console(tab)
			dialogs := chromedp.Events(tab, page.JavascriptDialogOpening)
			wg.Add(2)
			go func() {
				defer wg.Done()
				for m, err := range console {
					if err != nil {
						return
					}
					if m.IsException() || m.Type == chromedp.ConsoleError {
						mu.Lock()
						problems = append(problems, "console "+string(m.Type)+": "+m.Text)
						mu.Unlock()
					}
				}
			}()
			go func() {
				defer wg.Done()
				for ev, err := range dialogs {
					if err != nil {
						return
					}
					mu.Lock()
					problems = append(problems, "dialog opened: "+ev.Message)
					mu.Unlock()
					// Close it, or the page stays blocked.
					_, _ = chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
				}
			}()

			if err := chromedp.Do(tab, chromedp.Navigate("file://"+path), chromedp.Sleep(500*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			live, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('script, iframe, svg, object, embed, img:not(.shot)').length`))
			if err != nil {
				t.Fatal(err)
			}
			if live != 0 {
				t.Errorf("%d active elements in the page; markup from the site came alive", live)
			}
			shots, err := chromedp.Run(tab, chromedp.Evaluate[int](`[...document.querySelectorAll('img.shot')].filter(i => i.complete && i.naturalWidth > 0).length`))
			if err != nil {
				t.Fatal(err)
			}
			if shots != tt.screenshots {
				t.Errorf("%d banner screenshots shown, want %d", shots, tt.screenshots)
			}
			if tt.name == "hostile" {
				shown, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.body.innerText.includes('<img src=x onerror=alert(1)>')`))
				if err != nil {
					t.Fatal(err)
				}
				if !shown {
					t.Error("the hostile cookie name is not shown as text")
				}
			}
			png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if len(png) < 1000 {
				t.Errorf("screenshot of %d bytes", len(png))
			}
			// COOKIESCAN_SCREENSHOT_DIR keeps the screenshot for a person to look at.
			dir := os.Getenv("COOKIESCAN_SCREENSHOT_DIR")
			if dir == "" {
				dir = t.TempDir()
			}
			shot := filepath.Join(dir, "report-"+tt.name+".png")
			if err := os.WriteFile(shot, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot of the report: %s (%d bytes)", shot, len(png))

			closeTab()
			wg.Wait()
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}
