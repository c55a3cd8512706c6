package regalloc

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// Hostile functions: the shapes that made allocation take time and memory in the product
// of values and blocks (issue 19's hardening, finding 2), as the backends lower them. Each
// generator takes its size and returns the function in the text form.
var hostile = []struct {
	name string
	gen  func(n int) string
	// steps and bytes bound the walk steps and the bytes allocated per instruction or
	// block, whichever there are more of: a few times what the allocator needs, and a
	// small fraction of what it needed when both grew with values × blocks. The first
	// two allocated 709 and 755 bytes while the registers live into each block were
	// collected as (block, value) pairs before being sorted (edgelive.go).
	steps, bytes int
	// fast bounds what RunFast allocates, likewise (fast_test.go). With a slice per
	// block for its predecessors, successors, parameters and edge arguments (and one per
	// edge), the first five allocated 255, 260, 251, 196 and 191 bytes; with a clobber set
	// per instruction, 210, 216, 198, 125 and 125.
	fast int
}{
	{"live-across-ifs", liveAcrossIfs, 8, 650, 205},
	{"defined-between-ifs", definedBetweenIfs, 8, 700, 210},
	{"results-tested-in-ifs", resultsTestedInIfs, 8, 1500, 192},
	{"nested-loops", nestedLoops, 8, 1500, 120},
	{"calls-in-ifs", callsInIfs, 8, 1500, 120},
	{"loop-parameters", loopParameters, 8, 3000, 800},
}

// liveAcrossIfs is n values computed at the top and all used at the end, across n ifs on
// another value, each with a then block that has a side effect and the split edge: locals
// set before a long run of ifs and read after it, really live across every if.
func liveAcrossIfs(n int) string {
	var b strings.Builder
	b.WriteString("b0:\n  %0:i = copy r0\n")
	for v := 1; v <= n; v++ {
		fmt.Fprintf(&b, "  %%%d:i = load %%0\n", v)
	}
	next := n + 1
	for k := range n {
		h := 3 * k
		fmt.Fprintf(&b, "  br %%0, b%d, b%d\nb%d:\n  store %%0\n  jump b%d\nb%d:\n  jump b%d\nb%d:\n",
			h+1, h+2, h+1, h+3, h+2, h+3, h+3)
	}
	sum := 1
	for v := 2; v <= n; v++ {
		fmt.Fprintf(&b, "  %%%d:i = add %%%d, %%%d\n", next, sum, v)
		sum, next = next, next+1
	}
	fmt.Fprintf(&b, "  ret %%%d\n", sum)
	return b.String()
}

// definedBetweenIfs is n values, the k-th computed just before the k-th of n ifs, all used
// at the end: value k lives across n-k ifs, and the live-in sets, nested but of different
// definitions, sum to n²/2 blocks.
func definedBetweenIfs(n int) string {
	var b strings.Builder
	b.WriteString("b0:\n  %0:i = copy r0\n")
	for k := range n {
		h := 3 * k
		fmt.Fprintf(&b, "  %%%d:i = load %%0\n  br %%0, b%d, b%d\nb%d:\n  store %%0\n  jump b%d\nb%d:\n  jump b%d\nb%d:\n",
			k+1, h+1, h+2, h+1, h+3, h+2, h+3, h+3)
	}
	sum, next := 1, n+1
	for v := 2; v <= n; v++ {
		fmt.Fprintf(&b, "  %%%d:i = add %%%d, %%%d\n", next, sum, v)
		sum, next = next, next+1
	}
	fmt.Fprintf(&b, "  ret %%%d\n", sum)
	return b.String()
}

// resultsTestedInIfs is n values defined together at the top (the results of a call), the
// last tested by the first of n ifs, the one before it by the second, and so on: value k
// lives across n-k ifs, so the live-in sets sum to n²/2 blocks.
func resultsTestedInIfs(n int) string {
	var b strings.Builder
	b.WriteString("b0:\n  %0:i = copy r0\n")
	for v := 1; v <= n; v++ {
		fmt.Fprintf(&b, "  %%%d:i = load %%0\n", v)
	}
	for k := range n {
		h := 3 * k
		fmt.Fprintf(&b, "  br %%%d, b%d, b%d\nb%d:\n  store %%0\n  jump b%d\nb%d:\n  jump b%d\nb%d:\n",
			n-k, h+1, h+2, h+1, h+3, h+2, h+3, h+3)
	}
	b.WriteString("  ret %0\n")
	return b.String()
}

// callsInIfs is n ifs on one value, each calling a function that clobbers every register:
// the value is reloaded after each call, so its interval is split n times.
func callsInIfs(n int) string {
	var b strings.Builder
	b.WriteString("b0:\n  %0:i = copy r0\n")
	for k := range n {
		h := 3 * k
		fmt.Fprintf(&b, "  br %%0, b%d, b%d\nb%d:\n  call clobbers r0 r1 r2 r3\n  jump b%d\nb%d:\n  jump b%d\nb%d:\n",
			h+1, h+2, h+1, h+3, h+2, h+3, h+3)
	}
	b.WriteString("  ret %0\n")
	return b.String()
}

