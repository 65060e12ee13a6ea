// Package logreg is a small multinomial logistic regression over sparse binary
// features named by strings, with L2 regularisation, trained by full-batch
// AdaGrad. Training is deterministic: the same samples give the same weights,
// so `make train` reproduces the embedded model byte for byte.
package logreg

import (
	"math"
	"slices"
)

// Sample is one training example: the names of its active features, its
// class (0 ≤ Class < K) and its weight (0 means 1).
type Sample struct {
	Features []string
	Class    int
	Weight   float64
}

// Options tunes training.
type Options struct {
	Classes    int
	L2         float64 // penalty on every weight but Bias's, per sample weight unit
	Iterations int
	Rate       float64 // AdaGrad base learning rate
}

// Bias is the feature every sample should carry; it is not penalised.
const Bias = "bias"

// Model holds one weight per feature and class.
type Model struct {
	Classes int
	Weights map[string][]float64
}

// Train fits a model.
func Train(samples []Sample, o Options) *Model {
	k := o.Classes
	index := map[string]int{}
	var names []string
	for _, s := range samples {
		for _, f := range s.Features {
			if _, ok := index[f]; !ok {
				index[f] = len(names)
				names = append(names, f)
			}
		}
	}
	xs := make([][]int, len(samples))
	total := 0.0
	for i, s := range samples {
		for _, f := range s.Features {
			xs[i] = append(xs[i], index[f])
		}
		total += weight(s)
	}
	w := make([]float64, len(names)*k)
	g := make([]float64, len(w))
	hist := make([]float64, len(w))
	p := make([]float64, k)
	bias, hasBias := index[Bias]
	for it := 0; it < o.Iterations; it++ {
		clear(g)
		for i, s := range samples {
			logits(w, xs[i], k, p)
			softmax(p, 1)
			sw := weight(s) / total
			for c := 0; c < k; c++ {
				d := p[c]
				if c == s.Class {
					d--
				}
				d *= sw
				for _, j := range xs[i] {
					g[j*k+c] += d
				}
			}
		}
		for j := range names {
			for c := 0; c < k; c++ {
				q := j*k + c
				grad := g[q]
				if !(hasBias && j == bias) {
					grad += o.L2 * w[q]
				}
				hist[q] += grad * grad
				if hist[q] > 0 {
					w[q] -= o.Rate * grad / math.Sqrt(hist[q])
				}
			}
		}
	}
	m := &Model{Classes: k, Weights: make(map[string][]float64, len(names))}
	for j, n := range names {
		m.Weights[n] = slices.Clone(w[j*k : (j+1)*k])
	}
	return m
}

func weight(s Sample) float64 {
	if s.Weight == 0 {
		return 1
	}
	return s.Weight
}

func logits(w []float64, x []int, k int, out []float64) {
	clear(out)
	for _, j := range x {
		for c := 0; c < k; c++ {
			out[c] += w[j*k+c]
		}
	}
}

// Logits returns the class scores of a sample; unknown features count zero.
func (m *Model) Logits(features []string) []float64 {
	out := make([]float64, m.Classes)
	for _, f := range features {
		if ws, ok := m.Weights[f]; ok {
			for c := range out {
				out[c] += ws[c]
			}
		}
	}
	return out
}

// Softmax turns scores into probabilities in place, dividing them by the
// temperature first.
func Softmax(p []float64, temperature float64) { softmax(p, temperature) }

func softmax(p []float64, t float64) {
	mx := math.Inf(-1)
	for _, v := range p {
		mx = max(mx, v)
	}
	sum := 0.0
	for i, v := range p {
		p[i] = math.Exp((v - mx) / t)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

// FitTemperature finds the temperature that minimises the log loss of
// held-out scores (temperature scaling): a single number that makes the
// probabilities calibrated without changing which class wins.
func FitTemperature(scores [][]float64, classes []int) float64 {
	best, bestLoss := 1.0, math.Inf(1)
	p := make([]float64, 0, 8)
	for t := 0.30; t <= 4.001; t += 0.02 {
		loss := 0.0
		for i, s := range scores {
			p = append(p[:0], s...)
			softmax(p, t)
			loss -= math.Log(max(p[classes[i]], 1e-12))
		}
		if loss < bestLoss {
			best, bestLoss = t, loss
		}
	}
	return math.Round(best*100) / 100
}

// FitOffsets returns per-class offsets to add to the logits that make the
// arg-max right most often on held-out scores (per-class thresholds): a
// coordinate search over [-1, 1] in steps of 0.05, classes in turn, twice.
// The first class keeps offset 0 (only differences matter). Ties keep the
// smaller change, so it is deterministic and moves only for a real gain.
func FitOffsets(scores [][]float64, classes []int) []float64 {
	if len(scores) == 0 {
		return nil
	}
	k := len(scores[0])
	off := make([]float64, k)
	right := func() int {
		n := 0
		for i, s := range scores {
			best := 0
			for j := range s {
				if s[j]+off[j] > s[best]+off[best] {
					best = j
				}
			}
			if best == classes[i] {
				n++
			}
		}
		return n
	}
	for range 2 {
		for j := 1; j < k; j++ {
			bestOff, bestN := off[j], right()
			for step := -20; step <= 20; step++ {
				off[j] = float64(step) * 0.05
				if n := right(); n > bestN || n == bestN && math.Abs(off[j]) < math.Abs(bestOff) {
					bestOff, bestN = off[j], n
				}
			}
			off[j] = bestOff
		}
	}
	return off
}
