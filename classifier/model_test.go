package classifier

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
)

const hexID = "9f3a0c2e1b8d4a7c6e5f0b1d2c3a4e5f"

func TestDefaultModelLoaded(t *testing.T) {
	m := DefaultModel()
	if m.Features() < 500 || m.temperature <= 0 {
		t.Fatalf("embedded model: %d features, temperature %g; run make train", m.Features(), m.temperature)
	}
	p := m.Predict([]string{"bias", "party:third", "no-such-feature"})
	sum := 0.0
	for _, v := range p {
		if v <= 0 || v >= 1 {
			t.Errorf("probability %g out of (0, 1)", v)
		}
		sum += v
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("probabilities sum to %g", sum)
	}
}

// fixedModel answers with the given probabilities for every cookie of the
// first party (all its weight is on "party:first"), so the rules around the
// model can be tested without depending on trained weights.
func fixedModel(t *testing.T, p [4]float64) *Model {
	t.Helper()
	w := make([]float64, 4)
	for i, v := range p {
		w[i] = math.Log(v)
	}
	m, err := NewModel(map[string][]float64{"party:first": w}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestModelThresholds(t *testing.T) {
	obs := cookie.Observed{Name: "zz_site_specific", Domain: "www.example.com", HostOnly: true, Value: hexID, LifespanDays: 30}
	tests := []struct {
		name string
		p    [4]float64
		want cookie.Category
		conf cookie.Confidence
	}{
		{"confident marketing", [4]float64{0.02, 0.02, 0.04, 0.92}, cookie.Marketing, cookie.High},
		{"likely statistics", [4]float64{0.15, 0.1, 0.65, 0.1}, cookie.Statistics, cookie.Medium},
		{"statistics under the bar", [4]float64{0.2, 0.1, 0.5, 0.2}, cookie.Statistics, cookie.Low},
		// Under the threshold the label is the best guess at low confidence,
		// which the audit treats as unclassified (unknown-cookie).
		{"unsure", [4]float64{0.2, 0.2, 0.2, 0.4}, cookie.Marketing, cookie.Low},
		// Necessary silences the consent rules: 0.55 is not enough, and a
		// necessary guess is not given even at low confidence.
		{"necessary below its bar", [4]float64{0.55, 0.15, 0.15, 0.15}, cookie.Unclassified, cookie.Low},
		{"necessary above its bar", [4]float64{0.65, 0.15, 0.1, 0.1}, cookie.Necessary, cookie.Medium},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(Options{SiteDomain: "example.com", Model: fixedModel(t, tc.p)})
			if err != nil {
				t.Fatal(err)
			}
			l := c.Classify(obs)
			if l.Category != tc.want || l.Confidence != tc.conf || l.Source != SourceModel {
				t.Errorf("got %s/%s from %s (%s), want %s/%s", l.Category, l.Confidence, l.Source, l.Reason, tc.want, tc.conf)
			}
			best := 0.0
			for _, v := range tc.p {
				best = max(best, v)
			}
			if math.Abs(l.Probability-best) > 0.002 {
				t.Errorf("probability %g, want %g", l.Probability, best)
			}
			if tc.conf == cookie.Low && !strings.Contains(l.Reason, "unsure") || tc.conf == cookie.Low && !strings.Contains(l.Reason, "counts as unclassified") {
				t.Errorf("an unsure label must say so: %s", l.Reason)
			}
		})
	}
}

// TestDatabaseBeatsModel: an exact embedded entry (documented by its vendor)
// wins over a model that disagrees, and a user's file wins over both.
func TestDatabaseBeatsModel(t *testing.T) {
	db := embedded(t)
	allMarketing := fixedModel(t, [4]float64{0.01, 0.01, 0.01, 0.97})
	c, err := New(Options{DB: db, SiteDomain: "example.com", Model: allMarketing})
	if err != nil {
		t.Fatal(err)
	}
	l := c.Classify(cookie.Observed{Name: "_ga", Domain: ".example.com", Value: "GA1.1.1.1", LifespanDays: 400})
	if l.Category != cookie.Statistics || l.Source != knowncookies.SourceEmbedded {
		t.Errorf("_ga against a model that says marketing: %+v", l)
	}
	// Its probability is the measured agreement of such entries with sites,
	// not the model's.
	if l.Probability != ProbEmbedded {
		t.Errorf("an embedded entry's label carries probability %g, want %g", l.Probability, ProbEmbedded)
	}

	user := knowncookies.Layer{Source: knowncookies.UserSource("mine.csv"), Entries: []knowncookies.Entry{
		{Name: "_ga", Platform: "Google Analytics", Category: cookie.Necessary, RawCategory: "Functional", Source: knowncookies.UserSource("mine.csv"), Line: 2},
	}}
	vendors, err := knowncookies.EmbeddedVendors()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := knowncookies.EmbeddedEntries()
	if err != nil {
		t.Fatal(err)
	}
	withUser := knowncookies.New([][]knowncookies.Vendor{vendors}, user, knowncookies.Layer{Source: knowncookies.SourceEmbedded, Entries: entries})
	c, err = New(Options{DB: withUser, SiteDomain: "example.com", Model: allMarketing})
	if err != nil {
		t.Fatal(err)
	}
	l = c.Classify(cookie.Observed{Name: "_ga", Domain: ".example.com"})
	if l.Category != cookie.Necessary || !strings.HasPrefix(l.Source, "user:") || l.Probability != 1 {
		t.Errorf("a user's entry must win, with probability 1: %+v", l)
	}
}