// loopParameters is a loop whose header has n parameters, each incremented in the body
// and passed back on the back edge (n locals updated in a loop, at -O2): every edge into
// the header is one parallel move of n values, all spilled.
func loopParameters(n int) string {
	var b strings.Builder
	b.WriteString("b0:\n  %0:i = copy r0\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "  %%%d:i = load %%0\n", k)
	}
	list := func(first int) string {
		var l []string
		for k := range n {
			l = append(l, fmt.Sprintf("%%%d", first+k))
		}
		return strings.Join(l, ", ")
	}
	fmt.Fprintf(&b, "  jump b1(%s)\nb1(", list(1))
	for k := range n {
		if k > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%%%d:i", n+1+k)
	}
	b.WriteString("):\n")
	for k := range n {
		fmt.Fprintf(&b, "  %%%d:i = inc %%%d\n", 2*n+1+k, n+1+k)
	}
	c := 3*n + 1
	fmt.Fprintf(&b, "  %%%d:i = test %%0\n  br %%%d, b2, b3\nb2:\n  jump b1(%s)\nb3:\n", c, c, list(2*n+1))
	sum := 2*n + 1
	for k := 1; k < n; k++ {
		fmt.Fprintf(&b, "  %%%d:i = add %%%d, %%%d\n", c+k, sum, 2*n+1+k)
		sum = c + k
	}
	fmt.Fprintf(&b, "  ret %%%d\n", sum)
	return b.String()
}

// nestedLoops is n nested loops, each closed by a conditional back edge on a value
// computed in its latch from one live across all of them: headers b1..bn, then for the
// innermost loop first its latch, the block of its back edge and its exit.
func nestedLoops(n int) string {
	var b strings.Builder
	b.WriteString("b0:\n  %0:i = copy r0\n  jump b1\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "b%d:\n  jump b%d\n", k, k+1)
	}
	for k := n; k >= 1; k-- {
		l := n + 1 + 3*(n-k)
		fmt.Fprintf(&b, "b%d:\n  %%%d:i = test %%0\n  br %%%d, b%d, b%d\nb%d:\n  jump b%d\nb%d:\n", l, k, k, l+1, l+2, l+1, k, l+2)
		if k > 1 {
			fmt.Fprintf(&b, "  jump b%d\n", l+3)
		} else {
			b.WriteString("  ret %0\n")
		}
	}
	return b.String()
}

// TestHostileSmall allocates small instances of the hostile functions, with every live-in
// set kept and with none, compares their intervals with refIntervals' and checks the
// allocations.
func TestHostileSmall(t *testing.T) {
	cfg, _ := parseConfig("")
	for _, h := range hostile {
		for _, n := range []int{1, 2, 30, 70, 150} {
			f, err := parseFunc(h.gen(n))
			if err != nil {
				t.Fatalf("%s %d: %v", h.name, n, err)
			}
			for _, keep := range []int{1, defaultKeepMin} {
				a, ref := &allocator{f: f, cfg: cfg}, &allocator{f: f, cfg: cfg}
				a.walk.keepMin = keep
				if err := a.setup(); err != nil {
					t.Fatalf("%s %d: %v", h.name, n, err)
				}
				ref.setup()
				if err, want := a.buildIntervals(), refIntervals(ref); err != nil || want != nil {
					t.Fatalf("%s %d: %v; reference: %v", h.name, n, err, want)
				}
				for v := range a.children {
					if d := diffIntervals(a.children[v], ref.children[v]); d != "" {
						t.Fatalf("%s %d, keeping from %d: %%%d: %s", h.name, n, keep, v, d)
					}
				}
			}
			r, err := runChecked(f, cfg)
			if err != nil {
				t.Fatalf("%s %d: %v", h.name, n, err)
			}
			if err := Check(f, cfg, r); err != nil {
				t.Fatalf("%s %d: %v", h.name, n, err)
			}
		}
	}
}

// TestHostileWork allocates 20,000-value instances of the hostile functions and bounds
// the work without timing it: the blocks and edges the liveness walks visit, and the
// bytes allocated, per instruction or block. Before liveness went sparse, live-across-ifs
// took 65 s and allocated 1.3 GB, and calls-in-ifs allocated 3.4 GB (splitting copied the
// remaining uses of the value each time).
func TestHostileWork(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates functions of 100,000 instructions")
	}
	cfg, _ := parseConfig("")
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			f, err := parseFunc(h.gen(20000))
			if err != nil {
				t.Fatal(err)
			}
			units := max(len(f.instrs), len(f.blocks))
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			a := &allocator{f: f, cfg: cfg}
			if _, err := a.run(); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			bytes := int(after.TotalAlloc - before.TotalAlloc)
			t.Logf("%d instructions, %d blocks: %d walk steps, %d bytes allocated", len(f.instrs), len(f.blocks), a.walk.steps, bytes)
			if a.walk.steps > h.steps*units {
				t.Errorf("liveness walked %d steps, more than %d per instruction or block", a.walk.steps, h.steps)
			}
			if bytes > h.bytes*units {
				t.Errorf("allocated %d bytes, more than %d per instruction or block", bytes, h.bytes)
			}
		})
	}
}

// BenchmarkHostile allocates the hostile functions at two sizes, so that time per
// instruction can be compared across sizes: it stays flat where the work is linear.
func BenchmarkHostile(b *testing.B) {
	cfg, _ := parseConfig("")
	for _, h := range hostile {
		for _, n := range []int{2000, 20000} {
			b.Run(fmt.Sprintf("%s/%d", h.name, n), func(b *testing.B) {
				f, err := parseFunc(h.gen(n))
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				var steps int
				for b.Loop() {
					a := &allocator{f: f, cfg: cfg}
					if _, err := a.run(); err != nil {
						b.Fatal(err)
					}
					steps = a.walk.steps
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(f.instrs)), "ns/instr")
				b.ReportMetric(float64(steps)/float64(len(f.instrs)), "steps/instr")
			})
		}
	}
}
