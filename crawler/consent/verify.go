package consent

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// Verification states, as cookie.ConsentOutcome.VerificationState spells them.
const (
	StateVerified     = "verified"
	StateContradicted = "contradicted"
	StateUnverified   = "unverified"
)

// reading is what one record of the platform says about the choice: its
// stored consent, a TC string in a cookie, or one of its JavaScript APIs.
type reading struct {
	source string // e.g. "cookie klaro", "cookie __cmpconsentx123 (TC string)", "__tcfapi"
	choice Choice
	detail string
	err    error // the record exists but cannot be read
	absent bool  // the record does not exist (not set, no such API)
}

func (rd reading) String() string {
	switch {
	case rd.err != nil:
		return fmt.Sprintf("%s: unreadable (%v)", rd.source, rd.err)
	case rd.absent:
		return rd.source + ": not set"
	}
	return rd.source + ": " + describe(Decision{Choice: rd.choice, Detail: rd.detail})
}

// verdict is the outcome of verification.
type verdict struct {
	state  string
	source string // the reading that decided; empty when unverified
	text   string
}

func opposite(action string) Choice {
	switch action {
	case ActionAccept:
		return ChoiceReject
	case ActionReject:
		return ChoiceAccept
	}
	return ChoiceNone
}

func wanted(action string) Choice {
	switch action {
	case ActionAccept:
		return ChoiceAccept
	case ActionReject:
		return ChoiceReject
	}
	return ChoiceNone
}

// judgeReadings turns the readings, best source first, into a verdict.
// Verified needs one record showing the choice and none disagreeing;
// contradicted needs a record showing the opposite choice; anything else is
// unverified with every reading as the reason. A record that is unreadable
// never verifies and never contradicts.
func judgeReadings(action string, rs []reading) verdict {
	var seen []string
	for _, rd := range rs {
		seen = append(seen, rd.String())
	}
	all := strings.Join(seen, "; ")
	if len(rs) == 0 {
		all = "the platform keeps no record the scanner can read"
	}
	if action == ActionNone {
		for _, rd := range rs {
			if rd.err == nil && !rd.absent && (rd.choice == ChoiceAccept || rd.choice == ChoicePartial) {
				return verdict{state: StateUnverified, source: rd.source, text: "consent stored before any choice: " + all}
			}
		}
		return verdict{state: StateVerified, text: "no choice stored before a click: " + all}
	}
	want, opp := wanted(action), opposite(action)
	var match, partial *reading
	for i := range rs {
		rd := &rs[i]
		if rd.err != nil || rd.absent {
			continue
		}
		switch rd.choice {
		case opp:
			return verdict{state: StateContradicted, source: rd.source,
				text: fmt.Sprintf("%s shows %s after %s: %s", rd.source, opp, action, all)}
		case want:
			if match == nil {
				match = rd
			}
		case ChoicePartial:
			if partial == nil {
				partial = rd
			}
		}
	}
	switch {
	case match != nil && partial == nil:
		return verdict{state: StateVerified, source: match.source, text: all}
	case match != nil:
		return verdict{state: StateUnverified, text: fmt.Sprintf("records disagree: %s shows %s, %s shows partial: %s", match.source, want, partial.source, all)}
	}
	return verdict{state: StateUnverified, text: fmt.Sprintf("no record shows %s: %s", action, all)}
}

// apiState is what the page's consent APIs say, read in one evaluation.
type apiState struct {
	Platform   *string  `json:"platform"`   // the rule's verify.api expression
	Configured []string `json:"configured"` // the rule's verify.configured expression
	TCF        *struct {
		TCString    string `json:"tcString"`
		EventStatus string `json:"eventStatus"`
		CMPID       int    `json:"cmpId"`
		CMPVersion  int    `json:"cmpVersion"`
		GDPRApplies bool   `json:"gdprApplies"`
	} `json:"tcf"`
	CMP *struct {
		UserChoiceExists bool            `json:"userChoiceExists"`
		Purposes         []string        `json:"purposes"`
		Consents         map[string]bool `json:"consents"`
	} `json:"cmp"`
	USP *string `json:"usp"`
	GPP *struct {
		String   string   `json:"gppString"`
		Sections []string `json:"sections"`
	} `json:"gpp"`
}

