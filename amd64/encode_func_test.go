package amd64

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/isatest"
	"github.com/wasmc/wasmc/ir"
)

// Checks of Encode's output beyond what running it shows: relocation fields and addends,
// trap sites, and determinism.

const encodeSrc = `
memory mem0 min 1
global $g mut i64 = iconst 0

func $callee(i64) -> i64 {
b0(v0:i64):
    return v0
}

func $f(i32) -> i64 {
b0(v0:i32):
    boundscheck mem0, v0, 8
    v1:i64 = load mem0[v0 + 0]
    v2:i64 = call $callee(v1)
    globalset $g, v2
    v3:i32 = iconst 5
    v4:i32 = icmp eq v0, v3
    trapif v4, unreachable
    return v2
}
`

func TestEncodeRelocs(t *testing.T) {
	m := parseModule(t, encodeSrc)
	var c compiled
	for _, x := range compileModule(t, m) {
		if x.f.Name == "f" {
			c = x
		}
	}
	code := c.code
	type want struct {
		kind  backend.RefKind
		index uint32
		disp  int64 // the offset from the symbol the instruction addresses
	}
	var got []want
	for _, r := range code.Relocs {
		if r.Kind != backend.RelocPC32 {
			t.Errorf("relocation kind %d, want RelocPC32", r.Kind)
		}
		if int(r.Offset)+4 > len(code.Bytes) {
			t.Fatalf("relocation at %#x outside %d bytes", r.Offset, len(code.Bytes))
		}
		if f := binary.LittleEndian.Uint32(code.Bytes[r.Offset:]); f != 0 {
			t.Errorf("relocated field at %#x holds %#x before linking", r.Offset, f)
		}
		// S + A - P must equal S + disp - end: none of these instructions has an immediate
		// after the field, so end - P is 4 and A is disp - 4.
		got = append(got, want{r.Sym.Kind, r.Sym.Index, r.Addend + 4})
	}
	// In emission order: the stack limit, the size word for the bounds check (memory 0's
	// base is r15, no load), the callee, the global; then the trap stubs' calls of RtTrap.
	wants := []want{
		{backend.RefStackLimit, 0, 0},
		{backend.RefMemory, 0, descSize},
		{backend.RefFunc, 0, 0},
		{backend.RefGlobal, 0, 0},
		{backend.RefRuntime, uint32(backend.RtTrap), 0},
		{backend.RefRuntime, uint32(backend.RtTrap), 0},
		{backend.RefRuntime, uint32(backend.RtTrap), 0},
	}
	if len(got) != len(wants) {
		t.Fatalf("relocations %+v, want %+v", got, wants)
	}
	for i := range wants {
		if got[i] != wants[i] {
			t.Errorf("relocation %d: %+v, want %+v", i, got[i], wants[i])
		}
	}
	// Each trap site is just after a call (E8 rel32) in a stub.
	codes := map[ir.TrapCode]bool{}
	for _, s := range code.TrapSites {
		if s.CodeOffset < 5 || code.Bytes[s.CodeOffset-5] != 0xe8 {
			t.Errorf("trap site %v at %#x does not follow a call", s.Code, s.CodeOffset)
		}
		codes[s.Code] = true
	}
	for _, want := range []ir.TrapCode{ir.TrapStackExhausted, ir.TrapOutOfBoundsMemory, ir.TrapUnreachable} {
		if !codes[want] {
			t.Errorf("no trap site for %v in %v", want, code.TrapSites)
		}
	}
}

// TestDeterministic compiles the same module twice: the bytes, relocations and dumps must be
// identical (DESIGN.md decision 9).
func TestDeterministic(t *testing.T) {
	for seed := range uint64(10) {
		src := isatest.RandomProgram(seed)
		a := compileModule(t, parseModule(t, src))
		b := compileModule(t, parseModule(t, src))
		for i := range a {
			if !bytes.Equal(a[i].code.Bytes, b[i].code.Bytes) || a[i].final != b[i].final || len(a[i].code.Relocs) != len(b[i].code.Relocs) {
				t.Fatalf("seed %d: $%s compiles differently twice", seed, a[i].f.Name)
			}
		}
	}
}
