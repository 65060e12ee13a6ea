package consent

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/cookie"
)

// fixtureCase is one consent fixture site and what each state must show.
type fixtureCase struct {
	name     string
	url      string
	platform string
	// rejectFirst is whether the first layer offers a reject.
	rejectFirst bool
	// noReject: the banner has no way to reject at all.
	noReject bool
	// payWall: a consent-or-pay wall, recorded and never paid.
	payWall bool
	// lib: the page runs a real consent library from npm (see libs_test.go).
	lib bool
}

func fixtureCases() []fixtureCase {
	return []fixtureCase{
		{name: "cookiebot", url: "https://www.cmp-cookiebot.test/", platform: "Cookiebot", rejectFirst: true},
		{name: "onetrust", url: "https://www.cmp-onetrust.test/", platform: "OneTrust", rejectFirst: true},
		{name: "onetrust-pc", url: "https://www.cmp-onetrust-pc.test/", platform: "OneTrust"},
		{name: "cookieinformation", url: "https://www.cmp-cookieinformation.test/", platform: "Cookie Information"},
		{name: "usercentrics-v3-closed-shadow", url: "https://www.cmp-usercentrics.test/", platform: "Usercentrics", rejectFirst: true},
		{name: "usercentrics-v2-open-shadow", url: "https://www.cmp-usercentrics-v2.test/", platform: "Usercentrics", rejectFirst: true},
		{name: "sourcepoint-iframe", url: "https://www.cmp-sourcepoint.test/", platform: "Sourcepoint", rejectFirst: true},
		{name: "trustarc-iframe-prefs", url: "https://www.cmp-trustarc.test/", platform: "TrustArc"},
		{name: "didomi", url: "https://www.cmp-didomi.test/", platform: "Didomi", rejectFirst: true},
		{name: "cookieyes", url: "https://www.cmp-cookieyes.test/", platform: "CookieYes", rejectFirst: true},
		{name: "complianz-reload", url: "https://www.cmp-complianz.test/", platform: "Complianz", rejectFirst: true},
		{name: "consentmanager-shadow-tc-cookie", url: "https://www.cmp-consentmanager.test/", platform: "consentmanager.net", rejectFirst: true},
		{name: "borlabs-configured-groups", url: "https://www.cmp-borlabs.test/", platform: "Borlabs Cookie", rejectFirst: true},
		{name: "quantcast-reject-second-layer-fr", url: "https://www.cmp-quantcast.test/", platform: "Quantcast Choice"},
		{name: "osano-en-api-only", url: "https://www.cmp-osano.test/", platform: "Osano", rejectFirst: true},
		{name: "iubenda-it", url: "https://www.cmp-iubenda.test/", platform: "iubenda", rejectFirst: true},
		{name: "cookiefirst-nl", url: "https://www.cmp-cookiefirst.test/", platform: "CookieFirst", rejectFirst: true},
		{name: "termly-en-localstorage", url: "https://www.cmp-termly.test/", platform: "Termly", rejectFirst: true},
		{name: "axeptio-fr-shadow", url: "https://www.cmp-axeptio.test/", platform: "Axeptio", rejectFirst: true},
		{name: "cookiescript-es", url: "https://www.cmp-cookiescript.test/", platform: "Cookie-Script", rejectFirst: true},
		{name: "civic-en", url: "https://www.cmp-civic.test/", platform: "Civic Cookie Control", rejectFirst: true},
		{name: "moove-sv-reject-second-layer", url: "https://www.cmp-moove.test/", platform: "Moove GDPR"},
		{name: "fundingchoices-no", url: "https://www.cmp-fundingchoices.test/", platform: "Google Funding Choices", rejectFirst: true},
		{name: "lib-vanilla-cookieconsent-nl", url: "https://www.lib-vanilla-cookieconsent.test/", platform: "vanilla-cookieconsent", rejectFirst: true, lib: true},
		{name: "lib-klaro-de", url: "https://www.lib-klaro.test/", platform: "Klaro", rejectFirst: true, lib: true},
		{name: "lib-tarteaucitron-fr-click-guard", url: "https://www.lib-tarteaucitron.test/", platform: "tarteaucitron", rejectFirst: true, lib: true},
		{name: "lib-orejime-fi", url: "https://www.lib-orejime.test/", platform: "Orejime", rejectFirst: true, lib: true},
		{name: "lib-cookieconsent-pl-generic", url: "https://www.lib-cookieconsent.test/", platform: "generic", rejectFirst: true, lib: true},
		{name: "generic-delayed", url: "https://www.cmp-generic-delayed.test/", platform: "generic", rejectFirst: true},
		{name: "generic-da", url: "https://www.cmp-generic-da.test/", platform: "generic", rejectFirst: true},
		{name: "generic-de-settings", url: "https://www.cmp-generic-de.test/", platform: "generic"},
		{name: "generic-ok-only", url: "https://www.cmp-generic-okonly.test/", platform: "generic", noReject: true},
		{name: "generic-paywall", url: "https://www.cmp-generic-paywall.test/", platform: "generic", noReject: true, payWall: true},
	}
}

