package consent

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
)

// The actions Apply accepts.
const (
	ActionNone   = "none"   // before state: detect and describe, click nothing
	ActionAccept = "accept" // accept all
	ActionReject = "reject" // reject all, through the settings layer if need be
)

// DefaultBannerTimeout is how long Apply polls for a late banner when
// Options.BannerTimeout is zero.
const DefaultBannerTimeout = 5 * time.Second

const (
	pollInterval  = 250 * time.Millisecond
	verifyTimeout = 5 * time.Second
	stepTimeout   = 3 * time.Second
	tcfTimeoutMS  = 1500
)

// Options configure an Engine. The zero value is usable.
type Options struct {
	// RulesFile holds extra user rules, same format as the embedded ones
	// (--consent-rules). They are tried before the embedded rules.
	RulesFile string
	// AcceptSelector and RejectSelector are plain CSS selectors that win
	// over every rule (--accept-selector, --reject-selector).
	AcceptSelector string
	RejectSelector string
	// BannerTimeout is how long to poll for a late banner; 0 means
	// DefaultBannerTimeout (5s).
	BannerTimeout time.Duration
	// Screenshot takes PNGs of the viewport: with the banner, or the element
	// clicked, outlined when the choice is made, and after it.
	Screenshot bool
}

// Engine detects consent platforms and operates their banners. It holds
// no per-page state, so one Engine serves every state and page.
type Engine struct {
	opts  Options
	rules []Rule
}

// New validates the options, loads the embedded rules and the user's.
func New(opts Options) (*Engine, error) {
	if opts.BannerTimeout < 0 {
		return nil, fmt.Errorf("consent: banner timeout %v is negative", opts.BannerTimeout)
	}
	if opts.BannerTimeout == 0 {
		opts.BannerTimeout = DefaultBannerTimeout
	}
	for _, s := range []struct{ what, sel string }{{"accept", opts.AcceptSelector}, {"reject", opts.RejectSelector}} {
		if s.sel != "" {
			if err := CheckSelector(s.sel); err != nil {
				return nil, fmt.Errorf("consent: the %s selector: %w", s.what, err)
			}
		}
	}
	builtin, err := BuiltinRules()
	if err != nil {
		return nil, err
	}
	var rules []Rule
	if opts.RulesFile != "" {
		user, err := LoadRulesFile(opts.RulesFile)
		if err != nil {
			return nil, err
		}
		rules = append(rules, user...)
	}
	rules = append(rules, builtin...)
	return &Engine{opts: opts, rules: rules}, nil
}

// Rules returns the rules in the order they are tried.
func (e *Engine) Rules() []Rule { return slices.Clone(e.rules) }

// Apply runs on a chromedp tab context whose page has loaded. action is
// "none" (detect and describe the banner, click nothing), "accept" or
// "reject". It returns the outcome even on partial failure (Error set); err
// is only for a broken context.
func (e *Engine) Apply(ctx context.Context, action string) (cookie.ConsentOutcome, error) {
	out := cookie.ConsentOutcome{Action: action}
	switch action {
	case ActionNone, ActionAccept, ActionReject:
	default:
		return out, fmt.Errorf("consent: unknown action %q (want none, accept or reject)", action)
	}
	if c := chromedp.FromContext(ctx); c == nil {
		return out, fmt.Errorf("consent: %w", chromedp.ErrInvalidContext)
	}
	if err := ctx.Err(); err != nil {
		return out, fmt.Errorf("consent: %w", err)
	}
	t := newTab(ctx)
	defer t.close()
	r := &run{e: e, t: t, out: &out, action: action}
	err := r.apply(ctx)
	r.shootAfter(ctx)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, chromedp.ErrTargetDetached) {
			return out, fmt.Errorf("consent: %s: %w", action, err)
		}
		out.Error = err.Error()
	}
	return out, nil
}

// run is one Apply call.
type run struct {
	e      *Engine
	t      *tab
	out    *cookie.ConsentOutcome
	action string
}

