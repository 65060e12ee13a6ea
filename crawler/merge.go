package crawler

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/cookie"
)

// The pages of a state after the first are visited by several tabs at once,
// each with its own recorder. What they recorded is merged here, at the end
// of the state, by the pages' order in the crawl plan, never by which tab got
// there first: the output does not depend on timing.

// pageSignal is a Consent Mode signal and the page it was sent from.
type pageSignal struct {
	page string
	sig  cookie.ConsentModeSignal
}

// tabRecording is what one tab recorded over its pages.
type tabRecording struct {
	setters        []setterEvent
	blocked        []cookie.BlockedCookie
	requests       []cookie.Request
	storage        []cookie.StorageItem
	signals        []pageSignal
	hook           map[string]hookCounts
	over           map[string]int
	setterOverflow int
}

// planRank orders pages by their place in the crawl plan; a page outside it
// (none yet) comes first.
type planRank map[string]int

func newPlanRank(pages []string) planRank {
	r := make(planRank, len(pages))
	for i, p := range pages {
		if _, dup := r[p]; !dup {
			r[p] = i
		}
	}
	return r
}

func (r planRank) of(page string) int {
	if i, ok := r[page]; ok {
		return i
	}
	return -1
}

// stateRecording is the merged recording of one state.
type stateRecording struct {
	// setters are every tab's attempts, in plan order of their pages (a
	// page's own attempts in the order they happened: one tab saw them all).
	setters  []setterEvent
	blocked  []cookie.BlockedCookie
	requests []cookie.Request
	storage  []cookie.StorageItem
	signals  []cookie.ConsentModeSignal
	warnings []string
}

