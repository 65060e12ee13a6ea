package cookie

import (
	"net"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// RegistrableDomain returns a host's registrable domain (eTLD+1) by the
// Public Suffix List. It takes a host as a cookie's Domain attribute, a URL
// or a user writes it: case, a leading or trailing dot, a port and IPv6
// brackets are ignored. An IP address, a single label (localhost) and a
// host that is itself a public suffix (github.io) are their own registrable
// domain. Crawler, classifier and audit all decide party with it, so they
// cannot disagree.
func RegistrableDomain(host string) string {
	h := strings.ToLower(strings.TrimSpace(host))
	// The checks for a port and an IP address run only when the host could
	// be one: their failures allocate, and this runs for every cookie.
	if strings.Contains(h, ":") {
		if hp, _, err := net.SplitHostPort(h); err == nil {
			h = hp
		}
	}
	h = strings.Trim(strings.Trim(h, "[]"), ".")
	if h == "" || !strings.Contains(h, ".") || couldBeIP(h) && net.ParseIP(h) != nil {
		return h
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		return h
	}
	return d
}

// couldBeIP: an IPv4 address ends in a digit, an IPv6 one holds a colon.
func couldBeIP(h string) bool {
	last := h[len(h)-1]
	return last >= '0' && last <= '9' || strings.Contains(h, ":")
}

// PartyOf says whether host belongs to the site's registrable domain.
func PartyOf(host, siteDomain string) Party {
	if RegistrableDomain(host) == siteDomain {
		return FirstParty
	}
	return ThirdParty
}
