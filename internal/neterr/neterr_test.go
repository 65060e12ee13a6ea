package neterr

import (
	"strings"
	"testing"
)

// The texts are as Chrome (through chromedp) and Go's net/http report them.
func TestExplain(t *testing.T) {
	cases := []struct{ text, kind, code, fix string }{
		{"page load error net::ERR_UNSAFE_PORT", "unsafe-port", "net::ERR_UNSAFE_PORT", "common web port"},
		{"page load error net::ERR_NAME_NOT_RESOLVED", "dns", "net::ERR_NAME_NOT_RESOLVED", "--connect-to"},
		{`Get "https://x.invalid/": dial tcp: lookup x.invalid: no such host`, "dns", "no such host", "--connect-to"},
		{"page load error net::ERR_CONNECTION_REFUSED", "refused", "net::ERR_CONNECTION_REFUSED", "running"},
		{"page load error net::ERR_SSL_PROTOCOL_ERROR", "no-tls", "net::ERR_SSL_PROTOCOL_ERROR", "http://"},
		{`Get "https://127.0.0.1:8088/": http: server gave HTTP response to HTTPS client`, "no-tls", "server gave HTTP response to HTTPS client", "http://"},
		{"page load error net::ERR_CERT_AUTHORITY_INVALID", "tls", "net::ERR_CERT_AUTHORITY_INVALID", "-k/--insecure"},
		{"tls: failed to verify certificate: x509: certificate signed by unknown authority", "tls", "certificate signed by unknown authority", "-k/--insecure"},
		{"page load error net::ERR_CERT_COMMON_NAME_INVALID", "tls", "net::ERR_CERT_COMMON_NAME_INVALID", "the name the certificate is for"},
		{"page load error net::ERR_CERT_DATE_INVALID", "tls", "net::ERR_CERT_DATE_INVALID", "-k"},
		{"page load error net::ERR_CERT_REVOKED", "tls", "net::ERR_CERT_REVOKED", "-k"},
		{"page load error net::ERR_CONNECTION_RESET", "reset", "net::ERR_CONNECTION_RESET", "bot protection"},
		{"page load error net::ERR_PROXY_CONNECTION_FAILED", "proxy", "net::ERR_PROXY_CONNECTION_FAILED", "HTTPS_PROXY"},
	}
	for _, c := range cases {
		e, ok := Explain(c.text)
		if !ok {
			t.Errorf("%q: not recognised", c.text)
			continue
		}
		if string(e.Kind) != c.kind || e.Code != c.code || !strings.Contains(e.String(), c.fix) {
			t.Errorf("%q: kind %q code %q %q; want %q %q and a fix containing %q", c.text, e.Kind, e.Code, e.String(), c.kind, c.code, c.fix)
		}
	}
	if e, ok := Explain("page load error net::ERR_SOMETHING_NEW"); ok {
		t.Errorf("an unknown code was explained as %+v", e)
	}
}
