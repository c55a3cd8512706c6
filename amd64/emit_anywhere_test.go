package amd64

import (
	"testing"

	"github.com/wasmc/wasmc/backend"
)

// TestAnywhereOps encodes every op flagged anywhere in every form it has, at every width,
// with each kind of memory operand but a jump table's, and checks that it recorded nothing
// but relocations: put copies such an op's bytes in the final pass without watching what
// it records, so a flagged op that jumped or referred to a label or a trap would keep the
// measuring pass's distance in the final code.
func TestAnywhereOps(t *testing.T) {
	mems := []mem{regMem(1, -1, 0, 8), regMem(1, 2, 4, -8), regMem(baseMem0, 2, 1, 0), frameMem(memFP, -16),
		frameMem(memSP, 8), ripMem(backend.SymRef{Kind: backend.RefGlobal, Index: 3}, 4)}
	encoded := 0
	for op := range op(numOps) {
		if opTable[op].flags&anywhere == 0 {
			continue
		}
		before := encoded
		for _, f := range []form{fR, fRR, fRI, fRM, fMR, fMI} {
			for _, w := range []Width{W8, W16, W32, W64} {
				for _, m := range mems {
					in := inst{op: op, form: f, w: w, w2: W8, imm: 5, m: m, regs: [maxRegs]Reg{RAX, RCX, RDX}}
					var e emitter
					e.Begin(&e.a, 1, nil)
					marks := e.marks()
					if !encodes(&e, &in) {
						continue
					}
					encoded++
					if n := e.marks() - marks - len(e.Relocs); n != 0 {
						t.Errorf("%s form %d width %v memory kind %d: %d marks besides relocations",
							opTable[op].name, f, w, m.kind, n)
					}
				}
			}
		}
		if encoded == before {
			t.Errorf("%s is flagged anywhere but encoded in no form here", opTable[op].name)
		}
	}
	t.Logf("%d encodings", encoded)
}

// encodes runs in's emit function in e and reports whether it encoded, rather than
// panicking at a form or width the op lacks.
func encodes(e *emitter, in *inst) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	opTable[in.op].emit(e, in)
	return true
}