// TestModelEvidence uses the trained model: evidence beyond the name decides
// cookies no database lists.
func TestModelEvidence(t *testing.T) {
	c := newClassifier(t, embedded(t), "https://www.example.com/")
	// A third-party id on an advertising vendor's domain.
	l := c.Classify(cookie.Observed{Name: "zz_unknown", Domain: ".x.doubleclick.net", Value: hexID, LifespanDays: 390, SameSite: "no_restriction", Secure: true})
	if l.Category != cookie.Marketing || l.Vendor != "Google Ads" || l.Source != SourceModel || l.Probability < 0.6 || !strings.Contains(l.Reason, "marketing vendor") {
		t.Errorf("unknown cookie on doubleclick.net: %+v", l)
	}
	// A consent record the database does not list.
	l = c.Classify(cookie.Observed{Name: "shop_cookie_consent", Domain: "www.example.com", HostOnly: true, Value: "necessary,statistics", LifespanDays: 365, SameSite: "lax"})
	if l.Category != cookie.Necessary {
		t.Errorf("consent record: %+v", l)
	}
	// An unknown first-party id: nobody can tell; it gets the model's guess
	// at low confidence, which the audit treats as unclassified, rather than
	// being called necessary.
	l = c.Classify(cookie.Observed{Name: "kbx_t", Domain: "www.example.com", HostOnly: true, Value: hexID, LifespanDays: 30, Secure: true, SameSite: "lax"})
	if l.Confidence != cookie.Low || l.Probability >= threshold(l.Category) || !strings.Contains(l.Reason, "unsure") {
		t.Errorf("unknown first-party id: %+v", l)
	}
}

func TestNewModelErrors(t *testing.T) {
	if _, err := NewModel(map[string][]float64{"bias": {1, 2}}, 1); err == nil {
		t.Error("a feature with 2 weights was accepted")
	}
	if _, err := NewModel(nil, 0); err == nil {
		t.Error("temperature 0 was accepted")
	}
}

// BenchmarkClassifyDBHit is the cost of labelling a cookie the embedded
// database knows (the aim: at least 1 M/s, under 1 µs).
func BenchmarkClassifyDBHit(b *testing.B) {
	c := newClassifier(b, embedded(b), "example.com")
	obs := []cookie.Observed{
		{Name: "_ga", Domain: ".example.com", Value: "GA1.1.1234567890.1763700000", LifespanDays: 400},
		{Name: "_fbp", Domain: ".example.com", Value: "fb.1.1613226782706.1497060586", LifespanDays: 90},
		{Name: "IDE", Domain: ".doubleclick.net", Value: hexID, LifespanDays: 390},
	}
	b.ReportAllocs()
	start := cpuNow()
	for i := 0; b.Loop(); i++ {
		c.Classify(obs[i%len(obs)])
	}
	reportCPU(b, start)
}

