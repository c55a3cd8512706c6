package amd64

import (
	"fmt"
	"strconv"
	"strings"
)

// The op table: one row per machine op, which the emitter, the dump and the frame code all
// read, so that an op is described in one place (as ir/ops.go describes IR ops). A row
// gives the op's mnemonic in dumps, its flags, its encoder and, where the generic dump line
// does not fit, its own printer.

// opInfo is one row of the op table.
type opInfo struct {
	// name is the op's mnemonic in dumps, GNU's with the AT&T size suffix, as a template
	// filled in from the instruction:
	//
	//	{size}  {size2}  the size suffix of w, of w2: b, w, l, q
	//	{sd}    {sd2}    ss or sd, for a float of width w, of w2
	//	{cc}             the condition: e, ae, eq.ord
	//	{bits}           w in bits
	//	{x/y}            x when w is W32, else y
	name  string
	flags opFlags
	// emit encodes the instruction into e. Only opCopy has none: Finish turns every copy
	// into a move, a reload or nothing.
	emit func(e *emitter, in *inst)
	// print gives the instruction's dump lines when the generic line (the mnemonic, then
	// the register, memory and immediate operands of its form in Intel order) does not
	// fit: branches, calls and the pseudo-instructions with operands of their own. b is the
	// machine block the instruction is in.
	print func(f *mfunc, in *inst, b int) []string
}

// opFlags are properties of an op that the shared code and the dump read.
type opFlags uint8

const (
	// term ops end a block: jmp, br, jmptable, ret, trap.
	term opFlags = 1 << iota
	// src2 ops name their second register operand at width w2, the source's (extensions,
	// cvtsi2s).
	src2
	// reg64 ops name their general registers at 64 bits, whatever w says.
	reg64
	// reg8 ops name their registers at 8 bits (setcc writes a byte).
	reg8
	// byCL ops shift by cl in the register form, which the dump shows as a last operand.
	byCL
	// immLast ops show imm after their register operands, though their form has none
	// (fconst's bits, rounds' rounding mode).
	immLast
	// anywhere ops encode the same wherever they are, relocations aside, unless their
	// memory operand is a jump table's (memJT): they neither jump nor refer to a label
	// or a trap, so the measuring pass need not watch what they record (put). Only ops
	// whose emit function appends bytes and, through emitM or emitRIP, relocations
	// may have it; TestAnywhereOps checks them.
	anywhere
)

