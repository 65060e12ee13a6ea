package crawler_test

import (
	"testing"

	"github.com/cookiescan/cookiescan/crawler"
)

func TestTabsFor(t *testing.T) {
	most := crawler.DefaultTabs()
	for _, tc := range []struct {
		tabs, pages, want int
	}{
		// Left to choose: one tab per 5 pages after the first, at most
		// DefaultTabs.
		{0, 1, 1},
		{0, 4, 1},
		{0, 6, min(most, 2)},
		{0, 7, min(most, 2)},
		{0, 11, min(most, 3)},
		{0, 100, most},
		// Asked for: as many, but never more than the pages after the
		// first.
		{3, 4, 3},
		{3, 3, 2},
		{2, 1, 1},
		{1, 100, 1},
		{16, 100, 16},
	} {
		if got := (crawler.Options{Tabs: tc.tabs}).TabsFor(tc.pages); got != tc.want {
			t.Errorf("Tabs %d, %d pages: %d tabs, want %d", tc.tabs, tc.pages, got, tc.want)
		}
	}
	if most < 1 || most > 3 {
		t.Errorf("DefaultTabs() = %d, want 1 to 3", most)
	}
}
