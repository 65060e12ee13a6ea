package consent

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecoders(t *testing.T) {
	cbReject := url.QueryEscape("{stamp:'-3R6kVz0Cg+Ys2Vq4Lx1pQ==',necessary:true,preferences:false,statistics:false,marketing:false,method:'explicit',ver:1,utc:1700000000000,region:'dk'}")
	cbAccept := url.QueryEscape("{stamp:'abc,def',necessary:true,preferences:true,statistics:true,marketing:true,method:'explicit',ver:3,utc:1700000000000,iab2:'',region:'de'}")
	cbPartial := "{stamp:'x',necessary:true,preferences:true,statistics:false,marketing:false,method:'explicit',ver:1}"
	cbImplied := "{stamp:'x',necessary:true,preferences:true,statistics:true,marketing:true,method:'implied',ver:1}"
	otReject := "isGpcEnabled=0&datestamp=Sat+Nov+21+2026+10%3A00%3A00+GMT%2B0100&version=202409.1.0&isIABGlobal=false&hosts=&consentId=a1&interactionCount=1&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A0%2CC0003%3A0%2CC0004%3A0&geolocation=DK%3B84&AwaitingReconsent=false"
	otAccept := strings.ReplaceAll(otReject, "%3A0", "%3A1")
	otDefaults := strings.Replace(otAccept, "interactionCount=1", "interactionCount=0", 1)
	ciReject := url.QueryEscape(`{"website_uuid":"w","timestamp":"2026-11-21T10:00:00Z","consent_url":"https://x.dk/","consent_website":"x.dk","consent_domain":"x.dk","user_uid":"u","consents_approved":["cookie_cat_necessary"],"consents_denied":["cookie_cat_functional","cookie_cat_statistic","cookie_cat_marketing","cookie_cat_unclassified"],"user_agent":"ua"}`)
	ciAccept := url.QueryEscape(`{"consents_approved":["cookie_cat_necessary","cookie_cat_functional","cookie_cat_statistic","cookie_cat_marketing","cookie_cat_unclassified"],"consents_denied":[]}`)
	didomi := func(enabled, disabled string) string {
		return base64.StdEncoding.EncodeToString([]byte(`{"user_id":"u","created":"2026-11-21T10:00:00Z","purposes":{"enabled":[` + enabled + `],"disabled":[` + disabled + `]},"version":2}`))
	}
	ucDeny := `{"controllerId":"c","services":[{"id":"ess","status":true,"history":[{"action":"onInitialPageLoad","status":true},{"action":"onDenyAllBtnClick","status":true}]},{"id":"ga","status":false,"history":[{"action":"onDenyAllBtnClick","status":false}]}]}`
	ucAccept := strings.ReplaceAll(strings.ReplaceAll(ucDeny, "onDenyAllBtnClick", "onAcceptAllBtnClick"), `"status":false`, `"status":true`)
	ucInitial := `{"services":[{"id":"ga","status":false,"history":[{"action":"onInitialPageLoad","status":false}]}]}`

	tests := []struct {
		name, decoder, value string
		want                 Choice
		wantErr              bool
	}{
		{"cookiebot reject, not JSON and URL-encoded", "cookiebot", cbReject, ChoiceReject, false},
		{"cookiebot accept, comma inside a quoted value", "cookiebot", cbAccept, ChoiceAccept, false},
		{"cookiebot partial", "cookiebot", cbPartial, ChoicePartial, false},
		{"cookiebot implied is still read as accept", "cookiebot", cbImplied, ChoiceAccept, false},
		{"cookiebot -1 is no choice", "cookiebot", "-1", ChoiceNone, false},
		{"cookiebot garbage", "cookiebot", "hello", "", true},
		{"cookiebot missing marketing", "cookiebot", "{necessary:true,preferences:true,statistics:true}", "", true},
		{"onetrust reject groups", "onetrust", otReject, ChoiceReject, false},
		{"onetrust accept groups", "onetrust", otAccept, ChoiceAccept, false},
		{"onetrust defaults without interaction are no choice", "onetrust", otDefaults, ChoiceNone, false},
		{"onetrust empty groups (US)", "onetrust", "isGpcEnabled=0&groups=&interactionCount=1", ChoiceNone, false},
		{"onetrust malformed group", "onetrust", "groups=C0001", "", true},
		{"cookie information reject", "cookieinformation", ciReject, ChoiceReject, false},
		{"cookie information accept", "cookieinformation", ciAccept, ChoiceAccept, false},
		{"cookie information not JSON", "cookieinformation", "%7Bnope", "", true},
		{"usercentrics deny keeps essential on", "usercentrics", ucDeny, ChoiceReject, false},
		{"usercentrics accept", "usercentrics", ucAccept, ChoiceAccept, false},
		{"usercentrics initial load is no choice", "usercentrics", ucInitial, ChoiceNone, false},
		{"usercentrics no services", "usercentrics", `{"services":[]}`, "", true},
		{"didomi reject", "didomi", didomi(``, `"cookies","select_basic_ads"`), ChoiceReject, false},
		{"didomi accept", "didomi", didomi(`"cookies","select_basic_ads"`, ``), ChoiceAccept, false},
		{"didomi before choice", "didomi", base64.StdEncoding.EncodeToString([]byte(`{"user_id":"u","version":null}`)), ChoiceNone, false},
		{"trustarc required only", "trustarc", "permit%201%20required", ChoiceReject, false},
		{"trustarc all", "trustarc", "permit 1,2,3", ChoiceAccept, false},
		{"trustarc garbage", "trustarc", "0:", "", true},
		{"cookieyes reject", "cookieyes", "consentid:eHh4,consent:no,action:yes,necessary:yes,functional:no,analytics:no,performance:no,advertisement:no,other:no", ChoiceReject, false},
		{"cookieyes accept", "cookieyes", "consentid:eHh4,consent:yes,action:yes,necessary:yes,functional:yes,analytics:yes,performance:yes,advertisement:yes", ChoiceAccept, false},
		{"cookieyes before action", "cookieyes", "consentid:eHh4,consent:no,action:,necessary:yes,advertisement:no", ChoiceNone, false},
		{"complianz deny", "complianz", "deny", ChoiceReject, false},
		{"complianz allow", "complianz", "allow", ChoiceAccept, false},
		{"complianz other", "complianz", "maybe", "", true},
		{"borlabs essential only", "borlabs", url.QueryEscape(`{"consents":{"essential":["borlabs-cookie"]},"uid":"anonymous","version":"1"}`), ChoiceReject, false},
		{"borlabs all", "borlabs", `{"consents":{"essential":["borlabs-cookie"],"statistics":["google-analytics"],"marketing":["facebook-pixel"],"external-media":["youtube"]}}`, ChoiceAccept, false},
		{"osano deny", "osano", `{"ANALYTICS":"DENY","MARKETING":"DENY","PERSONALIZATION":"DENY","ESSENTIAL":"ACCEPT"}`, ChoiceReject, false},
		{"iubenda purposes reject", "iubenda", url.QueryEscape(`{"timestamp":"t","version":"1.60","purposes":{"1":true,"2":false,"3":false,"4":false,"5":false},"id":123}`), ChoiceReject, false},
		{"iubenda old consent true", "iubenda", `{"consent":true}`, ChoiceAccept, false},
		{"cookiefirst reject", "cookiefirst", url.QueryEscape(`{"necessary":true,"performance":false,"functional":false,"advertising":false,"type":"category"}`), ChoiceReject, false},
		{"termly accept", "termly", `{"TERMLY_COOKIE_CONSENT":{"value":{"essential":true,"performance":true,"analytics":true,"advertising":true,"social_networking":true,"unclassified":true}}}`, ChoiceAccept, false},
		{"axeptio not completed", "axeptio", url.QueryEscape(`{"$$token":"t","$$date":"d","google_analytics":false,"$$completed":false}`), ChoiceNone, false},
		{"axeptio reject", "axeptio", `{"$$token":"t","google_analytics":false,"facebook_pixel":false,"$$completed":true}`, ChoiceReject, false},
		{"klaro reject leaves required on", "klaro", url.QueryEscape(`{"session":true,"matomo":false,"youtube":false}`), ChoiceReject, false},
		{"cookie-script reject", "cookiescript", url.QueryEscape(`{"action":"reject","categories":"[]","key":"k","consenttime":1700000000}`), ChoiceReject, false},
		{"cookie-script accept", "cookiescript", `{"action":"accept","categories":"[\"targeting\",\"performance\"]"}`, ChoiceAccept, false},
		{"civic revoked", "civic", url.QueryEscape(`{"necessaryCookies":[],"optionalCookies":{"analytics":"revoked","marketing":"revoked"},"interactedWith":true}`), ChoiceReject, false},
		{"civic not interacted", "civic", `{"optionalCookies":{"analytics":"accepted"},"interactedWith":false}`, ChoiceNone, false},
		{"moove reject", "moove", url.QueryEscape(`{"strict":"1","thirdparty":"0","advanced":"0"}`), ChoiceReject, false},
		{"moove accept", "moove", `{"strict":"1","thirdparty":"1","advanced":"1"}`, ChoiceAccept, false},
		{"tcf reject", "tcf", encodeTC(t, TCString{Version: 2, CMPID: 6}), ChoiceReject, false},
		{"tcf accept", "tcf", encodeTC(t, TCString{Version: 2, CMPID: 6, PurposeConsents: seq(1, 10), VendorConsents: []int{1, 755}}), ChoiceAccept, false},
		{"funding choices holds a TC string", "fundingchoices", url.QueryEscape(`[null,null,null,[` + jsonString(encodeTC(t, TCString{Version: 2, CMPID: 300})) + `,"1~"],null,null,[]]`), ChoiceReject, false},
		{"funding choices without TC string", "fundingchoices", `[null,[]]`, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(tc.decoder, tc.value)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("want error, got %+v", d)
				}
				if !errors.Is(err, ErrUndecodable) {
					t.Errorf("error %v does not wrap ErrUndecodable", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if d.Choice != tc.want {
				t.Errorf("choice %q, want %q (detail %s)", d.Choice, tc.want, d.Detail)
			}
		})
	}
}

