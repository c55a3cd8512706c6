package arm64

import (
	"fmt"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection: one pass over the machine blocks that backend.LayOutBlocks makes
// from the IR's (backend.Func.Select), each IR instruction lowered by a Go switch over its op
// (lower_int.go, lower_float.go, lower_mem.go, lower_call.go, lower_host.go). backend's value
// analysis (backend.AnalyzeValues) first decides, per value, how it is lowered: constants
// are rematerialized at their uses (or become immediates), a compare used only by the next
// brif, trapif or select is fused with it, and dead values are not computed. A64 has no
// memory operands in arithmetic, so no load folds.
//
// Then, per block, selection absorbs a few single-use values into their user, where A64 has
// a form that computes both at once: a shift by a constant becomes the shifted operand of an
// add, sub, and, orr, eor or cmp, and a multiply the product of a madd or msub.
//
// A constant that is not an immediate is materialized into a new virtual register once per
// block (and again after a call, rather than kept across it).

// lowerer holds the state of one Select.
type lowerer struct {
	f   *ir.Func
	env *backend.Env
	mf  *mfunc

	backend.Values
	*backend.BlockLayout

	// absorbed marks the values lowered inside their only user (absorb.go).
	absorbed []bool

	cur int // the machine block being filled
	// epoch changes at each block start and after each call; a cached register is valid
	// only in the epoch that made it.
	epoch      int32
	constReg   []regalloc.VReg // per value: its materialized constant, valid in constEpoch
	constEpoch []int32
	baseReg    []regalloc.VReg // per memory: its loaded base address, valid in baseEpoch
	baseEpoch  []int32
	vconsts    map[[2]uint64]cachedReg // v128 constants by their halves (lower_vec.go)
}

// folding is A64's answers to value analysis.
type folding struct{}

// FusesCompare implements [backend.Folding]: every compare fuses into its branch, trapif or
// select. An fcmp's every condition is one condition code (see lowerer.fcompare).
func (folding) FusesCompare(user, cmp *ir.Instr) bool { return true }

// FoldsLoad implements [backend.Folding]: A64 arithmetic has no memory operands.
func (folding) FoldsLoad(in *ir.Instr) bool { return false }

// unsupported is panicked inside instruction selection for IR the backend cannot lower yet
// (v128); Select turns it into an error.
type unsupported struct{ msg string }

func (l *lowerer) unsupported(format string, args ...any) {
	panic(unsupported{fmt.Sprintf(format, args...)})
}

// selectFunc lowers f into a machine function.
func selectFunc(f *ir.Func, env *backend.Env) (mf *mfunc, err error) {
	if f.IsImport() {
		return nil, fmt.Errorf("arm64: $%s is imported and has no body", f.Name)
	}
	defer func() {
		if r := recover(); r != nil {
			u, ok := r.(unsupported)
			if !ok {
				panic(r)
			}
			mf, err = nil, fmt.Errorf("arm64: $%s: %s", f.Name, u.msg)
		}
	}()
	l := &lowerer{f: f, env: env}
	l.mf = &mfunc{conv: convOf(f.Sig)}
	l.mf.Name, l.mf.Env, l.mf.CallClobbers = f.Name, env, callClobbers
	l.mf.VTypes = make([]ir.Type, len(f.Values))
	for i := range f.Values {
		l.mf.VTypes[i] = f.Values[i].Type
		if f.Values[i].Type == ir.V128 {
			// A callee saves only the low half of v8-v15 (abi.go).
			l.mf.CallClobbers = callClobbersV128
		}
	}
	// Selection reads no CFG, dominators or loops (analysis and layout need only which
	// blocks are reachable), and the passes' would stay through it.
	f.DropAnalyses()
	l.Values = backend.AnalyzeValues(f, folding{}, env)
	l.BlockLayout, l.mf.Blocks = backend.LayOutBlocks(f, env.FastRegalloc, l.Values.Reach)
	l.mf.Insts = instPool.Get(len(f.Instrs) + len(l.mf.Blocks) + backend.ApplyRoom)
	l.absorbed = make([]bool, len(f.Values))
	l.constReg = make([]regalloc.VReg, len(f.Values))
	l.constEpoch = make([]int32, len(f.Values))
	l.baseReg = make([]regalloc.VReg, len(env.Module.Memories))
	l.baseEpoch = make([]int32, len(env.Module.Memories))
	l.mf.Select(l.BlockLayout, l)
	l.BlockLayout.Release()
	l.Values.Release()
	return l.mf, nil
}

// SelectBlock implements [backend.BlockSelector].
func (l *lowerer) SelectBlock(mb int, b ir.BlockID) {
	l.cur = mb
	l.epoch++
	l.lowerBlock(b)
}

// SelectEdge implements [backend.BlockSelector].
func (l *lowerer) SelectEdge(mb int, e backend.Edge) {
	l.cur = mb
	l.epoch++
	l.jump(l.MBlock[e.Target], l.argRegs(e.Args))
}

// lowerBlock lowers the instructions of IR block b into the current machine block.
func (l *lowerer) lowerBlock(b ir.BlockID) {
	if b == l.f.Entry() {
		l.params()
	}
	l.absorb(b)
	for _, id := range l.f.Blocks[b].Instrs {
		in := &l.f.Instrs[id]
		if in.Op == ir.OpBoundsCheck && l.IsUnchecked(id) {
			continue // the guard region checks it
		}
		if in.Op.IsTerminator() {
			l.terminator(b, in)
			continue
		}
		if len(in.Results) > 0 && (l.Kind[in.Results[0]] != backend.ValNormal || l.absorbed[in.Results[0]]) {
			continue
		}
		l.instr(in)
	}
}

// emit appends in to the current block and returns it.
func (l *lowerer) emit(in inst) *inst {
	l.mf.Insts = append(l.mf.Insts, in)
	return &l.mf.Insts[len(l.mf.Insts)-1]
}

func (l *lowerer) typeOf(v ir.Value) ir.Type { return l.f.Values[v].Type }

func (l *lowerer) newVReg(t ir.Type) regalloc.VReg { return l.mf.NewVReg(t) }

// def returns the instruction that defines v, or nil for a parameter.
func (l *lowerer) def(v ir.Value) *ir.Instr {
	vd := l.f.Values[v]
	if vd.Kind != ir.DefResult {
		return nil
	}
	return &l.f.Instrs[vd.Instr]
}

// constOf returns the bits of v if v is a rematerialized constant.
func (l *lowerer) constOf(v ir.Value) (uint64, bool) {
	if l.Kind[v] != backend.ValConst {
		return 0, false
	}
	return l.f.Instrs[l.f.Values[v].Instr].Imm, true // refnull's Imm is 0
}

// intConst returns v's bits at width w (an i32 zero-extended) if v is an integer constant.
func (l *lowerer) intConst(v ir.Value, w Width) (uint64, bool) {
	c, ok := l.constOf(v)
	if !ok || l.typeOf(v).IsFloat() {
		return 0, false
	}
	if w == W32 {
		c = uint64(uint32(c))
	}
	return c, true
}

// constInst is the instruction that puts constant v into def.
func (l *lowerer) constInst(v ir.Value, def regalloc.Operand) inst {
	c, _ := l.constOf(v)
	t := l.typeOf(v)
	if t.IsFloat() {
		return inst{op: opFConst, form: fR, w: widthOf(t), imm: int64(c), ops: l.ops(def), nvis: 1}
	}
	return l.movImm(widthOf(t), def, c)
}

// movImm is the instruction that puts the low w bits of c into def.
func (l *lowerer) movImm(w Width, def regalloc.Operand, c uint64) inst {
	return inst{op: opMovImm, form: fRI, w: w, imm: int64(c), ops: l.ops(def), nvis: 1}
}

// vr returns a virtual register holding v, materializing a constant once per epoch.
func (l *lowerer) vr(v ir.Value) regalloc.VReg {
	switch l.Kind[v] {
	case backend.ValConst:
		if l.constEpoch[v] == l.epoch {
			return l.constReg[v]
		}
		r := l.newVReg(l.typeOf(v))
		l.emit(l.constInst(v, regalloc.Def(r)))
		l.constReg[v], l.constEpoch[v] = r, l.epoch
		return r
	case backend.ValFused, backend.ValDead, backend.ValFolded:
		panic(fmt.Sprintf("arm64: $%s: %v used but not computed", l.f.Name, v))
	}
	if l.absorbed[v] {
		panic(fmt.Sprintf("arm64: $%s: %v used outside the instruction that absorbed it", l.f.Name, v))
	}
	return regalloc.VReg(v)
}

// immReg returns a new register holding the low w bits of c.
func (l *lowerer) immReg(w Width, c uint64) regalloc.VReg {
	t := ir.I64
	if w == W32 {
		t = ir.I32
	}
	r := l.newVReg(t)
	l.emit(l.movImm(w, regalloc.Def(r), c))
	return r
}

// copy emits dst = src, a move the allocator may coalesce.
func (l *lowerer) copy(dst, src regalloc.Operand, t ir.Type) {
	l.emit(inst{op: opCopy, form: fRR, w: widthOf(t), ops: l.ops(dst, src), nvis: 2})
}

// into puts v into def (a fixed register or a virtual one): a copy, or the constant itself.
func (l *lowerer) into(def regalloc.Operand, v ir.Value) {
	if l.Kind[v] == backend.ValConst {
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
		l.into(def(in.Results[0]), in.Args[0])
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
		l.emit(inst{op: opAdrSym, form: fSym, w: W64, nvis: 1, ops: l.ops(def(in.Results[0])),
			sym: backend.SymRef{Kind: backend.RefFuncRef, Index: in.Index}})
	case ir.OpTableGet, ir.OpTableSet, ir.OpTableSize, ir.OpTableGrow, ir.OpTableFill,
		ir.OpTableCopy, ir.OpTableInit, ir.OpElemDrop:
		l.tableOp(in)
	case ir.OpCall, ir.OpCallImport, ir.OpCallIndirect:
		l.call(in)
	case ir.OpMemDesc, ir.OpTableDesc, ir.OpDataDesc, ir.OpElemDesc, ir.OpFunctab,
		ir.OpHostLoad, ir.OpHostLoad8, ir.OpHostStore, ir.OpHostRef, ir.OpRefBits, ir.OpSyscall:
		l.hostOp(in)
	case ir.OpTrapIf:
		l.trapIf(in.Args[0], in.Trap)
	default:
		if isVector(in.Op) {
			l.vector(in)
			return
		}
		l.unsupported("op %v is not supported", in.Op)
	}
}

func def(v ir.Value) regalloc.Operand { return regalloc.Def(regalloc.VReg(v)) }

func use(r regalloc.VReg) regalloc.Operand { return regalloc.Use(r) }

// ops builds an operand list ([backend.OperandLists]); a new chunk is sized for the
// function.
func (l *lowerer) ops(o ...regalloc.Operand) []regalloc.Operand {
	return l.mf.Operands.Make(2*len(l.f.Instrs), o...)
}

// more returns list o, from ops, with extra after it.
func (l *lowerer) more(o []regalloc.Operand, extra ...regalloc.Operand) []regalloc.Operand {
	return l.mf.Operands.More(2*len(l.f.Instrs), o, extra...)
}
