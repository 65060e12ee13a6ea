package declaration

import (
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/cookiescan/cookiescan/cookie"
)

// The site's own domains are where its first-party cookies live; a
// declaration names them in its provider column, but the site is not a
// vendor of itself. They are known from the page's address and, for a
// saved file, from the declaration itself: the host of the consent
// platform's consent-state cookie (OptanonConsent, CookieConsent, …), which
// always lives on the site's own domain.

func registrable(host string) string {
	host = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host == "" {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// hostsOf returns the host names a provider cell consists of, or nil when
// it holds anything else ("securelist.com securelist.lat" gives both).
func hostsOf(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		f = strings.Trim(f, ",;")
		if !looksLikeHost(f) {
			return nil
		}
		out = append(out, f)
	}
	return out
}

func (p *parser) ownDomains(d *cookie.Declaration) map[string]bool {
	own := map[string]bool{}
	if u, err := url.Parse(d.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Hostname() != "" {
		own[registrable(u.Hostname())] = true
	}
	for _, c := range d.Cookies {
		if !consentCookieNames[strings.ToLower(c.Name)] && !strings.HasPrefix(strings.ToLower(c.Name), "optanon") {
			continue
		}
		for _, h := range hostsOf(c.Vendor) {
			own[registrable(h)] = true
		}
	}
	return own
}

// dropOwnVendors removes the site's own domains from the vendors.
func (p *parser) dropOwnVendors(d *cookie.Declaration) {
	own := p.ownDomains(d)
	if len(own) == 0 {
		return
	}
	kept := d.Vendors[:0]
	for _, v := range d.Vendors {
		hosts := hostsOf(v.Name)
		isOwn := len(hosts) > 0
		for _, h := range hosts {
			if !own[registrable(h)] {
				isOwn = false
			}
		}
		if !isOwn {
			kept = append(kept, v)
		}
	}
	d.Vendors = kept
}
