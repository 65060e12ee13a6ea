package hostmap

import (
	"context"
	"net"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     Rule
		wantErr  string
	}{
		{name: "full", in: "www.example.com:443:127.0.0.1:8443", want: Rule{"www.example.com", 443, "127.0.0.1", 8443}},
		{name: "wildcards", in: "::127.0.0.1:8443", want: Rule{"", 0, "127.0.0.1", 8443}},
		{name: "keep port", in: "example.com::staging.example.net:", want: Rule{"example.com", 0, "staging.example.net", 0}},
		{name: "ipv6", in: "example.com:443:[::1]:8443", want: Rule{"example.com", 443, "::1", 8443}},
		{name: "case folded", in: "WWW.Example.COM:443:127.0.0.1:8443", want: Rule{"www.example.com", 443, "127.0.0.1", 8443}},
		{name: "too few parts", in: "a:1:b", wantErr: "want HOST1:PORT1:HOST2:PORT2"},
		{name: "bad port", in: "a:x:b:1", wantErr: `port "x"`},
		{name: "port out of range", in: "a:1:b:70000", wantErr: `port "70000"`},
		{name: "maps nothing", in: "a:1::", wantErr: "maps nothing"},
		{name: "unclosed bracket", in: "a:1:[::1:2", wantErr: "unclosed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestMapFirstMatchWins(t *testing.T) {
	rules := []Rule{
		{FromHost: "a.test", FromPort: 443, ToHost: "127.0.0.1", ToPort: 1},
		{FromHost: "a.test", ToHost: "127.0.0.2"},
		{ToHost: "127.0.0.3", ToPort: 3},
	}
	cases := []struct {
		host     string
		port     int
		wantHost string
		wantPort int
	}{
		{"a.test", 443, "127.0.0.1", 1},
		{"A.test", 80, "127.0.0.2", 80},
		{"b.test", 443, "127.0.0.3", 3},
	}
	for _, c := range cases {
		h, p, ok := Map(rules, c.host, c.port)
		if !ok || h != c.wantHost || p != c.wantPort {
			t.Errorf("Map(%s:%d) = %s:%d %v, want %s:%d", c.host, c.port, h, p, ok, c.wantHost, c.wantPort)
		}
	}
	if _, _, ok := Map(nil, "x", 1); ok {
		t.Error("Map with no rules applied a rule")
	}
}

func TestChromeResolverRules(t *testing.T) {
	got, err := ChromeResolverRules([]Rule{
		{ToHost: "127.0.0.1", ToPort: 8443},
		{FromHost: "shop.example", FromPort: 443, ToHost: "::1", ToPort: 9000},
		{FromHost: "cdn.example", ToPort: 8443},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "MAP * 127.0.0.1:8443, MAP shop.example:443 [::1]:9000, MAP cdn.example cdn.example:8443"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if _, err := ChromeResolverRules([]Rule{{ToPort: 1}}); err == nil {
		t.Fatal("a wildcard host mapped to itself on another port cannot be expressed for Chrome; want an error")
	}
}

func TestDialContextFollowsRules(t *testing.T) {
	var dialed string
	dial := DialContext([]Rule{{FromHost: "www.example.com", ToHost: "127.0.0.1", ToPort: 9}}, func(_ context.Context, _, addr string) (net.Conn, error) {
		dialed = addr
		return nil, nil
	})
	_, _ = dial(context.Background(), "tcp", "www.example.com:443")
	if dialed != "127.0.0.1:9" {
		t.Fatalf("dialed %q, want 127.0.0.1:9", dialed)
	}
	_, _ = dial(context.Background(), "tcp", "other.example:443")
	if dialed != "other.example:443" {
		t.Fatalf("dialed %q, want the unmapped address", dialed)
	}
}
