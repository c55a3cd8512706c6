package frontend

import "fmt"

// Instr is one decoded instruction. Which fields hold immediates depends on the opcode's
// [ImmKind]; the others are zero.
type Instr struct {
	Op     Opcode
	Offset int // body offset of the first byte of the opcode

	// Idx is the first index immediate: label (br, br_if; br_table's default), function,
	// type (call_indirect), local, global, table, data (memory.init, data.drop), element
	// (table.init, elem.drop), destination table or memory (table.copy, memory.copy), or
	// the memory of memory.size/grow/fill.
	Idx uint32
	// Idx2 is the second index: call_indirect's table, memory.init's memory, table.init's
	// table, the source of table.copy and memory.copy.
	Idx2 uint32
	// BlockType is a block type as its s33 encoding: BlockEmpty, the negative value of a
	// one-byte value type (see [BlockValType]), or a non-negative type index.
	BlockType int64
	// Align (log2) and MemOffset form a memory argument; Mem is its memory.
	Align     uint32
	MemOffset uint64
	Mem       uint32
	// Const holds i32.const (sign-extended) and i64.const; Bits holds f32/f64 bit patterns.
	Const int64
	Bits  uint64
	// V128 holds v128.const and the lanes of i8x16.shuffle.
	V128 [16]byte
	Lane byte
	// Labels holds br_table's targets, without the default (in Idx). Types holds select's
	// value types. RefType holds ref.null's type.
	Labels  []uint32
	Types   []ValType
	RefType ValType

	// long is set when the reader, not a short form, read the instruction: only then
	// may the fields that no short form sets hold anything to clear.
	long bool
}

// BlockEmpty is the block type of a block without results.
const BlockEmpty int64 = -0x40

// BlockValType returns the single result type of block type bt, when bt is a value type.
func BlockValType(bt int64) (ValType, bool) {
	if bt >= 0 || bt == BlockEmpty || bt < -0x40 {
		return 0, false
	}
	t := ValType(byte(bt) & 0x7F)
	return t, t.IsValid()
}

// ReadInstr decodes the instruction at body[pos:] into in, reusing in's slices, and returns
// the offset of the next instruction. base is the source offset of body[0], used only in
// errors. It checks encodings (known opcodes, LEB128 forms, reserved bytes) but not types.
func ReadInstr(body []byte, pos int, base int64, in *Instr) (int, error) {
	// Field by field: a composite literal went through a temporary whose copy stalled
	// (wider loads of narrower stores), and clearing *in whole took a write barrier
	// call for its slices; this function runs for every instruction, several times. The
	// fields only the reader sets are cleared only after it has run.
	if in.long {
		in.Labels, in.Types = in.Labels[:0], in.Types[:0] // lengths only: no write barrier
		in.Idx2, in.Mem, in.Bits = 0, 0, 0
		in.V128, in.Lane, in.RefType = [16]byte{}, 0, 0
		in.long = false
	}
	in.Op, in.Offset, in.Idx, in.BlockType = 0, pos, 0, 0
	in.Align, in.MemOffset, in.Const = 0, 0, 0
	// The short forms (instr_short.go), here rather than in a function of their own, as
	// the call cost as much as reading them.
	if pos >= 0 && len(body)-pos >= 3 {
		b := body[pos : pos+3 : pos+3]
		switch shortKinds[b[0]] {
		case shortNone:
			in.Op = Opcode(b[0])
			return pos + 1, nil
		case shortIdx:
			if b[1] < 0x80 {
				in.Op, in.Idx = Opcode(b[0]), uint32(b[1])
				return pos + 2, nil
			}
			if v, next := shortUleb(body, pos+1, 4); next > 0 {
				in.Op, in.Idx = Opcode(b[0]), uint32(v)
				return next, nil
			}
		case shortConst:
			if b[1] < 0x80 {
				in.Op, in.Const = Opcode(b[0]), int64(int8(b[1]<<1)>>1)
				return pos + 2, nil
			}
			if v, next := shortSleb(body, pos+1, shortConstBytes[b[0]&1]); next > 0 {
				in.Op, in.Const = Opcode(b[0]), v
				return next, nil
			}
		case shortBlock:
			if b[1] < 0x80 && shortBlockTypes[b[1]] {
				in.Op, in.BlockType = Opcode(b[0]), int64(int8(b[1]<<1)>>1)
				return pos + 2, nil
			}
		case shortMem:
			// An alignment exponent of 32 or more is the reader's error to report.
			if b[1] < 32 && b[2] < 0x80 {
				in.Op, in.Align, in.MemOffset = Opcode(b[0]), uint32(b[1]), uint64(b[2])
				return pos + 3, nil
			}
			if v, next := shortUleb(body, pos+2, 4); b[1] < 32 && next > 0 {
				in.Op, in.Align, in.MemOffset = Opcode(b[0]), uint32(b[1]), v
				return next, nil
			}
		}
	}
	return readInstr(body, pos, base, in)
}

