package chrome

import "testing"

// Chrome's children rewrite their title into one space-joined string; the
// main process keeps NUL-separated arguments. Both must be found, and a
// profile whose path merely starts with the same text must not be.
func TestNamesProfile(t *testing.T) {
	const dir = "/tmp/cookiescan-chrome-1"
	want := []byte("--user-data-dir=" + dir)
	cases := []struct {
		cmdline string
		prefix  bool
		match   bool
	}{
		{"/usr/lib/chromium/chromium\x00--headless\x00--user-data-dir=/tmp/cookiescan-chrome-1\x00about:blank\x00", false, true},
		{"/usr/lib/chromium/chromium --type=renderer --noerrdialogs --user-data-dir=/tmp/cookiescan-chrome-1 --no-sandbox", false, true},
		{"/usr/lib/chromium/chromium --type=zygote --user-data-dir=/tmp/cookiescan-chrome-1", false, true},
		{"/usr/lib/chromium/chromium --type=zygote --user-data-dir=/tmp/cookiescan-chrome-12 --x", false, false},
		{"/usr/lib/chromium/chromium --type=zygote --user-data-dir=/tmp/cookiescan-chrome-12 --x", true, true},
		{"sh -c echo x--user-data-dir=/tmp/cookiescan-chrome-1", false, false},
		{"/usr/lib/chromium/chrome_crashpad_handler\x00--database=/root/.config/chromium\x00", true, false},
	}
	for _, c := range cases {
		if got := namesProfile([]byte(c.cmdline), want, c.prefix); got != c.match {
			t.Errorf("namesProfile(%q, prefix=%v) = %v, want %v", c.cmdline, c.prefix, got, c.match)
		}
	}
}
