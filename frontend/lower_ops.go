package frontend

// Lowering, instruction dispatch and the numeric instructions. The numeric opcodes map
// through one table, numOps, to an IR op and a shape; the shapes that need explicit
// traps (division, float-to-int truncation) emit their checks first.

import (
	"math"

	"github.com/wasmc/wasmc/ir"
)

// instr lowers one reachable instruction.
func (l *funcLowerer) instr(in *Instr) error {
	op := in.Op
	if op < Opcode(len(lowerKinds)) {
		switch lowerKinds[op] {
		case lowerNumeric:
			l.numeric(&numOps[op])
			return nil
		case lowerLoad:
			l.load(in.Mem, in.MemOffset, loadOp(op))
			return nil
		case lowerStore:
			l.store(in.Mem, in.MemOffset, storeOp(op))
			return nil
		}
	} else if op>>16 == PrefixMisc && op&0xFFFF < Opcode(len(satOps)) {
		l.numeric(&satOps[op&0xFFFF])
		return nil
	}
	switch op {
	case OpUnreachable:
		l.b.Trap(ir.TrapUnreachable)
		l.dead = true
	case OpNop:
	case OpBlock:
		l.block(in.BlockType)
	case OpLoop:
		l.loop(in.BlockType)
	case OpIf:
		l.ifArm(in.BlockType)
	case OpElse:
		l.elseArm()
	case OpEnd:
		l.end()
	case OpBr:
		l.br(in.Idx)
	case OpBrIf:
		l.brIf(in.Idx)
	case OpBrTable:
		l.brTable(in)
	case OpReturn:
		l.b.Return(l.top(len(l.results(&l.ctrls[0])))...)
		l.dead = true
	case OpCall:
		return l.call(in)
	case OpCallIndirect:
		return l.callIndirect(in)
	case OpDrop:
		l.pop()
	case OpSelect, OpSelectT:
		c := l.pop()
		y := l.pop()
		x := l.pop()
		l.push(l.value(ir.Instr{Op: ir.OpSelect, Args: l.args3(c, x, y)}, l.typeOf(x)))
	case OpLocalGet, OpLocalSet, OpLocalTee:
		l.local(op, in.Idx)
	case OpI32Const:
		l.push(l.b.IConst(ir.I32, uint64(uint32(in.Const))))
	case OpI64Const:
		l.push(l.b.IConst(ir.I64, uint64(in.Const)))
	case OpF32Const:
		l.push(l.b.F32Const(uint32(in.Bits)))
	case OpF64Const:
		l.push(l.b.F64Const(in.Bits))
	default:
		if op>>16 == PrefixSIMD {
			return l.simd(in)
		}
		return l.memOrTableOp(in)
	}
	return nil
}

// local lowers local.get, local.set or local.tee (op) of local x.
func (l *funcLowerer) local(op Opcode, x uint32) {
	switch op {
	case OpLocalGet:
		l.push(l.vars.read(l.b.Block(), x))
	case OpLocalSet:
		l.vars.write(l.b.Block(), x, l.pop())
	default:
		l.vars.write(l.b.Block(), x, l.stack[len(l.stack)-1])
	}
}

// shortLower says how short lowers a one-byte opcode; shortLowerNo leaves it to instr.
type shortLower uint8

const (
	shortLowerNo        shortLower = iota
	shortLowerNumeric              // numOps, no immediate
	shortLowerNop                  // nop
	shortLowerEnd                  // end
	shortLowerLocal                // local.get, local.set, local.tee
	shortLowerGlobalGet            // global.get
	shortLowerGlobalSet            // global.set
	shortLowerI32                  // i32.const
	shortLowerI64                  // i64.const
	shortLowerLoad                 // a load
	shortLowerStore                // a store
	shortLowerBlock                // block, loop, if
	shortLowerBr                   // br, br_if
)

