package amd64

import (
	"fmt"
	"math"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection: one pass over the IR blocks in layout order, each instruction
// lowered by a Go switch over its op (lower_int.go, lower_float.go, lower_mem.go,
// lower_call.go). A small analysis first decides, per value, how it is lowered:
//
//   - Constants are not computed where they are defined but where they are used: folded
//     into an immediate when the user has an immediate form, else materialized into a new
//     virtual register once per block (and again after a call, rather than kept across it).
//     This is rematerialization, and it keeps constants out of the allocator's way.
//   - A compare whose only use is the condition of a brif, trapif or select in its block is
//     fused into that user: the cmp goes right before the jcc or cmov, with no setcc.
//   - A value nobody uses, from an op without side effects, is not computed.
//   - A full-width load whose only use is the next instruction that emits code, as an
//     arithmetic op's second operand, becomes that op's memory operand (add r, [m]).
//
// Everything that sets the flags for a consumer is emitted after the consumer's other
// operands are materialized, because materializing zero (xor) clobbers the flags.

// valKind says how a value is lowered.
type valKind uint8

const (
	vkNormal valKind = iota // computed by its instruction into virtual register = value number
	vkConst                 // rematerialized at each use
	vkFused                 // a compare lowered inside its only user
	vkDead                  // never used: not computed
	vkFolded                // a load folded into its only user's memory operand
)

// edge is one distinct successor of a block: a target and its arguments. A branch naming the
// same target with the same arguments twice has one edge.
type edge struct {
	target ir.BlockID
	args   []ir.Value
	mblock int32 // the machine block the edge enters: the target's, or the split block's
	split  bool
}

// lowerer holds the state of one Select.
type lowerer struct {
	f   *ir.Func
	env *backend.Env
	mf  *mfunc

	uses []int32 // per value: operand and branch-argument uses in reachable code
	kind []valKind

	mblock  []int32      // per IR block: its machine block, or -1 when unreachable
	edges   [][]edge     // per IR block: its distinct successors
	edgeOf  [][]int      // per IR block: the edge of each terminator target
	blockIR []ir.BlockID // per machine block: its IR block, or NoBlock for a split edge
	splitOf []edge       // per machine block: the edge a split block carries

	cur int // the machine block being filled
	// epoch changes at each block start and after each call; a cached register is valid
	// only in the epoch that made it.
	epoch      int32
	constReg   []regalloc.VReg // per value: its materialized constant, valid in constEpoch
	constEpoch []int32
	baseReg    []regalloc.VReg // per memory: its loaded base address, valid in baseEpoch
	baseEpoch  []int32
}

// unsupported is panicked inside instruction selection for IR the backend cannot lower yet
// (v128); Select turns it into an error.
type unsupported struct{ msg string }

func (l *lowerer) unsupported(format string, args ...any) {
	panic(unsupported{fmt.Sprintf(format, args...)})
}

// selectFunc lowers f into a machine function.
func selectFunc(f *ir.Func, env *backend.Env) (mf *mfunc, err error) {
	if f.IsImport() {
		return nil, fmt.Errorf("amd64: $%s is imported and has no body", f.Name)
	}
	defer func() {
		if r := recover(); r != nil {
			u, ok := r.(unsupported)
			if !ok {
				panic(r)
			}
			mf, err = nil, fmt.Errorf("amd64: $%s: %s", f.Name, u.msg)
		}
	}()
	l := &lowerer{f: f, env: env}
	l.mf = &mfunc{name: f.Name, env: env, conv: convOf(f.Sig)}
	l.mf.vtypes = make([]ir.Type, len(f.Values))
	for i := range f.Values {
		l.mf.vtypes[i] = f.Values[i].Type
		if f.Values[i].Type == ir.V128 {
			l.unsupported("v128 values are not supported yet")
		}
	}
	l.analyze()
	l.foldLoads()
	l.layout()
	// Growing insts by appending was the largest allocation in the backend. On the large
	// module, one machine instruction per IR instruction plus one per machine block (the
	// jumps) is enough for 98% of functions at -O0 and 99% at -O2.
	l.mf.insts = make([]inst, 0, len(f.Instrs)+len(l.mf.blocks))
	l.constReg = make([]regalloc.VReg, len(f.Values))
	l.constEpoch = make([]int32, len(f.Values))
	l.baseReg = make([]regalloc.VReg, len(env.Module.Memories))
	l.baseEpoch = make([]int32, len(env.Module.Memories))
	for mb := range l.mf.blocks {
		l.cur = mb
		l.epoch++
		blk := &l.mf.blocks[mb]
		blk.start = int32(len(l.mf.insts))
		if b := l.blockIR[mb]; b != ir.NoBlock {
			l.lowerBlock(b)
		} else {
			e := l.splitOf[mb]
			args := l.argRegs(e.args)
			l.jump(l.mblock[e.target], args)
		}
		blk.end = int32(len(l.mf.insts))
	}
	for b := range l.mf.blocks {
		for _, s := range l.mf.blocks[b].succs {
			l.mf.blocks[s].preds = append(l.mf.blocks[s].preds, b)
		}
	}
	return l.mf, nil
}

// analyze counts uses and decides each value's kind.
func (l *lowerer) analyze() {
	f := l.f
	cfg := f.CFG()
	l.uses = make([]int32, len(f.Values))
	l.kind = make([]valKind, len(f.Values))
	for _, b := range f.Layout {
		if !cfg.Reachable(b) {
			continue
		}
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			for _, a := range in.Args {
				l.uses[a]++
			}
			for _, t := range in.Targets {
				for _, a := range t.Args {
					l.uses[a]++
				}
			}
		}
	}
	for _, b := range f.Layout {
		if !cfg.Reachable(b) {
			continue
		}
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			switch in.Op {
			case ir.OpIConst, ir.OpF32Const, ir.OpF64Const, ir.OpRefNull:
				l.kind[in.Results[0]] = vkConst
				continue
			case ir.OpBrIf, ir.OpTrapIf, ir.OpSelect:
				l.fuse(in)
			}
			flags := in.Op.Flags()
			if len(in.Results) > 0 && flags&(ir.SideEffect|ir.CanTrap|ir.Terminator) == 0 {
				dead := true
				for _, r := range in.Results {
					dead = dead && l.uses[r] == 0
				}
				if dead {
					for _, r := range in.Results {
						l.kind[r] = vkDead
					}
				}
			}
		}
	}
}

