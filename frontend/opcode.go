package frontend

import "fmt"

// Opcode identifies an instruction. One-byte opcodes are their byte; prefixed opcodes are
// the prefix byte shifted left by 16, or'ed with the (LEB128-encoded) sub-opcode, so that
// 0xFC 0x08 (memory.init) is 0xFC0008.
type Opcode uint32

// Prefix bytes.
const (
	PrefixMisc Opcode = 0xFC
	PrefixSIMD Opcode = 0xFD
)

// Prefixed returns the opcode of sub-opcode sub under prefix p.
func Prefixed(p Opcode, sub uint32) Opcode { return p<<16 | Opcode(sub) }

// Opcodes that the decoder, validator and text parser treat specially. The rest are named
// only by the table.
const (
	OpUnreachable  Opcode = 0x00
	OpNop          Opcode = 0x01
	OpBlock        Opcode = 0x02
	OpLoop         Opcode = 0x03
	OpIf           Opcode = 0x04
	OpElse         Opcode = 0x05
	OpEnd          Opcode = 0x0B
	OpBr           Opcode = 0x0C
	OpBrIf         Opcode = 0x0D
	OpBrTable      Opcode = 0x0E
	OpReturn       Opcode = 0x0F
	OpCall         Opcode = 0x10
	OpCallIndirect Opcode = 0x11
	OpDrop         Opcode = 0x1A
	OpSelect       Opcode = 0x1B
	OpSelectT      Opcode = 0x1C
	OpLocalGet     Opcode = 0x20
	OpLocalSet     Opcode = 0x21
	OpLocalTee     Opcode = 0x22
	OpGlobalGet    Opcode = 0x23
	OpGlobalSet    Opcode = 0x24
	OpTableGet     Opcode = 0x25
	OpTableSet     Opcode = 0x26
	OpMemorySize   Opcode = 0x3F
	OpMemoryGrow   Opcode = 0x40
	OpI32Const     Opcode = 0x41
	OpI64Const     Opcode = 0x42
	OpF32Const     Opcode = 0x43
	OpF64Const     Opcode = 0x44
	OpRefNull      Opcode = 0xD0
	OpRefIsNull    Opcode = 0xD1
	OpRefFunc      Opcode = 0xD2

	OpMemoryInit Opcode = PrefixMisc<<16 | 8
	OpDataDrop   Opcode = PrefixMisc<<16 | 9
	OpMemoryCopy Opcode = PrefixMisc<<16 | 10
	OpMemoryFill Opcode = PrefixMisc<<16 | 11
	OpTableInit  Opcode = PrefixMisc<<16 | 12
	OpElemDrop   Opcode = PrefixMisc<<16 | 13
	OpTableCopy  Opcode = PrefixMisc<<16 | 14
	OpTableGrow  Opcode = PrefixMisc<<16 | 15
	OpTableSize  Opcode = PrefixMisc<<16 | 16
	OpTableFill  Opcode = PrefixMisc<<16 | 17

	OpV128Const Opcode = PrefixSIMD<<16 | 12
)

// ImmKind says which immediates follow an opcode in the binary format.
type ImmKind byte

// Immediate kinds.
const (
	ImmNone         ImmKind = iota
	ImmBlockType            // block, loop, if: a block type (s33)
	ImmLabel                // br, br_if: a label index
	ImmBrTable              // br_table: a vector of labels and a default
	ImmFunc                 // call, ref.func: a function index
	ImmCallIndirect         // call_indirect: type index, table index
	ImmLocal                // local.get/set/tee
	ImmGlobal               // global.get/set
	ImmTable                // table.get/set/size/grow/fill: a table index
	ImmMemArg               // loads and stores: align, offset
	ImmMem                  // memory.size/grow, memory.fill: a memory index (a zero byte in 2.0)
	ImmI32                  // i32.const
	ImmI64                  // i64.const
	ImmF32                  // f32.const
	ImmF64                  // f64.const
	ImmV128                 // v128.const: 16 bytes
	ImmSelectT              // select t*: a vector of value types
	ImmRefType              // ref.null: a reference type
	ImmDataMem              // memory.init: data index, memory index
	ImmData                 // data.drop: data index
	ImmMemMem               // memory.copy: destination and source memory indices
	ImmElemTable            // table.init: element index, table index
	ImmElem                 // elem.drop: element index
	ImmTableTable           // table.copy: destination and source table indices
	ImmLane                 // extract_lane/replace_lane: a lane index byte
	ImmMemArgLane           // load/store lane: memarg, lane index byte
	ImmShuffle              // i8x16.shuffle: 16 lane index bytes
)