// readInstr is ReadInstr for an instruction that is not in a short form (instr_short.go),
// or any instruction, for the tests that compare the two: in's fields are cleared. It
// marks in as long, for the next ReadInstr to clear what it may set.
func readInstr(body []byte, pos int, base int64, in *Instr) (int, error) {
	in.long = true
	var r reader
	r.buf, r.pos, r.base = body, pos, base
	op := Opcode(r.byte())
	prefix, sub := op, uint32(0)
	if op == PrefixMisc || op == PrefixSIMD {
		sub = r.u32()
		op = Prefixed(op, sub&0xFFFF)
	}
	if r.err != nil {
		return pos, r.err
	}
	in.Op = op
	info, ok := Info(op)
	// A sub-opcode above 16 bits would spill into the prefix bits of Opcode and alias an
	// instruction of another prefix (0xFC 0x10008 is not 0xFD 8).
	if !ok || sub > 0xFFFF {
		r.pos = pos
		if f := proposalFeature(byte(prefix), sub); f != nil {
			r.fail(f)
			return pos, r.err
		}
		if op>>16 != 0 {
			r.failf("illegal opcode 0x%02x %d", uint32(prefix), sub)
		} else {
			r.failf("illegal opcode 0x%02x", uint32(op))
		}
		return pos, r.err
	}
	switch info.Imm {
	case ImmNone:
	case ImmBlockType:
		in.BlockType = r.sleb(33)
		// A negative block type is the empty type or a value type, each one byte; only a
		// type index may take several.
		if r.err == nil && in.BlockType < 0 {
			_, ok := BlockValType(in.BlockType)
			if !ok && in.BlockType != BlockEmpty || r.pos != in.Offset+2 {
				r.pos = in.Offset + 1
				r.failf("malformed value type")
			}
		}
	case ImmLabel, ImmFunc, ImmLocal, ImmGlobal, ImmTable, ImmData, ImmElem:
		in.Idx = r.u32()
	case ImmBrTable:
		n := r.count(1)
		for i := 0; i < n && r.err == nil; i++ {
			// Go's resumption tables hold hundreds of labels, nearly all one byte.
			if p := r.pos; p < len(r.buf) && r.buf[p] < 0x80 {
				in.Labels = append(in.Labels, uint32(r.buf[p]))
				r.pos = p + 1
				continue
			}
			in.Labels = append(in.Labels, r.u32())
		}
		in.Idx = r.u32()
	case ImmCallIndirect, ImmElemTable, ImmTableTable:
		in.Idx = r.u32()
		in.Idx2 = r.u32()
	case ImmMemArg, ImmMemArgLane:
		alignAt := r.pos
		in.Align = r.u32()
		// WebAssembly 2.0 gives the flags no other use, so an alignment exponent of 32 or
		// more cannot be encoded (the spec suite's align.wast expects this message).
		if r.err == nil && in.Align >= 32 {
			r.pos = alignAt
			r.failf("malformed memop flags")
		}
		in.MemOffset = uint64(r.u32())
		if info.Imm == ImmMemArgLane {
			in.Lane = r.byte()
		}
	case ImmMem:
		in.Idx = r.zeroByte()
	case ImmDataMem:
		in.Idx = r.u32()
		in.Idx2 = r.zeroByte()
	case ImmMemMem:
		in.Idx = r.zeroByte()
		in.Idx2 = r.zeroByte()
	case ImmI32:
		in.Const = r.sleb(32)
	case ImmI64:
		in.Const = r.sleb(64)
	case ImmF32:
		in.Bits = uint64(r.f32())
	case ImmF64:
		in.Bits = r.f64()
	case ImmV128, ImmShuffle:
		copy(in.V128[:], r.bytes(16))
	case ImmLane:
		in.Lane = r.byte()
	case ImmSelectT:
		n := r.count(1)
		for i := 0; i < n && r.err == nil; i++ {
			in.Types = append(in.Types, r.valType())
		}
	case ImmRefType:
		in.RefType = r.refType()
	default:
		panic(fmt.Sprintf("frontend: opcode %s has unknown immediate kind %d", op, info.Imm))
	}
	if r.err != nil {
		return pos, r.err
	}
	return r.pos, nil
}

// zeroByte reads a reserved memory-index byte, which WebAssembly 2.0 requires to be zero.
func (r *reader) zeroByte() uint32 {
	if b := r.byte(); b != 0 && r.err == nil {
		r.pos--
		r.failf("zero byte expected")
	}
	return 0
}

// valType reads a value type.
func (r *reader) valType() ValType {
	t := ValType(r.byte())
	if r.err == nil && !t.IsValid() {
		r.pos--
		r.failf("malformed value type")
	}
	return t
}

// refType reads a reference type.
func (r *reader) refType() ValType {
	t := ValType(r.byte())
	if r.err == nil && !t.IsRef() {
		r.pos--
		r.failf("malformed reference type")
	}
	return t
}
