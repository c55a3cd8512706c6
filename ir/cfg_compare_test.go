package ir

import "testing"

// TestPassesCompareCFGOnce counts how often each pass compares the cached CFG's key with
// the function, a walk over every branch, on a function with a loop whose CFG is
// current: once, when it starts (LICM twice, since adding a preheader changes the CFG;
// Promote and ExitValues return after it when no loop qualifies). Asking for the
// dominators or the loops compared it again each time (issue 21): GVN, RLE and BCE 2,
// ExitValues 5, LICM 7, Promote 4, SLP 3.
func TestPassesCompareCFGOnce(t *testing.T) {
	const src = `func $f(i32, i64) -> i64 {
b0(v0:i32, v1:i64):
    jump b1(v0, v1)
b1(v2:i32, v3:i64):
    v4:i64 = iconst 12
    v5:i64 = iadd v3, v4
    v6:i64 = iconst 3
    v7:i64 = ishl v1, v6
    v8:i64 = iadd v5, v7
    v9:i32 = iconst 1
    v10:i32 = isub v2, v9
    brif v10, b1(v10, v8), b2
b2:
    return v8
}
`
	for _, p := range []struct {
		name string
		run  func(*Func)
		want int
	}{
		{"gvn", GVN, 1}, {"rle", RLE, 1}, {"bce", BCE, 1}, {"exitvalues", ExitValues, 1},
		{"licm", LICM, 2}, {"promote", Promote, 1}, {"slp", SLP, 1},
	} {
		m, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		f := m.Funcs[0]
		f.CFG()
		f.cfg.compares = 0
		p.run(f)
		got := f.cfg.compares
		if errs := Verify(f); len(errs) > 0 {
			t.Fatalf("after %s: %s", p.name, errorLines(errs))
		}
		if got > p.want {
			t.Errorf("%s compared the CFG's key %d times, want %d", p.name, got, p.want)
		}
	}
}

// TestPromoteSkipsWithoutSelfLoop: Promote, on a function whose loops all have more than
// one block, returns before building the CFG or the loops (issue 21): it built both,
// which the passes before it had left stale, for every function, though most have no
// loop of one block.
func TestPromoteSkipsWithoutSelfLoop(t *testing.T) {
	const src = `memory mem0 min 1

func $f(i32, i32) -> i32 {
b0(v0:i32, v1:i32):
    jump b1(v1)
b1(v2:i32):
    v3:i32 = load mem0[v0 + 0]
    v4:i32 = iadd v2, v3
    jump b2
b2:
    store mem0[v0 + 0], v4
    brif v4, b1(v4), b3
b3:
    return v4
}
`
	m, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	before := f.String()
	Promote(f)
	if f.cfg.cfg != nil || f.cfg.compares != 0 || f.loops.forest != nil {
		t.Errorf("Promote built the CFG (%v, %d comparisons) or the loops (%v)", f.cfg.cfg != nil, f.cfg.compares, f.loops.forest != nil)
	}
	if got := f.String(); got != before {
		t.Errorf("Promote changed a function with no loop of one block:\n%s", got)
	}
}