// detection is what the poll found.
type detection struct {
	rule    *Rule
	frame   *frame // the frame that shows the banner
	present []string
	generic *genericBanner
	user    *frame // the user's selector is visible in this frame
}

type genericBanner struct {
	frame   *frame
	index   int
	text    string
	buttons []genericButton
}

type genericButton struct {
	Index int    `json:"index"`
	Label string `json:"label"`
	Href  string `json:"href"`
	class buttonClass
}

type probeResult struct {
	URL   string `json:"url"`
	Top   bool   `json:"top"`
	Rules []struct {
		Script  bool `json:"script"`
		Element bool `json:"element"`
		Banner  bool `json:"banner"`
		Frame   bool `json:"frame"`
		Paywall bool `json:"paywall"`
	} `json:"rules"`
}

type probeRule struct {
	Frame    string   `json:"frame,omitempty"`
	Scripts  []string `json:"scripts"`
	Elements []string `json:"elements"`
	Banner   []string `json:"banner"`
	Paywall  []string `json:"paywall"`
}

func (r *run) userSelector() string {
	switch r.action {
	case ActionAccept:
		return r.e.opts.AcceptSelector
	case ActionReject:
		return r.e.opts.RejectSelector
	}
	return ""
}

func (r *run) apply(ctx context.Context) error {
	det, err := r.detect(ctx)
	if err != nil {
		return err
	}
	switch {
	case det.rule != nil:
		return r.applyRule(ctx, det)
	case det.generic != nil:
		return r.applyGeneric(ctx, det.generic)
	case det.user != nil:
		r.out.BannerFound = true
		r.out.Platform = "user-selector"
		return r.applyUser(ctx, det.user, nil)
	}
	if len(det.present) > 0 {
		// The platform is on the page but shows no banner: a choice may be
		// stored already, the banner failed to load, or it hides from
		// automated browsers.
		r.out.Platform = det.present[0]
		r.out.Warning = fmt.Sprintf("consent script present (%s) but no banner appeared within %v: the banner may hide from automated browsers or be geo-targeted, or a choice was already stored",
			strings.Join(det.present, ", "), r.e.opts.BannerTimeout)
		rule := r.ruleByName(det.present[0])
		return r.applyHidden(ctx, rule)
	}
	if hints := r.consentHints(ctx); len(hints) > 0 {
		r.out.Warning = fmt.Sprintf("consent script present (%s) but no banner appeared within %v: the banner may hide from automated browsers or be geo-targeted",
			strings.Join(hints, ", "), r.e.opts.BannerTimeout)
	}
	r.out.Verification = fmt.Sprintf("no consent banner or platform found within %v", r.e.opts.BannerTimeout)
	r.out.VerificationState = StateUnverified
	if r.out.Warning != "" {
		r.out.Verification = "no banner appeared although a consent script is present"
	}
	if r.action == ActionNone {
		r.out.Verified = true
		r.out.VerificationState = StateVerified
		r.out.Verification = "no consent banner: nothing to do"
		if r.out.Warning != "" {
			r.out.Verified = false
			r.out.VerificationState = StateUnverified
			r.out.Verification = "no banner appeared although a consent script is present"
		}
	}
	r.readTCF(ctx)
	return nil
}

// consentHintScripts and consentHintGlobals name consent libraries and
// standard consent APIs that have no rule of their own: their presence
// without a banner is worth a warning.
var consentHintScripts = []string{"cookieconsent", "tarteaucitron", "orejime", "klaro", "cookie-consent", "cookie-banner", "cookiebanner"}

func consentHintGlobals() []string {
	return []string{"__tcfapi", "__gpp", "__uspapi", "CookieConsent", "cookieconsent", "tarteaucitron", "Orejime", "orejime", "klaro"}
}