var opTable = [numOps]opInfo{
	opCopy:   {name: "mov{size}", print: (*mfunc).printCopy},
	opMov:    {name: "mov{size}", flags: anywhere, emit: (*emitter).mov},
	opMovImm: {name: "mov", flags: anywhere, emit: (*emitter).movImm, print: (*mfunc).printMovImm},
	opMovzx:  {name: "movz{size2}{size}", flags: src2 | anywhere, emit: extend(MovzxRR, MovzxRM)},
	opMovsx:  {name: "movs{size2}{size}", flags: src2 | anywhere, emit: extend(MovsxRR, MovsxRM)},
	opMovsxd: {name: "movslq", flags: src2 | anywhere, emit: forms{rr: noW(MovsxdRR), rm: noWM(MovsxdRM)}.emit},
	opLea:    {name: "lea{size}", flags: anywhere, emit: (*emitter).lea},

	opAdd:    {name: "add{size}", flags: anywhere, emit: alu(AddRR, AddRI, AddRM, AddMR, AddMI)},
	opSub:    {name: "sub{size}", flags: anywhere, emit: alu(SubRR, SubRI, SubRM, SubMR, SubMI)},
	opAnd:    {name: "and{size}", flags: anywhere, emit: alu(AndRR, AndRI, AndRM, AndMR, AndMI)},
	opOr:     {name: "or{size}", flags: anywhere, emit: alu(OrRR, OrRI, OrRM, OrMR, OrMI)},
	opXor:    {name: "xor{size}", flags: anywhere, emit: alu(XorRR, XorRI, XorRM, XorMR, XorMI)},
	opCmp:    {name: "cmp{size}", flags: anywhere, emit: alu(CmpRR, CmpRI, CmpRM, CmpMR, CmpMI)},
	opTest:   {name: "test{size}", flags: anywhere, emit: forms{rr: TestRR, ri: TestRI, mr: TestMR, mi: TestMI}.emit},
	opImul:   {name: "imul{size}", flags: anywhere, emit: (*emitter).imul},
	opNeg:    {name: "neg{size}", flags: anywhere, emit: forms{r: NegR}.emit},
	opNot:    {name: "not{size}", flags: anywhere, emit: forms{r: NotR}.emit},
	opShl:    {name: "shl{size}", flags: byCL | anywhere, emit: shift(ShlRCL, ShlRI)},
	opShr:    {name: "shr{size}", flags: byCL | anywhere, emit: shift(ShrRCL, ShrRI)},
	opSar:    {name: "sar{size}", flags: byCL | anywhere, emit: shift(SarRCL, SarRI)},
	opRol:    {name: "rol{size}", flags: byCL | anywhere, emit: shift(RolRCL, RolRI)},
	opRor:    {name: "ror{size}", flags: byCL | anywhere, emit: shift(RorRCL, RorRI)},
	opBsr:    {name: "bsr{size}", flags: anywhere, emit: forms{rr: BsrRR}.emit},
	opBsf:    {name: "bsf{size}", flags: anywhere, emit: forms{rr: BsfRR}.emit},
	opPopcnt: {name: "popcnt{size}", flags: anywhere, emit: forms{rr: PopcntRR}.emit},
	opLzcnt:  {name: "lzcnt{size}", flags: anywhere, emit: forms{rr: LzcntRR}.emit},
	opTzcnt:  {name: "tzcnt{size}", flags: anywhere, emit: forms{rr: TzcntRR}.emit},
	opShlx:   {name: "shlx{size}", emit: rrr(ShlxRR)},
	opShrx:   {name: "shrx{size}", emit: rrr(ShrxRR)},
	opSarx:   {name: "sarx{size}", emit: rrr(SarxRR)},
	opRorx:   {name: "rorx{size}", emit: func(e *emitter, in *inst) { e.a.Emit(RorxRI(in.w, in.regs[0], in.regs[1], uint8(in.imm))) }},
	opAndn:   {name: "andn{size}", emit: rrr(AndnRR)},
	opCdq:    {name: "{cltd/cqto}", flags: anywhere, emit: (*emitter).cdq},
	opDiv:    {name: "div{size}", flags: anywhere, emit: forms{r: DivR}.emit},
	opIdiv:   {name: "idiv{size}", flags: anywhere, emit: forms{r: IdivR}.emit},
	opSetcc:  {name: "set{cc}", flags: reg8 | anywhere, emit: (*emitter).setcc},
	opCmov:   {name: "cmov{cc}{size}", flags: anywhere, emit: (*emitter).cmov},
	opPush:   {name: "push", flags: reg64 | anywhere, emit: forms{r: func(_ Width, a Reg) Inst { return Push(a) }}.emit},
	opPop:    {name: "pop", flags: reg64 | anywhere, emit: forms{r: func(_ Width, a Reg) Inst { return Pop(a) }}.emit},

	opMovs:     {name: "mov{sd}", emit: forms{rm: movsM, mr: movsMR}.emit},
	opMovaps:   {name: "movaps", emit: forms{rr: noW(MovapsRR)}.emit},
	opAdds:     {name: "add{sd}", emit: sse(AddssRR, AddsdRR, AddssRM, AddsdRM)},
	opSubs:     {name: "sub{sd}", emit: sse(SubssRR, SubsdRR, SubssRM, SubsdRM)},
	opMuls:     {name: "mul{sd}", emit: sse(MulssRR, MulsdRR, MulssRM, MulsdRM)},
	opDivs:     {name: "div{sd}", emit: sse(DivssRR, DivsdRR, DivssRM, DivsdRM)},
	opSqrts:    {name: "sqrt{sd}", emit: forms{rr: ss(SqrtssRR, SqrtsdRR)}.emit},
	opRounds:   {name: "round{sd}", flags: immLast, emit: (*emitter).rounds},
	opUcomis:   {name: "ucomi{sd}", emit: forms{rr: ss(UcomissRR, UcomisdRR)}.emit},
	opAndps:    {name: "andps", emit: forms{rr: noW(AndpsRR)}.emit},
	opOrps:     {name: "orps", emit: forms{rr: noW(OrpsRR)}.emit},
	opXorps:    {name: "xorps", emit: forms{rr: noW(XorpsRR)}.emit},
	opCvtsi2s:  {name: "cvtsi2{sd}{size2}", flags: src2, emit: (*emitter).cvtsi2s},
	opCvtts2si: {name: "cvtt{sd2}2si{size}", emit: (*emitter).cvtts2si},
	opCvts2s:   {name: "cvt{sd2}2{sd}", emit: forms{rr: ss(Cvtsd2ssRR, Cvtss2sdRR)}.emit},
	opMovdToX:  {name: "mov{d/q}", emit: forms{rr: MovdXR}.emit},
	opMovdToR:  {name: "mov{d/q}", emit: forms{rr: MovdRX}.emit},
	opVec:      {name: "vec", emit: (*emitter).vec, print: (*mfunc).printVec},

	opFConst:      {name: "fconst.{sd}", flags: immLast, emit: (*emitter).fconst},
	opFMin:        {name: "fmin.{sd}", emit: (*emitter).fmin},
	opFMax:        {name: "fmax.{sd}", emit: (*emitter).fmax},
	opFAbs:        {name: "fabs.{sd}", emit: (*emitter).fabs},
	opFNeg:        {name: "fneg.{sd}", emit: (*emitter).fneg},
	opFCopysign:   {name: "fcopysign.{sd}", emit: (*emitter).fcopysign},
	opFSel:        {name: "fsel{cc}.{sd}", emit: (*emitter).fsel},
	opCvtU64ToF:   {name: "cvtu64.{sd}", flags: reg64, emit: (*emitter).cvtU64ToF},
	opCvtFToU64:   {name: "cvtt.{sd2}2u64", emit: (*emitter).cvtFToU64},
	opCvtFToSSat:  {name: "cvtsat.{sd2}2i{bits}", emit: (*emitter).cvtSignedSat},
	opCvtFToUSat:  {name: "cvtsat.{sd2}2u{bits}", emit: (*emitter).cvtUnsignedSat},
	opBoundsCheck: {name: "boundscheck", emit: (*emitter).boundsCheck, print: (*mfunc).printBoundsCheck},
	opTrapIf:      {name: "j{cc}", emit: (*emitter).trapIf, print: (*mfunc).printTrapIf},
	opTrap:        {name: "trap", flags: term, emit: (*emitter).trap, print: (*mfunc).printTrap},
	opJmp:         {name: "jmp", flags: term, emit: (*emitter).jump, print: (*mfunc).printJump},
	opBr:          {name: "j{cc}", flags: term, emit: (*emitter).branch, print: (*mfunc).printBranch},
	opBrTable:     {name: "jmptable", flags: term, emit: (*emitter).jumpTable, print: (*mfunc).printJumpTable},
	opRet:         {name: "ret", flags: term, emit: (*emitter).ret},
	opCall:        {name: "call", emit: (*emitter).call, print: (*mfunc).printCall},
	opSyscall:     {name: "syscall", emit: (*emitter).syscall},
	opLibcall:     {name: "libcall", emit: (*emitter).libcall},
	opMemFill:     {name: "memfill", emit: (*emitter).memFill, print: (*mfunc).printBulk},
	opMemCopy:     {name: "memcopy", emit: (*emitter).memCopy, print: (*mfunc).printBulk},
}

