package consent

import (
	"net/url"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// isGoogleHost reports whether a host is one whose requests carry Google
// Consent Mode parameters: GA4, Ads, Floodlight, the tag, and Google's
// country domains (google.de, google.co.uk).
func isGoogleHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, s := range []string{
		"google-analytics.com", "googletagmanager.com", "doubleclick.net",
		"googleadservices.com", "googlesyndication.com", "googletagservices.com",
	} {
		if host == s || strings.HasSuffix(host, "."+s) {
			return true
		}
	}
	// google.TLD or google.co.TLD / google.com.TLD, never google.evil.example.
	labels := strings.Split(host, ".")
	n := len(labels)
	switch {
	case n >= 2 && labels[n-2] == "google":
		return true
	case n >= 3 && labels[n-3] == "google" && (labels[n-2] == "co" || labels[n-2] == "com"):
		return true
	}
	return false
}

// ConsentModeFromURL returns the Google Consent Mode signals (gcs, gcd) in the
// query of a request to a Google host, or nil. gcs=G100 means ad_storage and
// analytics_storage denied, G111 both granted; gcd encodes the v2 signals.
// The crawler calls it on every request.
func ConsentModeFromURL(u string) []cookie.ConsentModeSignal {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || !isGoogleHost(p.Hostname()) {
		return nil
	}
	// GA4 batches put parameters in the query; some hits repeat them, so
	// every occurrence counts once.
	var out []cookie.ConsentModeSignal
	q := p.Query()
	for _, name := range []string{"gcs", "gcd"} {
		seen := map[string]bool{}
		for _, v := range q[name] {
			if v == "" || seen[v] {
				continue
			}
			seen[v] = true
			out = append(out, cookie.ConsentModeSignal{Param: name, Value: v, URL: u})
		}
	}
	return out
}

// ConsentModeGranted reads a gcs value: ad_storage and analytics_storage
// granted or not. ok is false for a value not of the form G1xy.
func ConsentModeGranted(gcs string) (ads, analytics, ok bool) {
	if len(gcs) != 4 || gcs[:2] != "G1" {
		return false, false, false
	}
	bit := func(c byte) (bool, bool) {
		switch c {
		case '0':
			return false, true
		case '1':
			return true, true
		}
		return false, false
	}
	a, ok1 := bit(gcs[2])
	b, ok2 := bit(gcs[3])
	return a, b, ok1 && ok2
}