// consentHints lists the consent scripts and APIs on the page.
func (r *run) consentHints(ctx context.Context) []string {
	js := fmt.Sprintf(`(() => {
  const out = [];
  for (const g of %s) { try { if (window[g] != null) out.push(g); } catch (e) {} }
  const urls = Array.from(document.scripts, (s) => s.src).filter(Boolean);
  for (const h of %s) { const u = urls.find((x) => x.toLowerCase().includes(h)); if (u) out.push(u.slice(0, 120)); }
  return out.slice(0, 8);
})()`, jsonString(consentHintGlobals()), jsonString(consentHintScripts))
	var out []string
	if err := r.t.mainEval(ctx, js, &out); err != nil {
		return nil
	}
	return out
}

func (r *run) ruleByName(name string) *Rule {
	for i := range r.e.rules {
		if r.e.rules[i].Name == name {
			return &r.e.rules[i]
		}
	}
	return nil
}

// detect polls the page until a banner shows or the timeout ends.
func (r *run) detect(ctx context.Context) (detection, error) {
	rules := r.e.rules
	spec := make([]probeRule, len(rules))
	var globals []string
	for i, rl := range rules {
		spec[i] = probeRule{Frame: rl.Frame, Scripts: rl.Detect.Scripts, Elements: rl.Detect.Elements, Banner: rl.Banner, Paywall: rl.PayWall}
		globals = append(globals, rl.Detect.Globals...)
	}
	start := time.Now()
	deadline := start.Add(r.e.opts.BannerTimeout)
	var last detection
	for {
		frames, err := r.t.refresh(ctx)
		if err != nil && ctx.Err() != nil {
			return last, err
		}
		if len(frames) > 0 {
			_ = r.t.registerClosedRoots(ctx, frames)
		}
		var gset map[string]bool
		if len(globals) > 0 {
			gset = r.globals(ctx, globals)
		}
		det := detection{}
		present := map[int]bool{}
		probes := make([]probeResult, len(frames))
		for fi, f := range frames {
			if err := r.t.call(ctx, f, "probe", &probes[fi], spec); err != nil {
				probes[fi] = probeResult{}
			}
		}
		for i, rl := range rules {
			for _, g := range rl.Detect.Globals {
				if gset[g] {
					present[i] = true
				}
			}
			for fi, p := range probes {
				if i >= len(p.Rules) {
					continue
				}
				h := p.Rules[i]
				if h.Script || h.Element || h.Frame {
					present[i] = true
				}
				if h.Banner && det.rule == nil {
					det.rule, det.frame = &rules[i], frames[fi]
					r.out.PayWall = h.Paywall
				}
			}
			if present[i] {
				det.present = append(det.present, rl.Name)
			}
		}
		if sel := r.userSelector(); sel != "" {
			for _, f := range frames {
				var vis bool
				if err := r.t.call(ctx, f, "anyVisible", &vis, []string{sel}); err == nil && vis {
					det.user = f
					break
				}
			}
		}
		if det.rule != nil {
			if det.rule != nil && !slices.Contains(det.present, det.rule.Name) {
				det.present = append(det.present, det.rule.Name)
			}
			return det, nil
		}
		if det.user != nil {
			return det, nil
		}
		// The generic fallback waits while a known platform is loading, but
		// not for ever: half the budget.
		if len(det.present) == 0 || time.Since(start) > r.e.opts.BannerTimeout/2 {
			if g := r.heuristic(ctx, frames); g != nil {
				det.generic = g
				return det, nil
			}
		}
		last = det
		if time.Now().After(deadline) {
			return last, nil
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return last, err
		}
	}
}

// globals reports which window properties exist in the page's main world.
func (r *run) globals(ctx context.Context, names []string) map[string]bool {
	js := fmt.Sprintf(`(() => { const out = {}; for (const n of %s) { try { out[n] = typeof window[n] !== 'undefined' && window[n] !== null; } catch (e) { out[n] = false; } } return out; })()`, jsonString(names))
	var m map[string]bool
	if err := r.t.mainEval(ctx, js, &m); err != nil {
		return nil
	}
	return m
}