// OpInfo describes one opcode. In and Out give the operand and result types of the
// instructions whose typing is fixed; the validator types the others (control, variables,
// parametric, references, tables) itself, and Fixed says which kind an opcode is.
type OpInfo struct {
	Name  string
	Imm   ImmKind
	Fixed bool
	In    []ValType
	Out   []ValType
	// Align is the natural alignment (log2 of the access size) of a memory access.
	Align byte
	// Lanes is the lane count of a lane immediate (ImmLane, ImmMemArgLane).
	Lanes byte
}

// Info returns the description of op and whether op is a known opcode.
func Info(op Opcode) (*OpInfo, bool) {
	var info *OpInfo
	switch op >> 16 {
	case 0:
		if op < 0x100 {
			info = &opsSingle[op]
		}
	case PrefixMisc:
		if sub := op & 0xFFFF; int(sub) < len(opsMisc) {
			info = &opsMisc[sub]
		}
	case PrefixSIMD:
		if sub := op & 0xFFFF; int(sub) < len(opsSIMD) {
			info = &opsSIMD[sub]
		}
	}
	if info == nil || info.Name == "" {
		return nil, false
	}
	return info, true
}

// String returns op's text-format name.
func (op Opcode) String() string {
	if info, ok := Info(op); ok {
		return info.Name
	}
	if op>>16 != 0 {
		return fmt.Sprintf("opcode 0x%x 0x%x", uint32(op>>16), uint32(op&0xFFFF))
	}
	return fmt.Sprintf("opcode 0x%02x", uint32(op))
}

// ForEachOp calls fn for every known opcode in numeric order; the text parser builds its
// name table from it.
func ForEachOp(fn func(Opcode, *OpInfo)) {
	for i := range opsSingle {
		if opsSingle[i].Name != "" {
			fn(Opcode(i), &opsSingle[i])
		}
	}
	for i := range opsMisc {
		if opsMisc[i].Name != "" {
			fn(Prefixed(PrefixMisc, uint32(i)), &opsMisc[i])
		}
	}
	for i := range opsSIMD {
		if opsSIMD[i].Name != "" {
			fn(Prefixed(PrefixSIMD, uint32(i)), &opsSIMD[i])
		}
	}
}

// sig parses a compact signature "ii:i": one letter per type (i i32, I i64, f f32, F f64,
// v v128), operands before the colon, results after.
func sig(s string) (in, out []ValType) {
	dst := &in
	for _, c := range s {
		var t ValType
		switch c {
		case ':':
			dst = &out
			continue
		case 'i':
			t = I32
		case 'I':
			t = I64
		case 'f':
			t = F32
		case 'F':
			t = F64
		case 'v':
			t = V128
		default:
			panic("frontend: bad signature " + s)
		}
		*dst = append(*dst, t)
	}
	return in, out
}

// op builds a fixed-signature table entry.
func op(name, signature string) OpInfo {
	in, out := sig(signature)
	return OpInfo{Name: name, Fixed: true, In: in, Out: out}
}

// memOp builds a load or store entry with its natural alignment.
func memOp(name, signature string, align byte) OpInfo {
	o := op(name, signature)
	o.Imm = ImmMemArg
	o.Align = align
	return o
}

