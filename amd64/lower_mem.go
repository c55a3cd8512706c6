package amd64

import (
	"math"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for linear memory, globals and tables. All of them live at symbols
// reached RIP-relatively (backend/doc.go, "Execution model"): a memory's descriptor is
// {base, size, max}, a table's {base, size, max}, a passive segment's {base, length}.

// Offsets of the descriptor words.
const (
	descBase = 0
	descSize = 8
)

func memSym(i uint32) backend.SymRef   { return backend.SymRef{Kind: backend.RefMemory, Index: i} }
func tableSym(i uint32) backend.SymRef { return backend.SymRef{Kind: backend.RefTable, Index: i} }

// memBase returns a register holding memory i's base address, loaded once per epoch (a block,
// or the stretch between two calls), for memories other than 0, whose base is memBaseReg.
func (l *lowerer) memBase(i uint32) regalloc.VReg {
	if l.baseEpoch[i] == l.epoch {
		return l.baseReg[i]
	}
	r := l.newVReg(ir.Ptr)
	l.emit(inst{op: opMov, form: fRM, w: W64, nvis: 1, ops: l.ops(regalloc.Def(r)), m: ripMem(memSym(i), descBase)})
	l.baseReg[i], l.baseEpoch[i] = r, l.epoch
	return r
}

// address returns the operand [base + a + off] of an access to memory i, appending its
// registers to o (whose existing operands keep their numbers). The boundscheck before the
// access admitted a + off, computed without wrapping, so the sum is the address; a 32-bit a is
// zero-extended in its register (abi.go) and serves as the index directly.
func (l *lowerer) address(i uint32, a ir.Value, off uint64, o []regalloc.Operand) (mem, []regalloc.Operand) {
	addrBits := uint64(math.MaxUint32)
	if l.env.Module.Memories[i].Is64 {
		addrBits = math.MaxUint64
	}
	if c, ok := l.constOf(a); ok && c&addrBits <= math.MaxInt32 && off <= math.MaxInt32-(c&addrBits) {
		if i == 0 {
			return regMem(baseMem0, -1, 1, int32(c&addrBits+off)), o
		}
		return regMem(len(o), -1, 1, int32(c&addrBits+off)), l.more(o, use(l.memBase(i)))
	}
	idx := l.vr(a)
	if off > math.MaxInt32 {
		// Offsets past 2^31 do not fit a displacement: add them to the index first.
		k := l.newVReg(ir.I64)
		l.emit(inst{op: opMovImm, form: fR, w: W64, imm: int64(off), nvis: 1, ops: l.ops(regalloc.Def(k))})
		sum := l.newVReg(ir.I64)
		l.emit(inst{op: opAdd, form: fRR, w: W64, nvis: 2, ops: l.ops(regalloc.ReuseDef(sum, 2), use(idx), use(k))})
		idx, off = sum, 0
	}
	if i == 0 {
		return regMem(baseMem0, len(o), 1, int32(off)), l.more(o, use(idx))
	}
	return regMem(len(o), len(o)+1, 1, int32(off)), l.more(o, use(l.memBase(i)), use(idx))
}

// widths maps access sizes in bytes to operand widths.
var widths = [...]Width{1: W8, 2: W16, 4: W32, 8: W64, 16: W128}

// load lowers a load of every width and extension.
func (l *lowerer) load(in *ir.Instr) {
	t := l.typeOf(in.Results[0])
	m, o := l.address(in.Index, in.Args[0], in.Imm, l.ops(def(in.Results[0])))
	ld := inst{op: opMov, form: fRM, w: widthOf(t), nvis: 1, ops: o, m: m}
	size := int(in.Width)
	switch {
	case isXMMType(t):
		ld.op = opMovs
	case size == t.Size():
	case size == 4: // i64 from 32 bits
		if in.Signed {
			ld.op, ld.w2 = opMovsxd, W32
		} else {
			ld.w = W32 // a 32-bit load zero-extends
		}
	default:
		ld.op, ld.w2 = opMovzx, widths[size]
		if in.Signed {
			ld.op = opMovsx
		} else {
			ld.w = W32 // movzx to 32 bits clears the upper half too
		}
	}
	l.emit(ld)
}

// store lowers a store of every width; an integer constant is stored as an immediate.
func (l *lowerer) store(in *ir.Instr) {
	v := in.Args[1]
	t := l.typeOf(v)
	w := widths[in.Width]
	if c, ok := l.constOf(v); ok && !isXMMType(t) && (w != W64 || int64(c) == int64(int32(c))) {
		m, o := l.address(in.Index, in.Args[0], in.Imm, nil)
		l.emit(inst{op: opMov, form: fMI, w: w, imm: int64(int32(c)), ops: o, m: m})
		return
	}
	r := l.vr(v)
	m, o := l.address(in.Index, in.Args[0], in.Imm, l.ops(use(r)))
	st := inst{op: opMov, form: fMR, w: w, nvis: 1, ops: o, m: m}
	if isXMMType(t) {
		st.op, st.w = opMovs, widthOf(t)
	}
	l.emit(st)
}

// boundsCheck lowers a boundscheck to one pseudo-instruction (emit.go): compare the end of
// the access with the memory's size and branch to a trap stub.
func (l *lowerer) boundsCheck(in *ir.Instr) {
	is64 := l.env.Module.Memories[in.Index].Is64
	w := W32
	if is64 {
		w = W64
	}
	bc := inst{op: opBoundsCheck, w: w, imm: int64(in.Imm), trap: ir.TrapOutOfBoundsMemory, m: ripMem(memSym(in.Index), descSize)}
	a := in.Args[0]
	if c, ok := l.constOf(a); ok {
		if !is64 {
			c = uint64(uint32(c))
		}
		if c <= math.MaxInt32 && in.Imm <= math.MaxInt32-c {
			// A constant address: compare the size with the constant end.
			bc.form, bc.imm = fMI, int64(c+in.Imm)
			l.emit(bc)
			return
		}
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
		l.emit(inst{op: opMov, form: fRM, w: W64, nvis: 1, ops: l.ops(regalloc.Def(t)), m: ripMem(memSym(in.Index), descSize)})
		l.emit(inst{op: opShr, form: fRI, w: W64, imm: 16, nvis: 1, ops: l.ops(regalloc.ReuseDef(regalloc.VReg(in.Results[0]), 1), use(t))})
	case ir.OpMemGrow:
		l.runtime(backend.RtMemoryGrow, l.valueArgs(in.Args, idx(in.Index)), in.Results)
	case ir.OpMemFill:
		l.memFill(in)
	case ir.OpMemCopy:
		l.memCopy(in)
	case ir.OpMemInit:
		l.runtimeChecked(backend.RtMemoryInit, l.valueArgs(in.Args, idx(in.Index), idx(in.Index2)), ir.TrapOutOfBoundsMemory)
	case ir.OpDataDrop:
		// Dropping sets the segment's length word to zero.
		l.emit(inst{op: opMov, form: fMI, w: W64, m: ripMem(backend.SymRef{Kind: backend.RefData, Index: in.Index}, descSize)})
	}
}

// global lowers globalget and globalset: a load or store of the global's 8 bytes (16 for
// a v128).
func (l *lowerer) global(in *ir.Instr) {
	sym := ripMem(backend.SymRef{Kind: backend.RefGlobal, Index: in.Index}, 0)
	if in.Op == ir.OpGlobalGet {
		t := l.typeOf(in.Results[0])
		o := opMov
		if isXMMType(t) {
			o = opMovs
		}
		l.emit(inst{op: o, form: fRM, w: widthOf(t), nvis: 1, ops: l.ops(def(in.Results[0])), m: sym})
		return
	}
	v := in.Args[0]
	t := l.typeOf(v)
	if imm, ok := l.imm32(v, W64); ok && !isXMMType(t) {
		// A 64-bit store keeps the global's upper half clean for i32 too.
		l.emit(inst{op: opMov, form: fMI, w: W64, imm: int64(imm), m: sym})
		return
	}
	o := opMov
	if isXMMType(t) {
		o = opMovs
	}
	l.emit(inst{op: o, form: fMR, w: widthOf(t), nvis: 1, ops: l.ops(use(l.vr(v))), m: sym})
}

// tableElem checks index i against table n's size, trapping with oob_table, and returns the
// operand of its element.
func (l *lowerer) tableElem(n uint32, i ir.Value, o []regalloc.Operand) (mem, []regalloc.Operand) {
	ri := l.vr(i)
	l.emit(inst{op: opCmp, form: fRM, w: W64, nvis: 1, ops: l.ops(use(ri)), m: ripMem(tableSym(n), descSize)})
	l.emit(inst{op: opTrapIf, cc: cond(CondAE), trap: ir.TrapOutOfBoundsTable})
	base := l.newVReg(ir.Ptr)
	l.emit(inst{op: opMov, form: fRM, w: W64, nvis: 1, ops: l.ops(regalloc.Def(base)), m: ripMem(tableSym(n), descBase)})
	return regMem(len(o), len(o)+1, 8, 0), l.more(o, use(base), use(ri))
}

// tableOp lowers tableget, tableset and tablesize inline and the rest as runtime calls.
func (l *lowerer) tableOp(in *ir.Instr) {
	idx := func(i uint32) callArg { return callArg{imm: int64(i), t: ir.I32, isImm: true} }
	switch in.Op {
	case ir.OpTableGet:
		m, o := l.tableElem(in.Index, in.Args[0], l.ops(def(in.Results[0])))
		l.emit(inst{op: opMov, form: fRM, w: W64, nvis: 1, ops: o, m: m})
	case ir.OpTableSet:
		if c, ok := l.constOf(in.Args[1]); ok && c == 0 {
			m, o := l.tableElem(in.Index, in.Args[0], nil)
			l.emit(inst{op: opMov, form: fMI, w: W64, ops: o, m: m})
			return
		}
		r := l.vr(in.Args[1])
		m, o := l.tableElem(in.Index, in.Args[0], l.ops(use(r)))
		l.emit(inst{op: opMov, form: fMR, w: W64, nvis: 1, ops: o, m: m})
	case ir.OpTableSize:
		// Sizes stay below 2^32: the low half of the size word is the i32.
		l.emit(inst{op: opMov, form: fRM, w: W32, nvis: 1, ops: l.ops(def(in.Results[0])), m: ripMem(tableSym(in.Index), descSize)})
	case ir.OpTableGrow:
		l.runtime(backend.RtTableGrow, l.valueArgs(in.Args, idx(in.Index)), in.Results)
	case ir.OpTableFill:
		l.runtimeChecked(backend.RtTableFill, l.valueArgs(in.Args, idx(in.Index)), ir.TrapOutOfBoundsTable)
	case ir.OpTableCopy:
		l.runtimeChecked(backend.RtTableCopy, l.valueArgs(in.Args, idx(in.Index), idx(in.Index2)), ir.TrapOutOfBoundsTable)
	case ir.OpTableInit:
		l.runtimeChecked(backend.RtTableInit, l.valueArgs(in.Args, idx(in.Index), idx(in.Index2)), ir.TrapOutOfBoundsTable)
	case ir.OpElemDrop:
		l.emit(inst{op: opMov, form: fMI, w: W64, m: ripMem(backend.SymRef{Kind: backend.RefElem, Index: in.Index}, descSize)})
	}
}
