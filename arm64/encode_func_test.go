package arm64

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
		kind  backend.RelocKind
		sym   backend.RefKind
		index uint32
		add   int64
	}
	var got []want
	for _, r := range code.Relocs {
		if int(r.Offset)+4 > len(code.Bytes) || r.Offset%4 != 0 {
			t.Fatalf("relocation at %#x outside %d bytes or misaligned", r.Offset, len(code.Bytes))
		}
		insn := binary.LittleEndian.Uint32(code.Bytes[r.Offset:])
		var field uint32
		switch r.Kind {
		case backend.RelocARM64Call26:
			field = insn & (1<<26 - 1)
		case backend.RelocARM64AdrpPage21:
			field = insn & (3<<29 | (1<<19-1)<<5)
		default:
			field = insn >> 10 & 0xfff
		}
		if field != 0 {
			t.Errorf("relocated field at %#x holds %#x before linking", r.Offset, field)
		}
		got = append(got, want{r.Kind, r.Sym.Kind, r.Sym.Index, r.Addend})
	}
	// In emission order: the stack limit (adrp, ldr), the size word for the bounds check
	// (memory 0's base is x28, no load), the callee, the global; then the three trap
	// stubs' calls of RtTrap.
	page, lo, call := backend.RelocARM64AdrpPage21, backend.RelocARM64Ldst64Lo12, backend.RelocARM64Call26
	trap := want{call, backend.RefRuntime, uint32(backend.RtTrap), 0}
	wants := []want{
		{page, backend.RefStackLimit, 0, 0}, {lo, backend.RefStackLimit, 0, 0},
		{page, backend.RefMemory, 0, descSize}, {lo, backend.RefMemory, 0, descSize},
		{call, backend.RefFunc, 0, 0},
		{page, backend.RefGlobal, 0, 0}, {lo, backend.RefGlobal, 0, 0},
		trap, trap, trap,
	}
	if len(got) != len(wants) {
		t.Fatalf("relocations %+v, want %+v", got, wants)
	}
	for i := range wants {
		if got[i] != wants[i] {
			t.Errorf("relocation %d: %+v, want %+v", i, got[i], wants[i])
		}
	}
	// Each trap site is just after a BL in a stub.
	codes := map[ir.TrapCode]bool{}
	for _, s := range code.TrapSites {
		if s.CodeOffset < 4 || binary.LittleEndian.Uint32(code.Bytes[s.CodeOffset-4:])>>26 != 0b100101 {
			t.Errorf("trap site %v at %#x does not follow a bl", s.Code, s.CodeOffset)
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

// TestRelaxation: a function past 1 MiB keeps every conditional branch that reaches short
// and turns the rest into an inverted branch over a B (emit.go); nothing out of reach is
// left, and a small function needs no second pass.
func TestRelaxation(t *testing.T) {
	if testing.Short() {
		t.Skip("a function of more than 1 MiB")
	}
	m := parseModule(t, bigFuncSrc(300_000))
	c := compileModule(t, m)[0]
	b := c.code.Bytes
	// The prologue's stack check and b0's trapif (each a b.cond to its stub, past the body)
	// and cbz (to b2, past the body) are long: an inverted b.cond or cbnz over a B. The back
	// edge of the body is long too.
	longs := 0
	for off := 0; off+8 <= len(b); off += 4 {
		w, next := binary.LittleEndian.Uint32(b[off:]), binary.LittleEndian.Uint32(b[off+4:])
		skip := (w>>24 == 0x54 || w>>24&0x7e == 0x34) && w>>5&(1<<19-1) == 2 // to off+8
		if skip && next>>26 == 0b000101 {
			longs++
		}
	}
	if longs != 4 {
		t.Errorf("%d long conditional branches, want 4 (stack check, trapif, brif over the body, the back edge)", longs)
	}
}