// shortLowers is shortLower by one-byte opcode.
var shortLowers = func() (k [0x100]shortLower) {
	for op := range k {
		switch o := Opcode(op); {
		case lowerKinds[op] == lowerNumeric && shortKinds[op] == shortNone:
			k[op] = shortLowerNumeric
		case lowerKinds[op] == lowerLoad && shortKinds[op] == shortMem:
			k[op] = shortLowerLoad
		case lowerKinds[op] == lowerStore && shortKinds[op] == shortMem:
			k[op] = shortLowerStore
		case o == OpNop:
			k[op] = shortLowerNop
		case o == OpEnd:
			k[op] = shortLowerEnd
		case o == OpLocalGet || o == OpLocalSet || o == OpLocalTee:
			k[op] = shortLowerLocal
		case o == OpGlobalGet:
			k[op] = shortLowerGlobalGet
		case o == OpGlobalSet:
			k[op] = shortLowerGlobalSet
		case o == OpI32Const:
			k[op] = shortLowerI32
		case o == OpI64Const:
			k[op] = shortLowerI64
		case o == OpBlock || o == OpLoop || o == OpIf:
			k[op] = shortLowerBlock
		case o == OpBr || o == OpBrIf:
			k[op] = shortLowerBr
		}
	}
	return k
}()

// short lowers the instructions from body[pos:] on, in reachable code, for as long as
// each is in a short form (instr_short.go) and one whose lowering needs no more than what
// its bytes say, read as ReadInstr reads them: a numeric instruction, a nop or an end, a
// local's or a global's access, an integer constant, a load or a store of memory 0, a
// block, loop or if, a br or br_if. It returns the offset of the first it did not
// lower, for instr. Reading every instruction into an Instr was a third of lowering
// these (issue 21).
func (l *funcLowerer) short(body []byte, pos int) int {
	for pos >= 0 && len(body)-pos >= 3 && !l.dead && len(l.ctrls) > 0 {
		b := body[pos : pos+3 : pos+3]
		op := Opcode(b[0])
		switch k := shortLowers[op]; k {
		case shortLowerNo:
			return pos
		case shortLowerNumeric:
			l.numeric(&numOps[op])
			pos++
		case shortLowerNop:
			pos++
		case shortLowerEnd:
			l.end()
			pos++
		case shortLowerI32, shortLowerI64:
			c, next := int64(int8(b[1]<<1)>>1), pos+2
			if b[1] >= 0x80 {
				if c, next = shortSleb(body, pos+1, shortConstBytes[b[0]&1]); next == 0 {
					return pos
				}
			}
			if k == shortLowerI32 {
				l.push(l.b.IConst(ir.I32, uint64(uint32(c))))
			} else {
				l.push(l.b.IConst(ir.I64, uint64(c)))
			}
			pos = next
		case shortLowerBlock:
			if b[1] >= 0x80 || !shortBlockTypes[b[1]] {
				return pos
			}
			switch bt := int64(int8(b[1]<<1) >> 1); op {
			case OpBlock:
				l.block(bt)
			case OpLoop:
				l.loop(bt)
			default:
				l.ifArm(bt)
			}
			pos += 2
		case shortLowerLoad, shortLowerStore:
			// The alignment is the validator's; the reader refuses one of 32 or more.
			if b[1] >= 32 {
				return pos
			}
			offset, next := uint64(b[2]), pos+3
			if b[2] >= 0x80 {
				if offset, next = shortUleb(body, pos+2, 4); next == 0 {
					return pos
				}
			}
			if k == shortLowerLoad {
				l.load(0, offset, loadOp(op))
			} else {
				l.store(0, offset, storeOp(op))
			}
			pos = next
		default:
			x, next := uint32(b[1]), pos+2
			if b[1] >= 0x80 {
				v, n := shortUleb(body, pos+1, 4)
				if n == 0 {
					return pos
				}
				x, next = uint32(v), n
			}
			switch k {
			case shortLowerLocal:
				// local, inlined: these are half of what short lowers.
				switch op {
				case OpLocalGet:
					l.push(l.vars.read(l.b.Block(), x))
				case OpLocalSet:
					l.vars.write(l.b.Block(), x, l.pop())
				default:
					l.vars.write(l.b.Block(), x, l.stack[len(l.stack)-1])
				}
			case shortLowerGlobalGet:
				l.globalGet(x)
			case shortLowerGlobalSet:
				l.globalSet(x)
			default:
				if op == OpBr {
					l.br(x)
				} else {
					l.brIf(x)
				}
			}
			pos = next
		}
	}
	return pos
}

