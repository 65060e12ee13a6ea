package consent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/cookiescan/cookiescan/cookie"
)

func remoteID(s string) runtime.RemoteObjectID { return runtime.RemoteObjectID(s) }

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// best returns the highest-scoring button of a role, or nil.
func (g *genericBanner) best(role string) *genericButton {
	var out *genericButton
	for i := range g.buttons {
		b := &g.buttons[i]
		if b.class.Role == role && (out == nil || b.class.Score > out.class.Score) {
			out = b
		}
	}
	return out
}

func (r *run) describeGeneric(g *genericBanner) {
	for _, b := range g.buttons {
		r.out.Buttons = append(r.out.Buttons, cookie.ConsentButton{Label: b.Label, Role: b.class.Role})
		if b.class.Role == RoleReject {
			r.out.RejectAtFirstLayer = true
		}
		if b.class.Pay {
			r.out.PayWall = true
		}
	}
}

// applyGeneric operates a hand-made banner found by the heuristic.
func (r *run) applyGeneric(ctx context.Context, g *genericBanner) error {
	r.out.Platform = "generic"
	r.out.BannerFound = true
	r.describeGeneric(g)
	defer r.shootBanner(ctx, g.frame, "banner", g.index)
	if r.action == ActionNone {
		r.setVerdict(verdict{state: StateVerified, text: "hand-made banner shown; nothing clicked"})
		r.readTCF(ctx)
		return nil
	}
	before := r.snapshot(ctx)
	var target *genericButton
	if r.action == ActionAccept {
		target = g.best(RoleAccept)
		if target == nil {
			r.out.Verification = "the banner has no accept button"
			return errors.New("no accept option on the banner")
		}
	} else {
		target = g.best(RoleReject)
		if target == nil {
			return r.genericSettingsReject(ctx, g, before)
		}
	}
	if err := r.clickGeneric(ctx, g, target, makesChoice); err != nil {
		return err
	}
	r.verifyGeneric(ctx, before, r.genericVisible(g))
	r.readTCF(ctx)
	return nil
}

func (r *run) genericVisible(g *genericBanner) func(context.Context) bool {
	return func(ctx context.Context) bool {
		var vis bool
		if err := r.t.call(ctx, g.frame, "bannerVisible", &vis, g.index); err != nil {
			// The document went away with the banner in it.
			return !navigated(err)
		}
		return vis
	}
}

func (r *run) clickGeneric(ctx context.Context, g *genericBanner, b *genericButton, kind clickKind) error {
	obj, err := r.t.object(ctx, g.frame, "button", b.Index)
	if err != nil {
		return fmt.Errorf("find %q: %w", b.Label, err)
	}
	if obj == "" {
		return fmt.Errorf("button %q went away", b.Label)
	}
	if kind == makesChoice {
		r.shootChoice(ctx, g.frame, obj)
	}
	method, err := r.t.click(ctx, g.frame, obj)
	if err != nil {
		return fmt.Errorf("click %q: %w", b.Label, err)
	}
	r.out.Clicked = append(r.out.Clicked, b.Label)
	r.setMethod(method)
	return nil
}

