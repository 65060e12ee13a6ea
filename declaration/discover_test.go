package declaration

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/internal/hostmap"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "declarations", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// siteServer serves pages by path; "/" is the home page.
func siteServer(t *testing.T, pages map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		ct := "text/html; charset=utf-8"
		if strings.HasSuffix(r.URL.Path, ".js") {
			ct = "application/javascript"
		}
		w.Header().Set("Content-Type", ct)
		fmt.Fprint(w, strings.ReplaceAll(body, "{{base}}", "http://"+r.Host))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func names(t *testing.T, ds []string) map[string]bool {
	m := map[string]bool{}
	for _, d := range ds {
		m[d] = true
	}
	return m
}

func TestDiscoverFooterLinkAndHop(t *testing.T) {
	// Home → footer "Privatlivspolitik" → its link to the cookie page → the
	// Danish cookie table.
	srv := siteServer(t, map[string]string{
		"/": `<html><body><h1>Havnens Cykler</h1><p>Cykler til alle.</p>
<footer><a href="/om-os">Om os</a> <a href="/privatlivspolitik">Privatlivspolitik</a></footer></body></html>`,
		"/om-os":             `<html><body><p>Vi sælger cykler.</p></body></html>`,
		"/privatlivspolitik": `<html><body><h1>Privatlivspolitik</h1><p>Vi behandler dit navn og din adresse. Læs om cookies i vores <a href="/cookiepolitik">cookiepolitik</a>.</p></body></html>`,
		"/cookiepolitik":     readFixture(t, "da_table.html"),
	})
	d, err := Discover(context.Background(), NewHTTPFetcher(HTTPOptions{}), srv.URL+"/", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.URL != srv.URL+"/cookiepolitik" {
		t.Errorf("declaration URL = %s, want the cookie page", d.URL)
	}
	var got []string
	for _, c := range d.Cookies {
		got = append(got, c.Name)
	}
	if n := names(t, got); !n["_ga"] || !n["cto_bundle"] || len(got) != 7 {
		t.Errorf("cookies = %v, want the 7 of da_table.html", got)
	}
	if d.FetchedAt.IsZero() {
		t.Error("FetchedAt not set")
	}
}

func TestDiscoverCookiebotScript(t *testing.T) {
	// The home page carries Cookiebot's banner and the declaration element
	// but no declaration text; the declaration comes from cd.js, served
	// here under consent.cookiebot.com through the fetcher's dialer.
	const cbid = "0f3c6a2e-5b8d-4e1f-9a7c-2d4b6e8f0a1c"
	cd := readFixture(t, "cookiebot_cd.js")
	srv := siteServer(t, map[string]string{
		"/": `<html><head><script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" data-cbid="` + cbid + `"></script></head>
<body><h1>Forside</h1><footer><a href="/cookies">Cookies</a></footer></body></html>`,
		"/cookies":            `<html><body><h1>Cookies</h1><div id="CookieDeclaration"></div></body></html>`,
		"/" + cbid + "/cd.js": cd,
	})
	u, _ := url.Parse(srv.URL)
	// Map consent.cookiebot.com:443 to the test server; the fetcher speaks
	// plain HTTP to it because the test rewrites the scheme below.
	port, _ := strconv.Atoi(u.Port())
	dial := hostmap.DialContext([]hostmap.Rule{{FromHost: "consent.cookiebot.com", FromPort: 80, ToHost: u.Hostname(), ToPort: port}}, (&net.Dialer{}).DialContext)
	f := &schemeRewrite{inner: NewHTTPFetcher(HTTPOptions{DialContext: dial})}
	d, err := Discover(context.Background(), f, srv.URL+"/", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Platform != "cookiebot" {
		t.Errorf("platform = %q, want cookiebot", d.Platform)
	}
	var got []string
	for _, c := range d.Cookies {
		got = append(got, c.Name)
	}
	if n := names(t, got); !n["CookieConsent"] || !n["_ga_#"] || !n["_fbp"] {
		t.Errorf("cookies = %v, want those of cookiebot_cd.js", got)
	}
}

// schemeRewrite fetches https://consent.cookiebot.com over plain HTTP, so
// that the test needs no certificate for that name.
type schemeRewrite struct{ inner Fetcher }

func (s *schemeRewrite) Fetch(ctx context.Context, u string) (*Page, error) {
	return s.inner.Fetch(ctx, strings.Replace(u, "https://consent.cookiebot.com", "http://consent.cookiebot.com", 1))
}

func TestReadDrawnByScriptFindsNoCookies(t *testing.T) {
	srv := siteServer(t, map[string]string{"/cookies": readFixture(t, "script_drawn.html")})
	d, err := Read(context.Background(), NewHTTPFetcher(HTTPOptions{}), srv.URL+"/cookies", ReadOptions{})
	if d == nil {
		t.Fatalf("no declaration: %v", err)
	}
	if len(d.Cookies) != 0 {
		t.Errorf("HTTP fetch of a script-drawn declaration found %d cookies, want 0 (it needs the browser fetcher)", len(d.Cookies))
	}
}

func TestDiscoverDemoSite(t *testing.T) {
	dir := filepath.Join("..", "testdata", "sites", "demo")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("demo fixture site not present at %s", dir)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	d, err := Discover(context.Background(), NewHTTPFetcher(HTTPOptions{}), srv.URL+"/", ReadOptions{})
	if err != nil {
		t.Fatalf("discover demo site: %v", err)
	}
	if d.URL == srv.URL+"/" {
		t.Errorf("declaration URL is the home page; want the policy page")
	}
}

func TestFetchErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/loop-a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-b", http.StatusFound) })
	mux.HandleFunc("/loop-b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-a", http.StatusFound) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>cookie</p>", 1000))
		for written := 0; written < 50<<20; written += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewHTTPFetcher(HTTPOptions{})
	tests := []struct {
		name string
		path string
		want error
	}{
		{"404", "/missing", ErrNotFound},
		{"redirect loop", "/loop-a", ErrRedirectLoop},
		{"50 MB page", "/big", ErrTooLarge},
		{"server error", "/broken", ErrHTTPStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(context.Background(), f, srv.URL+tt.path, ReadOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

// Discovery follows footer links in all twelve languages: a Polish privacy
// page ("Polityka prywatności") and a Finnish cookie page ("Evästeet") are
// as findable as an English "Cookie policy".
func TestDiscoverLinksInOtherLanguages(t *testing.T) {
	table := `<html lang="%s"><body><table><tr><th>Nazwa</th><th>Czas</th></tr><tr><td>_ga</td><td>2 lata</td></tr></table></body></html>`
	for _, c := range []struct{ lang, href, text string }{
		{"pl", "/polityka-prywatnosci", "Polityka prywatności"},
		{"fi", "/evasteet", "Evästeet"},
		{"pt", "/privacidade", "Política de privacidade"},
		{"it", "/informativa", "Informativa sulla privacy"},
	} {
		srv := siteServer(t, map[string]string{
			"/":    `<html><body><p>Witamy.</p><footer><a href="/kontakt">Kontakt</a> <a href="` + c.href + `">` + c.text + `</a></footer></body></html>`,
			c.href: fmt.Sprintf(table, c.lang),
		})
		d, err := Discover(context.Background(), NewHTTPFetcher(HTTPOptions{}), srv.URL+"/", ReadOptions{})
		if err != nil {
			t.Errorf("%s: %v", c.text, err)
			continue
		}
		if d.URL != srv.URL+c.href || len(d.Cookies) != 1 {
			t.Errorf("%s: read %s with %d cookies, want %s with _ga", c.text, d.URL, len(d.Cookies), c.href)
		}
	}
}

// A site without a declaration: Discover says where it looked.
func TestDiscoverNotFoundSaysWhere(t *testing.T) {
	srv := siteServer(t, map[string]string{
		"/":        `<html><body><p>Welcome.</p><footer><a href="/privacy">Privacy</a></footer></body></html>`,
		"/privacy": `<html><body><p>We keep your e-mail address to answer you.</p></body></html>`,
	})
	_, err := Discover(context.Background(), NewHTTPFetcher(HTTPOptions{}), srv.URL+"/", ReadOptions{})
	var nf *NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, ErrNoDeclaration) {
		t.Fatalf("err = %v, want a NotFoundError", err)
	}
	if !strings.Contains(strings.Join(nf.Search.Looked, "\n"), srv.URL+"/privacy: no cookie declaration") {
		t.Errorf("looked at %q, want the privacy page named", nf.Search.Looked)
	}
}
