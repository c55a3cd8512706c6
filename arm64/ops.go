package arm64

import (
	"fmt"
	"strconv"
)

// The op table: one row per machine op, which the emitter, the dump and the frame code all
// read, so that an op is described in one place (as ir/ops.go describes IR ops). A row
// gives the op's mnemonic in dumps, its flags, its encoder and, where the generic dump line
// does not fit, its own printer.

// opInfo is one row of the op table.
type opInfo struct {
	// name is the op's mnemonic in dumps, as the GNU assembler writes it; the operand
	// registers' views (w or x, s or d) carry the width.
	name  string
	flags opFlags
	// emit encodes the instruction into e. Only opCopy has none: Finish turns every copy
	// into a move, a reload or nothing.
	emit func(e *emitter, in *inst)
	// print gives the instruction's dump lines when the generic line (the mnemonic, then
	// the register, memory and immediate operands of its form) does not fit: branches,
	// calls, loads and stores and the pseudo-instructions. b is the machine block the
	// instruction is in.
	print func(f *mfunc, in *inst, b int) []string
}

// opFlags are properties of an op that the shared code and the dump read.
type opFlags uint8

const (
	// term ops end a block: b, b.cond, cbz, jump tables, ret, trap.
	term opFlags = 1 << iota
	// src2 ops name their second register operand at width w2, the source's (conversions).
	src2
	// ccLast ops show their condition as a last operand (cset, csel, fcsel).
	ccLast
	// dst32 ops name their destination at 32 bits whatever w says (the sign extensions
	// write an x register only at W64; popcnt's count is a w register).
	dst32
)

