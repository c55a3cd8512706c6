package ir

import "strconv"

// Op is an instruction's operation. Its text name, operand and result typing, text
// syntax and flags live in one table, opTable, which the printer, parser and verifier
// all read (the way QBE's ops.h declares each op once). "T" below is the op's
// controlling type: the one type its same-typed operands and results share.
type Op uint16

// The ops. Each comment gives the text form after the result list and the semantics;
// doc.go has the grammar. Integer ops work on i32, i64 and ptr, and wrap modulo 2^N.
const (
	OpInvalid Op = iota // the zero Op; never in a valid function

	// Constants.
	OpIConst    // iconst N: the integer N (T in i32 i64 ptr); Imm holds its bits, zero-extended
	OpF32Const  // f32const X: Imm holds the exact IEEE bits (NaN payloads included)
	OpF64Const  // f64const X: Imm holds the exact IEEE bits
	OpV128Const // v128const 0xHEX: Imm holds the low 64 bits, Imm2 the high 64
	OpRefNull   // refnull: the null reference of the result's type
	OpRefFunc   // reffunc $f: a funcref to function Index

	// Integer arithmetic.
	OpIAdd   // iadd a, b
	OpISub   // isub a, b
	OpIMul   // imul a, b
	OpSDiv   // sdiv a, b: signed quotient, truncated; undefined for b == 0 and MIN / -1 (the frontend traps first)
	OpUDiv   // udiv a, b: undefined for b == 0
	OpSRem   // srem a, b: signed remainder (sign of a); MIN srem -1 is 0; undefined for b == 0
	OpURem   // urem a, b: undefined for b == 0
	OpIAnd   // iand a, b
	OpIOr    // ior a, b
	OpIXor   // ixor a, b
	OpIShl   // ishl a, b: shift count taken modulo the bit width, as in wasm
	OpUShr   // ushr a, b: logical shift right, count modulo the width
	OpSShr   // sshr a, b: arithmetic shift right, count modulo the width
	OpRotl   // rotl a, b
	OpRotr   // rotr a, b
	OpClz    // clz a: leading zero bits (the width for 0)
	OpCtz    // ctz a: trailing zero bits (the width for 0)
	OpPopcnt // popcnt a
	OpEqz    // eqz a: i32 1 if a == 0, else 0
	OpICmp   // icmp cc a, b: i32 1 if the condition holds, else 0; cc in eq ne slt sle sgt sge ult ule ugt uge

	// Integer width changes.
	OpExtend8  // extend8 a: sign-extend the low 8 bits of a in place (i32, i64)
	OpExtend16 // extend16 a: sign-extend the low 16 bits in place (i32, i64)
	OpExtend32 // extend32 a: sign-extend the low 32 bits in place (i64)
	OpSExt     // sext a: sign-extend an i32 to i64 or ptr
	OpZExt     // zext a: zero-extend an i32 to i64 or ptr
	OpWrap     // wrap a: the low 32 bits of an i64 or ptr

	// Float arithmetic, with wasm's semantics (NaN results are any NaN, as wasm allows).
	OpFAdd      // fadd a, b
	OpFSub      // fsub a, b
	OpFMul      // fmul a, b
	OpFDiv      // fdiv a, b
	OpFMin      // fmin a, b: NaN if either is NaN; -0 < +0
	OpFMax      // fmax a, b: NaN if either is NaN; -0 < +0
	OpFCopysign // fcopysign a, b: a with b's sign bit
	OpFAbs      // fabs a: clears the sign bit
	OpFNeg      // fneg a: flips the sign bit
	OpFSqrt     // fsqrt a
	OpFCeil     // fceil a
	OpFFloor    // ffloor a
	OpFTrunc    // ftrunc a
	OpFNearest  // fnearest a: round to nearest, ties to even
	OpFCmp      // fcmp cc a, b: i32 1 if the condition holds; cc in eq ne lt le gt ge; only ne holds for NaN

	// Conversions.
	OpFPromote  // fpromote a: f32 to f64
	OpFDemote   // fdemote a: f64 to f32
	OpFPToSI    // fptosi a: float to signed i32/i64, truncating; undefined for NaN and out-of-range inputs (the frontend traps first)
	OpFPToUI    // fptoui a: float to unsigned i32/i64; undefined for NaN and out-of-range inputs
	OpFPToSISat // fptosisat a: float to signed int, saturating; NaN gives 0
	OpFPToUISat // fptouisat a: float to unsigned int, saturating; NaN gives 0
	OpSIToFP    // sitofp a: signed i32/i64 to f32/f64, rounding to nearest
	OpUIToFP    // uitofp a: unsigned i32/i64 to f32/f64, rounding to nearest
	OpBitcast   // bitcast a: the same bits as another type of the same size (i32<->f32, i64<->f64)

	// Value plumbing.
	OpSelect // select c, a, b: a if the i32 c is non-zero, else b
	OpCopy   // copy a: a

	// Linear memory. Index names the memory: a linked program has several.
	OpLoad        // load[.s8|.u8|.s16|.u16|.s32|.u32] memN[a + off]: read Width bytes at a+Imm, extended to T; defined only after a boundscheck admits it
	OpStore       // store[.8|.16|.32] memN[a + off], v: write the low Width bytes of v at a+Imm; defined only after a boundscheck admits it
	OpBoundsCheck // boundscheck memN, a, n: traps oob_memory unless a+n, computed without wrapping, <= the memory's size in bytes (n = offset + access width)
	OpMemSize     // memsize memN: the size in 64 KiB pages
	OpMemGrow     // memgrow memN, d: grows by d pages; the old size, or -1 if it cannot
	OpMemFill     // memfill memN, d, v, n: sets n bytes at d to the low byte of v; traps oob_memory
	OpMemCopy     // memcopy memD, memS, d, s, n: copies n bytes from memS at s to memD at d (overlap allowed); traps oob_memory
	OpMemInit     // meminit memN, dataK, d, s, n: copies n bytes of data segment K from s to d; traps oob_memory
	OpDataDrop    // datadrop dataK: empties data segment K

	// Globals, tables and references.
	OpGlobalGet // globalget $g
	OpGlobalSet // globalset $g, v
	OpTableGet  // tableget tableN, i: traps oob_table
	OpTableSet  // tableset tableN, i, r: traps oob_table
	OpTableSize // tablesize tableN: the number of elements, i32
	OpTableGrow // tablegrow tableN, r, d: grows by d elements set to r; the old size, or -1
	OpTableFill // tablefill tableN, i, r, n: traps oob_table
	OpTableCopy // tablecopy tableD, tableS, d, s, n: traps oob_table
	OpTableInit // tableinit tableN, elemK, d, s, n: traps oob_table
	OpElemDrop  // elemdrop elemK: empties element segment K
	OpRefIsNull // refisnull r: i32 1 if r is null

	// Host access, for the runtime only (DESIGN.md decision 6): rtlib lowers the runtime's
	// intrinsics to these after linking. A guest module can never produce them, because
	// the frontend does not and the linker refuses imports from module "wasmc" in guests.
	// Descriptors of one kind are contiguous, so the address of entity N's is entity 0's
	// plus N times its size (24 bytes for memories and tables, 16 for segments).
	OpMemDesc   // memdesc memN: the host address (i64) of memory N's descriptor {base, size, max, reserve} (MemDescSize bytes)
	OpTableDesc // tabledesc tableN: the host address of table N's descriptor {base, size, max, budget} (TableDescSize bytes)
	OpDataDesc  // datadesc dataN: the host address of data segment N's descriptor {base, length}
	OpElemDesc  // elemdesc elemN: the host address of element segment N's descriptor {base, length}
	OpFunctab   // functab: the host address of the linker's function table (rtlib/doc.go)
	OpHostLoad  // hostload a: the 8 bytes at host address a; no check of any kind
	OpHostLoad8 // hostload8 a: the byte at host address a, zero-extended to i32
	OpHostStore // hoststore a, v: writes the 8 bytes of v at host address a
	OpHostRef   // hostref a: the reference whose native bits are the i64 a (a .wast driver's ref.extern N)
	OpRefBits   // refbits r: the native bits of reference r as an i64, 0 for null
	OpSyscall   // syscall N, a0, …, a5: system call N (Linux) or libSystem function N (darwin, [LibcallImm]), result -errno on error

	// Vector ops (WebAssembly 2.0 SIMD) on v128 values. "sh" is the op's lane Shape,
	// written after the name (vfadd f32x4 a, b); unless said otherwise it is the shape
	// of the result and of the vector operands. ".s|.u" is a mandatory signedness suffix
	// (Signed). Lanes wrap like the scalar integer ops; float lanes follow the scalar
	// float ops (a NaN result is the canonical NaN). Shift counts are taken modulo the
	// lane width.
	OpVSplat       // vsplat sh x: every lane x (x of the shape's LaneType)
	OpVExtract     // vextract[.s] sh a, lane: lane of a, as LaneType; .s sign-extends i8x16 and i16x8 lanes, else they zero-extend
	OpVReplace     // vreplace sh a, x, lane: a with lane replaced by x
	OpVShuffle     // vshuffle a, b, 0xHEX: byte i of the result is byte L[i] of a||b, L the 16 bytes of the literal (each < 32)
	OpVSwizzle     // vswizzle a, s: byte i is a[s[i]], or 0 when s[i] >= 16
	OpVNot         // vnot a
	OpVAnd         // vand a, b
	OpVAndNot      // vandnot a, b: a & ^b
	OpVOr          // vor a, b
	OpVXor         // vxor a, b
	OpVBitselect   // vbitselect a, b, m: (a & m) | (b & ^m)
	OpVAnyTrue     // vanytrue a: i32 1 if any bit of a is set
	OpVAllTrue     // valltrue sh a: i32 1 if no lane is zero
	OpVBitmask     // vbitmask sh a: i32 whose bit i is the top bit of lane i
	OpVIAdd        // viadd sh a, b
	OpVISub        // visub sh a, b
	OpVIMul        // vimul sh a, b (i16x8, i32x4, i64x2)
	OpVINeg        // vineg sh a
	OpVIAbs        // viabs sh a: wraps, so the most negative lane stays
	OpVPopcnt      // vpopcnt i8x16 a
	OpVAddSat      // vaddsat.s|.u sh a, b: saturating (i8x16, i16x8)
	OpVSubSat      // vsubsat.s|.u sh a, b: saturating (i8x16, i16x8)
	OpVIMin        // vimin.s|.u sh a, b (i8x16, i16x8, i32x4)
	OpVIMax        // vimax.s|.u sh a, b (i8x16, i16x8, i32x4)
	OpVAvgr        // vavgr sh a, b: unsigned (a + b + 1) / 2, without overflow (i8x16, i16x8)
	OpVQ15MulrSat  // vq15mulrsat i16x8 a, b: (a * b + 2^14) >> 15, signed, saturating
	OpVDot         // vdot i32x4 a, b: lane i is a[2i]*b[2i] + a[2i+1]*b[2i+1] of the signed i16x8 lanes, wrapping
	OpVIShl        // vishl sh a, n: n an i32
	OpVIShr        // vishr.s|.u sh a, n: arithmetic or logical; n an i32
	OpVICmp        // vicmp sh cc a, b: lanes all ones where cc holds, else 0; cc as icmp's (i64x2: eq ne slt sle sgt sge)
	OpVFCmp        // vfcmp sh cc a, b: lanes all ones where cc holds, else 0; cc as fcmp's
	OpVFAdd        // vfadd sh a, b
	OpVFSub        // vfsub sh a, b
	OpVFMul        // vfmul sh a, b
	OpVFDiv        // vfdiv sh a, b
	OpVFMin        // vfmin sh a, b: as fmin per lane
	OpVFMax        // vfmax sh a, b: as fmax per lane
	OpVFPMin       // vfpmin sh a, b: b < a ? b : a per lane, bits kept (wasm's pmin)
	OpVFPMax       // vfpmax sh a, b: a < b ? b : a per lane, bits kept
	OpVFAbs        // vfabs sh a
	OpVFNeg        // vfneg sh a
	OpVFSqrt       // vfsqrt sh a
	OpVFCeil       // vfceil sh a
	OpVFFloor      // vffloor sh a
	OpVFTrunc      // vftrunc sh a
	OpVFNearest    // vfnearest sh a
	OpVNarrow      // vnarrow.s|.u sh a, b: the lanes of a then b, signed and twice as wide in the operands, saturated to sh's signed or unsigned range (i8x16, i16x8)
	OpVExtendLo    // vextendlo.s|.u sh a: the low half of a's lanes, half as wide, extended (sh i16x8, i32x4, i64x2)
	OpVExtendHi    // vextendhi.s|.u sh a: the high half, extended
	OpVExtMulLo    // vextmullo.s|.u sh a, b: the low halves extended, then multiplied
	OpVExtMulHi    // vextmulhi.s|.u sh a, b: the high halves extended, then multiplied
	OpVExtAddPairs // vextaddpairs.s|.u sh a: lane i is a[2i] + a[2i+1], half as wide, extended (sh i16x8, i32x4)
	OpVTruncSat    // vtruncsat.s|.u sh a: sh is the operand's (f32x4, f64x2); to i32x4 lanes, saturating, NaN 0; from f64x2 the upper two lanes are 0
	OpVConvert     // vconvert.s|.u sh a: sh is the result's; from a's i32x4 lanes (f64x2: the low two)
	OpVDemote      // vdemote a: f64x2 to f32x4 lanes 0 and 1, lanes 2 and 3 zero
	OpVPromote     // vpromote a: f32x4 lanes 0 and 1 to f64x2
	OpVLoadExt     // vloadext.s|.u sh memN[a + off]: 8 bytes of lanes half as wide, extended (sh i16x8, i32x4, i64x2)
	OpVLoadSplat   // vloadsplat sh memN[a + off]: one lane read and put in every lane
	OpVLoadZero    // vloadzero sh memN[a + off]: one lane read into lane 0, the rest zero (i32x4, i64x2)
	OpVLoadLane    // vloadlane sh memN[a + off], v, lane: v with lane read from memory
	OpVStoreLane   // vstorelane sh memN[a + off], v, lane: writes lane of v

	// Calls. A call defines one value per callee result.
	OpCall         // call $f(args): calls the defined function Index
	OpCallImport   // callimport $f(args): calls the imported function Index
	OpCallIndirect // callindirect tableN, i(args): calls table N's element i, whose type must be type Index2; traps oob_table / uninitialized_element / indirect_call_type_mismatch

	// Traps.
	OpTrapIf // trapif c, code: traps with code if the i32 c is non-zero
	OpTrap   // trap code: always traps; a terminator

	// Terminators: the last instruction of every block, and nowhere else.
	OpJump    // jump bN(args)
	OpBrIf    // brif c, bT(args), bF(args): to bT if the i32 c is non-zero
	OpBrTable // brtable i, [b0(args), …], default bD(args): to the i-th listed block, or bD if i >= the count
	OpReturn  // return vals

	numOps
)

