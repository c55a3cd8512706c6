package amd64

import (
	"bytes"
	"slices"
	"testing"
)

// TestReplayVisitsRedos encodes TestEncodeRelocatedOnce's function (1,000 global reads
// and writes after a loop, each relocated) and counts what the measuring pass left the
// final pass to do again: the blocks' starts, the prologue's stack check and the jumps,
// not the instructions that encode the same wherever they are (issue 21). Before, the
// final pass went through all 1,008 instructions; 6 redos now (bound 20).
func TestReplayVisitsRedos(t *testing.T) {
	const n = 500
	f, res := deferredGlobals(t, n)
	e := &emitter{}
	heads := loopHeads(f, nil)
	f.encode(e, nil, heads, nil)
	t.Logf("%d instructions, %d edits, %d blocks: %d redos", len(f.Insts), len(res.Edits), len(f.Blocks), len(e.redos))
	if len(e.Relocs) < 2*n {
		t.Fatalf("%d relocations, fewer than %d: the function does not test what it should", len(e.Relocs), 2*n)
	}
	if len(e.redos) > 20 {
		t.Errorf("the measuring pass left %d redos, more than 20", len(e.redos))
	}
	short := e.Relax(rel8Reaches)
	kept := e.keep(nil, nil, nil)
	f.encode(e, short, heads, &kept)
	if want, relocs := encodeAll(f); !bytes.Equal(e.a.buf, want) || !slices.Equal(e.Relocs, relocs) {
		t.Errorf("replaying the redos gave other code than encoding again")
	}
}
