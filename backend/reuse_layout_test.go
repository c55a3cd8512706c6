package backend

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// layoutText prints what selection reads of a layout and an analysis: per IR block its
// machine block, edges and EdgeOf, per machine block its IR block and parameters, and
// the values' uses and kinds.
func layoutText(f *ir.Func, l *BlockLayout, blocks []Block, v *Values) string {
	var b strings.Builder
	for blk := range f.Blocks {
		fmt.Fprintf(&b, "b%d: m%d", blk, l.MBlock[blk])
		if l.MBlock[blk] >= 0 {
			for _, e := range l.Edges(ir.BlockID(blk)) {
				fmt.Fprintf(&b, " %+v", e)
			}
			fmt.Fprintf(&b, " of %v", l.EdgeOf(ir.BlockID(blk)))
		}
		b.WriteString("\n")
	}
	for mb := range blocks {
		fmt.Fprintf(&b, "m%d: %+v b%d %v\n", mb, blocks[mb], l.BlockIR[mb], l.Params[l.ParamStart[mb]:l.ParamStart[mb+1]])
	}
	fmt.Fprintf(&b, "uses %v kinds %v", v.Uses, v.Kind)
	return b.String()
}

// TestLayOutReusesArrays lays out and analyses a function of 2,000 ifs and a brtable
// again and again, releasing the layout and the analysis each time as selection does
// (issue 21): the arrays go to the next function's LayOutBlocks and AnalyzeValues, which
// then allocate only the machine blocks and the parameters, which the machine function
// keeps. Each layout is the same as the first. Before, both were built afresh: 109 bytes
// allocated a machine block, 29 now (bound 45).
func TestLayOutReusesArrays(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pools are per processor
	const n = 2000
	src := diamonds(n)
	// A brtable with repeated targets, which takes LayOutBlocks' chains by target.
	src = strings.Replace(src, "    jump b1(v0)\n", "    brtable v0, [b1(v0), b1(v0), b1(v0), b1(v0), b1(v0), b1(v0), b1(v0), b1(v0), b1(v0)], default b1(v0)\n", 1)
	m, err := ir.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	lay := func() string {
		l, blocks := LayOutBlocks(f, true, nil)
		v := AnalyzeValues(f, nil, nil)
		s := layoutText(f, l, blocks, &v)
		l.Release()
		v.Release()
		return s
	}
	want := lay()
	const rounds = 10
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var nblocks int
	for range rounds {
		l, blocks := LayOutBlocks(f, true, nil)
		v := AnalyzeValues(f, nil, nil)
		nblocks = len(blocks)
		l.Release()
		v.Release()
	}
	runtime.ReadMemStats(&after)
	per := int(after.TotalAlloc-before.TotalAlloc) / rounds / nblocks
	t.Logf("%d machine blocks: %d bytes allocated each", nblocks, per)
	if per > 45 {
		t.Errorf("a layout allocated %d bytes a machine block, more than 45", per)
	}
	if got := lay(); got != want {
		t.Errorf("a layout into released arrays differs from the first:\n%s\nwant\n%s", got, want)
	}
	if !slices.Contains(strings.Split(want, "\n"), "b0: m0 {Target:b1 Args:[v0] MBlock:1 Split:false} of [0 0 0 0 0 0 0 0 0 0]") {
		t.Errorf("the brtable's edges are not one to b1:\n%s", want[:strings.Index(want, "\n")])
	}
}

// TestSelectReusesEdgeArrays lays out and selects a function of 2,000 ifs again and
// again, giving the edge arrays back after each as Apply does, and bounds what Select
// allocates per machine block (issue 21): the arrays of the edges and predecessors that
// Apply drops go to the next Select. Before, each Select made them: 42 bytes a machine
// block, 0 now (bound 8).
func TestSelectReusesEdgeArrays(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pools are per processor
	m, err := ir.Parse(diamonds(2000))
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	arg := make([]regalloc.VReg, 4)
	const rounds = 10
	var total uint64
	nblocks := 0
	for k := range rounds + 1 {
		lay, blocks := LayOutBlocks(f, false, nil)
		g := &toyFunc{f: f, lay: lay}
		g.Blocks, g.Insts = blocks, make([]toyInst, 0, len(blocks))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		g.Select(lay, edgeSelector{g, arg})
		runtime.ReadMemStats(&after)
		if k > 0 { // the first fills the pool
			total += after.TotalAlloc - before.TotalAlloc
		}
		nblocks = len(blocks)
		lay.Release()
		g.recycleEdges() // as Apply does
	}
	per := int(total) / rounds / nblocks
	t.Logf("%d machine blocks: Select allocated %d bytes each", nblocks, per)
	if per > 8 {
		t.Errorf("Select allocated %d bytes a machine block, more than 8", per)
	}
}