// heuristic looks for a hand-made banner in every frame, top first, and
// keeps the first with a consent button.
func (r *run) heuristic(ctx context.Context, frames []*frame) *genericBanner {
	ordered := slices.Clone(frames)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].top && !ordered[j].top })
	for _, f := range ordered {
		var cands []struct {
			Index   int             `json:"index"`
			Text    string          `json:"text"`
			Buttons []genericButton `json:"buttons"`
		}
		if err := r.t.call(ctx, f, "heuristic", &cands); err != nil {
			continue
		}
		for _, c := range cands {
			g := &genericBanner{frame: f, index: c.Index, text: c.Text}
			useful := false
			for _, b := range c.Buttons {
				b.class = classifyLabel(b.Label)
				if b.class.Role != RoleOther {
					useful = true
				}
				g.buttons = append(g.buttons, b)
			}
			if useful {
				return g
			}
		}
	}
	return nil
}

// describe fills the first-layer buttons of a rule's banner.
func (r *run) describeRule(ctx context.Context, rule *Rule, f *frame) {
	seen := map[string]bool{}
	add := func(role string, sels []string) {
		var found []struct {
			Selector string `json:"selector"`
			Label    string `json:"label"`
		}
		if err := r.t.call(ctx, f, "buttons", &found, sels); err != nil {
			return
		}
		for _, b := range found {
			key := role + "\x00" + b.Label
			if seen[key] {
				continue
			}
			seen[key] = true
			label := b.Label
			if label == "" {
				label = b.Selector
			}
			r.out.Buttons = append(r.out.Buttons, cookie.ConsentButton{Label: label, Role: role})
			if role == RoleReject {
				r.out.RejectAtFirstLayer = true
			}
		}
	}
	add(RoleAccept, rule.Accept)
	add(RoleReject, rule.Reject)
	add(RoleSettings, rule.Settings)
}

func (r *run) version(ctx context.Context, rule *Rule) {
	if rule == nil || rule.Version == "" {
		return
	}
	var v any
	js := fmt.Sprintf(`(() => { try { const v = (%s); return v == null ? '' : String(v); } catch (e) { return ''; } })()`, rule.Version)
	if err := r.t.mainEval(ctx, js, &v); err == nil {
		if s, ok := v.(string); ok {
			r.out.PlatformVersion = s
		}
	}
}

// shootBanner records the banner (the object the helper's method returns,
// outlined, else the viewport) when no choice was shot: the before state's evidence, and a
// choice that could not be made. A click's own screenshot shows the banner
// too, so it is not taken twice.
func (r *run) shootBanner(ctx context.Context, f *frame, method string, args ...any) {
	if !r.e.opts.Screenshot || r.out.ScreenshotPNG != nil {
		return
	}
	obj, err := r.t.object(ctx, f, method, args...)
	if err != nil {
		// The banner's document went away (a settings layer replaced it,
		// say): the viewport as it is, without an outline.
		obj, f = "", nil
	}
	r.shootChoice(ctx, f, obj)
}

func (r *run) applyRule(ctx context.Context, det detection) error {
	rule, f := det.rule, det.frame
	r.out.Platform = rule.Name
	r.out.BannerFound = true
	r.version(ctx, rule)
	r.describeRule(ctx, rule, f)
	defer r.shootBanner(ctx, f, "find", rule.Banner, "")
	if r.action == ActionNone {
		r.verify(ctx, rule, nil)
		r.readTCF(ctx)
		return nil
	}
	if det.user != nil {
		// The user's selector wins over the rule.
		return r.applyUser(ctx, det.user, rule)
	}
	var err error
	if r.action == ActionAccept {
		err = r.clickTerminal(ctx, f, rule, rule.Accept)
	} else {
		err = r.rejectRule(ctx, rule, f)
	}
	if err != nil && r.apiFallback(ctx, rule) {
		err = nil
	}
	r.verify(ctx, rule, f)
	r.readTCF(ctx)
	return err
}

