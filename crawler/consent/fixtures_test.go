package consent

import (
	"strings"
	"testing"

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
		{name: "generic-delayed", url: "https://www.cmp-generic-delayed.test/", platform: "generic", rejectFirst: true},
		{name: "generic-da", url: "https://www.cmp-generic-da.test/", platform: "generic", rejectFirst: true},
		{name: "generic-de-settings", url: "https://www.cmp-generic-de.test/", platform: "generic"},
		{name: "generic-ok-only", url: "https://www.cmp-generic-okonly.test/", platform: "generic", noReject: true},
	}
}

func TestFixtures(t *testing.T) {
	e, err := New(Options{Screenshot: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range fixtureCases() {
		for _, action := range []string{ActionNone, ActionAccept, ActionReject} {
			t.Run(tc.name+"/"+action, func(t *testing.T) {
				ctx := browserTab(t)
				res, err := runState(ctx, e, tc.url, action)
				if err != nil {
					t.Fatalf("run: %v", err)
				}
				o := res.Outcome
				t.Logf("%s %s: %+v (%v)", tc.name, action, summaryOf(o), res.Duration)
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
			})
		}
	}
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
	b.WriteString(" (" + o.Verification + ")")
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
	if len(o.Buttons) == 0 {
		t.Errorf("no first-layer buttons recorded")
	}
	if len(o.ScreenshotPNG) < 100 || string(o.ScreenshotPNG[1:4]) != "PNG" {
		t.Errorf("no PNG screenshot of the banner (%d bytes)", len(o.ScreenshotPNG))
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
		if !o.Verified {
			t.Errorf("%s not verified: %s (error %q)", action, o.Verification, o.Error)
		}
		if len(o.Clicked) == 0 || o.Method == "" {
			t.Errorf("no click recorded: clicked %v method %q", o.Clicked, o.Method)
		}
	}
}