// apiJS reads the platform's own API and the standard ones. Page functions
// may hang or throw: each read has its own time limit and try.
const apiJS = `(async (platformExpr, configuredExpr, limit) => {
  const within = (p) => Promise.race([p, new Promise((res) => setTimeout(() => res(null), limit))]);
  const out = {};
  try { if (platformExpr) { const v = await within(Promise.resolve().then(() => (0, eval)(platformExpr))); out.platform = v == null ? '' : String(v).slice(0, 40); } } catch (e) { out.platform = null; }
  try { if (configuredExpr) { const v = await within(Promise.resolve().then(() => (0, eval)(configuredExpr))); if (Array.isArray(v)) out.configured = v.slice(0, 200).map((x) => String(x).slice(0, 80)); } } catch (e) {}
  try {
    if (typeof window.__tcfapi === 'function') {
      out.tcf = await within(new Promise((res) => {
        window.__tcfapi('addEventListener', 2, (d, ok) => {
          if (!ok || !d) return;
          try { window.__tcfapi('removeEventListener', 2, () => {}, d.listenerId); } catch (e) {}
          res({ tcString: String(d.tcString || '').slice(0, 20000), eventStatus: String(d.eventStatus || ''), cmpId: +d.cmpId || 0, cmpVersion: +d.cmpVersion || 0, gdprApplies: !!d.gdprApplies });
        });
      }));
    }
  } catch (e) {}
  try {
    if (typeof window.__cmp === 'function') {
      const c = window.__cmp('getCMPData');
      if (c && typeof c === 'object' && Array.isArray(c.purposesList)) {
        const consents = {};
        for (const k of Object.keys(c.purposeConsents || {}).slice(0, 200)) consents[String(k).slice(0, 40)] = !!c.purposeConsents[k];
        out.cmp = { userChoiceExists: !!c.userChoiceExists, purposes: c.purposesList.slice(0, 200).map((p) => String(p && p.id).slice(0, 40)), consents };
      }
    }
  } catch (e) {}
  try {
    if (typeof window.__uspapi === 'function') {
      out.usp = await within(new Promise((res) => window.__uspapi('getUSPData', 1, (d, ok) => res(ok && d ? String(d.uspString || '').slice(0, 10) : null))));
    }
  } catch (e) {}
  try {
    if (typeof window.__gpp === 'function') {
      out.gpp = await within(new Promise((res) => {
        const cb = (d, ok) => res(ok && d ? { gppString: String(d.gppString || '').slice(0, 4000), sections: (d.applicableSections || d.supportedAPIs || []).slice(0, 20).map(String) } : null);
        const r = window.__gpp('ping', cb);
        if (r && typeof r === 'object') cb(r, true);
      }));
    }
  } catch (e) {}
  return out;
})`

const apiLimitMS = 1000

func (r *run) apis(ctx context.Context, rule *Rule) apiState {
	var platform, configured string
	if rule != nil {
		platform, configured = rule.Verify.API, rule.Verify.Configured
	}
	js := fmt.Sprintf("%s(%s, %s, %d)", apiJS, jsonString(platform), jsonString(configured), apiLimitMS)
	var st apiState
	if err := r.t.mainEval(ctx, js, &st); err != nil {
		return apiState{}
	}
	return st
}

