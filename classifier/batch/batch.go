// Package batch labels cookies collected elsewhere: a HAR file (what every
// browser's developer tools export) or cookiescan's own JSON report. It reads
// the cookies with the site each was seen on, classifies them as a scan
// would, and renders the rows for `cookiescan classify`.
package batch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/classifier"
	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
	"github.com/cookiescan/cookiescan/reports"
)

// MaxInput bounds what Read accepts: a HAR of a long session is large, but
// more than this is not a cookie export.
const MaxInput = 512 << 20

// Item is one cookie and the site (page URL) it was seen on.
type Item struct {
	Site   string          `json:"site"`
	Cookie cookie.Observed `json:"cookie"`
}

// Read reads a HAR file or a cookiescan JSON report and returns its cookies,
// one per site, name, domain and path, in a stable order. name is the file's
// name for messages.
func Read(r io.Reader, name string) ([]Item, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(raw) > MaxInput {
		return nil, fmt.Errorf("%s: larger than %d MiB; split the export", name, MaxInput>>20)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")), &probe); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object (%v); give a HAR file or a cookiescan JSON report (scan --format json)", name, err)
	}
	var items []Item
	switch {
	case probe["log"] != nil:
		items, err = readHAR(probe["log"])
	case probe["inventory"] != nil && probe["schema_version"] != nil:
		items, err = readReport(probe)
	default:
		return nil, fmt.Errorf("%s: neither a HAR file (no \"log\") nor a cookiescan JSON report (no \"inventory\")", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return dedupe(items), nil
}

type harLog struct {
	Pages []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"pages"`
	Entries []struct {
		PageRef string    `json:"pageref"`
		Started time.Time `json:"startedDateTime"`
		Request struct {
			URL     string      `json:"url"`
			Cookies []harCookie `json:"cookies"`
		} `json:"request"`
		Response struct {
			Cookies []harCookie `json:"cookies"`
		} `json:"response"`
	} `json:"entries"`
}

type harCookie struct {
	Name     string  `json:"name"`
	Value    string  `json:"value"`
	Path     string  `json:"path"`
	Domain   string  `json:"domain"`
	Expires  *string `json:"expires"`
	HTTPOnly bool    `json:"httpOnly"`
	Secure   bool    `json:"secure"`
	SameSite string  `json:"sameSite"`
}

// readHAR takes the cookies of every entry's response (with their
// attributes) and request (name and value only), with the entry's page URL
// as the site: the page's title when it is a URL, as browsers write it, else
// the URL of the page's first entry, else the entry's own URL.
func readHAR(raw json.RawMessage) ([]Item, error) {
	var log harLog
	if err := json.Unmarshal(raw, &log); err != nil {
		return nil, fmt.Errorf("HAR log: %w", err)
	}
	pageURL := map[string]string{}
	for _, p := range log.Pages {
		if u, err := url.Parse(p.Title); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			pageURL[p.ID] = p.Title
		}
	}
	for _, e := range log.Entries {
		if _, ok := pageURL[e.PageRef]; !ok && e.PageRef != "" {
			pageURL[e.PageRef] = e.Request.URL
		}
	}
	var out []Item
	for i, e := range log.Entries {
		u, err := url.Parse(e.Request.URL)
		if err != nil || u.Hostname() == "" {
			if len(e.Request.Cookies)+len(e.Response.Cookies) > 0 {
				return nil, fmt.Errorf("HAR entry %d: request URL %q is not a URL", i+1, e.Request.URL)
			}
			continue
		}
		site := pageURL[e.PageRef]
		if site == "" {
			site = e.Request.URL
		}
		host := strings.ToLower(u.Hostname())
		for _, c := range e.Response.Cookies {
			o := cookie.Observed{
				Name: c.Name, Value: c.Value, ValueLength: len(c.Value), Path: c.Path, Domain: strings.ToLower(c.Domain),
				HTTPOnly: c.HTTPOnly, Secure: c.Secure, SameSite: strings.ToLower(c.SameSite),
				SetBy: cookie.Setter{Kind: cookie.SetByHeader, URL: e.Request.URL}, FirstSeenPage: site,
			}
			if o.Domain == "" {
				o.Domain, o.HostOnly = host, true
			} else if !strings.HasPrefix(o.Domain, ".") {
				o.Domain = "." + o.Domain
			}
			if o.Path == "" {
				o.Path = "/"
			}
			o.Session = true
			if c.Expires != nil && *c.Expires != "" {
				if t, err := time.Parse(time.RFC3339, *c.Expires); err == nil {
					o.Session, o.Expires = false, t
					if !e.Started.IsZero() {
						o.SetAt = e.Started
						o.LifespanDays = max(0, t.Sub(e.Started).Hours()/24)
					}
				}
			}
			out = append(out, Item{Site: site, Cookie: o})
		}
		for _, c := range e.Request.Cookies {
			// A request cookie says only its name and value; the domain
			// is at best the host it was sent to.
			out = append(out, Item{Site: site, Cookie: cookie.Observed{
				Name: c.Name, Value: c.Value, ValueLength: len(c.Value), Domain: host, Path: "/", HostOnly: true,
				SetBy: cookie.Setter{Kind: cookie.SetByUnknown}, FirstSeenPage: site,
			}})
		}
	}
	return out, nil
}

func readReport(probe map[string]json.RawMessage) ([]Item, error) {
	var site string
	if err := json.Unmarshal(probe["site"], &site); err != nil && probe["site"] != nil {
		return nil, fmt.Errorf("report site: %w", err)
	}
	var inv []cookie.Observed
	if err := json.Unmarshal(probe["inventory"], &inv); err != nil {
		return nil, fmt.Errorf("report inventory: %w", err)
	}
	out := make([]Item, 0, len(inv))
	for _, c := range inv {
		c.Label = cookie.Label{} // labelled afresh
		out = append(out, Item{Site: site, Cookie: c})
	}
	return out, nil
}

// dedupe keeps one cookie per site, name, domain and path; a response cookie
// (with attributes) beats a request cookie of the same name, which comes
// later in the list.
func dedupe(items []Item) []Item {
	type key struct{ site, name, domain, path string }
	seen := map[key]bool{}
	var out []Item
	for _, it := range items {
		k := key{siteKey(it.Site), it.Cookie.Name, strings.TrimPrefix(it.Cookie.Domain, "."), it.Cookie.Path}
		if seen[k] {
			continue
		}
		// A request cookie sent to a host whose domain cookie of that
		// name is known already.
		if it.Cookie.SetBy.Kind == cookie.SetByUnknown && it.Cookie.HostOnly {
			dup := false
			for k2 := range seen {
				if k2.site == k.site && k2.name == k.name && strings.HasSuffix(k.domain, k2.domain) {
					dup = true
					break
				}
			}
			if dup {
				continue
			}
		}
		seen[k] = true
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b Item) int {
		return strings.Compare(siteKey(a.Site)+"\x00"+a.Cookie.Name+"\x00"+a.Cookie.Domain, siteKey(b.Site)+"\x00"+b.Cookie.Name+"\x00"+b.Cookie.Domain)
	})
	return out
}

// siteKey is the host of a site URL, which is what identifies a site.
func siteKey(site string) string {
	if u, err := url.Parse(site); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	return strings.ToLower(site)
}

// Label classifies every item on its own site, in place. The values stay in
// the items only when keepValues is set: a value can be a session secret.
func Label(items []Item, db *knowncookies.DB, keepValues bool) error {
	classifiers := map[string]*classifier.Classifier{}
	for i := range items {
		it := &items[i]
		k := siteKey(it.Site)
		c, ok := classifiers[k]
		if !ok {
			var err error
			if c, err = classifier.New(classifier.Options{DB: db, SiteDomain: it.Site}); err != nil {
				return fmt.Errorf("site %q: %w", it.Site, err)
			}
			classifiers[k] = c
		}
		one := []cookie.Observed{it.Cookie}
		c.ClassifyAll(one)
		it.Cookie = one[0]
		if !keepValues {
			it.Cookie.Value = ""
		}
	}
	return nil
}

// Formats are the output formats of Write.
var Formats = []string{"table", "json", "csv"}

// Write renders labelled items as a table, JSON (the items) or CSV.
func Write(w io.Writer, format string, opts reports.Options, items []Item) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if items == nil {
			items = []Item{}
		}
		return enc.Encode(items)
	}
	if err := CheckFormat(format); err != nil {
		return err
	}
	header := []string{"site", "name", "domain", "party", "vendor", "category", "probability", "confidence", "source", "reason"}
	if format == "table" {
		header = []string{"Site", "Name", "Domain", "Party", "Vendor", "Category", "P", "Conf", "Reason"}
	}
	rows := make([][]string, 0, len(items))
	for _, it := range items {
		c, l := it.Cookie, it.Cookie.Label
		p := ""
		if l.Probability > 0 {
			p = strconv.FormatFloat(l.Probability, 'f', 2, 64)
		}
		if format == "table" {
			rows = append(rows, []string{siteKey(it.Site), c.Name, c.Domain, string(c.Party), l.Vendor, string(l.Category), p, string(l.Confidence), l.Reason})
			continue
		}
		rows = append(rows, []string{it.Site, c.Name, c.Domain, string(c.Party), l.Vendor, string(l.Category), p, string(l.Confidence), l.Source, l.Reason})
	}
	return reports.WriteRows(w, format, opts, header, rows)
}

// CheckFormat says whether Write knows a format, before any work is done.
func CheckFormat(format string) error {
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("unknown --format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	return nil
}

// ClassifyFile reads a HAR file or cookiescan JSON report and labels its
// cookies; a file without cookies is an error, since it is most likely the
// wrong export.
func ClassifyFile(path string, db *knowncookies.DB, keepValues bool) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	items, err := Read(f, path)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s: no cookies in the file (a HAR exported without cookies, or an empty scan?)", path)
	}
	if err := Label(items, db, keepValues); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return items, nil
}
