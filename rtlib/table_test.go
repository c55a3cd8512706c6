package rtlib_test

import (
	"encoding/binary"
	"fmt"
	"slices"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// refs views b as 8-byte references.
func refs(b []byte) []uint64 {
	out := make([]uint64, len(b)/8)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return out
}

func putRefs(b []byte, r []uint64) {
	for i, v := range r {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
}

// refPattern is n distinct references with all 64 bits in use, so a routine that
// truncated one to 32 bits or swapped halves would show.
func refPattern(n int, seed uint64) []uint64 {
	r := make([]uint64, n)
	for i := range r {
		r[i] = 0xf00d_0000_0000_0000 | seed<<32 | uint64(i)*0x101
	}
	return r
}

// hugeTable maps table idx with one page of elements but a descriptor that claims 2^64-1,
// so that a bounds case on another operand is tested alone, and a routine that wrote
// before checking would reach unmapped host memory (an error, not a trap).
func (h *host) hugeTable(idx int32, desc, base uint64) []byte {
	b := h.table(idx, desc, base, page/8, page/8)
	binary.LittleEndian.PutUint64(h.bytes(desc+8, 8), 1<<64-1)
	return b
}

// checkBounds checks the outcome of one bounds case: success when ok, an
// out_of_bounds_table trap otherwise.
func checkBounds(t *testing.T, what string, ok bool, err error) {
	t.Helper()
	if ok {
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
		return
	}
	wantTrapCode(t, what, ir.TrapOutOfBoundsTable, err)
}

func TestTableGrow(t *testing.T) {
	inst, h := newRuntime(t)
	tab := h.table(0, 0x1000, 0x10_0000, 2, 5)
	putRefs(tab, []uint64{1, 2})
	h.table(1, 0x1100, 0x20_0000, 0, 0)
	size := func(table int32) uint64 { return binary.LittleEndian.Uint64(h.bytes(h.tables[table]+8, 8)) }
	grow := func(table int32, ref uint64, delta int32) int32 {
		t.Helper()
		res, err := inst.Invoke("wasmc_table_grow", []ir.Val{i32v(table), u64v(ref), i32v(delta)})
		if err != nil {
			t.Fatalf("wasmc_table_grow(%d, %#x, %d): %v", table, ref, delta, err)
		}
		return int32(res[0].Bits)
	}
	const r1, r2, r3 = 0xdead_beef_0000_1234, 0x8000_0000_0000_0001, 0xffff_ffff_ffff_ffff
	for _, tc := range []struct {
		ref   uint64
		delta int32
		want  int32
		size  uint64
		elems []uint64 // the whole capacity afterwards
	}{
		{r1, 0, 2, 2, []uint64{1, 2, 0, 0, 0}},
		{r1, 2, 2, 4, []uint64{1, 2, r1, r1, 0}},
		{r2, 2, -1, 4, []uint64{1, 2, r1, r1, 0}}, // one past max
		{r2, 1, 4, 5, []uint64{1, 2, r1, r1, r2}}, // exactly to max
		{r3, 1, -1, 5, []uint64{1, 2, r1, r1, r2}},
		{r3, 0, 5, 5, []uint64{1, 2, r1, r1, r2}},
		{r3, -1, -1, 5, []uint64{1, 2, r1, r1, r2}},       // 2^32-1: delta is unsigned
		{r3, -1 << 31, -1, 5, []uint64{1, 2, r1, r1, r2}}, // 2^31
	} {
		if got := grow(0, tc.ref, tc.delta); got != tc.want {
			t.Errorf("grow(%#x, %d) = %d, want %d", tc.ref, tc.delta, got, tc.want)
		}
		if got := refs(tab); !slices.Equal(got, tc.elems) || size(0) != tc.size {
			t.Errorf("after grow(%#x, %d): elements %#x, size %d; want %#x, size %d", tc.ref, tc.delta, got, size(0), tc.elems, tc.size)
		}
	}
	// A table with no room.
	if got := grow(1, r1, 0); got != 0 || size(1) != 0 {
		t.Errorf("grow(0) of an empty table with max 0 = %d, size %d; want 0, 0", got, size(1))
	}
	if got := grow(1, r1, 1); got != -1 || size(1) != 0 {
		t.Errorf("grow(1) of an empty table with max 0 = %d, size %d; want -1, 0", got, size(1))
	}

	// The budget all tables share (issue 19, finding 8): two tables that may each grow
	// by 100 get 150 between them, and a grow that fails takes nothing from it.
	budget := func() uint64 { return binary.LittleEndian.Uint64(h.bytes(tableBudget, 8)) }
	binary.LittleEndian.PutUint64(h.bytes(tableBudget, 8), 150)
	h.table(2, 0x1200, 0x30_0000, 0, 100)
	h.table(3, 0x1300, 0x40_0000, 0, 100)
	for _, tc := range []struct {
		table       int32
		delta, want int32
		left        uint64
	}{
		{2, 100, 0, 50},
		{3, 60, -1, 50}, // within the table's max, over the budget
		{3, 50, 0, 0},
		{3, 1, -1, 0},
		{2, 0, 100, 0},
	} {
		if got := grow(tc.table, r1, tc.delta); got != tc.want || budget() != tc.left {
			t.Errorf("grow(table %d, %d) = %d, budget %d left; want %d, %d", tc.table, tc.delta, got, budget(), tc.want, tc.left)
		}
	}
}

func TestTableFill(t *testing.T) {
	inst, h := newRuntime(t)
	// The capacity is mapped past the size, where a fill that ignored the size would
	// write.
	tab := h.table(0, 0x1000, 0x10_0000, 10, 16)
	fill := func(table int32, i, ref, n uint64) error {
		return bulk(inst, ir.TrapOutOfBoundsTable, "wasmc_table_fill", i32v(table), u64v(i), u64v(ref), u64v(n))
	}
	model := make([]uint64, 16)
	for i := uint64(0); i <= 10; i++ {
		for n := uint64(0); i+n <= 10; n++ {
			ref := 0xa000_0000_0000_0000 | i<<32 | n
			if err := fill(0, i, ref, n); err != nil {
				t.Fatalf("fill(%d, %#x, %d): %v", i, ref, n, err)
			}
			for k := i; k < i+n; k++ {
				model[k] = ref
			}
			if got := refs(tab); !slices.Equal(got, model) {
				t.Fatalf("fill(%d, %#x, %d): elements %#x, want %#x", i, ref, n, got, model)
			}
		}
	}
	for _, c := range bounds(10) {
		err := fill(0, c.at, 0xbad, c.n)
		checkBounds(t, fmt.Sprintf("fill(%#x, n %#x) of a 10-element table", c.at, c.n), c.ok, err)
		if c.ok {
			for k := c.at; k < c.at+c.n; k++ {
				model[k] = 0xbad
			}
		}
		if got := refs(tab); !slices.Equal(got, model) {
			t.Fatalf("fill(%#x, n %#x): elements %#x, want %#x", c.at, c.n, got, model)
		}
	}
}

func TestTableCopy(t *testing.T) {
	inst, h := newRuntime(t)
	tab0 := h.table(0, 0x1000, 0x10_0000, 16, 20)
	tab1 := h.table(1, 0x1100, 0x20_0000, 8, 8)
	huge := h.hugeTable(2, 0x1200, 0x30_0000)
	copyTab := func(dt, st int32, d, s, n uint64) error {
		return bulk(inst, ir.TrapOutOfBoundsTable, "wasmc_table_copy", i32v(dt), i32v(st), u64v(d), u64v(s), u64v(n))
	}
	// Within one table, every placement: d < s and d > s overlapping copy in opposite
	// directions, and each must read every source element before overwriting it.
	for d := uint64(0); d <= 16; d++ {
		for s := uint64(0); s <= 16; s++ {
			for n := uint64(0); d+n <= 16 && s+n <= 16; n++ {
				putRefs(tab0, refPattern(20, 1))
				model := refPattern(20, 1)
				copy(model[d:d+n], model[s:s+n]) // Go's copy is a memmove
				if err := copyTab(0, 0, d, s, n); err != nil {
					t.Fatalf("copy(%d, %d, %d): %v", d, s, n, err)
				}
				if got := refs(tab0); !slices.Equal(got, model) {
					t.Fatalf("copy(%d, %d, %d) within a table: elements %#x, want %#x", d, s, n, got, model)
				}
			}
		}
	}
	// Spelled out, the two overlapping directions.
	for _, tc := range []struct {
		d, s, n uint64
		want    []uint64
	}{
		{2, 0, 5, []uint64{10, 11, 10, 11, 12, 13, 14, 17}}, // forward overlap: copy from the end
		{0, 2, 5, []uint64{12, 13, 14, 15, 16, 15, 16, 17}}, // backward overlap: from the start
	} {
		putRefs(tab1, []uint64{10, 11, 12, 13, 14, 15, 16, 17})
		if err := copyTab(1, 1, tc.d, tc.s, tc.n); err != nil {
			t.Fatal(err)
		}
		if got := refs(tab1); !slices.Equal(got, tc.want) {
			t.Errorf("copy(%d, %d, %d) in [10..17]: %v, want %v", tc.d, tc.s, tc.n, got, tc.want)
		}
	}
	// Between tables.
	putRefs(tab0, refPattern(20, 2))
	putRefs(tab1, refPattern(8, 3))
	if err := copyTab(1, 0, 1, 9, 7); err != nil {
		t.Fatal(err)
	}
	if want := append(refPattern(1, 3), refPattern(16, 2)[9:]...); !slices.Equal(refs(tab1), want) {
		t.Errorf("copy between tables: %#x, want %#x", refs(tab1), want)
	}
	if !slices.Equal(refs(tab0), refPattern(20, 2)) {
		t.Error("copy between tables wrote to the source")
	}

	// Every range case on each side, against a table that checks nothing on the other.
	putRefs(huge, refPattern(page/8, 4))
	for _, c := range bounds(16) {
		before, beforeHuge := refs(tab0), refs(huge)
		err := copyTab(2, 0, 0, c.at, c.n)
		checkBounds(t, fmt.Sprintf("copy from a 16-element table at %#x, n %#x", c.at, c.n), c.ok, err)
		if !slices.Equal(refs(tab0), before) {
			t.Fatalf("copy from table 0 at %#x, n %#x wrote to its source", c.at, c.n)
		}
		if !c.ok && !slices.Equal(refs(huge), beforeHuge) {
			t.Fatalf("copy from table 0 at %#x, n %#x trapped but wrote", c.at, c.n)
		}
		if c.ok && !slices.Equal(refs(huge)[:c.n], before[c.at:c.at+c.n]) {
			t.Fatalf("copy from table 0 at %#x, n %#x copied the wrong elements", c.at, c.n)
		}
	}
	putRefs(tab0, refPattern(20, 5))
	for _, c := range bounds(16) {
		before := refs(tab0) // the whole capacity, past the size as well
		err := copyTab(0, 2, c.at, 0, c.n)
		checkBounds(t, fmt.Sprintf("copy into a 16-element table at %#x, n %#x", c.at, c.n), c.ok, err)
		if !c.ok && !slices.Equal(refs(tab0), before) {
			t.Fatalf("copy into table 0 at %#x, n %#x trapped but wrote", c.at, c.n)
		}
		if c.ok && !slices.Equal(refs(tab0)[c.at:c.at+c.n], refs(huge)[:c.n]) {
			t.Fatalf("copy into table 0 at %#x, n %#x copied the wrong elements", c.at, c.n)
		}
	}
	// One range in bounds, the other not.
	putRefs(tab0, refPattern(20, 6))
	putRefs(tab1, refPattern(8, 7))
	wantTrapCode(t, "copy one past the destination", ir.TrapOutOfBoundsTable, copyTab(1, 0, 4, 0, 5))
	wantTrapCode(t, "copy one past the source", ir.TrapOutOfBoundsTable, copyTab(0, 1, 0, 4, 5))
	wantTrapCode(t, "copy one past the end within a table", ir.TrapOutOfBoundsTable, copyTab(1, 1, 0, 1, 8))
	if !slices.Equal(refs(tab0), refPattern(20, 6)) || !slices.Equal(refs(tab1), refPattern(8, 7)) {
		t.Error("a copy that trapped wrote to a table")
	}
}

func TestTableInit(t *testing.T) {
	inst, h := newRuntime(t)
	tab := h.table(0, 0x1000, 0x10_0000, 10, 12)
	huge := h.hugeTable(1, 0x1100, 0x20_0000)
	// Segments hold function indices, null among them, which init expands into
	// references: funcrefs + 16*index, or 0.
	const funcrefs = 0xf00d_0000_0007_0000
	idx := []uint32{3, ir.NullFunc, 0, 0x0fff_ffff, 1, 5}
	seg := expand(funcrefs, idx)
	elem0 := h.elemSegment(0, 0x2000, 0x3000, funcrefs, idx, 6)
	h.elemSegment(1, 0x2020, 0x4000, funcrefs, idx[:2], 2)
	h.elemSegment(2, 0x2040, 0x5000, funcrefs, nil, 0)
	// Element segment 3 claims 2^64-1 elements but has a page of them.
	bigIdx := make([]uint32, page/4)
	for i := range bigIdx {
		bigIdx[i] = uint32(i)*7 + 1
	}
	big := expand(funcrefs, bigIdx)
	h.elemSegment(3, 0x2060, 0x6000, funcrefs, bigIdx, 1<<64-1)
	initTab := func(table, elem int32, d, s, n uint64) error {
		return bulk(inst, ir.TrapOutOfBoundsTable, "wasmc_table_init", i32v(table), i32v(elem), u64v(d), u64v(s), u64v(n))
	}

	for d := uint64(0); d <= 10; d++ {
		for s := uint64(0); s <= 6; s++ {
			for n := uint64(0); d+n <= 10 && s+n <= 6; n++ {
				putRefs(tab, refPattern(12, 1))
				model := refPattern(12, 1)
				copy(model[d:d+n], seg[s:s+n])
				if err := initTab(0, 0, d, s, n); err != nil {
					t.Fatalf("init(%d, %d, %d): %v", d, s, n, err)
				}
				if got := refs(tab); !slices.Equal(got, model) {
					t.Fatalf("init(%d, %d, %d): elements %#x, want %#x", d, s, n, got, model)
				}
			}
		}
	}

	// Every range case on each side, against a table or segment that checks nothing on the
	// other.
	for _, c := range bounds(6) {
		before := refs(huge)
		err := initTab(1, 0, 0, c.at, c.n)
		checkBounds(t, fmt.Sprintf("init from a 6-element segment at %#x, n %#x", c.at, c.n), c.ok, err)
		if !c.ok && !slices.Equal(refs(huge), before) {
			t.Fatalf("init from segment 0 at %#x, n %#x trapped but wrote", c.at, c.n)
		}
		if c.ok && !slices.Equal(refs(huge)[:c.n], seg[c.at:c.at+c.n]) {
			t.Fatalf("init from segment 0 at %#x, n %#x copied the wrong elements", c.at, c.n)
		}
	}
	for _, c := range bounds(10) {
		before := refs(tab) // the whole capacity, past the size as well
		err := initTab(0, 3, c.at, 0, c.n)
		checkBounds(t, fmt.Sprintf("init into a 10-element table at %#x, n %#x", c.at, c.n), c.ok, err)
		if !c.ok && !slices.Equal(refs(tab), before) {
			t.Fatalf("init into table 0 at %#x, n %#x trapped but wrote", c.at, c.n)
		}
		if c.ok && !slices.Equal(refs(tab)[c.at:c.at+c.n], big[:c.n]) {
			t.Fatalf("init into table 0 at %#x, n %#x copied the wrong elements", c.at, c.n)
		}
	}
	// One range in bounds, the other not.
	putRefs(tab, refPattern(12, 10))
	wantTrapCode(t, "init one past the table", ir.TrapOutOfBoundsTable, initTab(0, 0, 5, 0, 6))
	wantTrapCode(t, "init one past the segment", ir.TrapOutOfBoundsTable, initTab(0, 0, 0, 1, 6))
	if !slices.Equal(refs(tab), refPattern(12, 10)) {
		t.Error("an init that trapped wrote to the table")
	}
	if !slices.Equal(elem0, indexBytes(idx)) {
		t.Error("init wrote to an element segment")
	}

	// An empty segment, and a dropped one, take only n == 0 at offset 0.
	h.drop(h.elems, 1)
	for _, elem := range []int32{1, 2} {
		if err := initTab(0, elem, 3, 0, 0); err != nil {
			t.Errorf("init(elem %d, n 0) of an empty segment: %v", elem, err)
		}
		wantTrapCode(t, "init of 1 element from an empty segment", ir.TrapOutOfBoundsTable, initTab(0, elem, 3, 0, 1))
		wantTrapCode(t, "init at offset 1 of an empty segment", ir.TrapOutOfBoundsTable, initTab(0, elem, 3, 1, 0))
	}
	if !slices.Equal(refs(tab), refPattern(12, 10)) {
		t.Error("an init from an empty segment wrote to the table")
	}
}

// expand is what table.init makes of function indices: funcrefs + 16*index, or 0 for null.
func expand(funcrefs uint64, idx []uint32) []uint64 {
	r := make([]uint64, len(idx))
	for i, f := range idx {
		if f != ir.NullFunc {
			r[i] = funcrefs + 16*uint64(f)
		}
	}
	return r
}

// indexBytes lays out function indices as the linker does: 32-bit words, padded to whole
// 64-bit ones.
func indexBytes(idx []uint32) []byte {
	b := make([]byte, (4*len(idx)+7)&^7)
	for i, f := range idx {
		binary.LittleEndian.PutUint32(b[4*i:], f)
	}
	return b
}

// elemSegment maps element segment idx's descriptor {base, length, funcrefs} at desc and
// its indices at base, and returns their bytes.
func (h *host) elemSegment(idx int32, desc, base, funcrefs uint64, indices []uint32, length uint64) []byte {
	b := h.segment(h.elems, idx, desc, base, indexBytes(indices), length)
	d := h.mapRegion(desc+16, 8)
	binary.LittleEndian.PutUint64(d, funcrefs)
	return b
}