func TestDecodeUnknownDecoder(t *testing.T) {
	if _, err := Decode("nope", "x"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("want an error naming the decoder, got %v", err)
	}
	for _, n := range decoderNames() {
		if _, ok := decoderFor(n); !ok {
			t.Errorf("decoderNames lists %q but decoderFor does not know it", n)
		}
	}
}

func seq(a, b int) []int {
	var out []int
	for i := a; i <= b; i++ {
		out = append(out, i)
	}
	return out
}

// bitWriter is the test's own encoder of TC strings, written from the IAB
// field table independently of the decoder.
type bitWriter struct{ bits []byte }

func (w *bitWriter) put(v, n int) {
	for i := n - 1; i >= 0; i-- {
		w.bits = append(w.bits, byte((v>>i)&1))
	}
}

func (w *bitWriter) set(list []int, n int) {
	on := map[int]bool{}
	for _, x := range list {
		on[x] = true
	}
	for i := 1; i <= n; i++ {
		if on[i] {
			w.put(1, 1)
		} else {
			w.put(0, 1)
		}
	}
}

func (w *bitWriter) letters(s string) { w.put(int(s[0]-'A'), 6); w.put(int(s[1]-'A'), 6) }

func (w *bitWriter) bytes() []byte {
	out := make([]byte, (len(w.bits)+7)/8)
	for i, b := range w.bits {
		out[i/8] |= b << (7 - uint(i%8))
	}
	return out
}

