package arm64

import (
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

func (l *lowerer) valueArgs(vs []ir.Value) []callArg {
	args := make([]callArg, len(vs))
	for i, v := range vs {
		args[i] = callArg{v: v, t: l.typeOf(v)}
	}
	return args
}

// incoming is where the callee finds stack word slot: above its frame record.
func incoming(slot int32) mem { return frameMem(memFP, 16+8*int64(slot)) }

// outgoing is where the caller puts stack word slot.
func outgoing(slot int32) mem { return frameMem(memSP, 8*int64(slot)) }

// wordWidth is how much of a stack word a value of type t occupies: all 8 bytes for
// integers (an i32 zero-extended), the s or d view for floats, and two words, the q view,
// for a v128.
func wordWidth(t ir.Type) Width {
	if isVType(t) {
		return widthOf(t)
	}
	return W64
}

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
	w := wordWidth(t)
	l.emit(inst{op: opLdr, form: fRM, w: w, w2: w, nvis: 1, ops: l.ops(d), m: m})
}

// storeWord stores an argument or result into a stack word.
func (l *lowerer) storeWord(m mem, a callArg) {
	w := wordWidth(a.t)
	st := inst{op: opStr, form: fMR, w: w, w2: w, m: m}
	c, isConst := uint64(a.imm), a.isImm
	if !isConst {
		c, isConst = l.constOf(a.v)
		isConst = isConst && !isVType(a.t)
	}
	switch {
	case isConst && c == 0:
		// From the zero register.
	case isConst:
		st.nvis, st.ops = 1, l.ops(use(l.immReg(W64, c)))
	default:
		st.nvis, st.ops = 1, l.ops(use(l.vr(a.v)))
	}
	l.emit(st)
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
	var fixed []regalloc.Operand
	for k, a := range args {
		loc := conv.params[k]
		if loc.reg == NoReg {
			continue
		}
		r := preg(loc.reg)
		if a.isImm {
			l.emit(l.movImm(widthOf(a.t), regalloc.FixedDef(r), uint64(a.imm)))
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
	call.op, call.call = opCall, true
	call.ops = append(call.ops, fixed...)
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
		conv := convOf(m.Funcs[in.Index].Sig)
		l.callSeq(conv, l.valueArgs(in.Args), in.Results,
			inst{sym: backend.SymRef{Kind: backend.RefFunc, Index: in.Index}})
		return
	}
	if int(in.Index2) >= len(l.env.TypeIDs) {
		l.unsupported("callindirect expects type %d, which Env.TypeIDs does not number", in.Index2)
	}
	ref := l.newVReg(ir.Ptr)
	em, o := l.tableElem(in.Index, in.Args[0], ir.TrapUndefinedElement, l.ops(regalloc.Def(ref)))
	l.emit(inst{op: opLdr, form: fRM, w: W64, w2: W64, nvis: 1, ops: o, m: em})
	l.emit(inst{op: opTrapIfZero, form: fR, w: W64, cc: CondEQ, trap: ir.TrapUninitializedElement, nvis: 1, ops: l.ops(use(ref))})
	id := l.newVReg(ir.I32)
	l.emit(inst{op: opLdr, form: fRM, w: W32, w2: W32, nvis: 1, ops: l.ops(regalloc.Def(id), use(ref)), m: regMem(1, 8)})
	l.cmpImm(W32, id, uint64(l.env.TypeIDs[in.Index2]))
	l.emit(inst{op: opTrapIf, cc: CondNE, trap: ir.TrapIndirectCallTypeMismatch})
	code := l.newVReg(ir.Ptr)
	l.emit(inst{op: opLdr, form: fRM, w: W64, w2: W64, nvis: 1, ops: l.ops(regalloc.Def(code), use(ref)), m: regMem(1, 0)})
	conv := convOf(m.Types[in.Index2])
	l.callSeq(conv, l.valueArgs(in.Args[1:]), in.Results, inst{form: fR, nvis: 1, ops: l.ops(use(code))})
}

// runtime calls runtime routine rt.
func (l *lowerer) runtime(rt backend.RuntimeRoutine, args []callArg, results []ir.Value) {
	var sig ir.Signature
	for _, a := range args {
		sig.Params = append(sig.Params, a.t)
	}
	for _, r := range results {
		sig.Results = append(sig.Results, l.typeOf(r))
	}
	l.callSeq(convOf(sig), args, results, inst{sym: backend.SymRef{Kind: backend.RefRuntime, Index: uint32(rt)}})
}

// runtimeChecked calls runtime routine rt, one of the bulk operations that return 1 for
// a range out of bounds, and traps with code when it does. The trap is raised here, in
// the wasm function that executed the instruction, so that the report and its backtrace
// start there rather than inside the runtime.
func (l *lowerer) runtimeChecked(rt backend.RuntimeRoutine, args []callArg, code ir.TrapCode) {
	sig := ir.Signature{Results: []ir.Type{ir.I32}}
	for _, a := range args {
		sig.Params = append(sig.Params, a.t)
	}
	conv := convOf(sig)
	l.callSeq(conv, args, nil, inst{sym: backend.SymRef{Kind: backend.RefRuntime, Index: uint32(rt)}})
	r := l.newVReg(ir.I32)
	l.copy(regalloc.Def(r), regalloc.FixedUse(preg(conv.results[0].reg)), ir.I32)
	l.emit(inst{op: opTrapIfZero, form: fR, w: W32, cc: CondNE, trap: code, nvis: 1, ops: l.ops(use(r))})
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
	args := make([][]regalloc.VReg, len(edges))
	for k, e := range edges {
		if !e.Split {
			args[k] = l.argRegs(e.Args)
		}
	}
	if len(edges) == 1 {
		l.jump(edges[0].MBlock, args[0])
		return
	}
	for k, e := range edges {
		l.mf.AddSucc(l.cur, e.MBlock, args[k])
	}
	target := func(t int) int32 { return edges[l.EdgeOf(b)[t]].MBlock }
	switch in.Op {
	case ir.OpBrIf:
		t := l.branchTest(in.Args[0])
		ts := []int32{target(0), target(1)}
		switch t.kind {
		case testZero:
			l.emit(inst{op: opCbz, form: fR, w: t.w, cc: t.cc, nvis: 1, ops: l.ops(use(t.reg)), targets: ts})
		case testBit:
			l.emit(inst{op: opTbz, form: fR, w: t.w, cc: t.cc, imm: int64(t.bit), nvis: 1, ops: l.ops(use(t.reg)), targets: ts})
		default:
			l.emit(inst{op: opBCond, cc: t.cc, targets: ts})
		}
	case ir.OpBrTable:
		idx := l.vr(in.Args[0])
		ts := make([]int32, len(in.Targets))
		for t := range ts {
			ts[t] = target(t)
		}
		l.emit(inst{op: opBrTable, form: fR, w: W32, nvis: 1, ops: l.ops(use(idx)), targets: ts})
	}
}

// jump ends the current block with a jump to machine block t. The jump has no operands: the
// allocator puts edge moves before it.
func (l *lowerer) jump(t int32, args []regalloc.VReg) {
	l.mf.AddSucc(l.cur, t, args)
	l.emit(inst{op: opB, targets: []int32{t}})
}

// ret stores stack results, copies register results into place and returns.
func (l *lowerer) ret(vals []ir.Value) {
	conv := &l.mf.conv
	for j, v := range vals {
		if loc := conv.results[j]; loc.reg == NoReg {
			l.storeWord(incoming(loc.slot), callArg{v: v, t: l.typeOf(v)})
		}
	}
	var fixed []regalloc.Operand
	for j, v := range vals {
		if loc := conv.results[j]; loc.reg != NoReg {
			l.into(regalloc.FixedDef(preg(loc.reg)), v)
			fixed = append(fixed, regalloc.FixedUse(preg(loc.reg)))
		}
	}
	l.emit(inst{op: opRet, ops: fixed})
}