// rejectRule clicks the first-layer reject, else opens the settings layer
// and runs the rule's second-layer steps.
func (r *run) rejectRule(ctx context.Context, rule *Rule, f *frame) error {
	if r.out.RejectAtFirstLayer {
		if err := r.clickTerminal(ctx, f, rule, rule.Reject); err == nil {
			return nil
		}
	}
	if len(rule.Settings) == 0 || len(rule.SecondLayer) == 0 {
		if r.out.PayWall {
			return errors.New("consent-or-pay wall: no free reject option")
		}
		return errors.New("no reject option at the first layer and no settings layer in the rule")
	}
	if err := r.clickFirst(ctx, f, rule.Settings, "", stepTimeout, opensLayer); err != nil {
		return fmt.Errorf("open settings: %w", err)
	}
	for i, st := range rule.SecondLayer {
		done, err := r.step(ctx, f, st, requiredClick(rule.SecondLayer[i+1:]))
		if err != nil {
			if st.Optional {
				continue
			}
			return fmt.Errorf("second layer step %d: %w", i+1, err)
		}
		if done && st.Final {
			return nil
		}
	}
	return nil
}

// requiredClick is the click of the first step of steps that is not
// optional: once it is visible, the layer has rendered.
func requiredClick(steps []Step) []string {
	for _, st := range steps {
		if !st.Optional {
			return st.Click
		}
	}
	return nil
}

// step runs one second-layer step in any frame, banner frame first. done
// reports that it acted. layerShown is what shows that the layer has
// rendered (a later step's button): an optional click whose element is not
// there by then is not waited for (OneTrust's preference centre has a
// "reject all" on some sites only).
func (r *run) step(ctx context.Context, f *frame, st Step, layerShown []string) (bool, error) {
	timeout := stepTimeout
	if st.Optional {
		timeout = 700 * time.Millisecond
		if len(st.Click) > 0 && len(layerShown) > 0 {
			if _, _, err := r.waitFind(ctx, f, append(slices.Clone(st.Click), layerShown...), "", timeout); err != nil {
				return false, err
			}
			timeout = 0 // one look: the element is there now or not at all
		}
	}
	switch {
	case len(st.Click) > 0:
		if err := r.clickFirst(ctx, f, st.Click, st.Text, timeout, makesChoice); err != nil {
			return false, err
		}
		return true, nil
	case len(st.WaitFor) > 0:
		_, _, err := r.waitFind(ctx, f, st.WaitFor, "", timeout)
		return err == nil, err
	case len(st.Uncheck) > 0:
		frames, err := r.t.refresh(ctx)
		if err != nil {
			return false, err
		}
		total := 0
		for _, fr := range frames {
			var n int
			if err := r.t.call(ctx, fr, "uncheck", &n, st.Uncheck); err == nil {
				total += n
			}
		}
		if total > 0 {
			r.out.Clicked = append(r.out.Clicked, fmt.Sprintf("untick %d × %s", total, strings.Join(st.Uncheck, ", ")))
		}
		return total > 0, nil
	}
	return false, errors.New("empty step")
}

// waitFind polls every frame (preferring f) for a visible element.
func (r *run) waitFind(ctx context.Context, f *frame, sels []string, text string, timeout time.Duration) (*frame, string, error) {
	deadline := time.Now().Add(timeout)
	for {
		frames, err := r.t.refresh(ctx)
		if err != nil && ctx.Err() != nil {
			return nil, "", err
		}
		ordered := frames
		if f != nil {
			ordered = append([]*frame{f}, slices.DeleteFunc(slices.Clone(frames), func(x *frame) bool { return x.id == f.id })...)
		}
		for _, fr := range ordered {
			obj, err := r.t.object(ctx, fr, "find", sels, text)
			if err == nil && obj != "" {
				return fr, string(obj), nil
			}
		}
		if time.Now().After(deadline) {
			return nil, "", fmt.Errorf("none of %s visible within %v", strings.Join(sels, ", "), timeout)
		}
		if err := sleep(ctx, 150*time.Millisecond); err != nil {
			return nil, "", err
		}
	}
}