// Flags describe what an op may do; passes decide what they may move, merge or delete
// from them alone.
type Flags uint16

// The flags.
const (
	// Terminator ops end a block: jump, brif, brtable, return, trap.
	Terminator Flags = 1 << iota
	// SideEffect ops change state other instructions observe (memory, globals, tables,
	// segments) or call out. They are never deleted, and never reordered with each other
	// or with Reads ops.
	SideEffect
	// Reads ops read state that SideEffect ops change. They may be deleted when unused
	// but not moved across a SideEffect op.
	Reads
	// CanTrap ops may trap by their own semantics. They are never deleted while they
	// might trap and never executed speculatively.
	CanTrap
	// Guarded ops are defined only on inputs that an explicit check before them admits
	// (sdiv after its trapif, load after its boundscheck). They must not be hoisted above
	// the checks that guard them.
	Guarded
	// Commutative binary ops give the same result with their operands swapped.
	Commutative
	// Pure ops compute their results from their operands alone and are defined on every
	// input: they may be moved, merged and deleted freely. Pure excludes every flag above
	// except Commutative.
	Pure
)

// Has reports whether all of g's flags are set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// tT in an operand or result slot stands for the op's controlling type T.
const tT TypeSet = 1 << 15

// part is one piece of an op's text form after its name; the printer and parser walk an
// op's parts in order, so the two cannot disagree.
type part uint8

