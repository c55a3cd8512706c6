package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for linear memory, globals and tables. All of them live at symbols
// reached PC-relatively, through ADRP and the low 12 bits of the address (backend/doc.go,
// "Execution model"): a memory's descriptor is {base, size, max}, a table's {base, size,
// max}, a passive segment's {base, length}.

// Offsets of the descriptor words.
const (
	descBase = 0
	descSize = 8
)

func memSym(i uint32) backend.SymRef   { return backend.SymRef{Kind: backend.RefMemory, Index: i} }
func tableSym(i uint32) backend.SymRef { return backend.SymRef{Kind: backend.RefTable, Index: i} }

// ldrSym emits d = the 8-byte word at sym+disp.
func (l *lowerer) ldrSym(d regalloc.Operand, sym backend.SymRef, disp int64) {
	l.emit(inst{op: opLdrSym, form: fSym, w: W64, imm: disp, sym: sym, nvis: 1, ops: l.ops(d)})
}

// strSym emits a store of the 8 bytes of r, or of zero when r is nil, at sym+disp.
func (l *lowerer) strSym(r *regalloc.VReg, sym backend.SymRef, disp int64) {
	in := inst{op: opStrSym, form: fSym, w: W64, imm: disp, sym: sym}
	if r != nil {
		in.nvis, in.ops = 1, l.ops(use(*r))
	}
	l.emit(in)
}

// memBase returns a register holding memory i's base address, loaded once per epoch (a block,
// or the stretch between two calls), for memories other than 0, whose base is memBaseReg.
func (l *lowerer) memBase(i uint32) regalloc.VReg {
	if l.baseEpoch[i] == l.epoch {
		return l.baseReg[i]
	}
	r := l.newVReg(ir.Ptr)
	l.ldrSym(regalloc.Def(r), memSym(i), descBase)
	l.baseReg[i], l.baseEpoch[i] = r, l.epoch
	return r
}

// address returns the operand [base + a + off] of an access to memory i, appending its
// registers to o (whose existing operands keep their numbers). The boundscheck before the
// access admitted a + off, computed without wrapping, so the sum is the address; a 32-bit a
// is zero-extended by the access itself (uxtw). The emitter folds what it can into the
// access (emit_mem.go).
func (l *lowerer) address(i uint32, a ir.Value, off uint64, o []regalloc.Operand) (mem, []regalloc.Operand) {
	// base numbers the operand that holds the base, appended to o by withBase.
	base, withBase := baseMem0, func(o []regalloc.Operand) []regalloc.Operand { return o }
	if i != 0 {
		r := l.memBase(i)
		base, withBase = len(o), func(o []regalloc.Operand) []regalloc.Operand { return l.more(o, use(r)) }
	}
	next := len(o)
	if i != 0 {
		next++
	}
	is64 := l.env.Module.Memories[i].Is64
	w := W32
	ext := ExtUXTW
	if is64 {
		w, ext = W64, ExtUXTX
	}
	if c, ok := l.intConst(a, w); ok && c+off >= c && c+off < 1<<62 {
		return regMem(base, int64(c+off)), withBase(o)
	}
	if off >= 1<<62 {
		// Cannot pass the check unless a memory64 address wraps back; add it up front.
		k := l.immReg(W64, off)
		sum := l.newVReg(ir.I64)
		l.rrr(opAdd, W64, regalloc.Def(sum), l.vr(a), k, ShiftLSL, 0)
		return indexMem(base, next, ExtUXTX, 0, 0), l.more(withBase(o), use(sum))
	}
	return indexMem(base, next, ext, 0, int64(off)), l.more(withBase(o), use(l.vr(a)))
}

// widths maps access sizes in bytes to widths.
var widths = [...]Width{1: W8, 2: W16, 4: W32, 8: W64, 16: W128}

// load lowers a load of every width and extension. w names the destination register: an
// unsigned narrow load writes a w register, which zero-extends to 64 bits anyway.
func (l *lowerer) load(in *ir.Instr) {
	t := l.typeOf(in.Results[0])
	m, o := l.address(in.Index, in.Args[0], in.Imm, l.ops(def(in.Results[0])))
	size := widths[in.Width]
	ld := inst{op: opLdr, form: fRM, w: widthOf(t), w2: size, nvis: 1, ops: o, m: m}
	switch {
	case isVType(t), int(in.Width) == t.Size():
	case in.Signed:
		ld.signed = true
	default:
		ld.w = W32
	}
	l.emit(ld)
}

