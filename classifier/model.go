package classifier

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
)

// ModelClasses are the categories the model predicts, in the order of a
// weight vector.
var ModelClasses = [4]cookie.Category{cookie.Necessary, cookie.Preferences, cookie.Statistics, cookie.Marketing}

// Thresholds on the model's calibrated probability of its best category.
// Every cookie the model labels gets its best category and probability, but
// below UnknownBelow the label has low confidence: the audit acts on no
// low-confidence label (the consent rules treat the cookie as unclassified
// and leave it to the declaration) and raises unknown-cookie. "necessary"
// needs NecessaryFrom: it is the one label that silences the gravest
// findings (pre-consent, after-reject). At HighFrom and above the label has
// high confidence. The figures behind them (site-grouped cross-validation
// of the development crawl, docs/classifier.md): model labels under 0.60
// were right about half of the time (48%), those from 0.60 to 0.75 three
// times in four, those from 0.90 up 97% of the time.
const (
	UnknownBelow  = 0.60
	NecessaryFrom = 0.60
	// FunctionRuleFrom is what a name rule that calls a cookie necessary
	// for what it holds (a session, a sign-in, a cart, a route) needs from
	// the model when the model is unsure (docs/classifier.md).
	FunctionRuleFrom = 0.35
	HighFrom         = 0.90
)

// Model is a multinomial logistic regression over the named features of
// Classifier.Features. It is immutable.
type Model struct {
	weights     map[string][4]float32
	temperature float64
}

// NewModel builds a model from weights per feature (one per ModelClasses
// entry) and the temperature that calibrates its probabilities.
func NewModel(weights map[string][]float64, temperature float64) (*Model, error) {
	if temperature <= 0 {
		return nil, fmt.Errorf("classifier: model temperature %g, want > 0", temperature)
	}
	m := &Model{weights: make(map[string][4]float32, len(weights)), temperature: temperature}
	for k, w := range weights {
		if len(w) != len(ModelClasses) {
			return nil, fmt.Errorf("classifier: model feature %q has %d weights, want %d", k, len(w), len(ModelClasses))
		}
		m.weights[k] = [4]float32{float32(w[0]), float32(w[1]), float32(w[2]), float32(w[3])}
	}
	return m, nil
}

// DefaultModel is the model trained by `make train`, embedded in the binary.
func DefaultModel() *Model { return defaultModel }

var defaultModel = &Model{weights: modelWeights, temperature: modelTemperature}

// Features returns the number of features the model has weights for.
func (m *Model) Features() int { return len(m.weights) }

// Predict returns the calibrated probability of each of ModelClasses.
func (m *Model) Predict(features []string) [4]float64 {
	var s [4]float64
	for _, f := range features {
		if w, ok := m.weights[f]; ok {
			for i := range s {
				s[i] += float64(w[i])
			}
		}
	}
	mx := math.Inf(-1)
	for _, v := range s {
		mx = max(mx, v)
	}
	sum := 0.0
	for i, v := range s {
		s[i] = math.Exp((v - mx) / m.temperature)
		sum += s[i]
	}
	for i := range s {
		s[i] /= sum
	}
	return s
}

// evidence lists the features that pushed most towards class k, strongest
// first, in words, for the reason.
func (m *Model) evidence(features []string, k int, n int) []string {
	type contrib struct {
		f string
		w float64
	}
	var cs []contrib
	for _, f := range features {
		w, ok := m.weights[f]
		if !ok || f == "bias" || strings.HasPrefix(f, "vshape:/") || f == "val:empty" {
			continue
		}
		// The pull towards k against the mean of the others.
		d := float64(w[k]) - (float64(w[0]+w[1]+w[2]+w[3])-float64(w[k]))/3
		if d > 0.15 {
			cs = append(cs, contrib{f, d})
		}
	}
	slices.SortFunc(cs, func(a, b contrib) int {
		if c := cmp.Compare(b.w, a.w); c != 0 {
			return c
		}
		return cmp.Compare(a.f, b.f)
	})
	var out []string
	for _, c := range cs {
		if len(out) == n {
			break
		}
		if d := describeFeature(c.f); !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// describeFeature turns a feature name into words for a reason.
func describeFeature(f string) string {
	group, rest, _ := strings.Cut(f, ":")
	switch group {
	case "db":
		return "database entry (" + rest + ")"
	case "dbvendor":
		if c, ok := strings.CutPrefix(rest, "cat:"); ok {
			return "the entry's vendor is " + strings.ReplaceAll(c, ":", ", ")
		}
		return "vendor " + rest
	case "host":
		if v, ok := strings.CutPrefix(rest, "vendor:"); ok {
			return "cookie domain belongs to " + v
		}
		return "cookie domain of a " + strings.Replace(rest, ":", " vendor, ", 1) + " party"
	case "rd":
		return "third-party domain " + rest
	case "setter":
		return "set by a " + strings.Replace(rest, ":", " vendor, ", 1) + " party"
	case "name":
		if s, ok := strings.CutPrefix(rest, "shape:"); ok {
			return "name shape " + s
		}
		return "name " + rest
	case "tok":
		return "word " + rest + " in the name"
	case "pfx":
		return "name starts with " + rest
	case "rule", "weak":
		return rest
	case "life":
		if b, p, ok := strings.Cut(rest, ":"); ok {
			return "lifespan " + b + " as " + p + " party"
		}
		return "lifespan " + rest
	case "val":
		return "value " + rest
	case "vshape":
		return "value shape " + rest
	case "attr":
		return rest
	case "party":
		return rest + " party"
	}
	return f
}