// clickFirst clicks the first visible element of sels and records it.
func (r *run) clickFirst(ctx context.Context, f *frame, sels []string, text string, timeout time.Duration, kind clickKind) error {
	fr, obj, err := r.waitFind(ctx, f, sels, text, timeout)
	if err != nil {
		return err
	}
	var label string
	_ = r.t.callOn(ctx, fr, remoteID(obj), "function(){return window.__cookiescan.label(this)}", &label)
	if kind == makesChoice {
		r.shootChoice(ctx, fr, remoteID(obj))
	}
	method, err := r.t.click(ctx, fr, remoteID(obj))
	if err != nil {
		return err
	}
	if label == "" {
		label = sels[0]
	}
	r.out.Clicked = append(r.out.Clicked, label)
	r.setMethod(method)
	return nil
}

// setMethod keeps the weakest path used: one DOM click among mouse clicks
// makes the whole sequence "dom".
func (r *run) setMethod(m string) {
	rank := map[string]int{"": 0, MethodMouse: 1, MethodSelector: 1, MethodDOM: 2, MethodAPI: 3}
	if rank[m] > rank[r.out.Method] {
		r.out.Method = m
	}
}

// apiFallback calls the platform's own JavaScript when clicking failed.
func (r *run) apiFallback(ctx context.Context, rule *Rule) bool {
	js := rule.API.Accept
	if r.action == ActionReject {
		js = rule.API.Reject
	}
	if js == "" {
		return false
	}
	wrapped := fmt.Sprintf(`(async () => { await (%s); return true; })()`, js)
	var ok bool
	if err := r.t.mainEval(ctx, wrapped, &ok); err != nil && !navigated(err) {
		r.out.Error = "api fallback: " + err.Error()
		return false
	}
	r.out.Clicked = append(r.out.Clicked, "api: "+js)
	r.out.Method = MethodAPI
	return true
}

// applyHidden handles a platform that is present without a visible banner.
func (r *run) applyHidden(ctx context.Context, rule *Rule) error {
	r.version(ctx, rule)
	if r.action == ActionNone {
		r.verify(ctx, rule, nil)
		r.out.Verification = "platform present, no banner shown; " + r.out.Verification
		r.readTCF(ctx)
		return nil
	}
	if rule != nil && r.apiFallback(ctx, rule) {
		r.verify(ctx, rule, nil)
		r.out.Verification = "no banner shown; used the platform's API; " + r.out.Verification
		r.readTCF(ctx)
		return nil
	}
	r.out.Verification = fmt.Sprintf("%s is present but showed no banner within %v and has no API fallback", r.out.Platform, r.e.opts.BannerTimeout)
	r.out.VerificationState = StateUnverified
	r.readTCF(ctx)
	return errors.New("no banner to " + r.action)
}

// applyUser clicks the user's selector in f and verifies with the rule's
// storage when a platform was detected, else generically.
func (r *run) applyUser(ctx context.Context, f *frame, rule *Rule) error {
	sel := r.userSelector()
	fr, obj, err := r.waitFind(ctx, f, []string{sel}, "", stepTimeout)
	if err != nil {
		return err
	}
	before := r.snapshot(ctx)
	r.shootChoice(ctx, fr, remoteID(obj))
	how, err := r.t.click(ctx, fr, remoteID(obj))
	if err != nil {
		return err
	}
	r.out.Clicked = append(r.out.Clicked, sel+" ("+how+")")
	r.out.Method = MethodSelector
	if rule != nil {
		r.verify(ctx, rule, f)
	} else {
		r.verifyGeneric(ctx, before, func(ctx context.Context) bool {
			var vis bool
			if err := r.t.call(ctx, fr, "anyVisible", &vis, []string{sel}); err != nil {
				return !navigated(err)
			}
			return vis
		})
	}
	r.readTCF(ctx)
	return nil
}

func orNone(c Choice) Choice {
	if c == ChoiceNone {
		return "none"
	}
	return c
}

func describe(d Decision) string {
	s := string(orNone(d.Choice))
	if d.Detail != "" {
		s += " (" + d.Detail + ")"
	}
	return s
}

// retryAfter is how long a banner may stay open after a final click before
// the click is taken as ignored and repeated once.
const retryAfter = 1500 * time.Millisecond

