package amd64

import (
	"testing"
	"unsafe"
)

// TestInstSize holds the machine instruction to its packed size: a huge function has one
// per machine instruction, twice while Apply copies them, and at 120 bytes they were the
// largest part of the compiler's peak memory on such functions (issue 19). A field added
// to inst should find room in the padding or go to the instructions that need it.
func TestInstSize(t *testing.T) {
	if n := unsafe.Sizeof(inst{}); n > 88 {
		t.Errorf("inst is %d bytes, more than 88", n)
	}
}

// TestSelectDropsAnalyses checks that selection leaves the function no cached CFG (the
// next call computes a new one): it reads none past the layout, and on a huge function
// the CFG stayed alive through all of selection, a fifth of the body's memory (issue 19).
func TestSelectDropsAnalyses(t *testing.T) {
	m := parseModule(t, `func $f(i32) -> i32 {
b0(v0:i32):
    brif v0, b1, b2
b1:
    v1:i32 = iconst 1
    return v1
b2:
    return v0
}
`)
	f := m.Funcs[0]
	before := f.CFG()
	if _, err := New().Select(f, testEnv(m)); err != nil {
		t.Fatal(err)
	}
	if f.CFG() == before {
		t.Error("the CFG is still cached after selection")
	}
}
