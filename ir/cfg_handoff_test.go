package ir

import (
	"strings"
	"testing"
)

// handoffSrc has a loop, and a block b3 that only b2's brif reaches, so that turning the
// brif into a jump leaves b3 unreachable.
const handoffSrc = `func $f(i32, i64) -> i64 {
b0(v0:i32, v1:i64):
    jump b1(v0, v1)
b1(v2:i32, v3:i64):
    v4:i64 = iconst 12
    v5:i64 = iadd v3, v4
    v6:i32 = iconst 1
    v7:i32 = isub v2, v6
    jump b2
b2:
    brif v7, b1(v7, v5), b3
b3:
    return v5
}
`

// cutB3 turns b2's brif into a jump back to b1, leaving b3 unreachable.
func cutB3(f *Func) {
	t := f.Terminator(2)
	t.Op, t.Args, t.Targets = OpJump, nil, t.Targets[:1]
}

func parseHandoff(t *testing.T) *Func {
	t.Helper()
	m, err := Parse(handoffSrc)
	if err != nil {
		t.Fatal(err)
	}
	return m.Funcs[0]
}

// TestHandoffOnlyInPipeline: a pass run outside a pipeline leaves no handoff, so that a
// caller who edits the function before the next pass is not misled: here the next pass's
// removal of unreachable blocks must find the block the edit cut off.
func TestHandoffOnlyInPipeline(t *testing.T) {
	f := parseHandoff(t)
	f.CFG()
	CopyProp(f)
	cutB3(f)
	if !removeUnreachable(f) {
		t.Errorf("a handoff from CopyProp outside a pipeline hid the unreachable block")
	}
}

// TestHandoffNextPassOnly: a handoff is taken only by the pass right after the one that
// left it, and only once.
func TestHandoffNextPassOnly(t *testing.T) {
	f := parseHandoff(t)
	defer f.cfg.endPipeline()
	f.CFG()
	f.cfg.beginPass()
	CopyProp(f)
	f.cfg.beginPass() // a pass that asks nothing, and edits
	cutB3(f)
	f.cfg.beginPass()
	if !removeUnreachable(f) {
		t.Errorf("a handoff two passes old hid the unreachable block")
	}

	f = parseHandoff(t)
	defer f.cfg.endPipeline()
	f.CFG()
	f.cfg.beginPass()
	CopyProp(f)
	f.cfg.beginPass()
	if removeUnreachable(f) { // takes the handoff
		t.Fatalf("nothing was unreachable")
	}
	cutB3(f)
	if !removeUnreachable(f) {
		t.Errorf("a handoff was taken twice")
	}
}

// TestHandoffSavesComparison: within a pipeline, a pass after one that changed no block
// or branch uses the cached CFG without comparing its key with every branch, and the
// result still verifies.
func TestHandoffSavesComparison(t *testing.T) {
	f := parseHandoff(t)
	defer f.cfg.endPipeline()
	f.CFG()
	f.cfg.beginPass()
	GVN(f)
	f.cfg.beginPass()
	f.cfg.compares = 0
	RLE(f)
	if f.cfg.compares != 0 {
		t.Errorf("RLE compared the CFG's key %d times after GVN's handoff, want 0", f.cfg.compares)
	}
	if errs := Verify(f); len(errs) > 0 {
		t.Fatal(errorLines(errs))
	}
}

// TestVerifyCatchesFalseHandoff: under Config.Verify, a pass that hands on a CFG it then
// made stale fails the pipeline, while an honest pass's handoff passes.
func TestVerifyCatchesFalseHandoff(t *testing.T) {
	f := parseHandoff(t)
	defer f.cfg.endPipeline()
	f.cfg.beginPass()
	if err := runPass(f, Pass{"copyprop", CopyProp}, Config{Verify: true}); err != nil {
		t.Fatalf("an honest handoff failed verification: %v", err)
	}
	f.cfg.beginPass()
	liar := func(f *Func) {
		f.CFG()
		cutB3(f)
		f.leaveHandoff(nil, true)
	}
	err := runPass(f, Pass{"liar", liar}, Config{Verify: true})
	if err == nil || !strings.Contains(err.Error(), "handed on") {
		t.Fatalf("a stale handoff passed verification: err = %v", err)
	}
}