// lowerKind sorts the one-byte opcodes for instr's first dispatch: one table look-up
// rather than a range check per group, since every instruction passes through it.
type lowerKind uint8

const (
	lowerOther   lowerKind = iota // instr's switch
	lowerNumeric                  // numOps
	lowerLoad                     // loads
	lowerStore                    // stores
)

// lowerKinds is lowerKind by one-byte opcode.
var lowerKinds = func() (k [0x100]lowerKind) {
	for op := range k {
		switch {
		case op < len(numOps) && numOps[op].kind != numNone:
			k[op] = lowerNumeric
		case loadOp(Opcode(op)) != nil:
			k[op] = lowerLoad
		case storeOp(Opcode(op)) != nil:
			k[op] = lowerStore
		}
	}
	return k
}()

// numKind is the shape of a numeric instruction.
type numKind uint8

const (
	numNone   numKind = iota
	numUnary          // one operand, result of its type (or i32 for eqz)
	numBinary         // two operands of one type
	numICmp           // icmp cond
	numFCmp           // fcmp cond
	numConv           // conversion to type to
	numDiv            // division or remainder: trap checks first
	numTrunc          // trapping float-to-int truncation: trap checks first
)

// numOp describes one numeric opcode.
type numOp struct {
	kind numKind
	op   ir.Op
	cond ir.Cond
	to   ir.Type
	// The range of a trapping truncation: the operand traps int_overflow when it is
	// below lo (at or below lo if loInclusive) or at or above hi; lo and hi are exact in
	// the operand's type.
	lo, hi      float64
	loInclusive bool
}