// special builds an entry the validator types by hand.
func special(name string, imm ImmKind) OpInfo { return OpInfo{Name: name, Imm: imm} }

var opsSingle = [256]OpInfo{
	0x00: special("unreachable", ImmNone),
	0x01: special("nop", ImmNone),
	0x02: special("block", ImmBlockType),
	0x03: special("loop", ImmBlockType),
	0x04: special("if", ImmBlockType),
	0x05: special("else", ImmNone),
	0x0B: special("end", ImmNone),
	0x0C: special("br", ImmLabel),
	0x0D: special("br_if", ImmLabel),
	0x0E: special("br_table", ImmBrTable),
	0x0F: special("return", ImmNone),
	0x10: special("call", ImmFunc),
	0x11: special("call_indirect", ImmCallIndirect),
	0x1A: special("drop", ImmNone),
	0x1B: special("select", ImmNone),
	0x1C: special("select", ImmSelectT),
	0x20: special("local.get", ImmLocal),
	0x21: special("local.set", ImmLocal),
	0x22: special("local.tee", ImmLocal),
	0x23: special("global.get", ImmGlobal),
	0x24: special("global.set", ImmGlobal),
	0x25: special("table.get", ImmTable),
	0x26: special("table.set", ImmTable),

	0x28: memOp("i32.load", "i:i", 2),
	0x29: memOp("i64.load", "i:I", 3),
	0x2A: memOp("f32.load", "i:f", 2),
	0x2B: memOp("f64.load", "i:F", 3),
	0x2C: memOp("i32.load8_s", "i:i", 0),
	0x2D: memOp("i32.load8_u", "i:i", 0),
	0x2E: memOp("i32.load16_s", "i:i", 1),
	0x2F: memOp("i32.load16_u", "i:i", 1),
	0x30: memOp("i64.load8_s", "i:I", 0),
	0x31: memOp("i64.load8_u", "i:I", 0),
	0x32: memOp("i64.load16_s", "i:I", 1),
	0x33: memOp("i64.load16_u", "i:I", 1),
	0x34: memOp("i64.load32_s", "i:I", 2),
	0x35: memOp("i64.load32_u", "i:I", 2),
	0x36: memOp("i32.store", "ii:", 2),
	0x37: memOp("i64.store", "iI:", 3),
	0x38: memOp("f32.store", "if:", 2),
	0x39: memOp("f64.store", "iF:", 3),
	0x3A: memOp("i32.store8", "ii:", 0),
	0x3B: memOp("i32.store16", "ii:", 1),
	0x3C: memOp("i64.store8", "iI:", 0),
	0x3D: memOp("i64.store16", "iI:", 1),
	0x3E: memOp("i64.store32", "iI:", 2),
	0x3F: special("memory.size", ImmMem),
	0x40: special("memory.grow", ImmMem),
	0x41: {Name: "i32.const", Imm: ImmI32, Fixed: true, Out: []ValType{I32}},
	0x42: {Name: "i64.const", Imm: ImmI64, Fixed: true, Out: []ValType{I64}},
	0x43: {Name: "f32.const", Imm: ImmF32, Fixed: true, Out: []ValType{F32}},
	0x44: {Name: "f64.const", Imm: ImmF64, Fixed: true, Out: []ValType{F64}},

	0x45: op("i32.eqz", "i:i"),
	0x46: op("i32.eq", "ii:i"),
	0x47: op("i32.ne", "ii:i"),
	0x48: op("i32.lt_s", "ii:i"),
	0x49: op("i32.lt_u", "ii:i"),
	0x4A: op("i32.gt_s", "ii:i"),
	0x4B: op("i32.gt_u", "ii:i"),
	0x4C: op("i32.le_s", "ii:i"),
	0x4D: op("i32.le_u", "ii:i"),
	0x4E: op("i32.ge_s", "ii:i"),
	0x4F: op("i32.ge_u", "ii:i"),
	0x50: op("i64.eqz", "I:i"),
	0x51: op("i64.eq", "II:i"),
	0x52: op("i64.ne", "II:i"),
	0x53: op("i64.lt_s", "II:i"),
	0x54: op("i64.lt_u", "II:i"),
	0x55: op("i64.gt_s", "II:i"),
	0x56: op("i64.gt_u", "II:i"),
	0x57: op("i64.le_s", "II:i"),
	0x58: op("i64.le_u", "II:i"),
	0x59: op("i64.ge_s", "II:i"),
	0x5A: op("i64.ge_u", "II:i"),
	0x5B: op("f32.eq", "ff:i"),
	0x5C: op("f32.ne", "ff:i"),
	0x5D: op("f32.lt", "ff:i"),
	0x5E: op("f32.gt", "ff:i"),
	0x5F: op("f32.le", "ff:i"),
	0x60: op("f32.ge", "ff:i"),
	0x61: op("f64.eq", "FF:i"),
	0x62: op("f64.ne", "FF:i"),
	0x63: op("f64.lt", "FF:i"),
	0x64: op("f64.gt", "FF:i"),
	0x65: op("f64.le", "FF:i"),
	0x66: op("f64.ge", "FF:i"),

	0x67: op("i32.clz", "i:i"),
	0x68: op("i32.ctz", "i:i"),
	0x69: op("i32.popcnt", "i:i"),
	0x6A: op("i32.add", "ii:i"),
	0x6B: op("i32.sub", "ii:i"),
	0x6C: op("i32.mul", "ii:i"),
	0x6D: op("i32.div_s", "ii:i"),
	0x6E: op("i32.div_u", "ii:i"),
	0x6F: op("i32.rem_s", "ii:i"),
	0x70: op("i32.rem_u", "ii:i"),
	0x71: op("i32.and", "ii:i"),
	0x72: op("i32.or", "ii:i"),
	0x73: op("i32.xor", "ii:i"),
	0x74: op("i32.shl", "ii:i"),
	0x75: op("i32.shr_s", "ii:i"),
	0x76: op("i32.shr_u", "ii:i"),
	0x77: op("i32.rotl", "ii:i"),
	0x78: op("i32.rotr", "ii:i"),
	0x79: op("i64.clz", "I:I"),
	0x7A: op("i64.ctz", "I:I"),
	0x7B: op("i64.popcnt", "I:I"),
	0x7C: op("i64.add", "II:I"),
	0x7D: op("i64.sub", "II:I"),
	0x7E: op("i64.mul", "II:I"),
	0x7F: op("i64.div_s", "II:I"),
	0x80: op("i64.div_u", "II:I"),
	0x81: op("i64.rem_s", "II:I"),
	0x82: op("i64.rem_u", "II:I"),
	0x83: op("i64.and", "II:I"),
	0x84: op("i64.or", "II:I"),
	0x85: op("i64.xor", "II:I"),
	0x86: op("i64.shl", "II:I"),
	0x87: op("i64.shr_s", "II:I"),
	0x88: op("i64.shr_u", "II:I"),
	0x89: op("i64.rotl", "II:I"),
	0x8A: op("i64.rotr", "II:I"),

	0x8B: op("f32.abs", "f:f"),
	0x8C: op("f32.neg", "f:f"),
	0x8D: op("f32.ceil", "f:f"),
	0x8E: op("f32.floor", "f:f"),
	0x8F: op("f32.trunc", "f:f"),
	0x90: op("f32.nearest", "f:f"),
	0x91: op("f32.sqrt", "f:f"),
	0x92: op("f32.add", "ff:f"),
	0x93: op("f32.sub", "ff:f"),
	0x94: op("f32.mul", "ff:f"),
	0x95: op("f32.div", "ff:f"),
	0x96: op("f32.min", "ff:f"),
	0x97: op("f32.max", "ff:f"),
	0x98: op("f32.copysign", "ff:f"),
	0x99: op("f64.abs", "F:F"),
	0x9A: op("f64.neg", "F:F"),
	0x9B: op("f64.ceil", "F:F"),
	0x9C: op("f64.floor", "F:F"),
	0x9D: op("f64.trunc", "F:F"),
	0x9E: op("f64.nearest", "F:F"),
	0x9F: op("f64.sqrt", "F:F"),
	0xA0: op("f64.add", "FF:F"),
	0xA1: op("f64.sub", "FF:F"),
	0xA2: op("f64.mul", "FF:F"),
	0xA3: op("f64.div", "FF:F"),
	0xA4: op("f64.min", "FF:F"),
	0xA5: op("f64.max", "FF:F"),
	0xA6: op("f64.copysign", "FF:F"),

	0xA7: op("i32.wrap_i64", "I:i"),
	0xA8: op("i32.trunc_f32_s", "f:i"),
	0xA9: op("i32.trunc_f32_u", "f:i"),
	0xAA: op("i32.trunc_f64_s", "F:i"),
	0xAB: op("i32.trunc_f64_u", "F:i"),
	0xAC: op("i64.extend_i32_s", "i:I"),
	0xAD: op("i64.extend_i32_u", "i:I"),
	0xAE: op("i64.trunc_f32_s", "f:I"),
	0xAF: op("i64.trunc_f32_u", "f:I"),
	0xB0: op("i64.trunc_f64_s", "F:I"),
	0xB1: op("i64.trunc_f64_u", "F:I"),
	0xB2: op("f32.convert_i32_s", "i:f"),
	0xB3: op("f32.convert_i32_u", "i:f"),
	0xB4: op("f32.convert_i64_s", "I:f"),
	0xB5: op("f32.convert_i64_u", "I:f"),
	0xB6: op("f32.demote_f64", "F:f"),
	0xB7: op("f64.convert_i32_s", "i:F"),
	0xB8: op("f64.convert_i32_u", "i:F"),
	0xB9: op("f64.convert_i64_s", "I:F"),
	0xBA: op("f64.convert_i64_u", "I:F"),
	0xBB: op("f64.promote_f32", "f:F"),
	0xBC: op("i32.reinterpret_f32", "f:i"),
	0xBD: op("i64.reinterpret_f64", "F:I"),
	0xBE: op("f32.reinterpret_i32", "i:f"),
	0xBF: op("f64.reinterpret_i64", "I:F"),
	0xC0: op("i32.extend8_s", "i:i"),
	0xC1: op("i32.extend16_s", "i:i"),
	0xC2: op("i64.extend8_s", "I:I"),
	0xC3: op("i64.extend16_s", "I:I"),
	0xC4: op("i64.extend32_s", "I:I"),

	0xD0: special("ref.null", ImmRefType),
	0xD1: special("ref.is_null", ImmNone),
	0xD2: special("ref.func", ImmFunc),
}

var opsMisc = [...]OpInfo{
	0:  op("i32.trunc_sat_f32_s", "f:i"),
	1:  op("i32.trunc_sat_f32_u", "f:i"),
	2:  op("i32.trunc_sat_f64_s", "F:i"),
	3:  op("i32.trunc_sat_f64_u", "F:i"),
	4:  op("i64.trunc_sat_f32_s", "f:I"),
	5:  op("i64.trunc_sat_f32_u", "f:I"),
	6:  op("i64.trunc_sat_f64_s", "F:I"),
	7:  op("i64.trunc_sat_f64_u", "F:I"),
	8:  special("memory.init", ImmDataMem),
	9:  special("data.drop", ImmData),
	10: special("memory.copy", ImmMemMem),
	11: special("memory.fill", ImmMem),
	12: special("table.init", ImmElemTable),
	13: special("elem.drop", ImmElem),
	14: special("table.copy", ImmTableTable),
	15: special("table.grow", ImmTable),
	16: special("table.size", ImmTable),
	17: special("table.fill", ImmTable),
}
