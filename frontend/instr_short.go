package frontend

// The short forms of instructions: a one-byte opcode whose immediates, if any, are each
// one LEB128 byte. They are most of any body (in Go's code, locals, small constants,
// loads and stores with small offsets, branches to near labels), and every body is read
// at least twice, by the validator and by the lowerer, so ReadInstr reads them here
// without its reader's checks, which such bytes cannot fail: a byte below 0x80 is a
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

// readShort reads the instruction at pos into in, whose fields ReadInstr has cleared, if
// it is in a short form, and returns the offset of the next instruction and true;
// otherwise it changes nothing and returns false. It wants three bytes at pos, which all
// but a body's last instructions have.
func readShort(body []byte, pos int, in *Instr) (int, bool) {
	if pos < 0 || len(body)-pos < 3 {
		return 0, false
	}
	b := body[pos : pos+3 : pos+3]
	switch shortKinds[b[0]] {
	case shortNone:
		in.Op = Opcode(b[0])
		return pos + 1, true
	case shortIdx:
		if b[1] < 0x80 {
			in.Op, in.Idx = Opcode(b[0]), uint32(b[1])
			return pos + 2, true
		}
	case shortConst:
		if b[1] < 0x80 {
			in.Op, in.Const = Opcode(b[0]), int64(int8(b[1]<<1)>>1)
			return pos + 2, true
		}
	case shortBlock:
		if b[1] < 0x80 {
			bt := int64(int8(b[1]<<1) >> 1)
			if _, ok := BlockValType(bt); ok || bt >= 0 || bt == BlockEmpty {
				in.Op, in.BlockType = Opcode(b[0]), bt
				return pos + 2, true
			}
		}
	case shortMem:
		// An alignment exponent of 32 or more is the reader's error to report.
		if b[1] < 32 && b[2] < 0x80 {
			in.Op, in.Align, in.MemOffset = Opcode(b[0]), uint32(b[1]), uint64(b[2])
			return pos + 3, true
		}
	}
	return 0, false
}
