// Package gbdt trains small gradient-boosted regression trees for
// multi-class softmax (second-order boosting with L2 on the leaves, as in
// XGBoost), starting from given scores: stacked on another model, the trees
// learn corrections to its scores. Splits are exact over numeric inputs.
// Training is deterministic (no sampling; ties keep the first split found),
// so `make train` reproduces the generated tree table byte for byte.
package gbdt

import (
	"math"
	"slices"
)

// Options tunes training.
type Options struct {
	Rounds     int     // boosting rounds; each adds one tree per class
	Depth      int     // maximum depth of a tree
	Shrinkage  float64 // learning rate applied to every leaf
	Lambda     float64 // L2 penalty on leaf values
	MinHessian float64 // least sum of second derivatives in a child
	MinGain    float64 // least loss reduction for a split
}

// Node is a tree node in a flat table. An inner node sends x to Left when
// x[Feature] < Threshold, else to Right; children always come after their
// parent. A leaf has Feature -1 and adds Value to its class's score.
type Node struct {
	Feature     int
	Threshold   float32
	Left, Right int
	Value       float64
}

// Forest is the trained table: Roots[r][k] is round r's tree for class k.
type Forest struct {
	Nodes []Node
	Roots [][]int
}

// Add adds the trees' leaves for x to the scores z.
func (f *Forest) Add(x []float64, z []float64) {
	for _, rs := range f.Roots {
		for k, i := range rs {
			for f.Nodes[i].Feature >= 0 {
				n := f.Nodes[i]
				if x[n.Feature] < float64(n.Threshold) {
					i = n.Left
				} else {
					i = n.Right
				}
			}
			z[k] += f.Nodes[i].Value
		}
	}
}

// Train fits trees to samples x (one row of inputs each) with classes y in
// [0, k), starting from the scores base (one row of k per sample), and
// weights w (nil: all 1).
func Train(x [][]float64, base [][]float64, y []int, w []float64, k int, o Options) *Forest {
	n := len(x)
	f := &Forest{}
	if n == 0 {
		return f
	}
	d := len(x[0])
	if w == nil {
		w = make([]float64, n)
		for i := range w {
			w[i] = 1
		}
	}
	// Every input's samples in increasing order, once.
	order := make([][]int, d)
	for j := range order {
		order[j] = make([]int, n)
		for i := range order[j] {
			order[j][i] = i
		}
		slices.SortStableFunc(order[j], func(a, b int) int {
			switch {
			case x[a][j] < x[b][j]:
				return -1
			case x[a][j] > x[b][j]:
				return 1
			}
			return 0
		})
	}
	z := make([][]float64, n)
	for i := range z {
		z[i] = slices.Clone(base[i])
	}
	p := make([]float64, k)
	g := make([][]float64, k)
	h := make([][]float64, k)
	for c := range g {
		g[c], h[c] = make([]float64, n), make([]float64, n)
	}
	b := builder{x: x, order: order, o: o, f: f, node: make([]int, n)}
	for range o.Rounds {
		for i := range n {
			copy(p, z[i])
			softmax(p)
			for c := range k {
				t := 0.0
				if y[i] == c {
					t = 1
				}
				g[c][i] = w[i] * (p[c] - t)
				h[c][i] = w[i] * max(p[c]*(1-p[c]), 1e-6)
			}
		}
		roots := make([]int, k)
		for c := range k {
			b.g, b.h = g[c], h[c]
			for i := range b.node {
				b.node[i] = 0
			}
			b.next = 1
			roots[c] = b.grow(0, 0)
		}
		f.Roots = append(f.Roots, roots)
		for i := range n {
			for c, r := range roots {
				z[i][c] += leaf(f, r, x[i])
			}
		}
	}
	return f
}

func leaf(f *Forest, i int, x []float64) float64 {
	for f.Nodes[i].Feature >= 0 {
		n := f.Nodes[i]
		if x[n.Feature] < float64(n.Threshold) {
			i = n.Left
		} else {
			i = n.Right
		}
	}
	return f.Nodes[i].Value
}

type builder struct {
	x     [][]float64
	order [][]int
	o     Options
	f     *Forest
	g, h  []float64
	node  []int // the tree node (by build id) each sample is in
	next  int   // next build id
}

// grow builds the subtree of the samples in build node id at the given
// depth and returns its index in the table.
func (b *builder) grow(id, depth int) int {
	var G, H float64
	for i, nd := range b.node {
		if nd == id {
			G += b.g[i]
			H += b.h[i]
		}
	}
	at := len(b.f.Nodes)
	b.f.Nodes = append(b.f.Nodes, Node{Feature: -1, Value: -b.o.Shrinkage * G / (H + b.o.Lambda)})
	if depth >= b.o.Depth || H < 2*b.o.MinHessian {
		return at
	}
	parent := G * G / (H + b.o.Lambda)
	bestGain, bestJ := b.o.MinGain, -1
	var bestT float32
	for j, ord := range b.order {
		var GL, HL float64
		prev := math.NaN()
		for _, i := range ord {
			if b.node[i] != id {
				continue
			}
			v := b.x[i][j]
			if !math.IsNaN(prev) && v != prev && HL >= b.o.MinHessian && H-HL >= b.o.MinHessian {
				gain := GL*GL/(HL+b.o.Lambda) + (G-GL)*(G-GL)/(H-HL+b.o.Lambda) - parent
				if t := float32((prev + v) / 2); gain > bestGain && float64(t) > prev && float64(t) <= v {
					bestGain, bestJ, bestT = gain, j, t
				}
			}
			GL += b.g[i]
			HL += b.h[i]
			prev = v
		}
	}
	if bestJ < 0 {
		return at
	}
	left, right := b.next, b.next+1
	b.next += 2
	for i, nd := range b.node {
		if nd == id {
			if b.x[i][bestJ] < float64(bestT) {
				b.node[i] = left
			} else {
				b.node[i] = right
			}
		}
	}
	b.f.Nodes[at] = Node{Feature: bestJ, Threshold: bestT}
	l := b.grow(left, depth+1)
	r := b.grow(right, depth+1)
	b.f.Nodes[at].Left, b.f.Nodes[at].Right = l, r
	return at
}

func softmax(p []float64) {
	mx := math.Inf(-1)
	for _, v := range p {
		mx = max(mx, v)
	}
	sum := 0.0
	for i, v := range p {
		p[i] = math.Exp(v - mx)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}
