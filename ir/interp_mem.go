package ir

import endian "encoding/binary"

// Memory and table ops for the interpreter loop. Addresses are unsigned: an i32
// address sits zero-extended in its slot, an i64 one (memory64) uses all 64 bits, and no
// sum of an address and a length may wrap, so every check is written as a comparison
// against what is left of the memory rather than as an addition.

// fits reports whether n bytes (or elements) at addr lie within size.
func fits(size, addr, n uint64) bool { return addr <= size && n <= size-addr }

// access returns the offset of an n-byte access at addr+off, or ok=false if it is not
// within a memory of size bytes (including when addr+off wraps).
func access(size int, addr, off, n uint64) (int, bool) {
	ea := addr + off
	if ea < addr || !fits(uint64(size), ea, n) {
		return 0, false
	}
	return int(ea), true
}

// loadWidth is the access width of each load kind, from kLoad8S32 on.
var loadWidth = [...]uint64{1, 1, 1, 2, 2, 2, 4, 4, 8}

// load reads a load kind's bytes from b and extends them.
func load(k kind, b []byte) uint64 {
	switch k {
	case kLoad8S32:
		return uint64(uint32(int32(int8(b[0]))))
	case kLoad8S64:
		return uint64(int64(int8(b[0])))
	case kLoad8U:
		return uint64(b[0])
	case kLoad16S32:
		return uint64(uint32(int32(int16(endian.LittleEndian.Uint16(b)))))
	case kLoad16S64:
		return uint64(int64(int16(endian.LittleEndian.Uint16(b))))
	case kLoad16U:
		return uint64(endian.LittleEndian.Uint16(b))
	case kLoad32S64:
		return uint64(int64(int32(endian.LittleEndian.Uint32(b))))
	case kLoad32:
		return uint64(endian.LittleEndian.Uint32(b))
	}
	return endian.LittleEndian.Uint64(b)
}

// minusOne is -1 at a memory's address type: what a failed memgrow returns.
func minusOne(is64 bool) uint64 {
	if is64 {
		return ^uint64(0)
	}
	return 0xffffffff
}

// bulk runs the memory and table ops other than loads, stores and single-element table
// accesses, and returns the trap code of a failed bounds check (TrapNone if none). A
// failed check changes nothing, as the 2.0 spec requires: the bulk ops check the whole
// range before writing.
func bulk(in *Instance, o *dop, regs []uint64, refs []any) TrapCode {
	switch o.k {
	case kMemSize:
		regs[o.d] = uint64(len(in.mems[o.x].data)) / pageSize
	case kMemGrow:
		mem := in.mems[o.x]
		if old, ok := mem.Grow(regs[o.a]); ok {
			regs[o.d] = old
		} else {
			regs[o.d] = minusOne(mem.is64)
		}
	case kMemFill:
		mem := in.mems[o.x].data
		d, n := regs[o.a], regs[o.c]
		if !fits(uint64(len(mem)), d, n) {
			return TrapOutOfBoundsMemory
		}
		b, v := mem[d:d+n], byte(regs[o.b])
		for i := range b {
			b[i] = v
		}
	case kMemCopy:
		dst, src := in.mems[o.x].data, in.mems[o.y].data
		d, s, n := regs[o.a], regs[o.b], regs[o.c]
		if !fits(uint64(len(dst)), d, n) || !fits(uint64(len(src)), s, n) {
			return TrapOutOfBoundsMemory
		}
		copy(dst[d:d+n], src[s:s+n])
	case kMemInit:
		mem, seg := in.mems[o.x].data, in.datas[o.y]
		d, s, n := regs[o.a], uint64(uint32(regs[o.b])), uint64(uint32(regs[o.c]))
		if !fits(uint64(len(mem)), d, n) || !fits(uint64(len(seg)), s, n) {
			return TrapOutOfBoundsMemory
		}
		copy(mem[d:d+n], seg[s:s+n])
	case kDataDrop:
		in.datas[o.x] = nil

	case kTableSize:
		regs[o.d] = uint64(len(in.tables[o.x].elems))
	case kTableGrow:
		if old, ok := in.tables[o.x].grow(uint64(uint32(regs[o.b])), refs[o.a]); ok {
			regs[o.d] = old
		} else {
			regs[o.d] = 0xffffffff
		}
	case kTableFill:
		t := in.tables[o.x]
		i, n := uint64(uint32(regs[o.a])), uint64(uint32(regs[o.c]))
		if !fits(uint64(len(t.elems)), i, n) {
			return TrapOutOfBoundsTable
		}
		r := refs[o.b]
		for j := range t.elems[i : i+n] {
			t.elems[i+uint64(j)] = r
		}
	case kTableCopy:
		dst, src := in.tables[o.x].elems, in.tables[o.y].elems
		d, s, n := uint64(uint32(regs[o.a])), uint64(uint32(regs[o.b])), uint64(uint32(regs[o.c]))
		if !fits(uint64(len(dst)), d, n) || !fits(uint64(len(src)), s, n) {
			return TrapOutOfBoundsTable
		}
		copy(dst[d:d+n], src[s:s+n])
	case kTableInit:
		t, seg := in.tables[o.x].elems, in.elems[o.y]
		d, s, n := uint64(uint32(regs[o.a])), uint64(uint32(regs[o.b])), uint64(uint32(regs[o.c]))
		if !fits(uint64(len(t)), d, n) || !fits(uint64(len(seg)), s, n) {
			return TrapOutOfBoundsTable
		}
		copy(t[d:d+n], seg[s:s+n])
	case kElemDrop:
		in.elems[o.x] = nil
	}
	return TrapNone
}