// clickTerminal clicks a choice that should close the banner. Some
// platforms show their buttons before their handlers are ready
// (tarteaucitron ignores clicks for 500 ms after showing its banner; the
// OneTrust SDK can lag its markup): a click that left the banner open and
// the button in place is repeated once, and the repeat is recorded.
func (r *run) clickTerminal(ctx context.Context, f *frame, rule *Rule, sels []string) error {
	if err := r.clickFirst(ctx, f, sels, "", stepTimeout, makesChoice); err != nil {
		return err
	}
	deadline := time.Now().Add(retryAfter)
	for time.Now().Before(deadline) {
		if !r.bannerVisible(ctx, rule) {
			return nil
		}
		if err := sleep(ctx, 150*time.Millisecond); err != nil {
			return err
		}
	}
	if _, _, err := r.waitFind(ctx, f, sels, "", 200*time.Millisecond); err != nil {
		return nil // the button went away: the click was taken
	}
	n := len(r.out.Clicked)
	if err := r.clickFirst(ctx, f, sels, "", stepTimeout, makesChoice); err != nil {
		return nil
	}
	if len(r.out.Clicked) > n {
		r.out.Clicked[len(r.out.Clicked)-1] += " (again: the first click was ignored)"
	}
	return nil
}

// bannerVisible reports whether any of the rule's banner selectors shows.
func (r *run) bannerVisible(ctx context.Context, rule *Rule) bool {
	frames, err := r.t.refresh(ctx)
	if err != nil {
		return false
	}
	for _, f := range frames {
		var vis bool
		if err := r.t.call(ctx, f, "anyVisible", &vis, rule.Banner); err == nil && vis {
			return true
		}
	}
	return false
}

// bannerState says whether the banner closed, as supporting evidence.
func (r *run) bannerState(ctx context.Context, rule *Rule) string {
	frames, err := r.t.refresh(ctx)
	if err != nil {
		return "banner state unknown"
	}
	for _, f := range frames {
		var vis bool
		if err := r.t.call(ctx, f, "anyVisible", &vis, rule.Banner); err == nil && vis {
			return "banner still visible"
		}
	}
	return "banner closed"
}

func (r *run) pageHost(ctx context.Context) string {
	for _, f := range r.t.frames {
		if f.top {
			if u, err := url.Parse(f.url); err == nil {
				return u.Hostname()
			}
		}
	}
	return ""
}

// readTCF fills the TCF state when the page has __tcfapi.
func (r *run) readTCF(ctx context.Context) {
	js := fmt.Sprintf(`new Promise((res) => {
  if (typeof window.__tcfapi !== 'function') return res(null);
  const t = setTimeout(() => res(null), %d);
  try {
    window.__tcfapi('addEventListener', 2, (d, ok) => {
      if (!ok || !d) return;
      clearTimeout(t);
      try { window.__tcfapi('removeEventListener', 2, () => {}, d.listenerId); } catch (e) {}
      res({tcString: d.tcString || '', cmpId: d.cmpId || 0, cmpVersion: d.cmpVersion || 0, gdprApplies: !!d.gdprApplies});
    });
  } catch (e) { clearTimeout(t); res(null); }
})`, tcfTimeoutMS)
	var d *struct {
		TCString    string `json:"tcString"`
		CMPID       int    `json:"cmpId"`
		CMPVersion  int    `json:"cmpVersion"`
		GDPRApplies bool   `json:"gdprApplies"`
	}
	if err := r.t.mainEval(ctx, js, &d); err != nil || d == nil {
		return
	}
	st := &cookie.TCFState{CMPID: d.CMPID, CMPVersion: d.CMPVersion, TCString: d.TCString, GDPRApplies: d.GDPRApplies,
		PurposeConsents: []int{}, VendorConsents: []int{}}
	if d.TCString != "" {
		if tc, err := DecodeTCString(d.TCString); err == nil {
			st.PurposeConsents, st.VendorConsents = tc.PurposeConsents, tc.VendorConsents
			if st.CMPID == 0 {
				st.CMPID, st.CMPVersion = tc.CMPID, tc.CMPVersion
			}
		}
	}
	r.out.TCF = st
}
