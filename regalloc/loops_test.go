package regalloc

import (
	"math/rand"
	"slices"
	"testing"
)

// TestLoopDepths compares loopDepths with the definition, applied naively to random
// reducible CFGs (wasm's structured control flow gives no others): each back edge's natural
// loop is every block that reaches its source without passing the header; a block's depth
// is the number of distinct headers whose loops hold it.
func TestLoopDepths(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for iter := range 2000 {
		n := 2 + r.Intn(40)
		succs := randomReducibleCFG(r, n)
		preds := make([][]int, n)
		for b, ss := range succs {
			for _, s := range ss {
				preds[s] = append(preds[s], b)
			}
		}
		got := loopDepths(n, preds, succs)
		want := naiveLoopDepths(n, preds, succs)
		if !slices.Equal(got, want) {
			t.Fatalf("CFG %d %v: depths %v, want %v", iter, succs, got, want)
		}
	}
}

// TestLoopDepthsDeep: 100,000 nested loops take linear time (a quadratic walk took a
// minute; a test would time out).
func TestLoopDepthsDeep(t *testing.T) {
	const n = 100000 // blocks 0..n-1 are headers, n..2n-1 their latches, innermost last
	succs := make([][]int, 2*n+1)
	for i := range n {
		succs[i] = []int{i + 1} // header i enters loop i+1 (or, innermost, its latch)
		latch := 2*n - i        // the latch of loop i closes it after the loops inside
		succs[latch] = []int{i, latch + 1}
	}
	succs[2*n] = append(succs[2*n][:0], 0, 2*n) // loop 0's latch; block 2n closes the CFG
	succs[n] = append(succs[n], 2*n-n+1)
	preds := make([][]int, len(succs))
	for b, ss := range succs {
		for _, s := range ss {
			if s < len(succs) {
				preds[s] = append(preds[s], b)
			}
		}
	}
	d := loopDepths(len(succs), preds, succs)
	if d[0] != 1 || d[n-1] != n {
		t.Errorf("depth of the outermost header %d, of the innermost %d; want 1 and %d", d[0], d[n-1], n)
	}
}

// randomReducibleCFG returns the successors of n blocks: a fall-through chain, loops as
// properly nested intervals [a, b] closed by back edges to a from inside, and forward edges
// that enter a loop only at its header.
func randomReducibleCFG(r *rand.Rand, n int) [][]int {
	type loop struct{ a, b int }
	var loops []loop
	var nest func(lo, hi int)
	nest = func(lo, hi int) {
		for a := lo; a < hi; a++ {
			if r.Intn(4) == 0 {
				b := a + 1 + r.Intn(hi-a)
				loops = append(loops, loop{a, b})
				nest(a+1, b)
				a = b
			}
		}
	}
	nest(1, n-1)
	inside := func(l loop, x int) bool { return l.a <= x && x <= l.b }
	succs := make([][]int, n)
	add := func(from, to int) {
		if !slices.Contains(succs[from], to) {
			succs[from] = append(succs[from], to)
		}
	}
	for b := 0; b+1 < n; b++ {
		add(b, b+1)
	}
	for _, l := range loops {
		add(l.b, l.a)
		for range r.Intn(3) {
			add(l.a+r.Intn(l.b-l.a+1), l.a)
		}
	}
	for range r.Intn(2 * n) {
		i, j := r.Intn(n), r.Intn(n)
		if i >= j {
			continue
		}
		ok := true
		for _, l := range loops {
			if inside(l, j) && !inside(l, i) && j != l.a {
				ok = false
			}
		}
		if ok {
			add(i, j)
		}
	}
	return succs
}

// naiveLoopDepths is the definition: dominators by the iterative data-flow equations, then
// each back edge's natural loop walked from its source.
func naiveLoopDepths(n int, preds, succs [][]int) []int32 {
	reach := make([]bool, n)
	stack := []int{0}
	reach[0] = true
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range succs[b] {
			if !reach[s] {
				reach[s] = true
				stack = append(stack, s)
			}
		}
	}
	dom := make([][]bool, n) // dom[b][h]: h dominates b
	for b := range dom {
		dom[b] = make([]bool, n)
		for h := range dom[b] {
			dom[b][h] = b != 0 || h == 0
		}
	}
	for changed := true; changed; {
		changed = false
		for b := 1; b < n; b++ {
			if !reach[b] {
				continue
			}
			for h := range n {
				v := h == b
				if !v {
					v = true
					for _, p := range preds[b] {
						if reach[p] && !dom[p][h] {
							v = false
						}
					}
				}
				if v != dom[b][h] {
					dom[b][h], changed = v, true
				}
			}
		}
	}
	inLoop := make([][]bool, n) // inLoop[h][b]
	for h := range n {
		for _, p := range preds[h] {
			if !reach[p] || !reach[h] || !dom[p][h] {
				continue
			}
			if inLoop[h] == nil {
				inLoop[h] = make([]bool, n)
				inLoop[h][h] = true
			}
			work := []int{p}
			for len(work) > 0 {
				b := work[len(work)-1]
				work = work[:len(work)-1]
				if inLoop[h][b] {
					continue
				}
				inLoop[h][b] = true
				for _, q := range preds[b] {
					if reach[q] {
						work = append(work, q)
					}
				}
			}
		}
	}
	depth := make([]int32, n)
	for h := range n {
		for b := range n {
			if inLoop[h] != nil && inLoop[h][b] {
				depth[b]++
			}
		}
	}
	return depth
}