// store lowers a store of every width; zero is stored from the zero register.
func (l *lowerer) store(in *ir.Instr) {
	v := in.Args[1]
	t := l.typeOf(v)
	st := inst{op: opStr, form: fMR, w: widthOf(t), w2: widths[in.Width]}
	if c, ok := l.constOf(v); ok && c == 0 && !isVType(t) {
		st.m, st.ops = l.address(in.Index, in.Args[0], in.Imm, nil)
		l.emit(st)
		return
	}
	r := l.vr(v)
	st.nvis = 1
	st.m, st.ops = l.address(in.Index, in.Args[0], in.Imm, l.ops(use(r)))
	l.emit(st)
}

// boundsCheck lowers a boundscheck to one pseudo-instruction (emit_mem.go): compare the end
// of the access with the memory's size and branch to a trap stub.
func (l *lowerer) boundsCheck(in *ir.Instr) {
	is64 := l.env.Module.Memories[in.Index].Is64
	w := W32
	if is64 {
		w = W64
	}
	bc := inst{op: opBoundsCheck, w: w, imm: int64(in.Imm), sym: memSym(in.Index), trap: ir.TrapOutOfBoundsMemory}
	a := in.Args[0]
	if c, ok := l.intConst(a, w); ok && c+in.Imm >= c && c+in.Imm < 1<<63 {
		// A constant address: compare the size with the constant end.
		bc.imm = int64(c + in.Imm)
		l.emit(bc)
		return
	}
	bc.form, bc.nvis, bc.ops = fR, 1, l.ops(use(l.vr(a)))
	l.emit(bc)
}

// memOp lowers memsize inline and the growing and bulk ops as runtime calls. Memory, data and
// element numbers are passed as i32 constants.
func (l *lowerer) memOp(in *ir.Instr) {
	idx := func(i uint32) callArg { return callArg{imm: int64(i), t: ir.I32, isImm: true} }
	switch in.Op {
	case ir.OpMemSize:
		t := l.newVReg(ir.I64)
		l.ldrSym(regalloc.Def(t), memSym(in.Index), descSize)
		l.rri(opLsr, W64, def(in.Results[0]), t, 16)
	case ir.OpMemGrow:
		l.runtime(backend.RtMemoryGrow, append([]callArg{idx(in.Index)}, l.valueArgs(in.Args)...), in.Results)
	case ir.OpMemFill:
		l.runtimeChecked(backend.RtMemoryFill, append([]callArg{idx(in.Index)}, l.valueArgs(in.Args)...), ir.TrapOutOfBoundsMemory)
	case ir.OpMemCopy:
		l.runtimeChecked(backend.RtMemoryCopy, append([]callArg{idx(in.Index), idx(in.Index2)}, l.valueArgs(in.Args)...), ir.TrapOutOfBoundsMemory)
	case ir.OpMemInit:
		l.runtimeChecked(backend.RtMemoryInit, append([]callArg{idx(in.Index), idx(in.Index2)}, l.valueArgs(in.Args)...), ir.TrapOutOfBoundsMemory)
	case ir.OpDataDrop:
		// Dropping sets the segment's length word to zero.
		l.strSym(nil, backend.SymRef{Kind: backend.RefData, Index: in.Index}, descSize)
	}
}

// global lowers globalget and globalset: a load or store of the global's 8 bytes. An i32 is
// stored zero-extended (abi.go), so that its load needs no extension either.
func (l *lowerer) global(in *ir.Instr) {
	sym := backend.SymRef{Kind: backend.RefGlobal, Index: in.Index}
	if isV128(l, in) {
		// 16 bytes, through the global's address: ldr and str q reach no symbol's low
		// 12 bits unless it is 16-byte aligned.
		a := l.newVReg(ir.Ptr)
		l.emit(inst{op: opAdrSym, form: fSym, w: W64, sym: sym, nvis: 1, ops: l.ops(regalloc.Def(a))})
		if in.Op == ir.OpGlobalGet {
			l.emit(inst{op: opLdr, form: fRM, w: W128, w2: W128, nvis: 1, ops: l.ops(def(in.Results[0]), use(a)), m: regMem(1, 0)})
			return
		}
		l.emit(inst{op: opStr, form: fMR, w: W128, w2: W128, nvis: 1, ops: l.ops(use(l.vr(in.Args[0])), use(a)), m: regMem(1, 0)})
		return
	}
	if in.Op == ir.OpGlobalGet {
		l.ldrSym(def(in.Results[0]), sym, 0)
		return
	}
	v := in.Args[0]
	if c, ok := l.constOf(v); ok && c == 0 {
		l.strSym(nil, sym, 0)
		return
	}
	r := l.vr(v)
	l.strSym(&r, sym, 0)
}

