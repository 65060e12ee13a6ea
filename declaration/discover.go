package declaration

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/cookie"
)

// ReadOptions configures Read and Discover. A zero field means its default.
type ReadOptions struct {
	Options
	// Now stamps FetchedAt; nil means time.Now.
	Now func() time.Time
	// MaxHops bounds how many links Discover follows from the site's page
	// to a dedicated cookie page; default 2.
	MaxHops int
	// MaxFetches bounds the pages one Discover fetches; default 8.
	MaxFetches int
}

func (o ReadOptions) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Read fetches a declaration page and parses it. When the page carries a
// consent platform's declaration widget whose text the fetch did not contain
// (drawn by script), Read also fetches the platform's own declaration data
// and merges it.
func Read(ctx context.Context, f Fetcher, pageURL string, opts ReadOptions) (*cookie.Declaration, error) {
	vm := opts.matcher()
	page, err := f.Fetch(ctx, pageURL)
	if err != nil {
		return nil, fmt.Errorf("declaration: read %s: %w", pageURL, err)
	}
	d, doc, err := parsePage(page, vm)
	if err != nil && !errors.Is(err, ErrNoDeclaration) {
		return nil, err
	}
	d = withPlatformData(ctx, f, d, doc, vm)
	d.FetchedAt = opts.now()
	if len(d.Cookies) == 0 && len(d.Vendors) == 0 && len(d.Categories) == 0 {
		return d, fmt.Errorf("declaration: read %s: %w", pageURL, ErrNoDeclaration)
	}
	return d, nil
}

// withPlatformData merges the consent platform's declaration data into d
// when the page refers to it and d holds no cookies of its own.
func withPlatformData(ctx context.Context, f Fetcher, d *cookie.Declaration, doc *document, vm VendorMatcher) *cookie.Declaration {
	if doc == nil || len(d.Cookies) > 0 {
		return d
	}
	cd := cookiebotDeclarationURL(doc, false)
	if cd == "" {
		return d
	}
	page, err := f.Fetch(ctx, cd)
	if err != nil {
		return d
	}
	pd, _, err := parsePage(page, vm)
	if err != nil {
		return d
	}
	merge(d, pd)
	d.Platform = "cookiebot"
	return d
}

// merge adds to dst what src declares and dst does not.
func merge(dst, src *cookie.Declaration) {
	seen := map[string]bool{}
	for _, c := range dst.Cookies {
		seen[c.Name+"\x00"+strings.ToLower(c.Vendor)] = true
	}
	for _, c := range src.Cookies {
		if k := c.Name + "\x00" + strings.ToLower(c.Vendor); !seen[k] {
			seen[k] = true
			dst.Cookies = append(dst.Cookies, c)
		}
	}
	vs := map[string]bool{}
	for _, v := range dst.Vendors {
		vs[strings.ToLower(v.Canonical)] = true
	}
	for _, v := range src.Vendors {
		if k := strings.ToLower(v.Canonical); !vs[k] {
			vs[k] = true
			dst.Vendors = append(dst.Vendors, v)
		}
	}
	cats := map[cookie.Category]bool{}
	for _, c := range append(append([]cookie.Category{}, dst.Categories...), src.Categories...) {
		cats[c] = true
	}
	dst.Categories = dst.Categories[:0]
	for _, c := range cookie.Categories() {
		if cats[c] {
			dst.Categories = append(dst.Categories, c)
		}
	}
	if dst.RejectOption == nil {
		dst.RejectOption = src.RejectOption
	}
	if dst.ConsentLifespanDays == 0 {
		dst.ConsentLifespanDays = src.ConsentLifespanDays
	}
	if dst.Platform == "" {
		dst.Platform = src.Platform
	}
	ls := map[string]bool{}
	for _, l := range dst.Links {
		ls[l] = true
	}
	for _, l := range src.Links {
		if !ls[l] {
			ls[l] = true
			dst.Links = append(dst.Links, l)
		}
	}
}

// Words that mark a link to a cookie declaration (strong) or to a privacy
// policy that may hold one or link to one (weak), in our languages.
var (
	cookieLinkWords = []string{"cookie", "kakor", "kaksor", "informasjonskapsler", "cookiebeleid", "cookieverklaring", "cookiepolitik",
		"cookie-politik", "cookieerklæring", "cookie-erklæring", "politique de cookies", "cookie-richtlinie",
		"ciasteczk", "evästee", "evaste", "galletas", "kakeerklæring"}
	privacyLinkWords = []string{"privacy", "privatliv", "persondata", "datenschutz", "integritet", "personvern",
		"personuppgift", "gegevensbescherming", "confidentialit", "données personnelles", "donnees-personnelles",
		"data protection", "data-protection", "databeskyttelse", "privacybeleid", "privacyverklaring", "personoplysning",
		"personopplysning", "dataskydd", "vie privée", "vie-privee",
		"privacidad", "privacidade", "privatezza", "riservatezza", "prywatności", "prywatnosci", "ochrona danych",
		"ochrona-danych", "dane osobowe", "tietosuoja", "yksityisyy", "protección de datos", "proteccion-de-datos",
		"protezione dei dati", "proteção de dados", "protecao-de-dados", "dados pessoais", "datos personales", "dati personali"}
)

// linkScore rates how likely a link leads to the declaration: 0 for none.
func linkScore(l link, site *url.URL) int {
	u, err := url.Parse(l.href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return 0
	}
	low := strings.ToLower(l.text + " " + u.Path + " " + u.RawQuery)
	score := 0
	for _, w := range cookieLinkWords {
		if strings.Contains(low, w) {
			score = 4
			break
		}
	}
	if score == 0 {
		for _, w := range privacyLinkWords {
			if strings.Contains(low, w) {
				score = 2
				break
			}
		}
	}
	if score > 0 && site != nil && strings.EqualFold(u.Hostname(), site.Hostname()) {
		score++
	}
	return score
}