// foldLoads marks the loads that fold into their user: nothing is emitted between the two,
// so the load cannot move past a store or a call.
func (l *lowerer) foldLoads() {
	f := l.f
	cfg := f.CFG()
	for _, b := range f.Layout {
		if !cfg.Reachable(b) {
			continue
		}
		var prev *ir.Instr
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			if len(in.Results) == 1 && l.kind[in.Results[0]] != vkNormal {
				continue // emitted elsewhere or not at all
			}
			if prev != nil && prev.Op == ir.OpLoad && foldable(in) {
				ld := prev.Results[0]
				full := int(prev.Width) == l.typeOf(ld).Size()
				if full && l.uses[ld] == 1 && in.Args[1] == ld && in.Args[0] != ld {
					l.kind[ld] = vkFolded
				}
			}
			prev = in
		}
	}
}

// foldable reports whether in takes its second operand from memory when that is a load.
func foldable(in *ir.Instr) bool {
	switch in.Op {
	case ir.OpIAdd, ir.OpISub, ir.OpIMul, ir.OpIAnd, ir.OpIOr, ir.OpIXor,
		ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv:
		return true
	}
	return false
}

// folded returns the memory operand of folded load v, appending its registers to o.
func (l *lowerer) folded(v ir.Value, o []regalloc.Operand) (mem, []regalloc.Operand) {
	ld := &l.f.Instrs[l.f.Values[v].Instr]
	return l.address(ld.Index, ld.Args[0], ld.Imm, o)
}

// fuse marks the condition of in as fused when in is its only use and its compare is in the
// same block. A select cannot take the two-flag float conditions (cmov has one condition).
func (l *lowerer) fuse(in *ir.Instr) {
	c := in.Args[0]
	vd := l.f.Values[c]
	if vd.Kind != ir.DefResult || l.uses[c] != 1 {
		return
	}
	def := &l.f.Instrs[vd.Instr]
	if def.Block != in.Block {
		return
	}
	switch def.Op {
	case ir.OpICmp, ir.OpEqz, ir.OpRefIsNull:
	case ir.OpFCmp:
		if in.Op == ir.OpSelect && (def.Cond == ir.CondEq || def.Cond == ir.CondNe) && def.Args[0] != def.Args[1] {
			return
		}
	default:
		return
	}
	l.kind[c] = vkFused
}