func maxOf(l []int) int {
	m := 0
	for _, x := range l {
		m = max(m, x)
	}
	return m
}

func encodeTC(t testing.TB, tc TCString) string {
	t.Helper()
	w := &bitWriter{}
	ds := int(tc.Created.UnixMilli() / 100)
	w.put(tc.Version, 6)
	w.put(ds, 36)
	w.put(int(tc.LastUpdated.UnixMilli()/100), 36)
	w.put(tc.CMPID, 12)
	w.put(tc.CMPVersion, 12)
	w.put(tc.ConsentScreen, 6)
	lang := tc.ConsentLanguage
	if lang == "" {
		lang = "DA"
	}
	w.letters(lang)
	w.put(tc.VendorListVersion, 12)
	w.put(tc.PolicyVersion, 6)
	w.put(0, 1)
	w.put(0, 1)
	w.set(tc.SpecialFeatures, 12)
	w.set(tc.PurposeConsents, 24)
	w.set(tc.PurposeLI, 24)
	w.put(0, 1)
	cc := tc.PublisherCC
	if cc == "" {
		cc = "DK"
	}
	w.letters(cc)
	w.put(maxOf(tc.VendorConsents), 16)
	w.put(0, 1)
	w.set(tc.VendorConsents, maxOf(tc.VendorConsents))
	w.put(maxOf(tc.VendorLI), 16)
	w.put(0, 1)
	w.set(tc.VendorLI, maxOf(tc.VendorLI))
	return base64.RawURLEncoding.EncodeToString(w.bytes())
}

