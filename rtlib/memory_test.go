package rtlib_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

const page = 65536

func grow(t *testing.T, inst *ir.Instance, mem, delta int32) int32 {
	t.Helper()
	res, err := inst.Invoke("wasmc_memory_grow", []ir.Val{ir.I32Val(mem), ir.I32Val(delta)})
	if err != nil {
		t.Fatalf("wasmc_memory_grow(%d, %d): %v", mem, delta, err)
	}
	return int32(res[0].Bits)
}

func TestMemoryGrow(t *testing.T) {
	inst, h := newRuntime(t)
	const base = 0x10_0000
	h.memory(0, 0x1000, base, 1*page, 4*page)
	size := func() uint64 { return binary.LittleEndian.Uint64(h.descriptor(0)[8:]) }
	mprotect := func(addr, n int64) sysCall {
		return sysCall{nr: rtlib.SysMprotect, args: [6]int64{addr, n, 3}}
	}
	for _, tc := range []struct {
		delta, want int32
		size        uint64
		call        *sysCall // the mprotect it must make, if any
	}{
		{0, 1, 1 * page, nil},
		{1, 1, 2 * page, &sysCall{}},
		{2, 2, 4 * page, &sysCall{}},
		{1, -1, 4 * page, nil}, // past max
		{0, 4, 4 * page, nil},
		{-1, -1, 4 * page, nil}, // 2^32-1 pages: delta is unsigned
	} {
		before, calls := size(), len(h.calls)
		if got := grow(t, inst, 0, tc.delta); got != tc.want || size() != tc.size {
			t.Errorf("grow(%d) = %d, size %#x; want %d, size %#x", tc.delta, got, size(), tc.want, tc.size)
		}
		var want []sysCall
		if tc.call != nil {
			want = []sysCall{mprotect(int64(base+before), int64(tc.size-before))}
		}
		if got := h.calls[calls:]; !equalCalls(got, want) {
			t.Errorf("grow(%d) made syscalls %v, want %v", tc.delta, got, want)
		}
	}

	// A refused mprotect leaves the memory as it was.
	h.memory(1, 0x1100, 0x20_0000, 0, 2*page)
	h.mprotect = -12 // ENOMEM
	if got := grow(t, inst, 1, 1); got != -1 || binary.LittleEndian.Uint64(h.descriptor(1)[8:]) != 0 {
		t.Errorf("grow with mprotect failing = %d, size %#x; want -1, 0", got, binary.LittleEndian.Uint64(h.descriptor(1)[8:]))
	}
}

func equalCalls(a, b []sysCall) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// wantTrap checks that err is an out_of_bounds_memory trap.
func wantTrap(t *testing.T, what string, err error) {
	t.Helper()
	var trap *ir.Trap
	if !errors.As(err, &trap) || trap.Code != ir.TrapOutOfBoundsMemory {
		t.Errorf("%s: got %v, want an out of bounds memory access trap", what, err)
	}
}

func pattern(b []byte) {
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
}

func TestMemoryFill(t *testing.T) {
	inst, h := newRuntime(t)
	mem := h.memory(0, 0x1000, 0x10_0000, page, page)
	model := make([]byte, page)
	fill := func(dst uint64, v int32, n uint64) error {
		return bulk(inst, ir.TrapOutOfBoundsMemory, "wasmc_memory_fill", ir.I32Val(0), ir.I64Val(int64(dst)), ir.I32Val(v), ir.I64Val(int64(n)))
	}
	for i, dst := range []uint64{0, 1, 5, 8, 13, 100, page - 17, page - 1, page} {
		for j, n := range []uint64{0, 1, 3, 8, 9, 16, 17} {
			if dst+n > page {
				continue
			}
			v := int32(0x100*i + j + 1) // only the low byte counts
			if err := fill(dst, v, n); err != nil {
				t.Fatalf("fill(%d, %#x, %d): %v", dst, v, n, err)
			}
			for k := dst; k < dst+n; k++ {
				model[k] = byte(v)
			}
			if !bytes.Equal(mem, model) {
				t.Fatalf("fill(%d, %#x, %d) wrote the wrong bytes", dst, v, n)
			}
		}
	}
	for _, c := range [][2]uint64{{page - 3, 4}, {page + 1, 0}, {0, page + 1}, {8, 1 << 63}, {1<<64 - 1, 2}} {
		wantTrap(t, "fill out of bounds", fill(c[0], 0xee, c[1]))
	}
	if !bytes.Equal(mem, model) {
		t.Error("a fill that trapped wrote to the memory")
	}
}

func TestMemoryCopy(t *testing.T) {
	inst, h := newRuntime(t)
	mem0 := h.memory(0, 0x1000, 0x10_0000, page, page)
	mem1 := h.memory(1, 0x1100, 0x20_0000, page, 2*page)
	copyMem := func(dm, sm int32, d, s, n uint64) error {
		return bulk(inst, ir.TrapOutOfBoundsMemory, "wasmc_memory_copy", ir.I32Val(dm), ir.I32Val(sm), ir.I64Val(int64(d)), ir.I64Val(int64(s)), ir.I64Val(int64(n)))
	}
	offs := []uint64{0, 1, 3, 7, 8, 9, 16, 21, 24, 40}
	for _, d := range offs {
		for _, s := range offs {
			for _, n := range []uint64{0, 1, 7, 8, 9, 17, 33} {
				pattern(mem0)
				model := bytes.Clone(mem0)
				copy(model[d:d+n], model[s:s+n]) // Go's copy is a memmove
				if err := copyMem(0, 0, d, s, n); err != nil {
					t.Fatalf("copy(%d, %d, %d): %v", d, s, n, err)
				}
				if !bytes.Equal(mem0, model) {
					t.Fatalf("copy(%d, %d, %d) within a memory wrote the wrong bytes", d, s, n)
				}
			}
		}
	}
	pattern(mem1)
	clear(mem0)
	if err := copyMem(0, 1, 5, page-100, 100); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mem0[5:105], mem1[page-100:page]) || mem0[4] != 0 || mem0[105] != 0 {
		t.Error("copy between memories wrote the wrong bytes")
	}
	before := bytes.Clone(mem0)
	wantTrap(t, "copy past the destination", copyMem(0, 1, page-1, 0, 2))
	wantTrap(t, "copy past the source's size", copyMem(0, 1, 0, page, 1)) // mem1 has room up to max, not size
	wantTrap(t, "copy of 2^64-1 bytes", copyMem(0, 0, 0, 0, 1<<64-1))
	if !bytes.Equal(mem0, before) {
		t.Error("a copy that trapped wrote to the memory")
	}
}