// numOps maps every single-byte numeric opcode to its lowering; the others are zero.
var numOps = func() (t [0xC5]numOp) {
	icmp := []ir.Cond{ir.CondEq, ir.CondNe, ir.CondSLT, ir.CondULT, ir.CondSGT, ir.CondUGT,
		ir.CondSLE, ir.CondULE, ir.CondSGE, ir.CondUGE}
	for i, c := range icmp {
		t[0x46+i] = numOp{kind: numICmp, cond: c}
		t[0x51+i] = numOp{kind: numICmp, cond: c}
	}
	fcmp := []ir.Cond{ir.CondEq, ir.CondNe, ir.CondLT, ir.CondGT, ir.CondLE, ir.CondGE}
	for i, c := range fcmp {
		t[0x5B+i] = numOp{kind: numFCmp, cond: c}
		t[0x61+i] = numOp{kind: numFCmp, cond: c}
	}
	t[0x45] = numOp{kind: numUnary, op: ir.OpEqz}
	t[0x50] = numOp{kind: numUnary, op: ir.OpEqz}
	for i, op := range []ir.Op{ir.OpClz, ir.OpCtz, ir.OpPopcnt} {
		t[0x67+i] = numOp{kind: numUnary, op: op}
		t[0x79+i] = numOp{kind: numUnary, op: op}
	}
	ibin := []ir.Op{ir.OpIAdd, ir.OpISub, ir.OpIMul, ir.OpSDiv, ir.OpUDiv, ir.OpSRem, ir.OpURem,
		ir.OpIAnd, ir.OpIOr, ir.OpIXor, ir.OpIShl, ir.OpSShr, ir.OpUShr, ir.OpRotl, ir.OpRotr}
	for i, op := range ibin {
		k := numBinary
		if op == ir.OpSDiv || op == ir.OpUDiv || op == ir.OpSRem || op == ir.OpURem {
			k = numDiv
		}
		t[0x6A+i] = numOp{kind: k, op: op}
		t[0x7C+i] = numOp{kind: k, op: op}
	}
	for i, op := range []ir.Op{ir.OpFAbs, ir.OpFNeg, ir.OpFCeil, ir.OpFFloor, ir.OpFTrunc, ir.OpFNearest, ir.OpFSqrt} {
		t[0x8B+i] = numOp{kind: numUnary, op: op}
		t[0x99+i] = numOp{kind: numUnary, op: op}
	}
	for i, op := range []ir.Op{ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv, ir.OpFMin, ir.OpFMax, ir.OpFCopysign} {
		t[0x92+i] = numOp{kind: numBinary, op: op}
		t[0xA0+i] = numOp{kind: numBinary, op: op}
	}
	conv := func(op ir.Op, to ir.Type) numOp { return numOp{kind: numConv, op: op, to: to} }
	t[0xA7] = conv(ir.OpWrap, ir.I32)
	t[0xAC] = conv(ir.OpSExt, ir.I64)
	t[0xAD] = conv(ir.OpZExt, ir.I64)
	t[0xB2] = conv(ir.OpSIToFP, ir.F32)
	t[0xB3] = conv(ir.OpUIToFP, ir.F32)
	t[0xB4] = conv(ir.OpSIToFP, ir.F32)
	t[0xB5] = conv(ir.OpUIToFP, ir.F32)
	t[0xB6] = conv(ir.OpFDemote, ir.F32)
	t[0xB7] = conv(ir.OpSIToFP, ir.F64)
	t[0xB8] = conv(ir.OpUIToFP, ir.F64)
	t[0xB9] = conv(ir.OpSIToFP, ir.F64)
	t[0xBA] = conv(ir.OpUIToFP, ir.F64)
	t[0xBB] = conv(ir.OpFPromote, ir.F64)
	t[0xBC] = conv(ir.OpBitcast, ir.I32)
	t[0xBD] = conv(ir.OpBitcast, ir.I64)
	t[0xBE] = conv(ir.OpBitcast, ir.F32)
	t[0xBF] = conv(ir.OpBitcast, ir.F64)
	for i, op := range []ir.Op{ir.OpExtend8, ir.OpExtend16, ir.OpExtend8, ir.OpExtend16, ir.OpExtend32} {
		t[0xC0+i] = numOp{kind: numUnary, op: op}
	}

	// Trapping truncations. A float x converts to a signed N-bit integer when
	// -2^(N-1) - 1 < x < 2^(N-1): that lower bound is exact only as an f64 with N = 32;
	// otherwise the nearest representable bound is -2^(N-1) itself, which converts. An
	// unsigned conversion needs -1 < x < 2^N.
	trunc := func(op ir.Op, to ir.Type, fromF64 bool) numOp {
		n := numOp{kind: numTrunc, op: op, to: to}
		bits := 32
		if to == ir.I64 {
			bits = 64
		}
		if op == ir.OpFPToUI {
			n.lo, n.loInclusive, n.hi = -1, true, math.Ldexp(1, bits)
			return n
		}
		n.hi = math.Ldexp(1, bits-1)
		if fromF64 && bits == 32 {
			n.lo, n.loInclusive = -n.hi-1, true
		} else {
			n.lo = -n.hi
		}
		return n
	}
	t[0xA8] = trunc(ir.OpFPToSI, ir.I32, false)
	t[0xA9] = trunc(ir.OpFPToUI, ir.I32, false)
	t[0xAA] = trunc(ir.OpFPToSI, ir.I32, true)
	t[0xAB] = trunc(ir.OpFPToUI, ir.I32, true)
	t[0xAE] = trunc(ir.OpFPToSI, ir.I64, false)
	t[0xAF] = trunc(ir.OpFPToUI, ir.I64, false)
	t[0xB0] = trunc(ir.OpFPToSI, ir.I64, true)
	t[0xB1] = trunc(ir.OpFPToUI, ir.I64, true)
	return t
}()

// satOps maps the saturating truncations, sub-opcodes 0 to 7 of prefix 0xFC.
var satOps = [8]numOp{
	{kind: numConv, op: ir.OpFPToSISat, to: ir.I32},
	{kind: numConv, op: ir.OpFPToUISat, to: ir.I32},
	{kind: numConv, op: ir.OpFPToSISat, to: ir.I32},
	{kind: numConv, op: ir.OpFPToUISat, to: ir.I32},
	{kind: numConv, op: ir.OpFPToSISat, to: ir.I64},
	{kind: numConv, op: ir.OpFPToUISat, to: ir.I64},
	{kind: numConv, op: ir.OpFPToSISat, to: ir.I64},
	{kind: numConv, op: ir.OpFPToUISat, to: ir.I64},
}

