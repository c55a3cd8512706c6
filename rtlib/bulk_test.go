package rtlib_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// bulk calls bulk routine name with args and returns what the instruction that calls it
// makes of the result (backend.RuntimeRoutine): nothing for 0, and for 1, an out-of-bounds
// range the routine left unwritten, a trap with code, raised by the caller. A trap of the
// routine's own or another result is an error too, but not that trap.
func bulk(inst *ir.Instance, code ir.TrapCode, name string, args ...ir.Val) error {
	res, err := inst.Invoke(name, args)
	switch {
	case err != nil:
		return fmt.Errorf("%s trapped itself: %w", name, err)
	case len(res) != 1 || res[0].Bits > 1:
		return fmt.Errorf("%s returned %v, want 0 or 1", name, res)
	case res[0].Bits == 1:
		return &ir.Trap{Code: code}
	}
	return nil
}

func i32v(v int32) ir.Val  { return ir.I32Val(v) }
func u64v(v uint64) ir.Val { return ir.I64Val(int64(v)) }

// wantTrapCode checks that err is a trap with code.
func wantTrapCode(t *testing.T, what string, code ir.TrapCode, err error) {
	t.Helper()
	var trap *ir.Trap
	if !errors.As(err, &trap) || trap.Code != code {
		t.Errorf("%s: got %v, want trap %v", what, err, code)
	}
}

// bounds are the range cases every bulk routine must get right, for a range [at, at+n)
// checked against an end (a memory's or table's size, a segment's length): exactly at the
// end passes, one past traps, n == 0 passes at the end and traps past it, and sums that
// wrap in 32 or 64 bits trap.
func bounds(end uint64) []struct {
	at, n uint64
	ok    bool
} {
	return []struct {
		at, n uint64
		ok    bool
	}{
		{0, end, true},
		{end - 1, 1, true},
		{end, 0, true},
		{0, 0, true},
		{end, 1, false},
		{end - 1, 2, false},
		{0, end + 1, false},
		{end + 1, 0, false},
		{1 << 32, 0, false},
		{1<<32 - 1, 1<<32 - 1, false}, // two i32 operands: the sum needs 33 bits
		{1, 1<<32 - 1, false},         // the sum is 2^32, 0 if it wrapped in 32 bits
		{0, 1<<32 - 1, false},
		{2, 1<<64 - 1, false}, // the sum is 1 if it wraps in 64 bits
		{1<<64 - 1, 2, false},
		{1<<64 - 1, 0, false},
		{0, 1 << 61, false}, // 2^61 eight-byte elements are 0 bytes if multiplied first
		{1, 1<<61 + 1, false},
		{1<<61 + 1, 1, false},
		{1 << 63, 1 << 63, false},
	}
}