// readings collects every record of the choice, best source first: the
// platform's own stored consent, TC strings in any cookie of the site, the
// platform's API, then __tcfapi, consentmanager's __cmp, __uspapi, __gpp.
func (r *run) readings(ctx context.Context, rule *Rule) []reading {
	api := r.apis(ctx, rule)
	configured := api.Configured
	var out []reading
	cookies := r.siteCookies(ctx)
	ownCookie := ""
	if rule != nil && (rule.Verify.Cookie != "" || rule.Verify.LocalStorage != "") {
		rd, name := r.stored(ctx, rule, cookies, configured)
		ownCookie = name
		out = append(out, rd)
	}
	out = append(out, tcCookieReadings(cookies, ownCookie, configured)...)
	if rule != nil && rule.Verify.API != "" {
		src := rule.Name + " API"
		switch {
		case api.Platform == nil:
			out = append(out, reading{source: src, absent: true})
		default:
			c := Choice(*api.Platform)
			if c != ChoiceAccept && c != ChoiceReject && c != ChoicePartial {
				c = ChoiceNone
			}
			out = append(out, reading{source: src, choice: c})
		}
	}
	if t := api.TCF; t != nil {
		rd := reading{source: "__tcfapi"}
		switch {
		case t.TCString == "" || t.EventStatus == "cmpuishown":
			// The UI is showing: the string holds no choice yet.
			rd.choice, rd.detail = ChoiceNone, "eventStatus "+cmpOr(t.EventStatus, "none")
		default:
			tc, err := DecodeTCString(t.TCString)
			if err != nil {
				rd.err = err
			} else {
				d := tcDecisionFor(tc, configured)
				rd.choice, rd.detail = d.Choice, d.Detail+" eventStatus "+t.EventStatus
			}
		}
		out = append(out, rd)
	}
	if c := api.CMP; c != nil {
		rd := reading{source: "__cmp getCMPData"}
		if !c.UserChoiceExists {
			rd.choice, rd.detail = ChoiceNone, "userChoiceExists=false"
		} else {
			flags := map[string]bool{}
			for _, p := range c.Purposes {
				flags[p] = c.Consents[p]
			}
			d := fromFlags(flags)
			rd.choice, rd.detail = d.Choice, "purposes "+d.Detail
		}
		out = append(out, rd)
	}
	if api.USP != nil {
		rd := reading{source: "__uspapi", detail: "uspString " + *api.USP}
		// Third character: has the visitor opted out of sale (Y) or not (N).
		if s := *api.USP; len(s) == 4 && s[2] == 'Y' {
			rd.choice = ChoiceReject
		}
		out = append(out, rd)
	}
	if g := api.GPP; g != nil {
		out = append(out, reading{source: "__gpp", detail: "sections " + strings.Join(g.Sections, ",")})
	}
	return out
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// siteCookies returns the cookies of the tab's browser context that belong
// to the page's site (or all, when the site is unknown), bounded in number.
func (r *run) siteCookies(ctx context.Context) []*network.Cookie {
	c := chromedp.FromContext(ctx)
	res, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: c.BrowserContextID})
	if err != nil {
		return nil
	}
	host := r.pageHost(ctx)
	var out []*network.Cookie
	for _, ck := range res.Cookies {
		d := strings.TrimPrefix(ck.Domain, ".")
		if host == "" || host == d || strings.HasSuffix(host, "."+d) {
			out = append(out, ck)
		}
		if len(out) == 500 {
			break
		}
	}
	return out
}

// tcCookieReadings finds TC strings in any cookie of the site: CMPs keep
// them under their own names (consentmanager's __cmpconsentx<id>), not
// only euconsent-v2. skip is the cookie the platform rule already read.
func tcCookieReadings(cookies []*network.Cookie, skip string, configured []string) []reading {
	var out []reading
	for _, ck := range cookies {
		if ck.Name == skip || len(ck.Value) < 20 || len(ck.Value) > 20000 {
			continue
		}
		v := ck.Value
		if strings.Contains(v, "%") {
			if u, err := url.QueryUnescape(v); err == nil {
				v = u
			}
		}
		// A v2 core segment starts with version 2 in six bits: "C".
		if v[0] != 'C' {
			continue
		}
		tc, err := DecodeTCString(v)
		if err != nil {
			continue // not a TC string after all
		}
		d := tcDecisionFor(tc, configured)
		out = append(out, reading{source: "cookie " + ck.Name + " (TC string)", choice: d.Choice, detail: d.Detail})
	}
	return out
}

// tcDecisionFor judges a TC string against the purposes the site
// configures, when the platform says (numeric ids among configured); else
// as tcDecision does.
func tcDecisionFor(tc TCString, configured []string) Decision {
	var purposes []int
	for _, c := range configured {
		if n, err := strconv.Atoi(c); err == nil && n >= 1 && n <= 24 {
			purposes = append(purposes, n)
		}
	}
	if len(purposes) == 0 {
		return tcDecision(tc)
	}
	sort.Ints(purposes)
	d := Decision{Detail: fmt.Sprintf("TC string cmp %d purposes %v of configured %v vendors %d", tc.CMPID, tc.PurposeConsents, purposes, len(tc.VendorConsents))}
	on := 0
	for _, p := range purposes {
		if slices.Contains(tc.PurposeConsents, p) {
			on++
		}
	}
	switch {
	case len(tc.PurposeConsents) == 0:
		d.Choice = ChoiceReject
	case on == len(purposes):
		d.Choice = ChoiceAccept
	default:
		d.Choice = ChoicePartial
	}
	return d
}

