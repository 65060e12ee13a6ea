package knowncookies

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// Vendor is a company or product that sets cookies or receives requests.
type Vendor struct {
	// Name is the canonical name, the one labels carry.
	Name    string   `json:"name"`
	Company string   `json:"company,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	// Category is what the vendor's cookies and requests are mostly for.
	Category   cookie.Category `json:"category"`
	PrivacyURL string          `json:"privacy_url,omitempty"`
	// Hosts are registrable domains or host names; each also stands for its
	// subdomains.
	Hosts []string `json:"hosts,omitempty"`
	// RunsOn names the framework vendor a platform is built on (Dynamicweb
	// runs on ASP.NET), so a framework cookie on such a site can be put to
	// the platform.
	RunsOn string `json:"runs_on,omitempty"`
	// TagManager is true for tag managers: a cookie written by their script
	// belongs to whatever tag they loaded, not to them.
	TagManager bool `json:"tag_manager,omitempty"`
	// Source is "embedded", "third-party-web" or the layer of a cookie file
	// whose platform no vendor list knows.
	Source string `json:"source"`
}

// Names returns the canonical name followed by the aliases.
func (v *Vendor) Names() []string { return append([]string{v.Name}, v.Aliases...) }

// SourceThirdPartyWeb names vendors and hosts from the third-party-web entities.
const SourceThirdPartyWeb = "third-party-web"

// loadVendors reads the embedded vendor list.
func loadVendors(r io.Reader, source string) ([]Vendor, error) {
	var vs []Vendor
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&vs); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	for i := range vs {
		v := &vs[i]
		v.Source = source
		if v.Name == "" {
			return nil, fmt.Errorf("%s: vendor %d: empty name", source, i+1)
		}
		if _, err := cookie.ParseCategory(string(v.Category)); err != nil {
			return nil, fmt.Errorf("%s: vendor %q: %w", source, v.Name, err)
		}
		for j, h := range v.Hosts {
			v.Hosts[j] = normHost(h)
		}
	}
	return vs, nil
}

// tpwEntity is one entity of third-party-web's entities.json; fields this
// package does not use are ignored.
type tpwEntity struct {
	Name     string   `json:"name"`
	Company  string   `json:"company"`
	Category string   `json:"category"`
	Domains  []string `json:"domains"`
}

// LoadEntities reads third-party-web's entities JSON (a list of {name,
// company, category, domains}) into vendors with hosts. The categories there
// describe a script's role, not a consent purpose, so they are mapped
// conservatively: "ad", "social" and "marketing" → marketing; "analytics" →
// statistics; "customer-success" → preferences; "consent-provider", "cdn" and
// "hosting" → necessary; the rest (utility, content, video, tag-manager,
// other) → unclassified, since they can be anything.
func LoadEntities(r io.Reader, source string) ([]Vendor, error) {
	var ents []tpwEntity
	if err := json.NewDecoder(r).Decode(&ents); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if len(ents) == 0 {
		return nil, fmt.Errorf("%s: no entities", source)
	}
	vs := make([]Vendor, 0, len(ents))
	for i, e := range ents {
		if e.Name == "" {
			return nil, fmt.Errorf("%s: entity %d: empty name", source, i+1)
		}
		v := Vendor{Name: e.Name, Company: e.Company, Category: tpwCategory(e.Category), Source: SourceThirdPartyWeb}
		for _, d := range e.Domains {
			h := normHost(strings.TrimPrefix(d, "*."))
			if h != "" && !strings.ContainsAny(h, "*/ ") {
				v.Hosts = append(v.Hosts, h)
			}
		}
		vs = append(vs, v)
	}
	return vs, nil
}

func tpwCategory(c string) cookie.Category {
	switch c {
	case "ad", "social", "marketing":
		return cookie.Marketing
	case "analytics":
		return cookie.Statistics
	case "customer-success":
		return cookie.Preferences
	case "consent-provider", "cdn", "hosting":
		return cookie.Necessary
	}
	return cookie.Unclassified
}

// normHost lower-cases a host and drops a leading dot, a trailing dot and a port.
func normHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.TrimPrefix(h, ".")
	h = strings.TrimSuffix(h, ".")
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return h
}