var opTable = [numOps]opInfo{
	opCopy:   {name: "mov", print: (*mfunc).printCopy},
	opMov:    {name: "mov", emit: forms{rr: Mov}.emit},
	opMovImm: {name: "mov", emit: (*emitter).movImm, print: (*mfunc).printMovImm},

	opAdd:    {name: "add", emit: forms{rrr: AddShift, rri: addImm}.emit},
	opSub:    {name: "sub", emit: forms{rrr: SubShift, rri: subImm}.emit},
	opAnd:    {name: "and", emit: forms{rrr: AndShift, rri: logicImm(AndImm)}.emit},
	opOrr:    {name: "orr", emit: forms{rrr: OrrShift, rri: logicImm(OrrImm)}.emit},
	opEor:    {name: "eor", emit: forms{rrr: EorShift, rri: logicImm(EorImm)}.emit},
	opBic:    {name: "bic", emit: forms{rrr: BicShift}.emit},
	opOrn:    {name: "orn", emit: forms{rrr: OrnShift}.emit},
	opEon:    {name: "eon", emit: forms{rrr: EonShift}.emit},
	opNeg:    {name: "neg", emit: forms{rr: Neg}.emit},
	opMvn:    {name: "mvn", emit: forms{rr: Mvn}.emit},
	opMul:    {name: "mul", emit: forms{rrr: noShift(Mul)}.emit},
	opMadd:   {name: "madd", emit: forms{rrrr: Madd}.emit},
	opMsub:   {name: "msub", emit: forms{rrrr: Msub}.emit},
	opSdiv:   {name: "sdiv", emit: forms{rrr: noShift(Sdiv)}.emit},
	opUdiv:   {name: "udiv", emit: forms{rrr: noShift(Udiv)}.emit},
	opLsl:    {name: "lsl", emit: forms{rrr: noShift(Lsl), rri: shiftImm(LslImm)}.emit},
	opLsr:    {name: "lsr", emit: forms{rrr: noShift(Lsr), rri: shiftImm(LsrImm)}.emit},
	opAsr:    {name: "asr", emit: forms{rrr: noShift(Asr), rri: shiftImm(AsrImm)}.emit},
	opRor:    {name: "ror", emit: forms{rrr: noShift(Ror), rri: shiftImm(RorImm)}.emit},
	opClz:    {name: "clz", emit: forms{rr: Clz}.emit},
	opRbit:   {name: "rbit", emit: forms{rr: Rbit}.emit},
	opPopcnt: {name: "popcnt", emit: (*emitter).popcnt},
	opSxtb:   {name: "sxtb", flags: src2, emit: forms{rr: Sxtb}.emit},
	opSxth:   {name: "sxth", flags: src2, emit: forms{rr: Sxth}.emit},
	opSxtw:   {name: "sxtw", flags: src2, emit: forms{rr: func(_ Width, d, n Reg) Inst { return Sxtw(d, n) }}.emit},
	opCmp:    {name: "cmp", emit: (*emitter).cmp},
	opCmn:    {name: "cmn", emit: forms{ri: cmnImm}.emit},
	opTst:    {name: "tst", emit: forms{rr: Tst, ri: tstImm}.emit},
	opCset:   {name: "cset", flags: ccLast, emit: (*emitter).cset},
	opCsel:   {name: "csel", flags: ccLast, emit: (*emitter).csel},

	opFmov:    {name: "fmov", emit: forms{rr: Fmov}.emit},
	opFadd:    {name: "fadd", emit: forms{rrr: noShift(Fadd)}.emit},
	opFsub:    {name: "fsub", emit: forms{rrr: noShift(Fsub)}.emit},
	opFmul:    {name: "fmul", emit: forms{rrr: noShift(Fmul)}.emit},
	opFdiv:    {name: "fdiv", emit: forms{rrr: noShift(Fdiv)}.emit},
	opFmin:    {name: "fmin", emit: forms{rrr: noShift(Fmin)}.emit},
	opFmax:    {name: "fmax", emit: forms{rrr: noShift(Fmax)}.emit},
	opFabs:    {name: "fabs", emit: forms{rr: Fabs}.emit},
	opFneg:    {name: "fneg", emit: forms{rr: Fneg}.emit},
	opFsqrt:   {name: "fsqrt", emit: forms{rr: Fsqrt}.emit},
	opFrintn:  {name: "frintn", emit: forms{rr: Frintn}.emit},
	opFrintp:  {name: "frintp", emit: forms{rr: Frintp}.emit},
	opFrintm:  {name: "frintm", emit: forms{rr: Frintm}.emit},
	opFrintz:  {name: "frintz", emit: forms{rr: Frintz}.emit},
	opFcmp:    {name: "fcmp", emit: (*emitter).fcmp, print: (*mfunc).printFcmp},
	opFcsel:   {name: "fcsel", flags: ccLast, emit: (*emitter).fcsel},
	opFcvt:    {name: "fcvt", flags: src2, emit: (*emitter).convert},
	opScvtf:   {name: "scvtf", flags: src2, emit: (*emitter).convert},
	opUcvtf:   {name: "ucvtf", flags: src2, emit: (*emitter).convert},
	opFcvtzs:  {name: "fcvtzs", flags: src2, emit: (*emitter).convert},
	opFcvtzu:  {name: "fcvtzu", flags: src2, emit: (*emitter).convert},
	opFmovToV: {name: "fmov", emit: forms{rr: FmovVR}.emit},
	opFmovToR: {name: "fmov", emit: forms{rr: FmovRV}.emit},
	opVec:     {name: "vec", emit: (*emitter).vec, print: (*mfunc).printVec},

	opFConst:      {name: "fconst", emit: (*emitter).fconst, print: (*mfunc).printFConst},
	opFCopysign:   {name: "fcopysign", emit: (*emitter).fcopysign},
	opLdr:         {name: "ldr", emit: (*emitter).load, print: (*mfunc).printLoadStore},
	opStr:         {name: "str", emit: (*emitter).store, print: (*mfunc).printLoadStore},
	opLdrSym:      {name: "ldr", emit: (*emitter).ldrSym, print: (*mfunc).printSym},
	opStrSym:      {name: "str", emit: (*emitter).strSym, print: (*mfunc).printSym},
	opAdrSym:      {name: "adr", emit: (*emitter).adrSym, print: (*mfunc).printSym},
	opBoundsCheck: {name: "boundscheck", emit: (*emitter).boundsCheck, print: (*mfunc).printBoundsCheck},
	opTrapIf:      {name: "b", emit: (*emitter).trapIf, print: (*mfunc).printTrapIf},
	opTrapIfZero:  {name: "cbz", emit: (*emitter).trapIfZero, print: (*mfunc).printTrapIf},
	opTrapIfBit:   {name: "tbz", emit: (*emitter).trapIfZero, print: (*mfunc).printTrapIf},
	opTrap:        {name: "trap", flags: term, emit: (*emitter).trap, print: (*mfunc).printTrap},
	opB:           {name: "b", flags: term, emit: (*emitter).jump, print: (*mfunc).printJump},
	opBCond:       {name: "b", flags: term, emit: (*emitter).branch, print: (*mfunc).printBranch},
	opCbz:         {name: "cbz", flags: term, emit: (*emitter).branch, print: (*mfunc).printBranch},
	opTbz:         {name: "tbz", flags: term, emit: (*emitter).branch, print: (*mfunc).printBranch},
	opBrTable:     {name: "jmptable", flags: term, emit: (*emitter).jumpTable, print: (*mfunc).printJumpTable},
	opRet:         {name: "ret", flags: term, emit: (*emitter).ret},
	opCall:        {name: "bl", emit: (*emitter).call, print: (*mfunc).printCall},
	opSvc:         {name: "svc #0", emit: (*emitter).svc},
	opLibcall:     {name: "libcall", emit: (*emitter).libcall},

	opStackCheck: {name: "stackcheck", emit: (*emitter).stackCheck, print: (*mfunc).printStackCheck},
	opPushFrame:  {name: "pushframe", emit: (*emitter).pushFrame, print: (*mfunc).printPushFrame},
	opSubSP:      {name: "sub", emit: (*emitter).subSP, print: (*mfunc).printSubSP},
	opPopFrame:   {name: "popframe", emit: (*emitter).popFrame, print: (*mfunc).printPopFrame},
}

