package frontend

// The short forms of instructions: a one-byte opcode whose immediates, if any, are each
// one LEB128 byte. They are most of any body (in Go's code, locals, small constants,
// loads and stores with small offsets, branches to near labels), and every body is read
// at least twice, by the validator and by the lowerer, so ReadInstr reads them itself,
// by the tables here, without its reader's checks, which such bytes cannot fail: a byte below 0x80 is a
// complete LEB128 of every width, and the opcode is a known one.

// shortKind says how an opcode's short form reads; shortNo sends it to the reader.
type shortKind uint8

const (
	shortNo    shortKind = iota
	shortNone            // no immediate
	shortIdx             // one index (label, function, local, global, table)
	shortConst           // i32.const or i64.const
	shortBlock           // block, loop, if: a block type
	shortMem             // a memory argument: alignment and offset
)

// shortKinds is shortKind by one-byte opcode; the prefixes go to the reader.
var shortKinds = func() (k [256]shortKind) {
	for op := range opsSingle {
		info := &opsSingle[op]
		if info.Name == "" || Opcode(op) == PrefixMisc || Opcode(op) == PrefixSIMD {
			continue
		}
		switch info.Imm {
		case ImmNone:
			k[op] = shortNone
		case ImmLabel, ImmFunc, ImmLocal, ImmGlobal, ImmTable:
			k[op] = shortIdx
		case ImmI32, ImmI64:
			k[op] = shortConst
		case ImmBlockType:
			k[op] = shortBlock
		case ImmMemArg:
			k[op] = shortMem
		}
	}
	return k
}()

// shortBlockTypes says which one-byte block types are short forms: the empty type, a
// value type, or a type index below 64; the others are the reader's errors to report.
var shortBlockTypes = func() (ok [0x80]bool) {
	for b := range ok {
		bt := int64(int8(byte(b)<<1) >> 1)
		_, val := BlockValType(bt)
		ok[b] = val || bt >= 0 || bt == BlockEmpty
	}
	return ok
}()

// shortConstBytes is the most bytes a constant's LEB128 may take without reaching its
// last permitted byte, whose unused bits the reader checks: i32.const (0x41) has 5
// bytes for 32 bits, i64.const (0x42) 10 for 64.
var shortConstBytes = [2]int{0x41 & 1: 4, 0x42 & 1: 9}

// shortUleb decodes the unsigned LEB128 at body[p:] if it ends within max bytes, all
// short of the last byte a 32- or 64-bit one may take, so that it can be neither too
// long nor too large; it returns the value and the offset after it, or 0 for the reader
// to read it. Multi-byte indices (calls in a large module) and constants take these.
func shortUleb(body []byte, p, max int) (uint64, int) {
	var v uint64
	end := min(len(body), p+max)
	for i, shift := p, uint(0); i < end; i, shift = i+1, shift+7 {
		b := body[i]
		v |= uint64(b&0x7F) << (shift & 63) // shift < 63: the mask spares Go's check
		if b < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

// shortSleb is shortUleb for a signed LEB128.
func shortSleb(body []byte, p, max int) (int64, int) {
	var v int64
	end := min(len(body), p+max)
	for i, shift := p, uint(0); i < end; i++ {
		b := body[i]
		v |= int64(b&0x7F) << (shift & 63) // shift < 63: the mask spares Go's check
		shift += 7
		if b < 0x80 {
			if b&0x40 != 0 {
				v |= -1 << (shift & 63) // shift <= 63: max is at most 9
			}
			return v, i + 1
		}
	}
	return 0, 0
}