// layout orders the machine blocks and splits critical edges.
func (l *lowerer) layout() {
	f := l.f
	cfg := f.CFG()
	l.mblock = make([]int32, len(f.Blocks))
	l.edges = make([][]edge, len(f.Blocks))
	l.edgeOf = make([][]int, len(f.Blocks))
	for i := range l.mblock {
		l.mblock[i] = -1
	}
	var reach []ir.BlockID
	for _, b := range f.Layout {
		if cfg.Reachable(b) {
			reach = append(reach, b)
		}
	}
	preds := make([]int, len(f.Blocks))
	for _, b := range reach {
		t := f.Terminator(b)
		for _, bc := range t.Targets {
			k := -1
			for j, e := range l.edges[b] {
				if e.target == bc.Block && sameValues(e.args, bc.Args) {
					k = j
				}
			}
			if k < 0 {
				k = len(l.edges[b])
				l.edges[b] = append(l.edges[b], edge{target: bc.Block, args: bc.Args})
				preds[bc.Block]++
			}
			l.edgeOf[b] = append(l.edgeOf[b], k)
		}
	}
	next := int32(len(f.Blocks))
	for _, b := range reach {
		l.mblock[b] = int32(len(l.mf.blocks))
		l.mf.blocks = append(l.mf.blocks, block{label: int32(b)})
		l.blockIR = append(l.blockIR, b)
		l.splitOf = append(l.splitOf, edge{})
		for k := range l.edges[b] {
			e := &l.edges[b][k]
			if len(l.edges[b]) > 1 && preds[e.target] > 1 {
				e.split = true
				e.mblock = int32(len(l.mf.blocks))
				l.mf.blocks = append(l.mf.blocks, block{label: next})
				l.blockIR = append(l.blockIR, ir.NoBlock)
				l.splitOf = append(l.splitOf, *e)
				next++
			}
		}
	}
	for _, b := range reach {
		for k := range l.edges[b] {
			if e := &l.edges[b][k]; !e.split {
				e.mblock = l.mblock[e.target]
			}
		}
		if b == f.Entry() {
			continue // the entry's parameters are the function's: copied from the ABI's places
		}
		blk := &l.mf.blocks[l.mblock[b]]
		for _, p := range f.Blocks[b].Params {
			blk.params = append(blk.params, regalloc.VReg(p))
		}
	}
}

