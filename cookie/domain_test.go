package cookie

import "testing"

func TestRegistrableDomain(t *testing.T) {
	for in, want := range map[string]string{
		"www.Example.co.uk":     "example.co.uk",
		".shop.example.com.":    "example.com",
		"shop.example.com:8443": "example.com",
		"127.0.0.1":             "127.0.0.1",
		"127.0.0.1:8080":        "127.0.0.1",
		"[::1]":                 "::1",
		"[2001:db8::1]:443":     "2001:db8::1",
		"::1":                   "::1",
		"localhost":             "localhost",
		"localhost:3000":        "localhost",
		"github.io":             "github.io",
		"user.github.io":        "user.github.io",
		"":                      "",
	} {
		if got := RegistrableDomain(in); got != want {
			t.Errorf("RegistrableDomain(%q) = %q, want %q", in, got, want)
		}
	}
	if PartyOf("cdn.example.com", "example.com") != FirstParty || PartyOf("example.org", "example.com") != ThirdParty {
		t.Error("PartyOf")
	}
}
