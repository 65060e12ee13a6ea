package declaration

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cookiescan/cookiescan/cookie"
)

func TestParseLifespan(t *testing.T) {
	tests := []struct {
		in   string
		kind cookie.LifespanKind
		days float64
	}{
		{"2 years", cookie.LifespanBounded, 730},
		{"2 år", cookie.LifespanBounded, 730},
		{"13 måneder", cookie.LifespanBounded, 396},
		{"1 Jahr", cookie.LifespanBounded, 365},
		{"180 days", cookie.LifespanBounded, 180},
		{"1 month after your last login.", cookie.LifespanBounded, 31},
		{"From 6 months to 10 years.", cookie.LifespanBounded, 3650},
		{"From 1 to 7 years.", cookie.LifespanBounded, 2555},
		{"Up to 2 years.", cookie.LifespanBounded, 730},
		{"et år", cookie.LifespanBounded, 365},
		{"12 mdr.", cookie.LifespanBounded, 365},
		{"24 Stunden", cookie.LifespanBounded, 1},
		{"Session", cookie.LifespanSession, 0},
		{"Deleted when you close your browser.", cookie.LifespanSession, 0},
		{"Slettes når browseren lukkes", cookie.LifespanSession, 0},
		{"Persistent", cookie.LifespanPersistent, 0},
		{"Persistent—you must delete these cookies yourself.", cookie.LifespanPersistent, 0},
		{"Pending", cookie.LifespanUnknown, 0},
		{"", cookie.LifespanUnknown, 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			l := ParseLifespan(tt.in)
			if l.Kind != tt.kind || l.Days != tt.days {
				t.Errorf("ParseLifespan(%q) = %s %g, want %s %g", tt.in, l.Kind, l.Days, tt.kind, tt.days)
			}
		})
	}
}

