// Package neterr explains network failures, Chrome's net::ERR_* codes and Go's
// own dial and TLS errors alike, in words, with what to do about them.
// Both the browser and the Go HTTP clients of a scan (discovery, the
// declaration reader) fail this way, so they share one table.
package neterr

import (
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// Explanation is one kind of failure: a stable kind (reports and tests
// key on it), what happened, and the fix.
type Explanation struct {
	Kind cookie.ErrorKind
	// Code is the Chrome code or Go error text that was recognised.
	Code string
	What string
	Fix  string
}

// String is the sentence shown to the user: what happened, then the fix.
func (e Explanation) String() string {
	if e.Fix == "" {
		return e.What
	}
	return e.What + "; " + e.Fix
}

// entry matches any of its markers: Chrome codes (net::ERR_…) or fragments
// of Go's error texts.
type entry struct {
	markers []string
	kind    cookie.ErrorKind
	what    string
	fix     string
}

// table is checked in order; the first entry with a marker in the text wins,
// so the more specific entries come first.
var table = []entry{
	{[]string{"ERR_UNSAFE_PORT"}, cookie.FailUnsafePort,
		"Chrome refuses to connect to this port: it is reserved for another protocol (such as 1, 21, 25, 6000)",
		"serve the site on a common web port (80, 443, 8080, 8443…) and scan that"},
	{[]string{"ERR_NAME_NOT_RESOLVED", "no such host", "ERR_NAME_RESOLUTION_FAILED"}, cookie.FailDNS,
		"unknown host: the name does not resolve",
		"check the URL, or map it with --connect-to HOST:443:ADDRESS:PORT"},
	{[]string{"ERR_CONNECTION_REFUSED", "connection refused"}, cookie.FailRefused,
		"connection refused: nothing listens at that address",
		"check the port and that the server is running"},
	{[]string{"ERR_SSL_PROTOCOL_ERROR", "ERR_SSL_VERSION_OR_CIPHER_MISMATCH", "ERR_SSL_VERSION_INTERFERENCE",
		"first record does not look like a TLS handshake", "server gave HTTP response to HTTPS client"}, cookie.FailNoTLS,
		"the server did not answer in TLS: it probably serves plain HTTP on this port",
		"try the http:// URL"},
	{[]string{"ERR_CERT_AUTHORITY_INVALID", "certificate signed by unknown authority"}, cookie.FailTLS,
		"the TLS certificate is not trusted: an authority this machine does not know signed it",
		"pass -k/--insecure to scan anyway"},
	{[]string{"ERR_CERT_COMMON_NAME_INVALID", "certificate is valid for", "certificate is not valid for"}, cookie.FailTLS,
		"the TLS certificate is not trusted: it was issued for another host name",
		"pass -k/--insecure to scan anyway, or scan the name the certificate is for"},
	{[]string{"ERR_CERT_DATE_INVALID", "certificate has expired", "certificate is not yet valid"}, cookie.FailTLS,
		"the TLS certificate is not trusted: it has expired or is not valid yet",
		"pass -k/--insecure to scan anyway"},
	{[]string{"ERR_CERT_", "x509:", "certificate"}, cookie.FailTLS,
		"the TLS certificate is not trusted",
		"pass -k/--insecure to scan anyway"},
	{[]string{"ERR_CONNECTION_TIMED_OUT", "i/o timeout"}, cookie.FailTimeout,
		"the server did not answer: the connection timed out",
		"check the address, and any firewall between this machine and the site"},
	{[]string{"ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_EMPTY_RESPONSE", "connection reset by peer"}, cookie.FailReset,
		"the server closed the connection without an answer",
		"check that it serves HTTP or HTTPS on this port; bot protection may also drop automated browsers"},
	{[]string{"ERR_ADDRESS_UNREACHABLE", "ERR_INTERNET_DISCONNECTED", "ERR_NETWORK_CHANGED",
		"network is unreachable", "no route to host"}, cookie.FailUnreachable,
		"no network route to that address",
		"check this machine's network, proxy (HTTPS_PROXY) or VPN"},
	{[]string{"ERR_PROXY_CONNECTION_FAILED", "ERR_TUNNEL_CONNECTION_FAILED", "proxyconnect"}, cookie.FailProxy,
		"the proxy could not be reached or refused the tunnel",
		"check the proxy settings (HTTPS_PROXY, HTTP_PROXY)"},
	{[]string{"ERR_ADDRESS_INVALID"}, cookie.FailInvalidAddress,
		"the address is not valid (a port of 0 or over 65535?)",
		"check the host and port of the URL"},
	{[]string{"ERR_BLOCKED_BY_ADMINISTRATOR", "ERR_BLOCKED_BY_CLIENT", "ERR_BLOCKED_BY_RESPONSE"}, cookie.FailBlocked,
		"the browser blocked the page (a policy or the response's own headers)",
		""},
	{[]string{"ERR_INVALID_RESPONSE", "ERR_HTTP2_PROTOCOL_ERROR", "malformed HTTP"}, cookie.FailBadResponse,
		"the server's answer was not valid HTTP",
		"check the server, or scan over the other scheme (http:// or https://)"},
}

// Explain returns the explanation of the first failure it recognises in
// text, an error message from Chrome or Go.
func Explain(text string) (Explanation, bool) {
	for _, e := range table {
		for _, m := range e.markers {
			if strings.Contains(text, m) {
				return Explanation{Kind: e.kind, Code: code(text, m), What: e.what, Fix: e.fix}, true
			}
		}
	}
	return Explanation{}, false
}

// code returns Chrome's full net::ERR_ code when there is one, else the marker.
func code(text, marker string) string {
	if i := strings.Index(text, "net::ERR_"); i >= 0 {
		end := strings.IndexFunc(text[i:], func(r rune) bool {
			return !(r == ':' || r == '_' || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z'))
		})
		if end < 0 {
			return text[i:]
		}
		return text[i : i+end]
	}
	return marker
}