const (
	pArg        part = iota // one operand
	pArgs                   // all remaining operands, comma-separated (possibly none)
	pCond                   // a condition code word (Cond)
	pWidth                  // load/store width suffix on the op name (.s8, .16; Width, Signed)
	pIConst                 // integer literal (Imm)
	pF32                    // f32 literal (Imm)
	pF64                    // f64 literal (Imm)
	pV128                   // 128-bit hex literal (Imm, Imm2)
	pMemAddr                // memN[a + off]: memory Index, one operand, offset Imm
	pMem                    // memN (Index)
	pMem2                   // memN (Index2)
	pTable                  // tableN (Index)
	pTable2                 // tableN (Index2)
	pData                   // dataN (Index)
	pData2                  // dataN (Index2)
	pElem                   // elemN (Index)
	pElem2                  // elemN (Index2)
	pGlobal                 // $g (Index)
	pFunc                   // $f (Index)
	pSize                   // unsigned literal (Imm)
	pCallArgs               // (args): all remaining operands in parentheses, attached to the previous part
	pCallee                 // i(args): one operand, then the remaining ones in parentheses
	pTrap                   // a trap code name (Trap)
	pTarget                 // bN(args): the next branch target
	pTargetList             // [bN(args), …]: every target but the last
	pDefault                // default bN(args): the last target
	pShape                  // a lane shape word (Shape)
	pSign                   // .s or .u suffix on the op name (Signed)
	pSignOpt                // an optional .s suffix on the op name (Signed)
	pLane                   // a lane index literal (Imm2)
)

