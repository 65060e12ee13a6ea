package crawler

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/cookiescan/cookiescan/cookie"
)

// Why a cookie that was set is not in the jar when it is read.
const (
	// removedDeleted: a later write of the site expired it.
	removedDeleted = "deleted"
	// removedGone: it left the jar with no deletion seen: evicted by the
	// browser's per-site cap, or expired.
	removedGone = "gone"
)

// transientCookies builds a record for every cookie that was set while the
// state recorded but never was in the jar when it was read: set and deleted
// between two reads, or evicted by the browser's cap. inJar says whether a
// cookie's key was ever read from the jar.
func transientCookies(events []setterEvent, siteDomain string, inJar func(key string) bool) []cookie.Observed {
	type entry struct {
		o       cookie.Observed
		deleted bool
	}
	byKey := map[string]*entry{}
	var order []string
	for _, e := range events {
		if e.refused || e.line == "" {
			continue
		}
		o, effect := observedFromLine(e, siteDomain)
		if effect != lineStores && effect != lineExpires {
			continue
		}
		expired := effect == lineExpires
		k := o.Key()
		if inJar(k) {
			continue
		}
		if old, seen := byKey[k]; seen {
			if expired {
				old.deleted = true
			}
			continue
		}
		if expired {
			continue // a deletion of a cookie never seen set
		}
		byKey[k] = &entry{o: o}
		order = append(order, k)
	}
	out := make([]cookie.Observed, 0, len(order))
	for _, k := range order {
		e := byKey[k]
		e.o.Removed = removedGone
		if e.deleted {
			e.o.Removed = removedDeleted
		}
		out = append(out, e.o)
	}
	return out
}

// lineEffect is what a Set-Cookie line or a document.cookie write does to
// the jar.
type lineEffect int

const (
	lineUnreadable lineEffect = iota // no cookie can be read from it
	lineStores                       // the browser stores the cookie
	lineExpires                      // the browser removes the cookie
	lineRefused                      // the browser drops it without a word
)

// observedFromLine reads a cookie from a Set-Cookie line or a
// document.cookie write as the browser would store it (RFC 6265bis §5.6–5.7),
// and what the write does. Writes the browser refuses are not cookies, so a
// refused write is never reported as a cookie that was set and then gone.
func observedFromLine(e setterEvent, siteDomain string) (cookie.Observed, lineEffect) {
	u, err := url.Parse(e.origin)
	if err != nil || u.Hostname() == "" {
		return cookie.Observed{}, lineUnreadable
	}
	host := strings.ToLower(u.Hostname())
	parts := strings.Split(e.line, ";")
	nv := strings.TrimSpace(parts[0])
	eq := strings.IndexByte(nv, '=')
	if eq <= 0 {
		return cookie.Observed{}, lineUnreadable
	}
	o := cookie.Observed{Name: strings.TrimSpace(nv[:eq]), ValueLength: len(strings.TrimSpace(nv[eq+1:])), Session: true, SetAt: e.at, FirstSeenPage: e.page,
		SetBy: cookie.Setter{Kind: e.kind, URL: e.url}}
	if o.SetBy.URL == "" {
		o.SetBy.Kind = cookie.SetByUnknown
	}
	domain, path, explicitPath := "", "", ""
	expired := false
	var maxAge *int64
	var expires time.Time
	for _, attr := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(attr), "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "domain":
			domain = strings.TrimPrefix(strings.ToLower(v), ".")
		case "path":
			if strings.HasPrefix(v, "/") {
				path = v
			}
			explicitPath = v
		case "max-age":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				maxAge = &n
			}
		case "expires":
			if t, err := time.Parse(time.RFC1123, v); err == nil {
				expires = t
			} else if t, err := time.Parse("Mon, 02-Jan-2006 15:04:05 MST", v); err == nil {
				expires = t
			}
		case "secure":
			o.Secure = true
		case "httponly":
			o.HTTPOnly = true
		case "samesite":
			o.SameSite = strings.ToUpper(v[:min(1, len(v))]) + strings.ToLower(v[min(1, len(v)):])
		case "partitioned":
			o.Partitioned = true
		}
	}
	if browserRefuses(o, e.kind, host, u.Scheme, domain, explicitPath) {
		return cookie.Observed{}, lineRefused
	}
	if domain == host && isPublicSuffix(domain) {
		domain = "" // a public suffix's own host keeps a host-only cookie
	}
	if domain == "" {
		o.Domain, o.HostOnly = host, true
	} else {
		o.Domain = "." + domain
	}
	if path == "" {
		// The default path: the directory of the request path.
		path = u.Path
		if i := strings.LastIndexByte(path, '/'); i > 0 {
			path = path[:i]
		} else {
			path = "/"
		}
	}
	o.Path = path
	switch {
	case maxAge != nil:
		if *maxAge <= 0 {
			expired = true
		} else {
			o.Session = false
			o.Expires = e.at.Add(time.Duration(min(*maxAge, 400*24*3600)) * time.Second).UTC()
		}
	case !expires.IsZero():
		if !expires.After(e.at) {
			expired = true
		} else {
			o.Session = false
			o.Expires = expires.UTC()
			if limit := e.at.Add(400 * 24 * time.Hour); o.Expires.After(limit) {
				o.Expires = limit.UTC()
			}
		}
	}
	if !o.Session {
		o.LifespanDays = o.Expires.Sub(e.at).Hours() / 24
	}
	o.RegistrableDomain = RegistrableDomain(strings.TrimPrefix(o.Domain, "."))
	o.Party = PartyOf(o.Domain, siteDomain)
	if expired {
		return o, lineExpires
	}
	return o, lineStores
}

// browserRefuses applies the rules by which a browser drops a cookie
// silently (RFC 6265bis §5.7 and Chrome's own): a script writing an
// HttpOnly cookie, a Domain that does not cover the setter or is a public
// suffix, Secure from an insecure origin, SameSite=None or Partitioned
// without Secure, and the __Secure- and __Host- name prefixes' conditions.
func browserRefuses(o cookie.Observed, kind cookie.SetterKind, host, scheme, domain, explicitPath string) bool {
	secureOrigin := scheme == "https" || scheme == "wss" || isLoopbackHost(host)
	switch {
	case kind == cookie.SetByScript && o.HTTPOnly:
		return true
	case domain != "" && domain != host && !strings.HasSuffix(host, "."+domain):
		return true
	case domain != "" && domain != host && isPublicSuffix(domain):
		return true
	case o.Secure && !secureOrigin:
		return true
	case (o.SameSite == "None" || o.Partitioned) && !o.Secure:
		return true
	case hasPrefixFold(o.Name, "__Secure-") && !o.Secure:
		return true
	case hasPrefixFold(o.Name, "__Host-") && (!o.Secure || domain != "" || explicitPath != "/"):
		return true
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isPublicSuffix: a Domain attribute naming a public suffix (com, co.uk,
// github.io) would reach every site under it, so browsers refuse it.
func isPublicSuffix(domain string) bool {
	suffix, _ := publicsuffix.PublicSuffix(domain)
	return suffix == domain
}

// isLoopbackHost: browsers treat localhost and loopback addresses as
// secure origins even over http.
func isLoopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