// reportCPU adds the CPU time per operation (the process's, so GC included)
// to a benchmark's figures.
func reportCPU(b *testing.B, start int64) {
	if end := cpuNow(); end > start && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkModelPredict is a full model prediction for a cookie no database
// knows: features (heuristics included) and the regression.
func BenchmarkModelPredict(b *testing.B) {
	c := newClassifier(b, embedded(b), "example.com")
	o := cookie.Observed{Name: "zz_site_specific_id", Domain: "www.example.com", HostOnly: true, Value: hexID, LifespanDays: 30, SameSite: "lax"}
	b.ReportAllocs()
	start := cpuNow()
	for b.Loop() {
		c.Classify(o)
	}
	reportCPU(b, start)
}

// TestUnsureRuleHasLowConfidence: when the model is unsure, a name rule may
// still name the category, but with the model's (low) probability for it
// the label has low confidence, so the audit does not act on it.
func TestUnsureRuleHasLowConfidence(t *testing.T) {
	// The model is unsure: necessary 30%, marketing 10%.
	c, err := New(Options{SiteDomain: "example.com", Model: fixedModel(t, [4]float64{0.3, 0.1, 0.5, 0.1})})
	if err != nil {
		t.Fatal(err)
	}
	// A strong name rule holds whatever the model learned elsewhere: a
	// site's own consent or CSRF cookie is not made a suspect by it.
	for _, name := range []string{"XSRF-TOKEN", "shop_cookie_consent"} {
		l := c.Classify(cookie.Observed{Name: name, Domain: "example.com", Session: true})
		if l.Category != cookie.Necessary || l.Source != SourceHeuristic || l.Confidence == cookie.Low {
			t.Errorf("%s, a strong rule the model gives 30%%: %+v, want necessary acted on", name, l)
		}
	}
	// A rule that calls a cookie necessary for what it holds (a session)
	// needs FunctionRuleFrom from the model: at 30% it is a guess, at 40% it
	// holds.
	l := c.Classify(cookie.Observed{Name: "shop_session", Domain: "example.com", Session: true})
	if l.Category != cookie.Necessary || l.Confidence != cookie.Low {
		t.Errorf("shop_session, a session rule the model gives 30%%: %+v, want necessary at low confidence", l)
	}
	surer, err := New(Options{SiteDomain: "example.com", Model: fixedModel(t, [4]float64{0.4, 0.05, 0.5, 0.05})})
	if err != nil {
		t.Fatal(err)
	}
	if l := surer.Classify(cookie.Observed{Name: "shop_session", Domain: "example.com", Session: true}); l.Category != cookie.Necessary || l.Confidence != cookie.Medium {
		t.Errorf("shop_session, a session rule the model gives 40%%: %+v, want necessary at medium confidence", l)
	}
	// A weak rule the model gives less than the threshold is a guess.
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	l = c.Classify(cookie.Observed{Name: "zq", Domain: ".px.unknown-ads.test", Value: "a8f5f167f44f4964e6c998dee827110c",
		SetAt: now, Expires: now.Add(90 * 24 * time.Hour), LifespanDays: 90})
	if l.Category != cookie.Marketing || l.Confidence != cookie.Low || l.Probability >= UnknownBelow ||
		!strings.Contains(l.Reason, "counts as unclassified") {
		t.Errorf("a weak third-party id rule the model is unsure of: %+v, want marketing at low confidence", l)
	}
}

// A random identifier has one value shape whichever character it happens
// to open with, so that a cookie's label does not change from visit to
// visit with its value (the demo's A/B flag is 32 random hex digits).
func TestValueShapeOfRandomIdentifiers(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"0f3a9c41d2e8b7a60f3a9c41d2e8b7a6", "f03a9c41d2e8b7a60f3a9c41d2e8b7a6"},
		{"GA1.2.1234567890.1700000000", "GA1.2.9876543210.1600000000"},
		{"a1b2c3d4-0e00-1f11-2222-abcdef0bcdef", "1a2b3c4d-0e00-1f11-2222-abcdef0bcdef"},
	} {
		if sa, sb := valueShape(tc.a), valueShape(tc.b); sa != sb {
			t.Errorf("valueShape(%q) = %q but valueShape(%q) = %q: the same kind of value", tc.a, sa, tc.b, sb)
		}
	}
	if got := valueShape("GA1.2.16.17"); got != "x.9.9.9/3" {
		t.Errorf(`valueShape("GA1.2.16.17") = %q, want "x.9.9.9/3"`, got)
	}
}

// TestUnknownLifespanIsNoFeature: a cookie known only by name and domain (a
// lookup) has no lifespan feature, where a set cookie has its bucket. An
// absent lifespan used to be a feature, and the training samples that lack
// one (database entries, most filed necessary) made it evidence for
// necessary.
func TestUnknownLifespanIsNoFeature(t *testing.T) {
	c, err := New(Options{SiteDomain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	lifespans := func(o cookie.Observed) []string {
		var out []string
		for _, f := range c.Features(o) {
			if strings.HasPrefix(f, "life:") {
				out = append(out, f)
			}
		}
		return out
	}
	if got := lifespans(cookie.Observed{Name: "zz_pref", Domain: "example.com"}); len(got) != 0 {
		t.Errorf("name and domain only: lifespan features %q, want none", got)
	}
	if got := lifespans(cookie.Observed{Name: "zz_pref", Domain: "example.com", LifespanDays: 365}); strings.Join(got, " ") != "life:1y life:1y:first" {
		t.Errorf("a one-year cookie: lifespan features %q, want life:1y life:1y:first", got)
	}
}
