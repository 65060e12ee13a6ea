package crawler

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// ParseStartURL checks a URL given by a user and says what is wrong with it.
// A bare host name gets https://.
func ParseStartURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("no URL given: pass the site to scan, e.g. https://www.example.com")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid URL %q: scheme %q is not http or https", raw, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("invalid URL %q: no host name", raw)
	}
	if strings.ContainsAny(u.Hostname(), " _!$&'()*+,;=") && net.ParseIP(u.Hostname()) == nil {
		return nil, fmt.Errorf("invalid URL %q: %q is not a valid host name", raw, u.Hostname())
	}
	return normalize(u), nil
}

// normalize makes equal pages compare equal: lower-case scheme and host, no
// default port, no fragment, a cleaned path.
func normalize(u *url.URL) *url.URL {
	n := *u
	n.Scheme = strings.ToLower(n.Scheme)
	host := strings.ToLower(n.Hostname())
	port := n.Port()
	if (n.Scheme == "https" && port == "443") || (n.Scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		n.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		n.Host = "[" + host + "]"
	} else {
		n.Host = host
	}
	n.Fragment = ""
	n.RawFragment = ""
	if n.Path == "" {
		n.Path = "/"
	} else {
		trailing := strings.HasSuffix(n.Path, "/")
		n.Path = path.Clean(n.Path)
		if trailing && n.Path != "/" {
			n.Path += "/"
		}
	}
	n.RawPath = ""
	n.User = nil
	return &n
}

// RegistrableDomain is cookie.RegistrableDomain.
func RegistrableDomain(host string) string { return cookie.RegistrableDomain(host) }

// PartyOf is cookie.PartyOf.
func PartyOf(host, siteDomain string) cookie.Party { return cookie.PartyOf(host, siteDomain) }

// skippedExtensions are links that are not web pages; discovery does not
// fetch them, so the browser never starts a download.
var skippedExtensions = map[string]bool{
	".pdf": true, ".zip": true, ".gz": true, ".tgz": true, ".rar": true, ".7z": true,
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true, ".ico": true,
	".mp3": true, ".mp4": true, ".mov": true, ".avi": true, ".webm": true, ".wav": true,
	".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true,
	".exe": true, ".dmg": true, ".msi": true, ".apk": true, ".iso": true, ".bin": true,
	".css": true, ".js": true, ".json": true, ".xml": true, ".txt": true, ".csv": true,
}

func looksLikeFile(u *url.URL) bool {
	return skippedExtensions[strings.ToLower(path.Ext(u.Path))]
}
