package classifier

import (
	"math"
	"net/url"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

// Features names the evidence the model weighs for one cookie. Each string is
// a binary feature "group:value"; the groups are documented in docs and are
// what a weight file's keys start with:
//
//	bias         always present
//	party        first or third party
//	db           the known-cookie entry's category, with how it matched,
//	             the party, whether the entry names the cookie's domain
//	dbvendor     the entry's vendor and that vendor's category
//	host         the vendor the cookie's domain belongs to (host map) and its
//	             purpose, by party
//	rd           a third-party cookie's registrable domain
//	setter       the vendor of the host that set the cookie and its purpose
//	name, tok    the exact name, its shape and its lower-case words
//	pfx          the name's first 3 to 6 characters, lower case
//	rule, weak   which name heuristic fires (consent record, session id, …)
//	life         lifespan bucket, by party; none when the lifespan is not known
//	             (a lookup's name and domain): an absent fact is no evidence
//	val, vshape  the value's kind (identifier, timestamp, JSON, flag…) and
//	             its character-class shape
//	attr         HttpOnly, Secure, SameSite, host-only, path
func (c *Classifier) Features(o cookie.Observed) []string {
	party := c.Party(o)
	domain := strings.TrimPrefix(strings.ToLower(o.Domain), ".")
	m, ok := c.db.Lookup(o.Name, domain)
	hf := features(o, party)
	return c.features(o, party, domain, m, ok, hf, applyNameRules(o, hf), nil)
}

// features appends to buf; m is the database match when ok, hf and rules
// what the name rules saw and said.
func (c *Classifier) features(o cookie.Observed, party cookie.Party, domain string, m knowncookies.Match, ok bool, hf feature, rules nameRules, buf []string) []string {
	p := string(party)
	if p == "" {
		p = "unknown"
	}
	f := append(buf, "bias", "party:"+p)

	if ok {
		e := m.Entry
		cat := string(e.Category)
		src := "ocd"
		switch {
		case e.Source == knowncookies.SourceEmbedded:
			src = "emb"
		case strings.HasPrefix(e.Source, "user:"):
			src = "user"
		}
		f = append(f, "db:"+cat, "db:"+cat+":"+src+":"+string(m.Kind), "db:"+cat+":"+p)
		if m.DomainMatched {
			f = append(f, "db:"+cat+":domain")
		}
		if e.Vendor != "" {
			f = append(f, "dbvendor:"+e.Vendor)
			if v, ok := c.db.VendorByAlias(e.Vendor); ok {
				f = append(f, "dbvendor:cat:"+string(v.Category)+":"+p)
			}
		}
	} else {
		f = append(f, "db:none:"+p)
	}

	if v, _, ok := c.db.VendorByHost(domain); ok {
		f = append(f, "host:"+string(v.Category)+":"+p, "host:vendor:"+v.Name)
	}
	if party == cookie.ThirdParty {
		if rd, err := registrable(domain); err == nil {
			f = append(f, "rd:"+rd)
		}
	}
	if o.SetBy.URL != "" {
		h := hostOf(o.SetBy.URL)
		if v, _, ok := c.db.VendorByHost(h); ok && !v.TagManager {
			f = append(f, "setter:"+string(v.Category)+":"+p)
		}
	}

	f = append(f, "name:"+o.Name, "name:shape:"+nameShape(o.Name))
	// Prefixes of the name tie a cookie to its family (__hssc, __hstc;
	// __insp_wid, __insp_nv) even when no site or entry showed this member.
	lo := strings.ToLower(o.Name)
	for n := 3; n <= 6 && n < len(lo); n++ {
		f = append(f, "pfx:"+lo[:n])
	}
	for _, t := range hf.tokens {
		if isDigits(t) {
			t = "#"
		}
		f = append(f, "tok:"+t)
	}
	if l, ok := rules.strong(); ok {
		f = append(f, "rule:"+ruleKey(l.Reason))
	} else if rules.weak.Category != cookie.Unclassified {
		f = append(f, "weak:"+ruleKey(rules.weak.Reason))
	}

	if life := lifeBucket(hf); life != "unknown" {
		f = append(f, "life:"+life, "life:"+life+":"+p)
	}
	if hf.idKind != "" {
		f = append(f, "val:"+hf.idKind)
	}
	f = append(f, "val:"+valueKind(o.Value), "vshape:"+valueShape(o.Value))
	if o.HTTPOnly {
		f = append(f, "attr:httponly")
	}
	if o.Secure {
		f = append(f, "attr:secure")
	}
	if o.HostOnly {
		f = append(f, "attr:hostonly")
	}
	ss := strings.ToLower(o.SameSite)
	if ss == "" {
		ss = "unset"
	}
	f = append(f, "attr:samesite:"+ss)
	if o.Path != "" && o.Path != "/" {
		f = append(f, "attr:subpath")
	}
	return f
}

// ruleKey shortens a heuristic's reason to its rule: the text before the
// first ";" without the "heuristic: " prefix.
func ruleKey(reason string) string {
	reason = strings.TrimPrefix(reason, "heuristic: ")
	if i := strings.IndexByte(reason, ';'); i >= 0 {
		reason = reason[:i]
	}
	return reason
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// nameShape keeps a name's letters and separators and collapses every run of
// digits to "0" and a trailing id-like part (≥ 6 mixed letters and digits
// after a separator) to "*", so _hjSession_3141592 and _hjSession_271828
// share a shape, as do _ga_KYST123 and _ga_ABC9XYZ.
func nameShape(name string) string {
	if len(name) > 64 {
		name = name[:64]
	}
	if i := strings.LastIndexAny(name, "_-.:"); i >= 0 && i < len(name)-1 {
		tail := name[i+1:]
		if len(tail) >= 6 && strings.ContainsAny(tail, "0123456789") {
			name = name[:i+1] + "*"
		}
	}
	var b strings.Builder
	prevDigit := false
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if ch >= '0' && ch <= '9' {
			if !prevDigit {
				b.WriteByte('0')
			}
			prevDigit = true
			continue
		}
		prevDigit = false
		b.WriteByte(ch)
	}
	return b.String()
}

func lifeBucket(f feature) string {
	if f.session {
		return "session"
	}
	d := f.days
	switch {
	case d <= 0:
		return "unknown"
	case d <= 1.0/24+1e-6:
		return "1h"
	case d <= 1.01:
		return "1d"
	case d <= 7.01:
		return "1w"
	case d <= 31.01:
		return "1m"
	case d <= 92:
		return "3m"
	case d <= 190:
		return "6m"
	case d <= 366:
		return "1y"
	case d <= 731:
		return "2y"
	}
	return "long"
}

// valueKind says what a value looks like: empty, a flag, a number, a Unix
// time stamp, JSON, a consent string, an identifier, or text.
func valueKind(v string) string {
	if strings.Contains(v, "%") {
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
	}
	v = strings.TrimSpace(v)
	lo := strings.ToLower(v)
	switch {
	case v == "":
		return "empty"
	case lo == "true" || lo == "false" || lo == "yes" || lo == "no" || lo == "0" || lo == "1" || lo == "on" || lo == "off":
		return "flag"
	case strings.HasPrefix(v, "{") || strings.HasPrefix(v, "["):
		return "json"
	case isDigits(v):
		if (len(v) == 10 || len(v) == 13) && v[0] == '1' {
			return "timestamp"
		}
		if len(v) <= 4 {
			return "small-number"
		}
		return "number"
	case strings.Contains(lo, "consent") || strings.Contains(lo, "necessary") || strings.Contains(lo, "marketing") || strings.Contains(lo, "statistics"):
		return "consent-words"
	case len(v) <= 5:
		return "short-text"
	case len(v) > 200:
		return "long"
	}
	return "text"
}

// valueShape maps a value to its runs of letters and digits and the marks
// between them: "GA1.2.16.17" → "x.9.9.9", a UUID → "x-x-x-x-x", then its
// length class. A run is "9" (digits), "a" (letters) or "x" (both), so a
// random identifier has one shape whether it happens to open with a digit
// or a letter.
func valueShape(v string) string {
	if strings.Contains(v, "%") {
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
	}
	var b strings.Builder
	runs := 0
	var run byte // the class of the run being read: 0 outside a run
	for i := 0; i < len(v) && runs < 12; i++ {
		ch := v[i]
		var cl byte
		switch {
		case ch >= '0' && ch <= '9':
			cl = '9'
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z':
			cl = 'a'
		}
		if cl != 0 {
			switch run {
			case 0:
				run = cl
			case cl, 'x':
			default:
				run = 'x'
			}
			continue
		}
		if run != 0 {
			b.WriteByte(run)
			runs++
			run = 0
		}
		if ch >= 0x80 || ch < 0x20 {
			ch = '?'
		}
		b.WriteByte(ch)
		runs++
	}
	if run != 0 && runs < 12 {
		b.WriteByte(run)
	}
	return b.String() + "/" + lengthClass(len(v))
}

func lengthClass(n int) string {
	if n == 0 {
		return "0"
	}
	return string(rune('0' + min(9, int(math.Log2(float64(n))))))
}