// String returns the op's name template, for panics.
func (o op) String() string {
	if o < numOps && opTable[o].name != "" {
		return opTable[o].name
	}
	return "op" + strconv.Itoa(int(o))
}

// mnemonic fills in the name template of in's op (see opInfo.name).
func (info *opInfo) mnemonic(in *inst) string {
	t := info.name
	if !strings.Contains(t, "{") {
		return t
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			return b.String()
		}
		j := strings.IndexByte(t, '}')
		b.WriteString(t[:i])
		field := t[i+1 : j]
		t = t[j+1:]
		switch field {
		case "size":
			b.WriteString(sizeSuffix(in.w))
		case "size2":
			b.WriteString(sizeSuffix(in.w2))
		case "sd":
			b.WriteString(sd(in.w))
		case "sd2":
			b.WriteString(sd(in.w2))
		case "cc":
			b.WriteString(in.cc.String())
		case "bits":
			b.WriteString(strconv.Itoa(in.w.Bits()))
		default:
			x, y, ok := strings.Cut(field, "/")
			if !ok {
				panic(fmt.Sprintf("amd64: bad field {%s} in the name of %v", field, in.op))
			}
			if in.w == W32 {
				b.WriteString(x)
			} else {
				b.WriteString(y)
			}
		}
	}
}

// sizeSuffix is the AT&T suffix of an operand size: movl, movzbl.
func sizeSuffix(w Width) string {
	switch w {
	case W8:
		return "b"
	case W16:
		return "w"
	case W32:
		return "l"
	case W64:
		return "q"
	}
	return ""
}

// sd is the suffix of the scalar SSE forms for a float of width w; W128, a whole v128,
// moves with movups.
func sd(w Width) string {
	switch w {
	case W32:
		return "ss"
	case W128:
		return "ups"
	}
	return "sd"
}

// movsM and movsMR are opMovs' loads and stores: movss, movsd, or movups for a v128
// (unaligned: linear memory, globals and spill slots need not be 16-byte aligned).
func movsM(w Width, a Reg, m Mem) Inst {
	switch w {
	case W32:
		return MovssRM(a, m)
	case W128:
		return MovupsRM(a, m)
	}
	return MovsdRM(a, m)
}

func movsMR(w Width, m Mem, b Reg) Inst {
	switch w {
	case W32:
		return MovssMR(m, b)
	case W128:
		return MovupsMR(m, b)
	}
	return MovsdMR(m, b)
}