func sameValues(a, b []ir.Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// lowerBlock lowers the instructions of IR block b into the current machine block.
func (l *lowerer) lowerBlock(b ir.BlockID) {
	if b == l.f.Entry() {
		l.params()
	}
	for _, id := range l.f.Blocks[b].Instrs {
		in := &l.f.Instrs[id]
		if in.Op.IsTerminator() {
			l.terminator(b, in)
			continue
		}
		if len(in.Results) > 0 && l.kind[in.Results[0]] != vkNormal {
			continue
		}
		l.instr(in)
	}
}

// emit appends in to the current block and returns it.
func (l *lowerer) emit(in inst) *inst {
	l.mf.insts = append(l.mf.insts, in)
	return &l.mf.insts[len(l.mf.insts)-1]
}

func (l *lowerer) typeOf(v ir.Value) ir.Type { return l.f.Values[v].Type }

func (l *lowerer) newVReg(t ir.Type) regalloc.VReg { return l.mf.newVReg(t) }

// constOf returns the bits of v if v is a rematerialized constant.
func (l *lowerer) constOf(v ir.Value) (uint64, bool) {
	if l.kind[v] != vkConst {
		return 0, false
	}
	return l.f.Instrs[l.f.Values[v].Instr].Imm, true // refnull's Imm is 0
}

// imm32 returns v as the 32-bit immediate of an instruction of width w, if it is an integer
// constant that one can hold: at W32 any i32, at W64 one that sign-extends from 32 bits.
func (l *lowerer) imm32(v ir.Value, w Width) (int32, bool) {
	c, ok := l.constOf(v)
	if !ok || l.typeOf(v).IsFloat() {
		return 0, false
	}
	if w == W32 {
		return int32(uint32(c)), true
	}
	if int64(c) >= math.MinInt32 && int64(c) <= math.MaxInt32 {
		return int32(int64(c)), true
	}
	return 0, false
}

// constInst is the instruction that puts constant v into def.
func (l *lowerer) constInst(v ir.Value, def regalloc.Operand) inst {
	c, _ := l.constOf(v)
	t := l.typeOf(v)
	if t.IsFloat() {
		return inst{op: opFConst, form: fR, w: widthOf(t), imm: int64(c), ops: []regalloc.Operand{def}, nvis: 1}
	}
	return inst{op: opMovImm, form: fR, w: widthOf(t), imm: int64(c), ops: []regalloc.Operand{def}, nvis: 1}
}

// vr returns a virtual register holding v, materializing a constant once per epoch.
func (l *lowerer) vr(v ir.Value) regalloc.VReg {
	switch l.kind[v] {
	case vkConst:
		if l.constEpoch[v] == l.epoch {
			return l.constReg[v]
		}
		r := l.newVReg(l.typeOf(v))
		l.emit(l.constInst(v, regalloc.Def(r)))
		l.constReg[v], l.constEpoch[v] = r, l.epoch
		return r
	case vkFused, vkDead, vkFolded:
		panic(fmt.Sprintf("amd64: $%s: %v used but not computed", l.f.Name, v))
	}
	return regalloc.VReg(v)
}

// fresh returns a new virtual register holding v, which the next instruction may overwrite
// (the tied input of a two-address instruction, see [regalloc.ReuseDef]).
func (l *lowerer) fresh(v ir.Value) regalloc.VReg {
	r := l.newVReg(l.typeOf(v))
	if l.kind[v] == vkConst {
		l.emit(l.constInst(v, regalloc.Def(r)))
		return r
	}
	l.copy(regalloc.Def(r), regalloc.Use(l.vr(v)), l.typeOf(v))
	return r
}

// copy emits dst = src, a move the allocator may coalesce.
func (l *lowerer) copy(dst, src regalloc.Operand, t ir.Type) {
	l.emit(inst{op: opCopy, form: fRR, w: widthOf(t), ops: []regalloc.Operand{dst, src}, nvis: 2})
}

// into puts v into def (a fixed register or a virtual one): a copy, or the constant itself.
func (l *lowerer) into(def regalloc.Operand, v ir.Value) {
	if l.kind[v] == vkConst {
		l.emit(l.constInst(v, def))
		return
	}
	l.copy(def, regalloc.Use(l.vr(v)), l.typeOf(v))
}

// invalidate forgets cached constants and memory bases, after a call.
func (l *lowerer) invalidate() { l.epoch++ }

// argRegs materializes branch arguments.
func (l *lowerer) argRegs(args []ir.Value) []regalloc.VReg {
	rs := make([]regalloc.VReg, len(args))
	for i, a := range args {
		rs[i] = l.vr(a)
	}
	return rs
}

// instr lowers one non-terminator instruction.
func (l *lowerer) instr(in *ir.Instr) {
	switch in.Op {
	case ir.OpIAdd, ir.OpISub, ir.OpIMul, ir.OpIAnd, ir.OpIOr, ir.OpIXor:
		l.intBinary(in)
	case ir.OpSDiv, ir.OpUDiv, ir.OpSRem, ir.OpURem:
		l.div(in)
	case ir.OpIShl, ir.OpUShr, ir.OpSShr, ir.OpRotl, ir.OpRotr:
		l.shift(in)
	case ir.OpClz, ir.OpCtz, ir.OpPopcnt:
		l.bitCount(in)
	case ir.OpEqz, ir.OpICmp, ir.OpFCmp, ir.OpRefIsNull:
		l.setcc(in)
	case ir.OpExtend8, ir.OpExtend16, ir.OpExtend32, ir.OpSExt, ir.OpZExt, ir.OpWrap:
		l.extend(in)
	case ir.OpSelect:
		l.selectOp(in)
	case ir.OpCopy:
		l.into(regalloc.Def(regalloc.VReg(in.Results[0])), in.Args[0])
	case ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv, ir.OpFMin, ir.OpFMax, ir.OpFCopysign:
		l.floatBinary(in)
	case ir.OpFAbs, ir.OpFNeg, ir.OpFSqrt, ir.OpFCeil, ir.OpFFloor, ir.OpFTrunc, ir.OpFNearest:
		l.floatUnary(in)
	case ir.OpFPromote, ir.OpFDemote, ir.OpFPToSI, ir.OpFPToUI, ir.OpFPToSISat, ir.OpFPToUISat,
		ir.OpSIToFP, ir.OpUIToFP, ir.OpBitcast:
		l.convert(in)
	case ir.OpLoad:
		l.load(in)
	case ir.OpStore:
		l.store(in)
	case ir.OpBoundsCheck:
		l.boundsCheck(in)
	case ir.OpMemSize, ir.OpMemGrow, ir.OpMemFill, ir.OpMemCopy, ir.OpMemInit, ir.OpDataDrop:
		l.memOp(in)
	case ir.OpGlobalGet, ir.OpGlobalSet:
		l.global(in)
	case ir.OpRefFunc:
		l.emit(inst{op: opLea, form: fRM, w: W64, nvis: 1,
			ops: []regalloc.Operand{regalloc.Def(regalloc.VReg(in.Results[0]))},
			m:   ripMem(backend.SymRef{Kind: backend.RefFuncRef, Index: in.Index}, 0)})
	case ir.OpTableGet, ir.OpTableSet, ir.OpTableSize, ir.OpTableGrow, ir.OpTableFill,
		ir.OpTableCopy, ir.OpTableInit, ir.OpElemDrop:
		l.tableOp(in)
	case ir.OpCall, ir.OpCallImport, ir.OpCallIndirect:
		l.call(in)
	case ir.OpMemDesc, ir.OpTableDesc, ir.OpDataDesc, ir.OpElemDesc, ir.OpFunctab,
		ir.OpHostLoad, ir.OpHostLoad8, ir.OpHostStore, ir.OpHostRef, ir.OpRefBits, ir.OpSyscall:
		l.hostOp(in)
	case ir.OpTrapIf:
		cc := l.cond(in.Args[0])
		l.emit(inst{op: opTrapIf, cc: cc, trap: in.Trap})
	default:
		l.unsupported("op %v is not supported", in.Op)
	}
}
