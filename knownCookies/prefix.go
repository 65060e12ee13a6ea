package knowncookies

import (
	"cmp"
	"slices"
)

// minFreePrefix is the shortest prefix that may match any name starting with
// it. A shorter prefix ("_s", "tp", "SR", "cap" in the Open Cookie Database)
// would swallow unrelated names, so it matches only where the name goes on
// with a separator or a digit ("cap_1", "tp-x", "lpv1234"), or where the
// prefix itself ends with a separator ("mp_"). TestShortPrefixGuard measures
// what the rule saves.
const minFreePrefix = 4

// prefixIndex finds the longest prefix of a name. Prefixes are bucketed by
// their first two bytes, longest first, so a lookup costs one map access and
// a few comparisons; one-byte prefixes sit in their own list.
type prefixIndex struct {
	entries map[string][]*Entry
	buckets map[[2]byte][]string
	single  []string
}

func newPrefixIndex() prefixIndex {
	return prefixIndex{entries: map[string][]*Entry{}, buckets: map[[2]byte][]string{}}
}

func (p *prefixIndex) add(prefix string, e *Entry) {
	if _, ok := p.entries[prefix]; !ok {
		if len(prefix) == 1 {
			p.single = append(p.single, prefix)
		} else {
			k := [2]byte{prefix[0], prefix[1]}
			p.buckets[k] = append(p.buckets[k], prefix)
		}
	}
	p.entries[prefix] = append(p.entries[prefix], e)
}

func (p *prefixIndex) finish() {
	for _, b := range p.buckets {
		slices.SortFunc(b, func(x, y string) int {
			if c := cmp.Compare(len(y), len(x)); c != 0 {
				return c
			}
			return cmp.Compare(x, y)
		})
	}
	slices.Sort(p.single)
}

// longest returns the entry of the longest usable prefix of name.
func (p *prefixIndex) longest(name, domain string) (*Entry, bool) {
	if len(name) >= 2 {
		for _, pre := range p.buckets[[2]byte{name[0], name[1]}] {
			if len(pre) > len(name) || name[:len(pre)] != pre || !bounded(pre, name) {
				continue
			}
			if e, dm := pick(p.entries[pre], domain); e != nil {
				return e, dm
			}
		}
	}
	for _, pre := range p.single {
		if len(name) >= 1 && name[0] == pre[0] && bounded(pre, name) {
			if e, dm := pick(p.entries[pre], domain); e != nil {
				return e, dm
			}
		}
	}
	return nil, false
}

// bounded applies the short-prefix rule to a name that starts with pre.
func bounded(pre, name string) bool {
	if len(pre) >= minFreePrefix || len(name) == len(pre) || isSeparator(pre[len(pre)-1]) {
		return true
	}
	c := name[len(pre)]
	return isSeparator(c) || c >= '0' && c <= '9'
}

func isSeparator(c byte) bool {
	switch c {
	case '_', '-', '.', ':', '#', '$', '/', '|', '[', '@':
		return true
	}
	return false
}
