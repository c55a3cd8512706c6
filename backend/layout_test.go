package backend

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// edgeSelector selects nothing but the edges: one empty instruction a block, and the
// successors with their arguments, so that what LayOutBlocks and Select allocate is
// measured alone.
type edgeSelector struct {
	f   *toyFunc
	arg []regalloc.VReg
}

func (s edgeSelector) SelectBlock(mb int, b ir.BlockID) {
	s.f.emit(toyInst{})
	for _, e := range s.f.lay.Edges(b) {
		if e.Split {
			s.f.AddSucc(mb, e.MBlock, nil) // the split block passes the arguments
		} else {
			s.f.AddSucc(mb, e.MBlock, s.arg[:len(e.Args)])
		}
	}
}

func (s edgeSelector) SelectEdge(mb int, e Edge) {
	s.f.emit(toyInst{})
	s.f.AddSucc(mb, s.f.lay.MBlock[e.Target], s.arg[:len(e.Args)])
}

// diamonds is a function of n ifs in a row, each joining its arms in a block with a
// parameter, one of whose incoming edges is critical: 3n+2 machine blocks.
func diamonds(n int) string {
	var b strings.Builder
	b.WriteString("func $f(i32) {\nb0(v0:i32):\n    jump b1(v0)\n")
	for k := range n {
		h := 2*k + 1
		fmt.Fprintf(&b, "b%d(v%d:i32):\n    brif v%d, b%d, b%d(v%d)\nb%d:\n    jump b%d(v%d)\n",
			h, k+1, k+1, h+1, h+2, k+1, h+1, h+2, k+1)
	}
	fmt.Fprintf(&b, "b%d(v%d:i32):\n    return\n}\n", 2*n+1, n+1)
	return b.String()
}

// TestSelectMemoryPerBlock bounds what laying out and filling the machine blocks
// allocates per machine block: the blocks' edges and parameters are arrays of the
// function, not slices per block, and the edges' array is not grown under the blocks'
// parts of it. With four slices a block (and one per edge for the arguments) and every
// outgrown edges array kept alive, the blocks of a function of 300,000 took more memory
// than its instructions (issue 19); this case allocated 513 bytes a block then, 171 with
// the machine blocks' edges in arrays but the layout's still in two slices per IR block,
// and 149 now.
func TestSelectMemoryPerBlock(t *testing.T) {
	const n = 20000
	m, err := ir.Parse(diamonds(n))
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	f.CFG()
	tf := &toyFunc{f: f}
	tf.Insts = make([]toyInst, 0, 3*n+2)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	tf.lay, tf.Blocks = LayOutBlocks(f, false, nil)
	tf.Select(tf.lay, edgeSelector{tf, []regalloc.VReg{0}})
	runtime.ReadMemStats(&after)
	blocks := len(tf.Blocks)
	if blocks != 3*n+2 {
		t.Fatalf("%d machine blocks, want %d", blocks, 3*n+2)
	}
	perBlock := int(after.TotalAlloc-before.TotalAlloc) / blocks
	t.Logf("%d machine blocks: %d bytes each", blocks, perBlock)
	if perBlock > 160 {
		t.Errorf("laying out and selecting allocated %d bytes a machine block, more than 160", perBlock)
	}
}

// TestAnalyzeMemoryPerBlock bounds what value analysis and block layout allocate per IR
// block of a function whose CFG no pass has built (at -O0): all they need of it is which
// blocks are reachable. Building the CFG for that (a list of successors and of
// predecessors a block, the reverse postorder, the cache's key) was the largest part of
// selection's allocation on a huge function at -O0 (issue 19): 414 bytes a block here
// then, 173 now.
func TestAnalyzeMemoryPerBlock(t *testing.T) {
	const n = 20000
	m, err := ir.Parse(diamonds(n))
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	AnalyzeValues(f, toyFolding{}, nil)
	LayOutBlocks(f, false, nil)
	runtime.ReadMemStats(&after)
	perBlock := int(after.TotalAlloc-before.TotalAlloc) / len(f.Blocks)
	t.Logf("%d IR blocks: %d bytes each", len(f.Blocks), perBlock)
	if perBlock > 180 {
		t.Errorf("value analysis and layout allocated %d bytes an IR block, more than 180", perBlock)
	}
}

// TestLayOutArgless checks which critical edges each kind of layout splits: for
// regalloc.Run all of them, for RunFast only those passing arguments. An if without
// else at -O0 branches to its join with nothing to pass, and a block of its own for
// that edge was a fifth of the machine code of 100,000 nested ifs (issue 19).
func TestLayOutArgless(t *testing.T) {
	m, err := ir.Parse(`func $f(i32) {
b0(v0:i32):
    brif v0, b1, b2
b1:
    brif v0, b2, b3(v0)
b2:
    jump b3(v0)
b3(v1:i32):
    return
}
`)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	split := func(argless bool) (n int) {
		lay, _ := LayOutBlocks(f, argless, nil)
		for _, b := range f.Layout {
			for _, e := range lay.Edges(b) {
				if e.Split {
					n++
				}
			}
		}
		return n
	}
	// Critical: b0→b2 (no arguments) and b1→b3 (one); b1→b2 is one too.
	if got := split(false); got != 3 {
		t.Errorf("for Run, %d critical edges split, want 3", got)
	}
	if got := split(true); got != 1 {
		t.Errorf("for RunFast, %d critical edges split, want the 1 passing an argument", got)
	}
}
