// Package cookieblock reads the labelled crawl of the CookieBlock project
// (cookies with the purpose each site's consent platform declares), the data
// cookiescan's classifier is trained and measured on. The file itself stays in
// ../shared/data; nothing of it is embedded.
package cookieblock

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/cookiescan/cookiescan/cookie"
)

// DevFile is the development half of the crawl, in ../shared/data.
const DevFile = "cookieblock-example-crawl-20210213.dev.json"

// Classes are CookieBlock's labels in order: 0 necessary, 1 functional
// (preferences), 2 analytics, 3 advertising.
var Classes = [...]cookie.Category{cookie.Necessary, cookie.Preferences, cookie.Statistics, cookie.Marketing}

// Cookie is one labelled cookie.
type Cookie struct {
	Obs cookie.Observed
	// Site is the first-party URL the cookie was seen on.
	Site string
	// Want is the purpose the site declares.
	Want cookie.Category
}

type record struct {
	Name             string `json:"name"`
	Domain           string `json:"domain"`
	Path             string `json:"path"`
	FirstPartyDomain string `json:"first_party_domain"`
	Label            *int   `json:"label"`
	Variable         []struct {
		Value    string  `json:"value"`
		Expiry   float64 `json:"expiry"`
		Session  bool    `json:"session"`
		HTTPOnly bool    `json:"http_only"`
		HostOnly bool    `json:"host_only"`
		Secure   bool    `json:"secure"`
		SameSite string  `json:"same_site"`
	} `json:"variable_data"`
}

// Load reads a crawl file, sorted by its keys so that every run sees the same
// order. The first observation of each cookie gives its value and lifespan.
func Load(path string) ([]Cookie, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cookieblock: %w", err)
	}
	var crawl map[string]record
	if err := json.Unmarshal(raw, &crawl); err != nil {
		return nil, fmt.Errorf("cookieblock: %s: %w", path, err)
	}
	keys := make([]string, 0, len(crawl))
	for k := range crawl {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]Cookie, 0, len(keys))
	for _, k := range keys {
		c := crawl[k]
		if c.Label == nil || *c.Label < 0 || *c.Label >= len(Classes) || len(c.Variable) == 0 {
			return nil, fmt.Errorf("cookieblock: %s: entry %q has no valid label (0–3) or no observation", path, k)
		}
		v := c.Variable[0]
		o := cookie.Observed{
			Name: c.Name, Domain: c.Domain, Path: c.Path, HostOnly: v.HostOnly,
			Value: v.Value, ValueLength: len(v.Value), Session: v.Session,
			Secure: v.Secure, HTTPOnly: v.HTTPOnly, SameSite: v.SameSite,
		}
		if !v.Session {
			o.LifespanDays = v.Expiry / 86400
		}
		out = append(out, Cookie{Obs: o, Site: c.FirstPartyDomain, Want: Classes[*c.Label]})
	}
	return out, nil
}

// Folds splits cookies into k folds by site: every cookie of one site is in
// the same fold, so a model tested on a fold has seen none of its sites.
// Sites are dealt round-robin in sorted order, which is deterministic.
func Folds(cs []Cookie, k int) []int {
	return ShuffledFolds(cs, k, 0)
}

// ShuffledFolds is Folds with the sites dealt in an order drawn from seed
// (0: sorted order, as Folds): another split of the same sites, for
// repeated cross-validation.
func ShuffledFolds(cs []Cookie, k int, seed uint64) []int {
	var sites []string
	seen := map[string]bool{}
	for _, c := range cs {
		if !seen[c.Site] {
			seen[c.Site] = true
			sites = append(sites, c.Site)
		}
	}
	slices.Sort(sites)
	if seed != 0 {
		r := rand.New(rand.NewPCG(seed, seed))
		r.Shuffle(len(sites), func(i, j int) { sites[i], sites[j] = sites[j], sites[i] })
	}
	fold := make(map[string]int, len(sites))
	for i, s := range sites {
		fold[s] = i % k
	}
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = fold[c.Site]
	}
	return out
}
