package consent

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// A platform that reloads the page right after a deny (Complianz) used to
// leave the after-choice screenshot waiting for a frame that never came:
// Apply then held the tab until its deadline, and the state's remaining
// pages failed. Several tabs in turn, as in TestFixtures, where it showed.
// The screenshot is taken again and the tab goes on.
func TestReloadAfterChoiceKeepsTheTab(t *testing.T) {
	e, err := New(Options{Screenshot: true})
	if err != nil {
		t.Fatal(err)
	}
	var url string
	for _, c := range fixtureCases() {
		if c.name == "complianz-reload" {
			url = c.url
		}
	}
	for i := range 3 {
		ctx := browserTab(t)
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Fatalf("tab %d: navigate: %v", i, err)
		}
		out, err := e.Apply(ctx, ActionReject)
		if err != nil || out.Error != "" {
			t.Fatalf("tab %d: Apply: %v %s", i, err, out.Error)
		}
		if len(out.AfterScreenshotPNG) == 0 {
			t.Errorf("tab %d: no screenshot after the choice", i)
		}
		// The tab goes on as the crawler's would (navigateOn: the
		// fixture's own reload, 50 ms after the deny, may abort the first
		// try).
		err = navigateOn(ctx, url)
		if err != nil {
			t.Errorf("tab %d: the tab did not go on after the choice: %v", i, err)
		}
	}
}