// opInfo is one row of the op table.
type opInfo struct {
	name  string
	flags Flags
	ctrl  TypeSet   // the types T may take
	args  []TypeSet // one per operand; tT means T
	res   []TypeSet // one per result; tT means T
	// variadic ops take their operand and result counts from a signature or from their
	// targets (calls, returns, branches); args and res then list only the fixed leading
	// operands, and the verifier checks the rest.
	variadic bool
	parts    []part
	// shapes are the lane shapes a vector op accepts; empty for ops without a Shape.
	shapes ShapeSet
}

var (
	partsArgs = []part{pArgs}
	partsCmp  = []part{pCond, pArgs}
)

func unary(name string, set TypeSet, flags Flags) opInfo {
	return opInfo{name: name, flags: flags, ctrl: set, args: []TypeSet{tT}, res: []TypeSet{tT}, parts: partsArgs}
}

func binary(name string, set TypeSet, flags Flags) opInfo {
	return opInfo{name: name, flags: flags, ctrl: set, args: []TypeSet{tT, tT}, res: []TypeSet{tT}, parts: partsArgs}
}

func conv(name string, from, to TypeSet, flags Flags) opInfo {
	return opInfo{name: name, flags: flags, args: []TypeSet{from}, res: []TypeSet{to}, parts: partsArgs}
}

func fixed(name string, flags Flags, args, res []TypeSet, parts ...part) opInfo {
	return opInfo{name: name, flags: flags, args: args, res: res, parts: parts}
}

func ts(sets ...TypeSet) []TypeSet { return sets }

var (
	partsVArgs = []part{pShape, pArgs}
	partsVSign = []part{pSign, pShape, pArgs}
	partsVMem  = []part{pShape, pMemAddr}
	partsVLane = []part{pShape, pMemAddr, pArg, pLane}
)