// numeric lowers a numeric instruction described by n.
func (l *funcLowerer) numeric(n *numOp) {
	switch n.kind {
	case numUnary:
		x := l.pop()
		t := l.typeOf(x)
		if n.op == ir.OpEqz {
			t = ir.I32
		}
		l.push(l.value(ir.Instr{Op: n.op, Args: l.args1(x)}, t))
	case numBinary:
		y := l.pop()
		x := l.pop()
		l.push(l.binary(n.op, x, y))
	case numICmp:
		y := l.pop()
		x := l.pop()
		l.push(l.value(ir.Instr{Op: ir.OpICmp, Cond: n.cond, Args: l.args2(x, y)}, ir.I32))
	case numFCmp:
		y := l.pop()
		x := l.pop()
		l.push(l.fcmp(n.cond, x, y))
	case numConv:
		x := l.pop()
		l.push(l.value(ir.Instr{Op: n.op, Args: l.args1(x)}, n.to))
	case numDiv:
		y := l.pop()
		x := l.pop()
		l.divide(n.op, x, y)
	case numTrunc:
		l.truncate(n, l.pop())
	}
}

func (l *funcLowerer) binary(op ir.Op, x, y ir.Value) ir.Value {
	return l.value(ir.Instr{Op: op, Args: l.args2(x, y)}, l.typeOf(x))
}

func (l *funcLowerer) fcmp(c ir.Cond, x, y ir.Value) ir.Value {
	return l.value(ir.Instr{Op: ir.OpFCmp, Cond: c, Args: l.args2(x, y)}, ir.I32)
}

func (l *funcLowerer) trapIf(c ir.Value, code ir.TrapCode) {
	l.b.Emit(ir.Instr{Op: ir.OpTrapIf, Trap: code, Args: l.args1(c)})
}

// divide lowers a division or remainder: a zero divisor traps, and so does signed
// division of MIN by -1, whose quotient does not fit. MIN rem -1 is 0 (the IR defines
// srem that way), so it needs no check.
func (l *funcLowerer) divide(op ir.Op, x, y ir.Value) {
	t := l.typeOf(x)
	l.trapIf(l.value(ir.Instr{Op: ir.OpEqz, Args: l.args1(y)}, ir.I32), ir.TrapIntDivideByZero)
	if op == ir.OpSDiv {
		minInt, minusOne := uint64(1)<<31, uint64(math.MaxUint32)
		if t == ir.I64 {
			minInt, minusOne = 1<<63, math.MaxUint64
		}
		isMin := l.value(ir.Instr{Op: ir.OpICmp, Cond: ir.CondEq, Args: l.args2(x, l.b.IConst(t, minInt))}, ir.I32)
		isMinusOne := l.value(ir.Instr{Op: ir.OpICmp, Cond: ir.CondEq, Args: l.args2(y, l.b.IConst(t, minusOne))}, ir.I32)
		l.trapIf(l.binary(ir.OpIAnd, isMin, isMinusOne), ir.TrapIntOverflow)
	}
	l.push(l.binary(op, x, y))
}

// truncate lowers a trapping float-to-int truncation: NaN traps invalid_conversion, a
// value outside the integer's range int_overflow, and only then fptosi or fptoui.
func (l *funcLowerer) truncate(n *numOp, x ir.Value) {
	l.trapIf(l.fcmp(ir.CondNe, x, x), ir.TrapInvalidConversion)
	loCond := ir.CondLT
	if n.loInclusive {
		loCond = ir.CondLE
	}
	below := l.fcmp(loCond, x, l.floatConst(l.typeOf(x), n.lo))
	above := l.fcmp(ir.CondGE, x, l.floatConst(l.typeOf(x), n.hi))
	l.trapIf(l.binary(ir.OpIOr, below, above), ir.TrapIntOverflow)
	l.push(l.value(ir.Instr{Op: n.op, Args: l.args1(x)}, n.to))
}

// floatConst emits the constant v, exact in type t (f32 or f64).
func (l *funcLowerer) floatConst(t ir.Type, v float64) ir.Value {
	if t == ir.F32 {
		return l.b.F32Const(math.Float32bits(float32(v)))
	}
	return l.b.F64Const(math.Float64bits(v))
}