// TestFixtures runs every consent fixture in every state and checks the
// outcome and the cookies that follow. At the end it logs the success rate
// (verified accept and reject over all fixture platforms) and the mean time
// of Apply per state:
//
//	go test ./crawler/consent -run TestFixtures -v | grep -E 'success rate|per state'
func TestFixtures(t *testing.T) {
	e, err := New(Options{Screenshot: true})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var results []rateResult
	t.Cleanup(func() {
		if len(results) > 0 {
			t.Log(successRate(results))
			t.Log(resultTable(results))
		}
	})
	for _, tc := range fixtureCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.lib {
				requireLibs(t)
			}
			for _, action := range []string{ActionNone, ActionAccept, ActionReject} {
				t.Run(action, func(t *testing.T) {
					ctx := browserTab(t)
					res, err := runState(ctx, e, tc.url, action)
					if err != nil {
						t.Fatalf("run: %v", err)
					}
					o := res.Outcome
					t.Logf("%s %s: %s (%v)", tc.name, action, summaryOf(o), res.Duration)
					checkOutcome(t, tc, action, o)
					mkt := hasCookie(res.Cookies, "mkt_id")
					tp := hasCookie(res.Cookies, "trk_uid")
					switch action {
					case ActionAccept:
						if !mkt || !tp {
							t.Errorf("after accept: want mkt_id and third-party trk_uid, jar has %s", cookieNames(res.Cookies))
						}
					default:
						if mkt || tp {
							t.Errorf("after %s: marketing cookies set: %s", action, cookieNames(res.Cookies))
						}
					}
					mu.Lock()
					results = append(results, rateResult{fixture: tc.name, action: action, verified: o.Verified,
						possible: !(action == ActionReject && tc.noReject), cookiesOK: !t.Failed(), d: res.Duration,
						clicked: strings.Join(o.Clicked, " > "), state: o.VerificationState, source: o.VerificationSource})
					mu.Unlock()
				})
			}
		})
	}
}

// rateResult is one state of one fixture, for the success rate.
type rateResult struct {
	fixture, action string
	verified        bool
	possible        bool // false where the banner offers no such choice
	cookiesOK       bool
	d               time.Duration
	clicked         string
	state, source   string
}