// vop builds a vector op: operands and results given, flags Pure unless said.
func vop(name string, sh ShapeSet, flags Flags, args, res []TypeSet, parts []part) opInfo {
	return opInfo{name: name, flags: flags, args: args, res: res, parts: parts, shapes: sh}
}

func vunary(name string, sh ShapeSet) opInfo {
	return vop(name, sh, Pure, ts(setV128), ts(setV128), partsVArgs)
}

func vbinary(name string, sh ShapeSet, flags Flags) opInfo {
	return vop(name, sh, Pure|flags, ts(setV128, setV128), ts(setV128), partsVArgs)
}

// vsigned is a binary op with a signedness suffix.
func vsigned(name string, sh ShapeSet, flags Flags) opInfo {
	return vop(name, sh, Pure|flags, ts(setV128, setV128), ts(setV128), partsVSign)
}

// opTable is the single description of every op.
var opTable = [numOps]opInfo{
	OpInvalid: {name: "invalid"},

	OpIConst:    {name: "iconst", flags: Pure, ctrl: setInt, res: ts(tT), parts: []part{pIConst}},
	OpF32Const:  fixed("f32const", Pure, nil, ts(setF32), pF32),
	OpF64Const:  fixed("f64const", Pure, nil, ts(setF64), pF64),
	OpV128Const: fixed("v128const", Pure, nil, ts(setV128), pV128),
	OpRefNull:   fixed("refnull", Pure, nil, ts(setRef)),
	OpRefFunc:   fixed("reffunc", Pure, nil, ts(setFunc), pFunc),

	OpIAdd:   binary("iadd", setInt, Pure|Commutative),
	OpISub:   binary("isub", setInt, Pure),
	OpIMul:   binary("imul", setInt, Pure|Commutative),
	OpSDiv:   binary("sdiv", setInt, Guarded),
	OpUDiv:   binary("udiv", setInt, Guarded),
	OpSRem:   binary("srem", setInt, Guarded),
	OpURem:   binary("urem", setInt, Guarded),
	OpIAnd:   binary("iand", setInt, Pure|Commutative),
	OpIOr:    binary("ior", setInt, Pure|Commutative),
	OpIXor:   binary("ixor", setInt, Pure|Commutative),
	OpIShl:   binary("ishl", setInt, Pure),
	OpUShr:   binary("ushr", setInt, Pure),
	OpSShr:   binary("sshr", setInt, Pure),
	OpRotl:   binary("rotl", setInt, Pure),
	OpRotr:   binary("rotr", setInt, Pure),
	OpClz:    unary("clz", setInt, Pure),
	OpCtz:    unary("ctz", setInt, Pure),
	OpPopcnt: unary("popcnt", setInt, Pure),
	OpEqz:    {name: "eqz", flags: Pure, ctrl: setInt, args: ts(tT), res: ts(setI32), parts: partsArgs},
	OpICmp:   {name: "icmp", flags: Pure, ctrl: setInt, args: ts(tT, tT), res: ts(setI32), parts: partsCmp},

	OpExtend8:  unary("extend8", setWasmI, Pure),
	OpExtend16: unary("extend16", setWasmI, Pure),
	OpExtend32: unary("extend32", setI64, Pure),
	OpSExt:     conv("sext", setI32, setWide, Pure),
	OpZExt:     conv("zext", setI32, setWide, Pure),
	OpWrap:     conv("wrap", setWide, setI32, Pure),

	OpFAdd:      binary("fadd", setFloat, Pure|Commutative),
	OpFSub:      binary("fsub", setFloat, Pure),
	OpFMul:      binary("fmul", setFloat, Pure|Commutative),
	OpFDiv:      binary("fdiv", setFloat, Pure),
	OpFMin:      binary("fmin", setFloat, Pure|Commutative),
	OpFMax:      binary("fmax", setFloat, Pure|Commutative),
	OpFCopysign: binary("fcopysign", setFloat, Pure),
	OpFAbs:      unary("fabs", setFloat, Pure),
	OpFNeg:      unary("fneg", setFloat, Pure),
	OpFSqrt:     unary("fsqrt", setFloat, Pure),
	OpFCeil:     unary("fceil", setFloat, Pure),
	OpFFloor:    unary("ffloor", setFloat, Pure),
	OpFTrunc:    unary("ftrunc", setFloat, Pure),
	OpFNearest:  unary("fnearest", setFloat, Pure),
	OpFCmp:      {name: "fcmp", flags: Pure, ctrl: setFloat, args: ts(tT, tT), res: ts(setI32), parts: partsCmp},

	OpFPromote:  conv("fpromote", setF32, setF64, Pure),
	OpFDemote:   conv("fdemote", setF64, setF32, Pure),
	OpFPToSI:    conv("fptosi", setFloat, setWasmI, Guarded),
	OpFPToUI:    conv("fptoui", setFloat, setWasmI, Guarded),
	OpFPToSISat: conv("fptosisat", setFloat, setWasmI, Pure),
	OpFPToUISat: conv("fptouisat", setFloat, setWasmI, Pure),
	OpSIToFP:    conv("sitofp", setWasmI, setFloat, Pure),
	OpUIToFP:    conv("uitofp", setWasmI, setFloat, Pure),
	OpBitcast:   conv("bitcast", setCast, setCast, Pure),

	OpSelect: {name: "select", flags: Pure, ctrl: setAny, args: ts(setI32, tT, tT), res: ts(tT), parts: partsArgs},
	OpCopy:   unary("copy", setAny, Pure),

	OpLoad:        fixed("load", Reads|Guarded, ts(setAddr), ts(setData), pWidth, pMemAddr),
	OpStore:       fixed("store", SideEffect|Guarded, ts(setAddr, setData), nil, pWidth, pMemAddr, pArg),
	OpBoundsCheck: fixed("boundscheck", CanTrap, ts(setAddr), nil, pMem, pArg, pSize),
	OpMemSize:     {name: "memsize", flags: Reads, ctrl: setAddr, res: ts(tT), parts: []part{pMem}},
	OpMemGrow:     {name: "memgrow", flags: SideEffect, ctrl: setAddr, args: ts(tT), res: ts(tT), parts: []part{pMem, pArg}},
	OpMemFill:     {name: "memfill", flags: SideEffect | CanTrap, ctrl: setAddr, args: ts(tT, setI32, tT), parts: []part{pMem, pArgs}},
	OpMemCopy:     fixed("memcopy", SideEffect|CanTrap, ts(setAddr, setAddr, setAddr), nil, pMem, pMem2, pArgs),
	OpMemInit:     fixed("meminit", SideEffect|CanTrap, ts(setAddr, setI32, setI32), nil, pMem, pData2, pArgs),
	OpDataDrop:    fixed("datadrop", SideEffect, nil, nil, pData),

	OpGlobalGet: fixed("globalget", Reads, nil, ts(setAny), pGlobal),
	OpGlobalSet: fixed("globalset", SideEffect, ts(setAny), nil, pGlobal, pArg),
	OpTableGet:  fixed("tableget", Reads|CanTrap, ts(setI32), ts(setRef), pTable, pArg),
	OpTableSet:  fixed("tableset", SideEffect|CanTrap, ts(setI32, setRef), nil, pTable, pArgs),
	OpTableSize: fixed("tablesize", Reads, nil, ts(setI32), pTable),
	OpTableGrow: fixed("tablegrow", SideEffect, ts(setRef, setI32), ts(setI32), pTable, pArgs),
	OpTableFill: fixed("tablefill", SideEffect|CanTrap, ts(setI32, setRef, setI32), nil, pTable, pArgs),
	OpTableCopy: fixed("tablecopy", SideEffect|CanTrap, ts(setI32, setI32, setI32), nil, pTable, pTable2, pArgs),
	OpTableInit: fixed("tableinit", SideEffect|CanTrap, ts(setI32, setI32, setI32), nil, pTable, pElem2, pArgs),
	OpElemDrop:  fixed("elemdrop", SideEffect, nil, nil, pElem),
	OpRefIsNull: fixed("refisnull", Pure, ts(setRef), ts(setI32), pArg),

	OpMemDesc:   fixed("memdesc", Pure, nil, ts(setI64), pMem),
	OpTableDesc: fixed("tabledesc", Pure, nil, ts(setI64), pTable),
	OpDataDesc:  fixed("datadesc", Pure, nil, ts(setI64), pData),
	OpElemDesc:  fixed("elemdesc", Pure, nil, ts(setI64), pElem),
	OpFunctab:   fixed("functab", Pure, nil, ts(setI64)),
	OpHostLoad:  fixed("hostload", Reads, ts(setI64), ts(setI64), pArg),
	OpHostLoad8: fixed("hostload8", Reads, ts(setI64), ts(setI32), pArg),
	OpHostStore: fixed("hoststore", SideEffect, ts(setI64, setI64), nil, pArgs),
	OpHostRef:   fixed("hostref", Pure, ts(setI64), ts(setRef), pArg),
	OpRefBits:   fixed("refbits", Pure, ts(setRef), ts(setI64), pArg),
	OpSyscall:   fixed("syscall", SideEffect, ts(setI64, setI64, setI64, setI64, setI64, setI64), ts(setI64), pSize, pArgs),

	OpVSplat:       vop("vsplat", shAll, Pure, ts(setLane), ts(setV128), partsVArgs),
	OpVExtract:     vop("vextract", shAll, Pure, ts(setV128), ts(setLane), []part{pSignOpt, pShape, pArg, pLane}),
	OpVReplace:     vop("vreplace", shAll, Pure, ts(setV128, setLane), ts(setV128), []part{pShape, pArg, pArg, pLane}),
	OpVShuffle:     vop("vshuffle", 0, Pure, ts(setV128, setV128), ts(setV128), []part{pArg, pArg, pV128}),
	OpVSwizzle:     vop("vswizzle", 0, Pure, ts(setV128, setV128), ts(setV128), partsArgs),
	OpVNot:         vop("vnot", 0, Pure, ts(setV128), ts(setV128), partsArgs),
	OpVAnd:         vop("vand", 0, Pure|Commutative, ts(setV128, setV128), ts(setV128), partsArgs),
	OpVAndNot:      vop("vandnot", 0, Pure, ts(setV128, setV128), ts(setV128), partsArgs),
	OpVOr:          vop("vor", 0, Pure|Commutative, ts(setV128, setV128), ts(setV128), partsArgs),
	OpVXor:         vop("vxor", 0, Pure|Commutative, ts(setV128, setV128), ts(setV128), partsArgs),
	OpVBitselect:   vop("vbitselect", 0, Pure, ts(setV128, setV128, setV128), ts(setV128), partsArgs),
	OpVAnyTrue:     vop("vanytrue", 0, Pure, ts(setV128), ts(setI32), partsArgs),
	OpVAllTrue:     vop("valltrue", shInt, Pure, ts(setV128), ts(setI32), partsVArgs),
	OpVBitmask:     vop("vbitmask", shInt, Pure, ts(setV128), ts(setI32), partsVArgs),
	OpVIAdd:        vbinary("viadd", shInt, Commutative),
	OpVISub:        vbinary("visub", shInt, 0),
	OpVIMul:        vbinary("vimul", shWide, Commutative),
	OpVINeg:        vunary("vineg", shInt),
	OpVIAbs:        vunary("viabs", shInt),
	OpVPopcnt:      vunary("vpopcnt", shapes(I8x16)),
	OpVAddSat:      vsigned("vaddsat", sh8to16, Commutative),
	OpVSubSat:      vsigned("vsubsat", sh8to16, 0),
	OpVIMin:        vsigned("vimin", sh8to32, Commutative),
	OpVIMax:        vsigned("vimax", sh8to32, Commutative),
	OpVAvgr:        vbinary("vavgr", sh8to16, Commutative),
	OpVQ15MulrSat:  vbinary("vq15mulrsat", shapes(I16x8), Commutative),
	OpVDot:         vbinary("vdot", shapes(I32x4), 0),
	OpVIShl:        vop("vishl", shInt, Pure, ts(setV128, setI32), ts(setV128), partsVArgs),
	OpVIShr:        vop("vishr", shInt, Pure, ts(setV128, setI32), ts(setV128), partsVSign),
	OpVICmp:        vop("vicmp", shInt, Pure, ts(setV128, setV128), ts(setV128), []part{pShape, pCond, pArgs}),
	OpVFCmp:        vop("vfcmp", shFloat, Pure, ts(setV128, setV128), ts(setV128), []part{pShape, pCond, pArgs}),
	OpVFAdd:        vbinary("vfadd", shFloat, Commutative),
	OpVFSub:        vbinary("vfsub", shFloat, 0),
	OpVFMul:        vbinary("vfmul", shFloat, Commutative),
	OpVFDiv:        vbinary("vfdiv", shFloat, 0),
	OpVFMin:        vbinary("vfmin", shFloat, Commutative),
	OpVFMax:        vbinary("vfmax", shFloat, Commutative),
	OpVFPMin:       vbinary("vfpmin", shFloat, 0),
	OpVFPMax:       vbinary("vfpmax", shFloat, 0),
	OpVFAbs:        vunary("vfabs", shFloat),
	OpVFNeg:        vunary("vfneg", shFloat),
	OpVFSqrt:       vunary("vfsqrt", shFloat),
	OpVFCeil:       vunary("vfceil", shFloat),
	OpVFFloor:      vunary("vffloor", shFloat),
	OpVFTrunc:      vunary("vftrunc", shFloat),
	OpVFNearest:    vunary("vfnearest", shFloat),
	OpVNarrow:      vsigned("vnarrow", sh8to16, 0),
	OpVExtendLo:    vop("vextendlo", shWide, Pure, ts(setV128), ts(setV128), partsVSign),
	OpVExtendHi:    vop("vextendhi", shWide, Pure, ts(setV128), ts(setV128), partsVSign),
	OpVExtMulLo:    vsigned("vextmullo", shWide, Commutative),
	OpVExtMulHi:    vsigned("vextmulhi", shWide, Commutative),
	OpVExtAddPairs: vop("vextaddpairs", shapes(I16x8, I32x4), Pure, ts(setV128), ts(setV128), partsVSign),
	OpVTruncSat:    vop("vtruncsat", shFloat, Pure, ts(setV128), ts(setV128), partsVSign),
	OpVConvert:     vop("vconvert", shFloat, Pure, ts(setV128), ts(setV128), partsVSign),
	OpVDemote:      vop("vdemote", 0, Pure, ts(setV128), ts(setV128), partsArgs),
	OpVPromote:     vop("vpromote", 0, Pure, ts(setV128), ts(setV128), partsArgs),
	OpVLoadExt:     vop("vloadext", shWide, Reads|Guarded, ts(setAddr), ts(setV128), []part{pSign, pShape, pMemAddr}),
	OpVLoadSplat:   vop("vloadsplat", shInt, Reads|Guarded, ts(setAddr), ts(setV128), partsVMem),
	OpVLoadZero:    vop("vloadzero", shapes(I32x4, I64x2), Reads|Guarded, ts(setAddr), ts(setV128), partsVMem),
	OpVLoadLane:    vop("vloadlane", shInt, Reads|Guarded, ts(setAddr, setV128), ts(setV128), partsVLane),
	OpVStoreLane:   vop("vstorelane", shInt, SideEffect|Guarded, ts(setAddr, setV128), nil, partsVLane),

	OpCall:         {name: "call", flags: SideEffect | CanTrap, variadic: true, parts: []part{pFunc, pCallArgs}},
	OpCallImport:   {name: "callimport", flags: SideEffect | CanTrap, variadic: true, parts: []part{pFunc, pCallArgs}},
	OpCallIndirect: {name: "callindirect", flags: SideEffect | CanTrap, variadic: true, args: ts(setI32), parts: []part{pTable, pCallee}},

	OpTrapIf: fixed("trapif", CanTrap, ts(setI32), nil, pArg, pTrap),
	OpTrap:   fixed("trap", Terminator|CanTrap, nil, nil, pTrap),

	OpJump:    {name: "jump", flags: Terminator, variadic: true, parts: []part{pTarget}},
	OpBrIf:    {name: "brif", flags: Terminator, variadic: true, args: ts(setI32), parts: []part{pArg, pTarget, pTarget}},
	OpBrTable: {name: "brtable", flags: Terminator, variadic: true, args: ts(setI32), parts: []part{pArg, pTargetList, pDefault}},
	OpReturn:  {name: "return", flags: Terminator, variadic: true, parts: partsArgs},
}