func TestVendorMatcher(t *testing.T) {
	m := NewListMatcher(DefaultVendors())
	tests := []struct {
		text string
		want []string // canonical names
	}{
		{"We use Google AdWords and Zopim.", []string{"Google Ads", "Zendesk Chat"}},
		{"Google Analytics Remarketing: places cookies", []string{"Google Analytics Remarketing"}},
		{"besøger vores Facebookside", nil},
		{"in Google Chrome or Safari", nil},
		{"Google har deres egen politik", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, mm := range m.Match(tt.text) {
			got = append(got, mm.Canonical)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Match(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestCookieNameShapes(t *testing.T) {
	for _, s := range []string{"datr, locale, reg_fb_gate, reg_fb_ref", "_ga_#", "__cf_bm [x2]", "ASP.NET_SessionId", "_ga _gid _gat"} {
		if splitNames(s) == nil {
			t.Errorf("splitNames(%q) = nil, want names", s)
		}
	}
	for _, s := range []string{"Maintains the session with the server.", "Google Analytics", "www.example.com", "https://x.dk/cookies", "Lifespan: 2 years", "example.com"} {
		if ns := splitNames(s); ns != nil {
			t.Errorf("splitNames(%q) = %v, want nil", s, ns)
		}
	}
	cn, ok := cleanName("_ga_#", false)
	if !ok || !regexp.MustCompile(cn.Pattern).MatchString("_ga_ABC123") || regexp.MustCompile(cn.Pattern).MatchString("_gid") {
		t.Errorf("pattern of _ga_# = %q", cn.Pattern)
	}
}

func TestBadInput(t *testing.T) {
	binary := make([]byte, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range binary {
		binary[i] = byte(r.IntN(256))
	}
	binary[10] = 0
	tests := []struct {
		name string
		page Page
		want error
	}{
		{"empty page", Page{URL: "https://x.test/", Body: nil, ContentType: "text/html"}, ErrNoDeclaration},
		{"no declaration", Page{URL: "https://x.test/", Body: []byte("<html><body><h1>Welcome</h1><p>We sell bicycles.</p></body></html>"), ContentType: "text/html"}, ErrNoDeclaration},
		{"binary", Page{URL: "https://x.test/logo", Body: binary}, ErrNotText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(&tt.page, Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.page.URL) {
				t.Errorf("error %q does not name the page", err)
			}
		})
	}
	if _, err := Parse(nil, Options{}); err == nil {
		t.Error("Parse(nil) gave no error")
	}
}

func TestLoadFileTooLarge(t *testing.T) {
	path := t.TempDir() + "/big.html"
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 2048), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(path, 1024); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestEncodings(t *testing.T) {
	want := "Udløb: 2 år"
	html := func(body []byte) []byte {
		return append(append([]byte("<html><body><p>_ga</p><p>Bruges af Google Analytics.</p><p>"), body...), []byte("</p></body></html>")...)
	}
	latin1 := []byte("Udl\xf8b: 2 \xe5r")
	cases := map[string]Page{
		"utf-8":             {Body: html([]byte(want)), ContentType: "text/html"},
		"utf-8 bom":         {Body: append([]byte("\xef\xbb\xbf"), html([]byte(want))...)},
		"windows-1252":      {Body: html(latin1)},
		"iso-8859-1 header": {Body: html(latin1), ContentType: "text/html; charset=iso-8859-1"},
		"meta charset":      {Body: append([]byte(`<meta charset="windows-1252">`), html(latin1)...)},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := Parse(&p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Cookies) != 1 || d.Cookies[0].Lifespan.Text != "2 år" || d.Cookies[0].Lifespan.Days != 730 {
				t.Errorf("cookies = %+v", d.Cookies)
			}
		})
	}
}

// TestPrecisionRecall prints and checks precision and recall of cookie
// names and vendors over the seeds and our fixtures.
func TestPrecisionRecall(t *testing.T) {
	type tally struct{ tp, fp, fn int }
	score := func(want, got []string, s *tally) {
		w := map[string]int{}
		for _, x := range want {
			w[x]++
		}
		for _, g := range got {
			if w[g] > 0 {
				w[g]--
				s.tp++
			} else {
				s.fp++
			}
		}
		for _, n := range w {
			s.fn += n
		}
	}
	pr := func(s tally) (float64, float64) {
		p, r := 1.0, 1.0
		if s.tp+s.fp > 0 {
			p = float64(s.tp) / float64(s.tp+s.fp)
		}
		if s.tp+s.fn > 0 {
			r = float64(s.tp) / float64(s.tp+s.fn)
		}
		return p, r
	}
	groups := map[string][]corpusCase{"fixtures": fixtureCases(t)}
	if _, err := os.Stat("../../shared/seeds"); err == nil {
		groups["seeds"] = seedCases(t)
	}
	for _, g := range []string{"seeds", "fixtures"} {
		cases, ok := groups[g]
		if !ok {
			continue
		}
		var cookies, vendors tally
		for _, c := range cases {
			e := loadExpected(t, c.expected)
			if e.HTTPEmpty {
				continue
			}
			d := parseFile(t, c.input)
			var wc, gc, gv []string
			for _, x := range e.Cookies {
				wc = append(wc, x.Name+"|"+x.Vendor)
			}
			for _, x := range d.Cookies {
				gc = append(gc, x.Name+"|"+x.Vendor)
			}
			for _, v := range d.Vendors {
				gv = append(gv, v.Name)
			}
			score(wc, gc, &cookies)
			score(e.Vendors, gv, &vendors)
		}
		cp, cr := pr(cookies)
		vp, vr := pr(vendors)
		t.Logf("%s: cookie names precision %.3f recall %.3f (tp %d fp %d fn %d); vendors precision %.3f recall %.3f (tp %d fp %d fn %d)",
			g, cp, cr, cookies.tp, cookies.fp, cookies.fn, vp, vr, vendors.tp, vendors.fp, vendors.fn)
		min := 0.95
		if g == "seeds" {
			min = 1.0
		}
		if cp < min || cr < min || vp < min || vr < min {
			t.Errorf("%s below %.2f", g, min)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range []string{
		"Lifespan: 2 years", "<table><tr><th>Name</th><th>Expiry</th></tr><tr><td>_ga</td><td>2 years</td></tr></table>",
		"Google Analytics\n_ga, _gid\nUsed by Google.\nLifespan: From 1 to 7 years.",
		"Necessary cookies\nDynamicweb:\nBy using the website you accept cookies. Click “Afvis”.",
		"Cookies\nVrsta |\nIme piškotka |\nTrajanje |\nSejni |\npagesession |\ndo konca seje |\n",
		"<p>Cookies</p><p>cmplz_x — 365 dagen — Opslaan.</p><p>_pk_id / _pk_ref (Matomo): Bruges.</p>",
		`<h2>Notwendige Cookies</h2><table><tr><th>Name</th><th>Zweck</th></tr><tr><td colspan="2"></td></tr></table>`,
		"<h3>_utmb</h3><ul><li>Duración: 30 minutos</li><li>Finalidad: Analítica</li></ul>",
		// This session's paths: a code name with its type, names with
		// lifespans in parentheses, a locked toggle, chips, a category's
		// description before a table.
		`<table><tr><th>Name</th><th>Expiry</th></tr><tr><td><p><code>a_b</code><span>cookie</span></p></td><td></td></tr></table>`,
		`<table><tr><td>Categorías</td><td>Cookies (Vida útil)</td></tr><tr><td>x.test</td><td><ul><li>__utma (215 days)</li><li>lang (Session)</li></ul></td></tr></table>`,
		`<input type="checkbox" checked disabled><label>Login</label><table><tr><th>Name</th><th>Type</th></tr><tr><td>KC_*</td><td>Tecnico</td></tr></table>`,
		`<div class="t">Cookies statistiques</div><span>Toujours actifs</span><div><span class="c">_ga</span><span class="c">_gid</span></div>`,
		`<div>Statistic cookies help website owners to understand how visitors interact.</div><table><tr><th>Name</th><th>Provider</th></tr><tr><td>_ga [x2]</td><td>Google<br>Hotjar</td></tr></table>`,
		// Later paths: cards of sibling blocks, yes-or-no columns, a group
		// row of cell lines, names in brackets, inline entries.
		`<div class="c"><div>Name</div><div>Session Cookie</div><div>Anbieter</div><div>X</div><div>Cookie-Name</div><div>A_B</div></div>`,
		`<table><tr><th>Cookie</th><th>Nødvendig</th><th>Krever samtykke</th></tr><tr><td>a_b</td><td>Yes</td><td>nei</td></tr></table>`,
		"Kökur\n\nNotist fyrir\n\nVistun\n\nweb greining\n\nX (Y)\n\na_b, c_d\n\nz\n\n30 ár\n\n_e\n\nz\n\n1 dagur\n",
		`<table><tr><th>Service</th><th>Finalité</th><th>Durée</th></tr><tr><td>G</td><td>x<br>(_ga, _gid)</td><td>2 ans</td></tr></table>`,
		`<h3>Cookie di Marketing</h3><ul><li>Pubblicità</li></ul><div><strong>_fbp</strong> <span>Pixel</span> <span>3 mesi</span></div><div>_x_y a b Sessione</div>`,
		"### Funcional\n\nNombre\n\na_b\n\nCaducidad\n\nsesión\n\nNombre\n\nCaducidad\n\nx\n",
		`<table><tr><th>Naam</th><th>Nødvendig</th></tr><tr><td>o.a. _ga, _ga_*</td><td>ja</td></tr></table>`,
	} {
		f.Add([]byte(c), "text/html")
		f.Add([]byte(c), "text/plain")
	}
	if b, err := os.ReadFile("../testdata/declarations/cookiebot_en.html"); err == nil {
		f.Add(b, "text/html")
	}
	vm := NewListMatcher(DefaultVendors())
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		d, err := Parse(&Page{URL: "https://fuzz.test/", Body: body, ContentType: ct}, Options{Vendors: vm})
		if errors.Is(err, ErrReaderFault) {
			t.Fatal(err) // caught for the user, but a bug all the same
		}
		if err != nil && d == nil {
			return
		}
		for _, c := range d.Cookies {
			if c.Name == "" || len(c.Name) > maxNameLen || !utf8.ValidString(c.Name) {
				t.Fatalf("bad cookie name %q", c.Name)
			}
			if c.Pattern {
				if _, err := regexp.Compile(c.PatternRegexp); err != nil {
					t.Fatalf("bad pattern %q: %v", c.PatternRegexp, err)
				}
			}
			if c.Lifespan.Days < 0 {
				t.Fatalf("negative lifespan %v", c.Lifespan)
			}
		}
	})
}