// resultTable prints, per fixture, what accept and reject clicked, the
// verification state and the record that decided it.
func resultTable(rs []rateResult) string {
	byFixture := map[string]map[string]rateResult{}
	var names []string
	for _, r := range rs {
		if byFixture[r.fixture] == nil {
			byFixture[r.fixture] = map[string]rateResult{}
			names = append(names, r.fixture)
		}
		byFixture[r.fixture][r.action] = r
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("\n| fixture | accept clicked | accept | accept source | reject clicked | reject | reject source |\n|---|---|---|---|---|---|---|\n")
	cell := func(s string) string { return strings.ReplaceAll(cmpOr(s, "-"), "|", "/") }
	for _, n := range names {
		a, r := byFixture[n][ActionAccept], byFixture[n][ActionReject]
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", n, cell(a.clicked), cell(a.state), cell(a.source), cell(r.clicked), cell(r.state), cell(r.source))
	}
	return b.String()
}

// successRate summarises: verified accept and reject over the fixtures where
// the choice exists, and the mean Apply time per state.
func successRate(rs []rateResult) string {
	var ok, total int
	var failed []string
	sum := map[string]time.Duration{}
	n := map[string]int{}
	for _, r := range rs {
		sum[r.action] += r.d
		n[r.action]++
		if r.action == ActionNone || !r.possible {
			continue
		}
		total++
		if r.verified && r.cookiesOK {
			ok++
		} else {
			failed = append(failed, r.fixture+"/"+r.action)
		}
	}
	sort.Strings(failed)
	var b strings.Builder
	fmt.Fprintf(&b, "consent success rate: %d/%d verified accept+reject (%.1f%%)", ok, total, 100*float64(ok)/float64(max(total, 1)))
	if len(failed) > 0 {
		fmt.Fprintf(&b, "; failed: %s", strings.Join(failed, ", "))
	}
	b.WriteString("\nmean Apply time per state:")
	for _, a := range []string{ActionNone, ActionAccept, ActionReject} {
		if n[a] > 0 {
			fmt.Fprintf(&b, " %s %v (n=%d)", a, (sum[a] / time.Duration(n[a])).Round(time.Millisecond), n[a])
		}
	}
	return b.String()
}

func summaryOf(o cookie.ConsentOutcome) string {
	o.ScreenshotPNG = nil
	var b strings.Builder
	b.WriteString(o.Platform)
	for _, x := range o.Buttons {
		b.WriteString(" [" + x.Role + ":" + x.Label + "]")
	}
	b.WriteString(" clicked=" + strings.Join(o.Clicked, ">") + " method=" + o.Method)
	b.WriteString(" verified=")
	if o.Verified {
		b.WriteString("yes")
	} else {
		b.WriteString("no")
	}
	b.WriteString(" state=" + o.VerificationState + " source=" + cmpOr(o.VerificationSource, "-"))
	b.WriteString(" (" + o.Verification + ")")
	if o.Warning != "" {
		b.WriteString(" warning=" + o.Warning)
	}
	if o.Error != "" {
		b.WriteString(" error=" + o.Error)
	}
	return b.String()
}

func checkOutcome(t *testing.T, tc fixtureCase, action string, o cookie.ConsentOutcome) {
	t.Helper()
	if o.Platform != tc.platform {
		t.Errorf("platform %q, want %q", o.Platform, tc.platform)
	}
	if !o.BannerFound {
		t.Errorf("banner not found")
	}
	if o.RejectAtFirstLayer != tc.rejectFirst {
		t.Errorf("RejectAtFirstLayer=%v, want %v (buttons %+v)", o.RejectAtFirstLayer, tc.rejectFirst, o.Buttons)
	}
	if o.PayWall != tc.payWall {
		t.Errorf("PayWall=%v, want %v", o.PayWall, tc.payWall)
	}
	if len(o.Buttons) == 0 {
		t.Errorf("no first-layer buttons recorded")
	}
	if len(o.ScreenshotPNG) < 100 || string(o.ScreenshotPNG[1:4]) != "PNG" {
		t.Errorf("no PNG screenshot of the banner (%d bytes)", len(o.ScreenshotPNG))
	}
	if len(o.ScreenshotPNG) > 512<<10 {
		t.Errorf("screenshot of %d bytes: not bounded", len(o.ScreenshotPNG))
	}
	switch {
	case action == ActionNone:
		if len(o.Clicked) != 0 {
			t.Errorf("before state clicked %v", o.Clicked)
		}
		if !o.Verified {
			t.Errorf("before state not verified: %s", o.Verification)
		}
	case action == ActionReject && tc.noReject:
		if o.Verified {
			t.Errorf("reject verified on a banner without reject: %s", o.Verification)
		}
	default:
		if !o.Verified || o.VerificationState != StateVerified || o.VerificationSource == "" {
			t.Errorf("%s not verified from a named record: state %q source %q: %s (error %q)", action, o.VerificationState, o.VerificationSource, o.Verification, o.Error)
		}
		if len(o.Clicked) == 0 || o.Method == "" {
			t.Errorf("no click recorded: clicked %v method %q", o.Clicked, o.Method)
		}
	}
}