// stored reads the platform's own stored consent and judges it against
// the configured categories when the platform says which. It returns the
// reading and the cookie name it read ("" for localStorage).
func (r *run) stored(ctx context.Context, rule *Rule, cookies []*network.Cookie, configured []string) (reading, string) {
	v := rule.Verify
	var raw string
	switch {
	case v.Cookie != "":
		name, val := pickCookie(cookies, v.Cookie)
		src := "cookie " + v.Cookie
		if name == "" {
			return reading{source: src, absent: true}, ""
		}
		src = "cookie " + name
		raw = val
		d, err := Decode(v.Decode, raw)
		if err != nil {
			return reading{source: src, err: err}, name
		}
		d = judge(d, configured)
		return reading{source: src, choice: d.Choice, detail: d.Detail}, name
	case v.LocalStorage != "":
		src := "localStorage " + v.LocalStorage
		var s *string
		js := fmt.Sprintf(`(() => { try { const v = localStorage.getItem(%s); return v == null ? null : v.slice(0, 100000); } catch (e) { return null; } })()`, jsonString(v.LocalStorage))
		if err := r.t.mainEval(ctx, js, &s); err != nil || s == nil {
			return reading{source: src, absent: true}, ""
		}
		d, err := Decode(v.Decode, *s)
		if err != nil {
			return reading{source: src, err: err}, ""
		}
		d = judge(d, configured)
		return reading{source: src, choice: d.Choice, detail: d.Detail}, ""
	}
	return reading{}, ""
}

// pickCookie returns the first cookie matching name (a trailing * matches a
// prefix); the jar order puts the page's own site first.
func pickCookie(cookies []*network.Cookie, name string) (string, string) {
	prefix, isPrefix := strings.CutSuffix(name, "*")
	for _, ck := range cookies {
		if isPrefix && strings.HasPrefix(ck.Name, prefix) || !isPrefix && ck.Name == name {
			return ck.Name, ck.Value
		}
	}
	return "", ""
}

// judge re-reads a decision against the optional categories the site
// configures, when both are known: accept-all is every configured category
// granted, whatever the decoder's fixed list says.
func judge(d Decision, configured []string) Decision {
	if len(configured) == 0 || d.Granted == nil {
		return d
	}
	var opt []string
	for _, c := range configured {
		if !necessaryName(c) && !slices.Contains(opt, c) {
			opt = append(opt, c)
		}
	}
	if len(opt) == 0 {
		return d
	}
	on := 0
	for _, c := range opt {
		if slices.Contains(d.Granted, c) {
			on++
		}
	}
	sort.Strings(opt)
	out := Decision{Granted: d.Granted, Detail: fmt.Sprintf("granted %v of configured %v", d.Granted, opt)}
	switch {
	case d.Choice == ChoiceNone:
		out.Choice = ChoiceNone
		out.Detail = d.Detail
	case on == len(opt):
		out.Choice = ChoiceAccept
	case on == 0:
		out.Choice = ChoiceReject
	default:
		out.Choice = ChoicePartial
	}
	return out
}

func necessaryName(s string) bool {
	switch strings.ToLower(s) {
	case "essential", "necessary", "strictly_necessary", "strictly-necessary", "required", "cookie_cat_necessary", "c0001":
		return true
	}
	return false
}

// verify polls every record until one shows the choice (and none
// disagrees) or verifyTimeout passes, and writes the verdict.
func (r *run) verify(ctx context.Context, rule *Rule, f *frame) {
	timeout := verifyTimeout
	if r.action == ActionNone {
		timeout = 0 // the before state reads once: nothing should change
	}
	deadline := time.Now().Add(timeout)
	for {
		v := judgeReadings(r.action, r.readings(ctx, rule))
		if v.state == StateVerified || time.Now().After(deadline) {
			if v.state == StateVerified && r.action != ActionNone && f != nil && rule != nil {
				v.text += "; " + r.bannerState(ctx, rule)
			}
			r.setVerdict(v)
			return
		}
		if err := sleep(ctx, pollInterval); err != nil {
			r.setVerdict(verdict{state: StateUnverified, text: "verification interrupted: " + err.Error()})
			return
		}
	}
}

func (r *run) setVerdict(v verdict) {
	r.out.Verified = v.state == StateVerified
	r.out.VerificationState = v.state
	r.out.VerificationSource = v.source
	r.out.Verification = v.text
	if v.state == StateContradicted {
		r.out.Verification = "CONTRADICTED: " + v.text
	}
}