func TestDecodeTCString(t *testing.T) {
	created := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	want := TCString{
		Version: 2, Created: created, LastUpdated: created.Add(time.Hour), CMPID: 300, CMPVersion: 7,
		ConsentScreen: 2, ConsentLanguage: "DA", VendorListVersion: 150, PolicyVersion: 4,
		SpecialFeatures: []int{1}, PurposeConsents: []int{1, 3, 4, 10}, PurposeLI: []int{2, 7},
		PublisherCC: "DK", VendorConsents: []int{2, 10, 755}, VendorLI: []int{8},
	}
	got, err := DecodeTCString(encodeTC(t, want))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// Other segments after a dot are ignored.
	if got2, err := DecodeTCString(encodeTC(t, want) + ".YAAAAAAAAAAA"); err != nil || got2.CMPID != 300 {
		t.Errorf("with a second segment: %v %+v", err, got2)
	}
}

func TestDecodeTCStringPurposeBitOffset(t *testing.T) {
	// The spec puts PurposesConsent at bit 152: set only bit 152 (purpose 1)
	// and bit 152+23 (purpose 24) by hand and check the decoder reads them.
	w := &bitWriter{}
	w.put(2, 6)
	for w.put(0, 1); len(w.bits) < 152; {
		w.put(0, 1)
	}
	w.put(1, 1)
	w.put(0, 22)
	w.put(1, 1)
	w.put(0, 24+1+12)
	w.put(0, 16) // no vendors
	w.put(0, 1)
	w.put(0, 16)
	w.put(0, 1)
	tc, err := DecodeTCString(base64.RawURLEncoding.EncodeToString(w.bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 24}, tc.PurposeConsents); diff != "" {
		t.Errorf("purposes (-want +got):\n%s", diff)
	}
}

func TestDecodeTCStringRangeVendors(t *testing.T) {
	w := &bitWriter{}
	w.put(2, 6)
	w.put(0, 36+36)
	w.put(10, 12)
	w.put(1, 12)
	w.put(0, 6)
	w.letters("EN")
	w.put(1, 12)
	w.put(2, 6)
	w.put(0, 2)
	w.put(0, 12)
	w.put(0, 24+24+1)
	w.letters("DE")
	w.put(20, 16) // MaxVendorId
	w.put(1, 1)   // range encoding
	w.put(2, 12)  // two entries
	w.put(0, 1)
	w.put(3, 16) // vendor 3
	w.put(1, 1)
	w.put(10, 16)
	w.put(12, 16) // vendors 10-12
	w.put(0, 16)
	w.put(0, 1)
	tc, err := DecodeTCString(base64.RawURLEncoding.EncodeToString(w.bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{3, 10, 11, 12}, tc.VendorConsents); diff != "" {
		t.Errorf("vendors (-want +got):\n%s", diff)
	}
	if tc.CMPID != 10 || tc.ConsentLanguage != "EN" || tc.PublisherCC != "DE" {
		t.Errorf("header fields: %+v", tc)
	}
}

func TestDecodeTCStringErrors(t *testing.T) {
	v1 := &bitWriter{}
	v1.put(1, 6)
	v1.put(0, 200)
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"not base64url", "!!!!"},
		{"version 1", base64.RawURLEncoding.EncodeToString(v1.bytes())},
		{"truncated", encodeTC(t, TCString{Version: 2, CMPID: 6, PurposeConsents: []int{1}})[:20]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := DecodeTCString(tc.in); !errors.Is(err, ErrUndecodable) {
				t.Errorf("want ErrUndecodable, got %v", err)
			}
		})
	}
}

func FuzzDecodeTCString(f *testing.F) {
	f.Add(encodeTC(f, TCString{Version: 2, CMPID: 6, PurposeConsents: []int{1, 2}, VendorConsents: []int{5}}))
	f.Add("CQ")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = DecodeTCString(s) // must not panic
	})
}