// rankLinks returns the declaration candidates among links, best first,
// without the pages already seen.
func rankLinks(links []link, base *url.URL, seen map[string]bool) []string {
	type cand struct {
		href  string
		score int
		order int
	}
	var cs []cand
	dup := map[string]bool{}
	for i, l := range links {
		s := linkScore(l, base)
		if s == 0 || seen[l.href] || dup[l.href] {
			continue
		}
		dup[l.href] = true
		cs = append(cs, cand{l.href, s, i})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.href)
	}
	return out
}

// NotFoundError is Discover's error when the site has no declaration it can
// find: it says where it looked. It unwraps to ErrNoDeclaration.
type NotFoundError struct {
	Search cookie.DeclarationSearch
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("declaration: discover %s: %v (looked at %d pages: %s)", e.Search.Site, ErrNoDeclaration,
		len(e.Search.Looked), strings.Join(e.Search.Looked, "; "))
}

// Unwrap makes errors.Is(err, ErrNoDeclaration) hold.
func (e *NotFoundError) Unwrap() error { return ErrNoDeclaration }

// looked describes the outcome of one fetch for NotFoundError.
func looked(u string, err error) string {
	switch {
	case err == nil, errors.Is(err, ErrNoDeclaration):
		return u + ": no cookie declaration"
	}
	msg := err.Error()
	// The fetch error repeats the URL; keep only its cause.
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return u + ": " + msg
}

// Discover finds the site's cookie declaration from the site itself: links
// (typically in the footer) whose text or address speaks of cookies or
// privacy, followed for at most MaxHops to a dedicated cookie page, and the
// consent platform's own declaration when the site uses one. It returns the
// richest declaration found, merged with the platform's.
func Discover(ctx context.Context, f Fetcher, siteURL string, opts ReadOptions) (*cookie.Declaration, error) {
	vm := opts.matcher()
	maxHops := opts.MaxHops
	if maxHops <= 0 {
		maxHops = 2
	}
	budget := opts.MaxFetches
	if budget <= 0 {
		budget = 8
	}
	var tried []string
	home, err := f.Fetch(ctx, siteURL)
	if err != nil {
		return nil, fmt.Errorf("declaration: discover %s: %w", siteURL, err)
	}
	tried = append(tried, siteURL+": the site's page; links followed from it")
	budget--
	homeURL := home.FinalURL
	if homeURL == "" {
		homeURL = siteURL
	}
	base, _ := url.Parse(homeURL)
	_, homeDoc, err := parsePage(home, vm)
	if err != nil && !errors.Is(err, ErrNoDeclaration) {
		return nil, fmt.Errorf("declaration: discover %s: %w", siteURL, err)
	}
	seen := map[string]bool{siteURL: true, homeURL: true}

	var best *cookie.Declaration
	better := func(d *cookie.Declaration) bool {
		if best == nil {
			return true
		}
		if len(d.Cookies) != len(best.Cookies) {
			return len(d.Cookies) > len(best.Cookies)
		}
		return len(d.Vendors) > len(best.Vendors)
	}
	// The platform's declaration, when the home page has the banner.
	var platform *cookie.Declaration
	if cd := cookiebotDeclarationURL(homeDoc, true); cd != "" && budget > 0 {
		budget--
		seen[cd] = true
		page, err := f.Fetch(ctx, cd)
		if err == nil {
			var pd *cookie.Declaration
			if pd, _, err = parsePage(page, vm); err == nil {
				platform = pd
			}
		}
		tried = append(tried, looked(cd, err))
	}

	frontier := rankLinks(homeDoc.links, base, seen)
	for hop := 0; hop < maxHops && len(frontier) > 0 && budget > 0; hop++ {
		var next []link
		for i, u := range frontier {
			if i >= 3 || budget <= 0 {
				break
			}
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("declaration: discover %s: %w", siteURL, err)
			}
			seen[u] = true
			budget--
			page, err := f.Fetch(ctx, u)
			if err != nil {
				tried = append(tried, looked(u, err))
				continue
			}
			d, doc, err := parsePage(page, vm)
			if err != nil && !errors.Is(err, ErrNoDeclaration) {
				tried = append(tried, looked(u, err))
				continue
			}
			if err != nil {
				tried = append(tried, looked(u, err))
			}
			d = withPlatformData(ctx, f, d, doc, vm)
			if err == nil && better(d) {
				best = d
			}
			if len(d.Cookies) > 0 {
				continue
			}
			// A privacy page without cookies of its own: its cookie links
			// are the next hop.
			for _, l := range d.Links {
				next = append(next, link{href: l, text: "cookie"})
			}
			next = append(next, doc.links...)
		}
		if best != nil && len(best.Cookies) > 0 {
			break
		}
		frontier = rankLinks(next, base, seen)
	}
	switch {
	case best == nil && platform == nil:
		if len(tried) == 1 {
			tried[0] = siteURL + ": no link to a cookie or privacy page, and no consent platform declaration"
		}
		unread := 0
		for _, l := range tried {
			if !strings.HasSuffix(l, ": no cookie declaration") && !strings.HasPrefix(l, siteURL+": ") {
				unread++
			}
		}
		return nil, &NotFoundError{Search: cookie.DeclarationSearch{Site: siteURL, Looked: tried, Unread: unread}}
	case best == nil:
		best = platform
	case platform != nil:
		merge(best, platform)
	}
	best.FetchedAt = opts.now()
	return best, nil
}