// forms is the encoder of an op with one constructor per form, which is most of them; its
// emit method is the op's emit function.
type forms struct {
	r  func(w Width, a Reg) Inst
	rr func(w Width, a, b Reg) Inst
	ri func(w Width, a Reg, imm int32) Inst
	rm func(w Width, a Reg, m Mem) Inst
	mr func(w Width, m Mem, b Reg) Inst
	mi func(w Width, m Mem, imm int32) Inst
}

func (fs forms) emit(e *emitter, in *inst) {
	r := in.regs
	switch {
	case in.form == fR && fs.r != nil:
		e.a.Emit(fs.r(in.w, r[0]))
	case in.form == fRR && fs.rr != nil:
		e.a.Emit(fs.rr(in.w, r[0], r[1]))
	case in.form == fRI && fs.ri != nil:
		e.a.Emit(fs.ri(in.w, r[0], int32(in.imm)))
	case in.form == fRM && fs.rm != nil:
		e.emitM(fs.rm(in.w, r[0], e.mem(in)), in)
	case in.form == fMR && fs.mr != nil:
		e.emitM(fs.mr(in.w, e.mem(in), r[0]), in)
	case in.form == fMI && fs.mi != nil:
		e.emitM(fs.mi(in.w, e.mem(in), int32(in.imm)), in)
	default:
		panic(fmt.Sprintf("amd64: %v has no encoding in form %d", in.op, in.form))
	}
}

// alu is the encoder of an arithmetic op with every form: add, sub, and, or, xor, cmp.
func alu(rr func(Width, Reg, Reg) Inst, ri func(Width, Reg, int32) Inst, rm func(Width, Reg, Mem) Inst,
	mr func(Width, Mem, Reg) Inst, mi func(Width, Mem, int32) Inst) func(*emitter, *inst) {
	return forms{rr: rr, ri: ri, rm: rm, mr: mr, mi: mi}.emit
}

// sse is the encoder of a scalar SSE arithmetic op: ss or sd by w, register or memory source.
func sse(rrS, rrD func(a, b Reg) Inst, rmS, rmD func(a Reg, m Mem) Inst) func(*emitter, *inst) {
	return forms{rr: ss(rrS, rrD), rm: ssM(rmS, rmD)}.emit
}

// shift is the encoder of a shift or rotate: by cl, or by an immediate.
func shift(byCL func(Width, Reg) Inst, byImm func(Width, Reg, uint8) Inst) func(*emitter, *inst) {
	return func(e *emitter, in *inst) {
		if in.form == fRI {
			e.a.Emit(byImm(in.w, in.regs[0], uint8(in.imm)))
			return
		}
		e.a.Emit(byCL(in.w, in.regs[0]))
	}
}

// extend is the encoder of movzx or movsx: w the destination's width, w2 the source's.
func extend(rr func(w, w2 Width, d, s Reg) Inst,
	rm func(w, w2 Width, d Reg, m Mem) Inst) func(*emitter, *inst) {
	return func(e *emitter, in *inst) {
		if in.form == fRR {
			e.a.Emit(rr(in.w, in.w2, in.regs[0], in.regs[1]))
			return
		}
		e.emitM(rm(in.w, in.w2, in.regs[0], e.mem(in)), in)
	}
}

// ss picks the ss or sd encoder from w.
func ss(s, d func(a, b Reg) Inst) func(Width, Reg, Reg) Inst {
	return func(w Width, a, b Reg) Inst {
		if w == W32 {
			return s(a, b)
		}
		return d(a, b)
	}
}

func ssM(s, d func(a Reg, m Mem) Inst) func(Width, Reg, Mem) Inst {
	return func(w Width, a Reg, m Mem) Inst {
		if w == W32 {
			return s(a, m)
		}
		return d(a, m)
	}
}

func ssMR(s, d func(m Mem, b Reg) Inst) func(Width, Mem, Reg) Inst {
	return func(w Width, m Mem, b Reg) Inst {
		if w == W32 {
			return s(m, b)
		}
		return d(m, b)
	}
}

// noW and noWM adapt an encoder that takes no width.
func noW(f func(a, b Reg) Inst) func(Width, Reg, Reg) Inst {
	return func(_ Width, a, b Reg) Inst { return f(a, b) }
}

func noWM(f func(a Reg, m Mem) Inst) func(Width, Reg, Mem) Inst {
	return func(_ Width, a Reg, m Mem) Inst { return f(a, m) }
}

// rrr is the encoder of a three-register op (fRRR): dst and two sources, in Intel order.
func rrr(f func(w Width, dst, a, b Reg) Inst) func(*emitter, *inst) {
	return func(e *emitter, in *inst) { e.a.Emit(f(in.w, in.regs[0], in.regs[1], in.regs[2])) }
}