// String returns the op's mnemonic, for panics.
func (o op) String() string {
	if o < numOps && opTable[o].name != "" {
		return opTable[o].name
	}
	return "op" + strconv.Itoa(int(o))
}

// forms is the encoder of an op with one constructor per form, which is most of them; its
// emit method is the op's emit function.
type forms struct {
	rr   func(w Width, d, n Reg) Inst
	rrr  func(w Width, d, n, m Reg, sh Shift, amt uint8) Inst
	rrrr func(w Width, d, n, m, a Reg) Inst
	ri   func(w Width, d Reg, imm int64) Inst
	rri  func(w Width, d, n Reg, imm int64) Inst
}

func (fs forms) emit(e *emitter, in *inst) {
	r := in.regs
	switch {
	case in.form == fRR && fs.rr != nil:
		e.a.Emit(fs.rr(in.w, r[0], r[1]))
	case in.form == fRRR && fs.rrr != nil:
		e.a.Emit(fs.rrr(in.w, r[0], r[1], r[2], in.sh, in.amt))
	case in.form == fRRRR && fs.rrrr != nil:
		e.a.Emit(fs.rrrr(in.w, r[0], r[1], r[2], r[3]))
	case in.form == fRI && fs.ri != nil:
		e.a.Emit(fs.ri(in.w, r[0], in.imm))
	case in.form == fRRI && fs.rri != nil:
		e.a.Emit(fs.rri(in.w, r[0], r[1], in.imm))
	default:
		panic(fmt.Sprintf("arm64: %v has no encoding in form %d", in.op, in.form))
	}
}

// noShift adapts a three-register constructor with no shifted form; a shift there is a bug.
func noShift(f func(w Width, d, n, m Reg) Inst) func(Width, Reg, Reg, Reg, Shift, uint8) Inst {
	return func(w Width, d, n, m Reg, sh Shift, amt uint8) Inst {
		if amt != 0 {
			panic("arm64: shifted operand of an instruction that has none")
		}
		return f(w, d, n, m)
	}
}

// shiftImm adapts a shift by an immediate.
func shiftImm(f func(w Width, d, n Reg, amt uint8) Inst) func(Width, Reg, Reg, int64) Inst {
	return func(w Width, d, n Reg, imm int64) Inst { return f(w, d, n, uint8(imm)) }
}

// logicImm adapts a logical instruction with a bitmask immediate.
func logicImm(f func(w Width, d, n Reg, imm uint64) Inst) func(Width, Reg, Reg, int64) Inst {
	return func(w Width, d, n Reg, imm int64) Inst { return f(w, d, n, uint64(imm)) }
}

func addImm(w Width, d, n Reg, imm int64) Inst { return AddImm(w, d, n, uint32(imm)) }
func subImm(w Width, d, n Reg, imm int64) Inst { return SubImm(w, d, n, uint32(imm)) }
func cmnImm(w Width, n Reg, imm int64) Inst    { return CmnImm(w, n, uint32(imm)) }
func tstImm(w Width, n Reg, imm int64) Inst    { return TstImm(w, n, uint64(imm)) }
