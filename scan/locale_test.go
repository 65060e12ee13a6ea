package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cookiescan/cookiescan/internal/chrome"
)

// Without --locale the browser speaks the site's language; with it, the
// user's choice stands; a page that says nothing leaves the default.
func TestResolveLocaleFromTheSitesLanguage(t *testing.T) {
	pages := map[string]string{
		"/da":   `<!doctype html><HTML class="x" LANG="da"><head><title>Forside</title>`,
		"/fi":   `<html lang='fi-FI'>`,
		"/none": `<html><body>no language</body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer srv.Close()
	for _, c := range []struct {
		path, given, want string
	}{
		{"/da", "", chrome.LocaleFromLang("da").Tag},
		{"/fi", "", chrome.LocaleFromLang("fi-FI").Tag},
		{"/none", "", ""},
		{"/da", "de-DE", "de-DE"},
		{"/unreachable", "", ""},
	} {
		opts := Options{URL: srv.URL + c.path}
		if c.path == "/unreachable" {
			opts.URL = "http://127.0.0.1:1/"
		}
		opts.Browser.Locale = c.given
		ResolveLocale(context.Background(), &opts)
		if opts.Browser.Locale != c.want {
			t.Errorf("%s (given %q): locale %q, want %q", c.path, c.given, opts.Browser.Locale, c.want)
		}
	}
	if got := chrome.LocaleFromLang("da").Tag; got != "da-DK" {
		t.Errorf("LocaleFromLang(da) = %q, want da-DK", got)
	}
}