func TestMemoryInit(t *testing.T) {
	inst, h := newRuntime(t)
	// Memory 0 is mapped up to max, past its size, so that a write past the size would
	// land somewhere the test can see it instead of faulting.
	mem0 := h.memory(0, 0x1000, 0x10_0000, page, 2*page)
	mem1 := h.memory(1, 0x1100, 0x30_0000, page, page)
	seg := make([]byte, 100)
	pattern(seg)
	// Segment 0 starts at an odd address, so its bytes never share the memory's
	// alignment; segment 1 is word-aligned. Neither is followed by mapped memory.
	data0 := h.segment(h.datas, 0, 0x2000, 0x3003, seg, 100)
	data1 := h.segment(h.datas, 1, 0x2010, 0x4000, seg[:64], 64)
	h.segment(h.datas, 2, 0x2020, 0x5000, nil, 0)
	initMem := func(mem, data int32, dst, src, n uint64) error {
		return bulk(inst, ir.TrapOutOfBoundsMemory, "wasmc_memory_init", i32v(mem), i32v(data), u64v(dst), u64v(src), u64v(n))
	}

	model := make([]byte, 2*page)
	for data, contents := range [][]byte{data0, data1} {
		for _, dst := range []uint64{0, 1, 3, 7, 8, 9, 16, 21, page - 64} {
			for _, src := range []uint64{0, 1, 5, 8, 13} {
				for _, n := range []uint64{0, 1, 7, 8, 9, 17, 33, uint64(len(contents)) - src} {
					if dst+n > page {
						continue
					}
					pattern(mem0)
					copy(model, mem0)
					copy(model[dst:dst+n], contents[src:src+n])
					if err := initMem(0, int32(data), dst, src, n); err != nil {
						t.Fatalf("init(data %d, dst %d, src %d, n %d): %v", data, dst, src, n, err)
					}
					if !bytes.Equal(mem0, model) {
						t.Fatalf("init(data %d, dst %d, src %d, n %d) wrote the wrong bytes", data, dst, src, n)
					}
				}
			}
		}
	}
	clear(mem1)
	if err := initMem(1, 0, page-100, 0, 100); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mem1[page-100:], seg) || !bytes.Equal(mem1[:page-100], make([]byte, page-100)) {
		t.Error("init into memory 1 wrote the wrong bytes")
	}

	// Every range case, on the segment's side and on the memory's. Memory 2 claims 2^64-1
	// bytes but has one page mapped, and segment 3 claims 2^64-1 bytes but has a page of
	// them, so that each case tests one check alone; a routine that copied before
	// checking would reach unmapped host memory, an error rather than a trap.
	huge := h.memory(2, 0x1200, 0x50_0000, page, page)
	binary.LittleEndian.PutUint64(h.descriptor(2)[8:], 1<<64-1)
	big := make([]byte, page)
	pattern(big)
	h.segment(h.datas, 3, 0x2030, 0x6000, big, 1<<64-1)
	check := func(what string, ok bool, err error) {
		t.Helper()
		if ok && err != nil {
			t.Errorf("%s: %v", what, err)
		} else if !ok {
			wantTrapCode(t, what, ir.TrapOutOfBoundsMemory, err)
		}
	}
	for _, c := range bounds(100) {
		before := bytes.Clone(huge)
		err := initMem(2, 0, 0, c.at, c.n)
		check(fmt.Sprintf("init(dst 0, src %#x, n %#x) from a 100-byte segment", c.at, c.n), c.ok, err)
		if !c.ok && !bytes.Equal(huge, before) {
			t.Errorf("init(src %#x, n %#x) trapped but wrote to the memory", c.at, c.n)
		}
	}
	for _, c := range bounds(page) {
		before := bytes.Clone(mem0) // the whole reservation: past the size as well
		err := initMem(0, 3, c.at, 0, c.n)
		check(fmt.Sprintf("init(dst %#x, src 0, n %#x) into a one-page memory", c.at, c.n), c.ok, err)
		if !c.ok && !bytes.Equal(mem0, before) {
			t.Errorf("init(dst %#x, n %#x) trapped but wrote to the memory", c.at, c.n)
		}
		if c.ok && !bytes.Equal(mem0[c.at:c.at+c.n], big[:c.n]) {
			t.Errorf("init(dst %#x, n %#x) wrote the wrong bytes", c.at, c.n)
		}
	}
	// One range in bounds, the other not: the one in bounds must not be written either.
	before := bytes.Clone(mem0)
	wantTrapCode(t, "init one byte past the memory's size", ir.TrapOutOfBoundsMemory, initMem(0, 0, page-50, 0, 51))
	wantTrapCode(t, "init one byte past the segment", ir.TrapOutOfBoundsMemory, initMem(0, 0, 0, 50, 51))
	if !bytes.Equal(mem0, before) {
		t.Error("an init that trapped wrote to the memory")
	}
	if !bytes.Equal(data0, seg) || !bytes.Equal(data1, seg[:64]) {
		t.Error("init wrote to a data segment")
	}

	// An empty segment, and a dropped one, take only n == 0 at offset 0.
	h.drop(h.datas, 1)
	for _, data := range []int32{1, 2} {
		if err := initMem(0, data, 5, 0, 0); err != nil {
			t.Errorf("init(data %d, n 0) of an empty segment: %v", data, err)
		}
		wantTrapCode(t, "init of 1 byte from an empty segment", ir.TrapOutOfBoundsMemory, initMem(0, data, 5, 0, 1))
		wantTrapCode(t, "init at offset 1 of an empty segment", ir.TrapOutOfBoundsMemory, initMem(0, data, 5, 1, 0))
	}
	if !bytes.Equal(mem0, before) {
		t.Error("an init from an empty segment wrote to the memory")
	}
}
