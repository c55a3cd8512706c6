package frontend_test

import (
	"slices"
	"testing"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
)

// TestDecodeRecordsRefs: the decoder records what each body's calls and ref.funcs name,
// and the link's reachability (Refs of an on-demand body) reads that record instead of
// decoding the code again (issue 21): after the code is overwritten with an illegal
// opcode, Refs still answers, without an error.
func TestDecodeRecordsRefs(t *testing.T) {
	src := `(module
	  (type $t (func))
	  (table 1 funcref)
	  (elem declare func $b)
	  (func $a (call $b) (call $c) (drop (ref.func $b)) (call_indirect (type $t) (i32.const 0)))
	  (func $b)
	  (func $c (if (i32.const 1) (then (call $a)) (else (call $c)))))`
	tm, err := wat.ParseModule("refs.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := frontend.Decode(frontend.Encode(tm))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]uint32{{1, 2, 1}, nil, {0, 2}}
	for i, c := range m.Codes {
		if !c.RefsRead || !slices.Equal(c.Refs, want[i]) {
			t.Fatalf("function %d: Refs %v (read %v), want %v", i, c.Refs, c.RefsRead, want[i])
		}
	}
	lazy, err := frontend.LowerLazy(m)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Codes {
		body := slices.Clone(m.Codes[i].Body)
		for j := range body {
			body[j] = 0xFF // no opcode
		}
		m.Codes[i].Body = body
		var got []uint32
		if err := lazy.Funcs[i].Refs(func(idx uint32) { got = append(got, idx) }); err != nil {
			t.Fatalf("function %d: Refs read the code again: %v", i, err)
		}
		if !slices.Equal(got, want[i]) {
			t.Fatalf("function %d: Refs %v, want %v", i, got, want[i])
		}
	}
}