// mergeRecordings folds the tabs' recordings into one, attributing
// everything to the earliest page in plan order, and applies the state's
// bounds again to the union.
func mergeRecordings(recs []tabRecording, rank planRank) stateRecording {
	var m stateRecording
	over := map[string]int{}
	hook := map[string]hookCounts{}
	setterOverflow := 0
	var signals []pageSignal
	byHost := map[string]*cookie.Request{}
	byStorage := map[string]cookie.StorageItem{}
	for _, rec := range recs {
		m.setters = append(m.setters, rec.setters...)
		m.blocked = append(m.blocked, rec.blocked...)
		signals = append(signals, rec.signals...)
		for k, n := range rec.over {
			over[k] += n
		}
		for p, n := range rec.hook {
			c := hook[p]
			c.add(n)
			hook[p] = c
		}
		setterOverflow += rec.setterOverflow
		for _, q := range rec.requests {
			have := byHost[q.Host]
			if have == nil {
				q.Types = slices.Clone(q.Types)
				byHost[q.Host] = &q
				continue
			}
			if rank.of(q.FirstPage) < rank.of(have.FirstPage) {
				have.FirstPage, have.FirstURL = q.FirstPage, q.FirstURL
			}
			have.Count += q.Count
			for _, t := range q.Types {
				if !contains(have.Types, t) {
					have.Types = append(have.Types, t)
				}
			}
			sort.Strings(have.Types)
		}
		for _, it := range rec.storage {
			k := it.Kind + "\x00" + it.Origin + "\x00" + it.Key
			if have, ok := byStorage[k]; !ok || rank.of(it.Page) < rank.of(have.Page) {
				byStorage[k] = it
			}
		}
	}
	byPage := func(page func(int) string) func(i, j int) bool {
		return func(i, j int) bool { return rank.of(page(i)) < rank.of(page(j)) }
	}
	sort.SliceStable(m.setters, byPage(func(i int) string { return m.setters[i].page }))
	sort.SliceStable(m.blocked, byPage(func(i int) string { return m.blocked[i].Page }))
	sort.SliceStable(signals, byPage(func(i int) string { return signals[i].page }))

	// Each tab kept within the bounds; the union may not.
	if n := len(m.blocked) - maxBlocked; n > 0 {
		m.blocked, over["blocked cookies"] = m.blocked[:maxBlocked], over["blocked cookies"]+n
	}
	if n := len(signals) - maxConsentSignals; n > 0 {
		signals, over["Consent Mode signals"] = signals[:maxConsentSignals], over["Consent Mode signals"]+n
	}
	if n := len(m.setters) - maxSetterEvents; n > 0 {
		m.setters, setterOverflow = m.setters[:maxSetterEvents], setterOverflow+n
	}
	for _, s := range signals {
		m.signals = append(m.signals, s.sig)
	}
	for _, q := range byHost {
		m.requests = append(m.requests, *q)
	}
	sort.Slice(m.requests, func(i, j int) bool { return m.requests[i].Host < m.requests[j].Host })
	if n := len(m.requests) - maxRequestHosts; n > 0 {
		m.requests, over["third-party hosts"] = m.requests[:maxRequestHosts], over["third-party hosts"]+n
	}
	for _, it := range byStorage {
		m.storage = append(m.storage, it)
	}
	sort.Slice(m.storage, func(i, j int) bool {
		a, b := m.storage[i], m.storage[j]
		if a.Origin != b.Origin {
			return a.Origin < b.Origin
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Key < b.Key
	})
	if n := len(m.storage) - maxStorageItems; n > 0 {
		m.storage, over["storage keys"] = m.storage[:maxStorageItems], over["storage keys"]+n
	}
	m.warnings = limitWarnings(hook, over, setterOverflow)
	return m
}

// limitWarnings names every bound that cut what the state recorded: the
// writes the hook did not report one by one (per page), and each list that
// reached its bound.
func limitWarnings(hook map[string]hookCounts, over map[string]int, setterOverflow int) []string {
	var out []string
	pages := slices.Sorted(maps.Keys(hook))
	for _, p := range pages {
		if n := hook[p].Dropped; n > 0 {
			out = append(out, fmt.Sprintf("%s: the page wrote document.cookie more than %d times; %d further writes were counted but not recorded one by one (their setters are unknown unless an earlier write names them; the cookies themselves are read from the jar)", truncate(p, maxURLLen), hookBudget, n))
		}
	}
	for _, p := range pages {
		c := hook[p]
		if c.Repeats <= hookBudget {
			continue
		}
		w := fmt.Sprintf("%s: the page repeated the same document.cookie writes %d times; each was recorded once", truncate(p, maxURLLen), c.Repeats)
		if c.Held > 0 {
			w += fmt.Sprintf("; %d of them were back-to-back repeats, passed to the browser once per run instead of one by one so that its cookie store keeps up", c.Held)
		}
		out = append(out, w)
	}
	bounds := map[string]int{"Consent Mode signals": maxConsentSignals, "third-party hosts": maxRequestHosts, "blocked cookies": maxBlocked, "storage keys": maxStorageItems}
	for _, k := range slices.Sorted(maps.Keys(over)) {
		out = append(out, fmt.Sprintf("more than %d %s in this state; %d more were not recorded", bounds[k], k, over[k]))
	}
	if setterOverflow > 0 {
		out = append(out, fmt.Sprintf("more than %d cookie writes in this state; %d were not recorded (setters of their cookies may be unknown)", maxSetterEvents, setterOverflow))
	}
	return out
}

// attribution says where a cookie came from.
type attribution struct {
	page   string
	setter cookie.Setter
	// setAt is the time of the latest write of the cookie: its expiry is
	// counted from it. Zero when no write was recorded.
	setAt time.Time
}

// attribute finds a jar cookie's first page and setter among the state's
// attempts (in plan order). The first page is the earliest page, in the
// crawl plan's order, on which a write of the cookie was recorded (a
// Set-Cookie line the browser did not refuse, or a document.cookie write
// that does not expire it) and after which the jar held it (held says
// whether the read after a page found it); failing that, the earliest page
// with such a write. Its setter is the last such write on that page. Which
// tab visited a page, and when, plays no part. ok is false when no write was
// recorded (a write past the hook's budget, or the Cookie Store API).
func attribute(setters []setterEvent, name, domain string, held func(page string) bool) (a attribution, ok bool) {
	cd := strings.TrimPrefix(strings.ToLower(domain), ".")
	var pick *setterEvent
	pickHeld := false
	for i := range setters {
		s := &setters[i]
		if s.name != name || !domainMatches(s.domain, cd) {
			continue
		}
		if s.at.After(a.setAt) {
			a.setAt = s.at
		}
		if s.refused || !stores(*s) {
			continue
		}
		switch {
		case pick == nil:
			pick, pickHeld = s, held(s.page)
		case s.page == pick.page:
			pick = s // the last write on the page
		case !pickHeld && held(s.page):
			pick, pickHeld = s, true
		}
	}
	if pick == nil {
		return attribution{setter: cookie.Setter{Kind: cookie.SetByUnknown}, setAt: a.setAt}, false
	}
	kind := pick.kind
	if pick.url == "" {
		kind = cookie.SetByUnknown // a script whose stack was not trusted
	}
	a.page, a.setter = pick.page, cookie.Setter{Kind: kind, URL: pick.url}
	return a, true
}

// stores reports whether a write may have put its cookie in the jar: not a
// deletion, and not a write the browser refuses. An unreadable one may have
// (the browser reads more than we do).
func stores(e setterEvent) bool {
	_, effect := observedFromLine(e, "")
	return effect == lineStores || effect == lineUnreadable
}

// domainMatches reports whether a write for domain sd may be the cookie of
// domain cd (both without a leading dot): the same, or one within the other.
func domainMatches(sd, cd string) bool {
	sd = strings.TrimPrefix(strings.ToLower(sd), ".")
	return sd == cd || strings.HasSuffix(sd, "."+cd) || strings.HasSuffix(cd, "."+sd)
}
