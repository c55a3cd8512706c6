package amd64

import (
	"slices"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection for parameters, calls, returns and branches: everything that
// follows the calling convention of abi.go or ends a block.

// callArg is one argument of a call: a value, or an immediate (a runtime routine's memory
// or table number).
type callArg struct {
	v     ir.Value
	imm   int64
	t     ir.Type
	isImm bool
}

// valueArgs returns the arguments first, then one of each value of vs, in an array of l's
// that the next call of valueArgs reuses.
func (l *lowerer) valueArgs(vs []ir.Value, first ...callArg) []callArg {
	args := append(l.args[:0], first...)
	for _, v := range vs {
		args = append(args, callArg{v: v, t: l.typeOf(v)})
	}
	l.args = args
	return args
}

// callConvOf is convOf(sig) in an array of l's that the next call of callConvOf reuses:
// a call's convention is read only while the call is selected.
func (l *lowerer) callConvOf(sig ir.Signature) callConv {
	c := &l.callConv
	// A function's calls mostly repeat a few signatures: the last one's convention is
	// kept with its types, which take less to compare than to place (issue 21).
	if l.convSet && slices.Equal(l.convSig.Params, sig.Params) && slices.Equal(l.convSig.Results, sig.Results) {
		return *c
	}
	c.params, c.stackParams = placeInto(c.params[:0], sig.Params, intArgRegs[:], floatArgRegs[:], 0)
	c.results, c.stackResults = placeInto(c.results[:0], sig.Results, intResultRegs[:], floatResultRegs[:], c.stackParams)
	l.convSig.Params = append(l.convSig.Params[:0], sig.Params...)
	l.convSig.Results = append(l.convSig.Results[:0], sig.Results...)
	l.convSet = true
	return *c
}

// incoming is where the callee finds stack word slot: above the return address and the saved
// rbp.
func incoming(slot int32) mem { return frameMem(memFP, 16+8*slot) }

// outgoing is where the caller puts stack word slot.
func outgoing(slot int32) mem { return frameMem(memSP, 8*slot) }

// params copies the function's parameters out of their registers and stack words, the
// register ones first: in the entry block their registers are live until read.
func (l *lowerer) params() {
	ps := l.f.Blocks[l.f.Entry()].Params
	for i, p := range ps {
		if loc := l.mf.conv.params[i]; loc.reg != NoReg && l.Uses[p] > 0 {
			l.copy(def(p), regalloc.FixedUse(preg(loc.reg)), l.typeOf(p))
		}
	}
	for i, p := range ps {
		if loc := l.mf.conv.params[i]; loc.reg == NoReg && l.Uses[p] > 0 {
			l.loadWord(def(p), l.typeOf(p), incoming(loc.slot))
		}
	}
}

// loadWord loads a value of type t from a stack word.
func (l *lowerer) loadWord(d regalloc.Operand, t ir.Type, m mem) {
	o := opMov
	if isXMMType(t) {
		o = opMovs
	}
	l.emit(inst{op: o, form: fRM, w: widthOf(t), nvis: 1, ops: l.ops(d), m: m})
}

// storeWord stores an argument or result into a stack word: all 8 bytes for integers, so
// that an i32 arrives zero-extended.
func (l *lowerer) storeWord(m mem, a callArg) {
	c, isConst := a.imm, a.isImm
	if !isConst {
		c64, ok := l.constOf(a.v)
		c, isConst = int64(c64), ok && !isXMMType(a.t)
	}
	if isConst && c == int64(int32(c)) {
		l.emit(inst{op: opMov, form: fMI, w: W64, imm: c, m: m})
		return
	}
	if isConst {
		r := l.newVReg(ir.I64)
		l.emit(inst{op: opMovImm, form: fR, w: W64, imm: c, nvis: 1, ops: l.ops(regalloc.Def(r))})
		l.emit(inst{op: opMov, form: fMR, w: W64, nvis: 1, ops: l.ops(use(r)), m: m})
		return
	}
	r := l.vr(a.v)
	if isXMMType(a.t) {
		l.emit(inst{op: opMovs, form: fMR, w: widthOf(a.t), nvis: 1, ops: l.ops(use(r)), m: m})
		return
	}
	l.emit(inst{op: opMov, form: fMR, w: W64, nvis: 1, ops: l.ops(use(r)), m: m})
}

// callSeq emits a call: stack arguments, then register arguments (so that nothing clobbers
// an argument register before the call reads it), the call naming every argument and result
// register, then the copies out of the result registers and stack words.
func (l *lowerer) callSeq(conv callConv, args []callArg, results []ir.Value, call inst) {
	for k, a := range args {
		if loc := conv.params[k]; loc.reg == NoReg {
			l.storeWord(outgoing(loc.slot), a)
		}
	}
	fixed := l.fixed[:0]
	for k, a := range args {
		loc := conv.params[k]
		if loc.reg == NoReg {
			continue
		}
		r := preg(loc.reg)
		if a.isImm {
			l.emit(inst{op: opMovImm, form: fR, w: widthOf(a.t), imm: a.imm, nvis: 1, ops: l.ops(regalloc.FixedDef(r))})
		} else {
			l.into(regalloc.FixedDef(r), a.v)
		}
		fixed = append(fixed, regalloc.FixedUse(r))
	}
	for _, loc := range conv.results {
		if loc.reg != NoReg {
			fixed = append(fixed, regalloc.FixedDef(preg(loc.reg)))
		}
	}
	l.fixed = fixed
	call.op = opCall
	call.ops = l.more(call.ops, fixed...)
	l.emit(call)
	l.mf.outWords = max(l.mf.outWords, conv.stackWords())
	l.invalidate()
	for j, r := range results {
		if l.Uses[r] == 0 {
			continue
		}
		t := l.typeOf(r)
		if loc := conv.results[j]; loc.reg != NoReg {
			l.copy(def(r), regalloc.FixedUse(preg(loc.reg)), t)
		} else {
			l.loadWord(def(r), t, outgoing(loc.slot))
		}
	}
}

// call lowers call, callimport (the linker binds the import's symbol) and callindirect, whose
// three checks come first: the index against the table's size, the element against null, and
// the descriptor's type id against the expected one.
func (l *lowerer) call(in *ir.Instr) {
	m := l.env.Module
	if in.Op != ir.OpCallIndirect {
		conv := l.callConvOf(m.Funcs[in.Index].Sig)
		l.callSeq(conv, l.valueArgs(in.Args), in.Results,
			callTo(backend.SymRef{Kind: backend.RefFunc, Index: in.Index}))
		return
	}
	if int(in.Index2) >= len(l.env.TypeIDs) {
		l.unsupported("callindirect expects type %d, which Env.TypeIDs does not number", in.Index2)
	}
	ri := l.vr(in.Args[0])
	l.emit(inst{op: opCmp, form: fRM, w: W64, nvis: 1, ops: l.ops(use(ri)), m: ripMem(tableSym(in.Index), descSize)})
	l.emit(inst{op: opTrapIf, cc: cond(CondAE), trap: ir.TrapUndefinedElement})
	base := l.newVReg(ir.Ptr)
	l.emit(inst{op: opMov, form: fRM, w: W64, nvis: 1, ops: l.ops(regalloc.Def(base)), m: ripMem(tableSym(in.Index), descBase)})
	ref := l.newVReg(ir.Ptr)
	l.emit(inst{op: opMov, form: fRM, w: W64, nvis: 1, ops: l.ops(regalloc.Def(ref), use(base), use(ri)), m: regMem(1, 2, 8, 0)})
	l.emit(inst{op: opTest, form: fRR, w: W64, nvis: 2, ops: l.ops(use(ref), use(ref))})
	l.emit(inst{op: opTrapIf, cc: cond(CondE), trap: ir.TrapUninitializedElement})
	l.emit(inst{op: opCmp, form: fMI, w: W32, imm: int64(int32(l.env.TypeIDs[in.Index2])), ops: l.ops(use(ref)), m: regMem(0, -1, 1, 8)})
	l.emit(inst{op: opTrapIf, cc: cond(CondNE), trap: ir.TrapIndirectCallTypeMismatch})
	conv := l.callConvOf(m.Types[in.Index2])
	l.callSeq(conv, l.valueArgs(in.Args[1:]), in.Results, inst{form: fM, ops: l.ops(use(ref)), m: regMem(0, -1, 1, 0)})
}

// runtime calls runtime routine rt.
func (l *lowerer) runtime(rt backend.RuntimeRoutine, args []callArg, results []ir.Value) {
	types := l.sigTypes[:0]
	for _, a := range args {
		types = append(types, a.t)
	}
	for _, r := range results {
		types = append(types, l.typeOf(r))
	}
	l.sigTypes = types
	sig := ir.Signature{Params: types[:len(args)], Results: types[len(args):]}
	l.callSeq(l.callConvOf(sig), args, results, callTo(backend.SymRef{Kind: backend.RefRuntime, Index: uint32(rt)}))
}

// runtimeChecked calls runtime routine rt, one of the bulk operations that return 1 for
// a range out of bounds, and traps with code when it does. The trap is raised here, in
// the wasm function that executed the instruction, so that the report and its backtrace
// start there rather than inside the runtime.
func (l *lowerer) runtimeChecked(rt backend.RuntimeRoutine, args []callArg, code ir.TrapCode) {
	types := l.sigTypes[:0]
	for _, a := range args {
		types = append(types, a.t)
	}
	n := len(types)
	l.sigTypes = append(types, ir.I32)
	conv := l.callConvOf(ir.Signature{Params: l.sigTypes[:n], Results: l.sigTypes[n:]})
	l.callSeq(conv, args, nil, callTo(backend.SymRef{Kind: backend.RefRuntime, Index: uint32(rt)}))
	r := l.newVReg(ir.I32)
	l.copy(regalloc.Def(r), regalloc.FixedUse(preg(conv.results[0].reg)), ir.I32)
	l.emit(inst{op: opTest, form: fRR, w: W32, nvis: 2, ops: l.ops(use(r), use(r))})
	l.emit(inst{op: opTrapIf, cc: cond(CondNE), trap: code})
}

// terminator lowers the instruction that ends IR block b, recording the machine block's
// successors and the registers passed along each edge.
func (l *lowerer) terminator(b ir.BlockID, in *ir.Instr) {
	edges := l.Edges(b)
	switch in.Op {
	case ir.OpReturn:
		l.ret(in.Args)
		return
	case ir.OpTrap:
		l.emit(inst{op: opTrap, trap: in.Trap})
		return
	}
	// Arguments first: materializing a constant may clobber the flags. Edge k's are
	// edgeArgs[edgeArgEnd[k-1]:edgeArgEnd[k]].
	l.edgeArgs, l.edgeArgEnd = l.edgeArgs[:0], l.edgeArgEnd[:0]
	for _, e := range edges {
		if !e.Split {
			l.edgeArgs = l.argRegs(l.edgeArgs, e.Args)
		}
		l.edgeArgEnd = append(l.edgeArgEnd, int32(len(l.edgeArgs)))
	}
	args := func(k int) []regalloc.VReg {
		lo := int32(0)
		if k > 0 {
			lo = l.edgeArgEnd[k-1]
		}
		return l.edgeArgs[lo:l.edgeArgEnd[k]]
	}
	if len(edges) == 1 {
		l.jump(edges[0].MBlock, args(0))
		return
	}
	for k, e := range edges {
		l.mf.AddSucc(l.cur, e.MBlock, args(k))
	}
	target := func(t int) int32 { return edges[l.EdgeOf(b)[t]].MBlock }
	switch in.Op {
	case ir.OpBrIf:
		cc := l.cond(in.Args[0])
		l.emit(inst{op: opBr, cc: cc, targets: l.targetList(target(0), target(1))})
	case ir.OpBrTable:
		idx := l.vr(in.Args[0])
		table := l.newVReg(ir.Ptr)
		l.emit(inst{op: opLea, form: fRM, w: W64, nvis: 1, ops: l.ops(regalloc.Def(table)), m: frameMem(memJT, l.mf.Blocks[l.cur].Label)})
		ts := l.targetSpace(len(in.Targets))
		for t := range ts {
			ts[t] = target(t)
		}
		l.emit(inst{op: opBrTable, imm: int64(len(ts) - 1), nvis: 2, ops: l.ops(use(idx), use(table)), targets: ts})
	}
}

// jump ends the current block with a jump to machine block t. The jump has no operands: the
// allocator puts edge moves before it.
func (l *lowerer) jump(t int32, args []regalloc.VReg) {
	l.mf.AddSucc(l.cur, t, args)
	l.emit(inst{op: opJmp, targets: l.targetList(t)})
}

// ret stores stack results, copies register results into place and returns.
func (l *lowerer) ret(vals []ir.Value) {
	conv := &l.mf.conv
	for j, v := range vals {
		if loc := conv.results[j]; loc.reg == NoReg {
			l.storeWord(incoming(loc.slot), callArg{v: v, t: l.typeOf(v)})
		}
	}
	fixed := l.fixed[:0]
	for j, v := range vals {
		if loc := conv.results[j]; loc.reg != NoReg {
			l.into(regalloc.FixedDef(preg(loc.reg)), v)
			fixed = append(fixed, regalloc.FixedUse(preg(loc.reg)))
		}
	}
	l.fixed = fixed
	l.emit(inst{op: opRet, ops: l.ops(fixed...)})
}
