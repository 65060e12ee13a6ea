// Package hostmap implements --connect-to with curl's meaning: requests for
// HOST1:PORT1 connect to HOST2:PORT2 instead, while the URL, the Host header
// and TLS server name stay those of HOST1. The same rules drive Chrome's
// host resolver and every Go HTTP client of a scan, so a staging server can be
// scanned under its production name.
package hostmap

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Network is how a scan reaches sites, the same for Chrome and for every Go
// HTTP client of the scan: one value, embedded in each client's options.
type Network struct {
	// Insecure accepts untrusted TLS certificates.
	Insecure bool
	// ConnectTo maps hosts, as curl's --connect-to does.
	ConnectTo []Rule
}

// Rule maps FromHost:FromPort to ToHost:ToPort. An empty field is a wildcard
// on the left and "keep the original" on the right, as in curl.
type Rule struct {
	FromHost string
	FromPort int
	ToHost   string
	ToPort   int
}

// Parse reads one host mapping, HOST1:PORT1:HOST2:PORT2, as curl's
// --connect-to takes it. IPv6 addresses go in brackets.
func Parse(s string) (Rule, error) {
	parts, err := splitColons(s)
	if err != nil {
		return Rule{}, fmt.Errorf("host mapping %q: %w", s, err)
	}
	if len(parts) != 4 {
		return Rule{}, fmt.Errorf("host mapping %q: want HOST1:PORT1:HOST2:PORT2 (empty parts are wildcards), got %d parts", s, len(parts))
	}
	r := Rule{FromHost: strings.ToLower(parts[0]), ToHost: strings.ToLower(parts[2])}
	for i, dst := range []*int{&r.FromPort, &r.ToPort} {
		p := parts[1+2*i]
		if p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Rule{}, fmt.Errorf("host mapping %q: port %q is not a number from 1 to 65535", s, p)
		}
		*dst = n
	}
	if r.ToHost == "" && r.ToPort == 0 {
		return Rule{}, fmt.Errorf("host mapping %q: the rule maps nothing; give HOST2, PORT2 or both", s)
	}
	return r, nil
}

// ParseAll reads every host mapping.
func ParseAll(values []string) ([]Rule, error) {
	rules := make([]Rule, 0, len(values))
	for _, v := range values {
		r, err := Parse(v)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// splitColons splits on colons outside brackets and strips the brackets.
func splitColons(s string) ([]string, error) {
	var parts []string
	var cur strings.Builder
	inBracket := false
	for _, c := range s {
		switch {
		case c == '[' && !inBracket:
			inBracket = true
		case c == ']' && inBracket:
			inBracket = false
		case c == ':' && !inBracket:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(c)
		}
	}
	if inBracket {
		return nil, fmt.Errorf("unclosed '['")
	}
	return append(parts, cur.String()), nil
}

// Map returns where host:port should connect to, and whether a rule applied.
// The first matching rule wins, as in curl.
func Map(rules []Rule, host string, port int) (string, int, bool) {
	host = strings.ToLower(strings.Trim(host, "[]"))
	for _, r := range rules {
		if r.FromHost != "" && r.FromHost != host {
			continue
		}
		if r.FromPort != 0 && r.FromPort != port {
			continue
		}
		toHost, toPort := r.ToHost, r.ToPort
		if toHost == "" {
			toHost = host
		}
		if toPort == 0 {
			toPort = port
		}
		return toHost, toPort, true
	}
	return host, port, false
}

// DialContext wraps dial so that connections follow the rules.
func DialContext(rules []Rule, dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if len(rules) == 0 {
		return dial
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, portStr, err := net.SplitHostPort(addr)
		if err != nil {
			return dial(ctx, network, addr)
		}
		port, _ := strconv.Atoi(portStr)
		if h, p, ok := Map(rules, host, port); ok {
			addr = net.JoinHostPort(h, strconv.Itoa(p))
		}
		return dial(ctx, network, addr)
	}
}

// ChromeResolverRules renders the rules as Chrome's --host-resolver-rules.
// Chrome matches a MAP pattern against "host" and then "host:port", and its
// replacement is resolved without mapping again.
func ChromeResolverRules(rules []Rule) (string, error) {
	var out []string
	for _, r := range rules {
		pattern := r.FromHost
		if pattern == "" {
			pattern = "*"
		}
		if r.FromPort != 0 {
			pattern += ":" + strconv.Itoa(r.FromPort)
		}
		to := r.ToHost
		if to == "" {
			if r.FromHost == "" {
				return "", fmt.Errorf("a host mapping with an empty HOST1 and HOST2 cannot be given to Chrome: name HOST2")
			}
			to = r.FromHost
		}
		if strings.Contains(to, ":") {
			to = "[" + to + "]"
		}
		if r.ToPort != 0 {
			to += ":" + strconv.Itoa(r.ToPort)
		}
		out = append(out, "MAP "+pattern+" "+to)
	}
	return strings.Join(out, ", "), nil
}
