package regalloc

import (
	"math/rand/v2"
	"testing"
)

// TestUnhandledQueueOrder: the scan's queue gives back the intervals built before the scan
// and those pushed during it, each once, in increasing startKey order, as the heap that
// held them all did: the counting sort's three placements (early starts, ReuseDefs, other
// late starts) must leave every instruction's intervals in key order.
func TestUnhandledQueueOrder(t *testing.T) {
	// An instruction defining two values, the ReuseDef the later: by vreg alone, it
	// would come second.
	tf, err := parseFunc("b0:\n  %0:i = copy r0\n  %1:i = copy r1\n  %2:i, %3:i^0 = op %0, %1\n  %4:i = add %2, %3\n  r0 = copy %4\n  ret r0\n")
	if err != nil {
		t.Fatal(err)
	}
	tcfg, _ := parseConfig("")
	rng := rand.New(rand.NewPCG(3, 4))
	for seed := range 300 {
		f, cfg := tf, tcfg
		if seed > 0 {
			g := newGen(rng)
			f, cfg = g.function(), g.cfg
		}
		a := &allocator{f: f, cfg: cfg}
		if err := a.setup(); err != nil {
			t.Fatalf("function %d: %v", seed, err)
		}
		if err := a.buildIntervals(); err != nil {
			t.Fatalf("function %d: %v", seed, err)
		}
		want := map[*interval]bool{}
		n := 0
		for _, cs := range a.children {
			for _, it := range cs {
				want[it] = true
				n++
			}
		}
		var q unhandledQueue
		q.fill(a, n)
		// Parts split off during the scan: new values, at random positions.
		for k := range rng.IntN(20) {
			it := a.ar.newInterval()
			p := int32(rng.IntN(2*a.ninstrs + 1))
			it.vreg, it.spans = VReg(a.nvregs+k), []span{{p, p + 1}}
			want[it] = true
			q.push(a, it)
		}
		last, first := uint64(0), true
		for q.len() > 0 {
			it := q.pop(a)
			if !want[it] {
				t.Fatalf("function %d: %%%d %v popped twice or never queued", seed, it.vreg, it.spans)
			}
			delete(want, it)
			if k := a.startKey(it); !first && k <= last {
				t.Fatalf("function %d: key %x after %x", seed, k, last)
			} else {
				last, first = k, false
			}
		}
		if len(want) != 0 {
			t.Fatalf("function %d: %d intervals never popped", seed, len(want))
		}
	}
}