// genericSettingsReject rejects through a settings layer: open it, look for
// a reject there, else untick every box and save.
func (r *run) genericSettingsReject(ctx context.Context, g *genericBanner, before map[string]string) error {
	settings := g.best(RoleSettings)
	if settings == nil {
		if r.out.PayWall {
			r.out.Verification = "consent-or-pay wall: the only alternative to accepting is paying; not paid"
			return errors.New("consent-or-pay wall: no free reject option")
		}
		r.out.Verification = "no reject option: the banner offers no reject and no settings layer"
		return errors.New("no reject option on the banner")
	}
	if err := r.clickGeneric(ctx, g, settings, opensLayer); err != nil {
		return err
	}
	// The second layer is a new banner state; rescan until it shows.
	deadline := time.Now().Add(stepTimeout)
	for {
		frames, err := r.t.refresh(ctx)
		if err == nil {
			if g2 := r.heuristic(ctx, frames); g2 != nil {
				if b := g2.best(RoleReject); b != nil {
					if err := r.clickGeneric(ctx, g2, b, makesChoice); err != nil {
						return err
					}
					r.verifyGeneric(ctx, before, r.genericVisible(g2))
					r.readTCF(ctx)
					return nil
				}
				if save := g2.best(RoleSave); save != nil {
					var n int
					for _, f := range frames {
						var k int
						if err := r.t.call(ctx, f, "uncheck", &k, []string{"input[type=checkbox]", "[role=switch]", "[role=checkbox]"}); err == nil {
							n += k
						}
					}
					r.out.Clicked = append(r.out.Clicked, fmt.Sprintf("untick %d boxes", n))
					if err := r.clickGeneric(ctx, g2, save, makesChoice); err != nil {
						return err
					}
					r.verifyGeneric(ctx, before, r.genericVisible(g2))
					r.readTCF(ctx)
					return nil
				}
			}
		}
		if time.Now().After(deadline) {
			r.out.Verification = "settings layer opened but it offers neither reject nor save"
			return errors.New("no reject option in the settings layer")
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

// snapshot reads the cookies of the browser context and the top frame's
// localStorage, as name → value, to see what a click wrote.
func (r *run) snapshot(ctx context.Context) map[string]string {
	out := map[string]string{}
	c := chromedp.FromContext(ctx)
	if res, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: c.BrowserContextID}); err == nil {
		for _, ck := range res.Cookies {
			out["cookie "+ck.Name+"@"+ck.Domain] = ck.Value
		}
	}
	var ls map[string]string
	js := `(() => { const o = {}; try { for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); o[k] = localStorage.getItem(k); } } catch (e) {} return o; })()`
	if err := r.t.mainEval(ctx, js, &ls); err == nil {
		for k, v := range ls {
			out["localStorage "+k] = v
		}
	}
	return out
}

// verifyGeneric proves a choice on a hand-made banner the only way there is
// without knowing the platform: the banner closed and the click stored
// something (a cookie or a localStorage key appeared or changed).
func (r *run) verifyGeneric(ctx context.Context, before map[string]string, visible func(context.Context) bool) {
	deadline := time.Now().Add(verifyTimeout)
	for {
		after := r.snapshot(ctx)
		var changed []string
		for k, v := range after {
			if old, ok := before[k]; !ok || old != v {
				changed = append(changed, k)
			}
		}
		sort.Strings(changed)
		gone := !visible(ctx)
		if gone && len(changed) > 0 {
			if key := contradicts(r.action, changed, after); key != "" {
				r.setVerdict(verdict{state: StateContradicted, source: key,
					text: fmt.Sprintf("banner closed but the stored value reads as the opposite choice: %s", summarize(changed, after))})
				return
			}
			r.setVerdict(verdict{state: StateVerified, source: "banner closed and " + summarizeKeys(changed),
				text: "hand-made banner closed and the click stored " + summarize(changed, after)})
			return
		}
		if time.Now().After(deadline) {
			switch {
			case !gone:
				r.setVerdict(verdict{state: StateUnverified, text: "the banner is still visible after the click"})
			default:
				r.setVerdict(verdict{state: StateUnverified, text: "the banner closed but nothing was stored: the choice will not survive the next page"})
			}
			return
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return
		}
	}
}

func summarize(keys []string, vals map[string]string) string {
	var parts []string
	for i, k := range keys {
		if i == 4 {
			parts = append(parts, fmt.Sprintf("and %d more", len(keys)-4))
			break
		}
		v := vals[k]
		if len(v) > 60 {
			v = v[:60] + "…"
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ", ")
}

// contradicts returns the consent-looking stored key whose value says the
// opposite of what was asked ("rejected" after accept, "all" after reject),
// or "".
func contradicts(action string, keys []string, vals map[string]string) string {
	for _, k := range keys {
		name := strings.ToLower(k)
		if !strings.Contains(name, "consent") && !strings.Contains(name, "cookie_") && !strings.Contains(name, "samtykke") {
			continue
		}
		v := strings.ToLower(vals[k])
		switch action {
		case ActionAccept:
			if v == "rejected" || v == "deny" || v == "denied" || v == "necessary" || v == "false" {
				return k
			}
		case ActionReject:
			if v == "accepted" || v == "all" || v == "allow" || v == "granted" || v == "true" {
				return k
			}
		}
	}
	return ""
}

// summarizeKeys names the first stored keys, for a verification source.
func summarizeKeys(keys []string) string {
	if len(keys) > 3 {
		return strings.Join(keys[:3], ", ") + fmt.Sprintf(" and %d more", len(keys)-3)
	}
	return strings.Join(keys, ", ")
}