// tableElem checks index i against table n's size, trapping with oob_table, and returns the
// operand of its element.
func (l *lowerer) tableElem(n uint32, i ir.Value, code ir.TrapCode, o []regalloc.Operand) (mem, []regalloc.Operand) {
	ri := l.vr(i)
	size := l.newVReg(ir.I64)
	l.ldrSym(regalloc.Def(size), tableSym(n), descSize)
	l.emit(inst{op: opCmp, form: fRR, w: W64, nvis: 2, ops: l.ops(use(ri), use(size))})
	l.emit(inst{op: opTrapIf, cc: CondHS, trap: code})
	base := l.newVReg(ir.Ptr)
	l.ldrSym(regalloc.Def(base), tableSym(n), descBase)
	return indexMem(len(o), len(o)+1, ExtUXTW, 3, 0), l.more(o, use(base), use(ri))
}

// tableOp lowers tableget, tableset and tablesize inline and the rest as runtime calls.
func (l *lowerer) tableOp(in *ir.Instr) {
	idx := func(i uint32) callArg { return callArg{imm: int64(i), t: ir.I32, isImm: true} }
	switch in.Op {
	case ir.OpTableGet:
		m, o := l.tableElem(in.Index, in.Args[0], ir.TrapOutOfBoundsTable, l.ops(def(in.Results[0])))
		l.emit(inst{op: opLdr, form: fRM, w: W64, w2: W64, nvis: 1, ops: o, m: m})
	case ir.OpTableSet:
		st := inst{op: opStr, form: fMR, w: W64, w2: W64}
		if c, ok := l.constOf(in.Args[1]); ok && c == 0 {
			st.m, st.ops = l.tableElem(in.Index, in.Args[0], ir.TrapOutOfBoundsTable, nil)
		} else {
			r := l.vr(in.Args[1])
			st.nvis = 1
			st.m, st.ops = l.tableElem(in.Index, in.Args[0], ir.TrapOutOfBoundsTable, l.ops(use(r)))
		}
		l.emit(st)
	case ir.OpTableSize:
		// Sizes stay below 2^32: the size word is the zero-extended i32.
		l.ldrSym(def(in.Results[0]), tableSym(in.Index), descSize)
	case ir.OpTableGrow:
		l.runtime(backend.RtTableGrow, append([]callArg{idx(in.Index)}, l.valueArgs(in.Args)...), in.Results)
	case ir.OpTableFill:
		l.runtimeChecked(backend.RtTableFill, append([]callArg{idx(in.Index)}, l.valueArgs(in.Args)...), ir.TrapOutOfBoundsTable)
	case ir.OpTableCopy:
		l.runtimeChecked(backend.RtTableCopy, append([]callArg{idx(in.Index), idx(in.Index2)}, l.valueArgs(in.Args)...), ir.TrapOutOfBoundsTable)
	case ir.OpTableInit:
		l.runtimeChecked(backend.RtTableInit, append([]callArg{idx(in.Index), idx(in.Index2)}, l.valueArgs(in.Args)...), ir.TrapOutOfBoundsTable)
	case ir.OpElemDrop:
		l.strSym(nil, backend.SymRef{Kind: backend.RefElem, Index: in.Index}, descSize)
	}
}

// isV128 reports whether globalget or globalset in moves a v128.
func isV128(l *lowerer, in *ir.Instr) bool {
	if in.Op == ir.OpGlobalGet {
		return l.typeOf(in.Results[0]) == ir.V128
	}
	return l.typeOf(in.Args[0]) == ir.V128
}
