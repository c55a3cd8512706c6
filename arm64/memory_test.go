package arm64

import (
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// TestSelectDropsAnalyses checks that selection leaves the function no cached CFG (the
// next call computes a new one): it reads none past the layout, and on a huge function
// the CFG stayed alive through all of selection, a fifth of the body's memory (issue 19).
func TestSelectDropsAnalyses(t *testing.T) {
	m, err := ir.Parse(`func $f(i32) -> i32 {
b0(v0:i32):
    brif v0, b1, b2
b1:
    v1:i32 = iconst 1
    return v1
b2:
    return v0
}
`)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	before := f.CFG()
	if _, err := New().Select(f, testEnv(m)); err != nil {
		t.Fatal(err)
	}
	if f.CFG() == before {
		t.Error("the CFG is still cached after selection")
	}
}