// opByName maps text names to ops; built once from opTable and never changed.
var opByName = func() map[string]Op {
	m := make(map[string]Op, numOps)
	for op := OpInvalid + 1; op < numOps; op++ {
		m[opTable[op].name] = op
	}
	return m
}()

// String returns the op's text name (iadd, brtable, …).
func (op Op) String() string {
	if op < numOps {
		return opTable[op].name
	}
	return "op(" + strconv.FormatUint(uint64(op), 10) + ")"
}

// Flags returns the op's flags from the op table.
func (op Op) Flags() Flags {
	if op < numOps {
		return opFlags[op]
	}
	return 0
}

// opFlags holds the flags of opTable, packed: the passes ask for an op's flags (is it a
// terminator, may it be deleted) once or more per instruction, and a lookup in the
// table, an entry of a hundred bytes per op, cost a cache line where this costs two
// bytes (issue 21).
var opFlags = func() (fl [numOps]Flags) {
	for op := range fl {
		fl[op] = opTable[op].flags
	}
	return
}()

// IsTerminator reports whether the op ends a block.
func (op Op) IsTerminator() bool { return op.Flags().Has(Terminator) }

// Cond is the condition of an icmp or fcmp.
type Cond uint8

// The conditions. icmp takes CondEq through CondUGE; fcmp takes CondEq, CondNe and
// CondLT through CondGE, which are ordered comparisons except that ne holds when either
// operand is NaN (wasm's f32.ne).
const (
	CondNone Cond = iota // the zero Cond: ops without a condition
	CondEq
	CondNe
	CondSLT
	CondSLE
	CondSGT
	CondSGE
	CondULT
	CondULE
	CondUGT
	CondUGE
	CondLT
	CondLE
	CondGT
	CondGE
	numConds
)

var condNames = [numConds]string{
	CondNone: "none", CondEq: "eq", CondNe: "ne",
	CondSLT: "slt", CondSLE: "sle", CondSGT: "sgt", CondSGE: "sge",
	CondULT: "ult", CondULE: "ule", CondUGT: "ugt", CondUGE: "uge",
	CondLT: "lt", CondLE: "le", CondGT: "gt", CondGE: "ge",
}

// String returns the condition's text name.
func (c Cond) String() string {
	if c < numConds {
		return condNames[c]
	}
	return "cond(" + strconv.FormatUint(uint64(c), 10) + ")"
}

// validFor reports whether op (icmp or fcmp) accepts the condition.
func (c Cond) validFor(op Op) bool {
	switch op {
	case OpICmp, OpVICmp:
		return c >= CondEq && c <= CondUGE
	case OpFCmp, OpVFCmp:
		return c == CondEq || c == CondNe || (c >= CondLT && c <= CondGE)
	}
	return c == CondNone
}

func condByName(name string) (Cond, bool) {
	for c := CondEq; c < numConds; c++ {
		if condNames[c] == name {
			return c, true
		}
	}
	return CondNone, false
}
