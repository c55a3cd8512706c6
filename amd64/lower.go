package amd64

import (
	"fmt"
	"math"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Instruction selection: one pass over the machine blocks that backend.LayOutBlocks makes
// from the IR's (backend.Func.Select), each IR instruction lowered by a Go switch over its op
// (lower_int.go, lower_float.go, lower_mem.go, lower_call.go). backend's value analysis
// (backend.AnalyzeValues) first decides, per value, how it is lowered: constants are
// rematerialized at their uses, a compare used only by the next brif, trapif or select is
// fused with it, dead values are not computed, and a full-width load used only as the second
// operand of the next arithmetic op becomes that op's memory operand (add r, [m]); folding
// says which of these x86 can do.
//
// A constant that is not an immediate is materialized into a new virtual register once per
// block (and again after a call, rather than kept across it). Everything that sets the flags
// for a consumer is emitted after the consumer's other operands are materialized, because
// materializing zero (xor) clobbers the flags.

// lowerer holds the state of one Select.
type lowerer struct {
	f   *ir.Func
	env *backend.Env
	mf  *mfunc

	backend.Values
	*backend.BlockLayout

	cur int // the machine block being filled
	// epoch changes at each block start and after each call; a cached register is valid
	// only in the epoch that made it.
	epoch      int32
	constReg   []regalloc.VReg // per value: its materialized constant, valid in constEpoch
	constEpoch []int32
	baseReg    []regalloc.VReg // per memory: its loaded base address, valid in baseEpoch
	baseEpoch  []int32
	vconsts    map[[2]uint64]cachedReg // v128 constants that vector ops use (lower_vec.go)

	// Scratch of calls and branches, which made a few small arrays each (issue 21): the
	// jumps' and branches' targets are carved from chunks (targetList), and the rest is
	// only read before the next call or branch is selected.
	targetChunk []int32
	args        []callArg          // valueArgs'
	fixed       []regalloc.Operand // the fixed registers a call or a return names
	edgeArgs    []regalloc.VReg    // terminator's: each edge's branch arguments, in turn
	edgeArgEnd  []int32            // where each edge's end in edgeArgs
	sigTypes    []ir.Type          // runtime's signatures
	callConv    callConv           // callConvOf's
	convSig     ir.Signature       // callConv's signature, when convSet
	convSet     bool
}

// folding is x86's answers to value analysis.
type folding struct{}

// FusesCompare implements [backend.Folding]: every compare fuses into its branch, trapif or
// select, except a float eq or ne (of two different values) into a select: those need two
// flags, and cmov tests one.
func (folding) FusesCompare(user, cmp *ir.Instr) bool {
	return !(user.Op == ir.OpSelect && cmp.Op == ir.OpFCmp &&
		(cmp.Cond == ir.CondEq || cmp.Cond == ir.CondNe) && cmp.Args[0] != cmp.Args[1])
}

// FoldsLoad implements [backend.Folding]: the ALU and SSE arithmetic ops take their second
// operand from memory.
func (folding) FoldsLoad(in *ir.Instr) bool {
	switch in.Op {
	case ir.OpIAdd, ir.OpISub, ir.OpIMul, ir.OpIAnd, ir.OpIOr, ir.OpIXor,
		ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv:
		return true
	}
	return false
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
	l := newLowerer(f, env)
	l.mf = &mfunc{conv: convOf(f.Sig)}
	l.mf.Name, l.mf.Env, l.mf.CallClobbers = f.Name, env, callClobbers
	// Filled through locals: through l.mf each store reloaded the slice (issue 21).
	vals := f.Values
	vtypes := make([]ir.Type, len(vals))
	for i := range vtypes {
		vtypes[i] = vals[i].Type
	}
	l.mf.VTypes = vtypes
	// Selection reads no CFG, dominators or loops (analysis and layout need only which
	// blocks are reachable), and the passes' would stay through it.
	f.DropAnalyses()
	l.Values = backend.AnalyzeValues(f, folding{}, env)
	l.BlockLayout, l.mf.Blocks = backend.LayOutBlocks(f, env.FastRegalloc, l.Values.Reach)
	l.markAndn()
	// Growing insts by appending was the largest allocation in the backend. On the large
	// module, one machine instruction per IR instruction plus one per machine block (the
	// jumps) is enough for 98% of functions at -O0 and 99% at -O2.
	l.mf.Insts = instPool.Get(len(f.Instrs) + len(l.mf.Blocks) + backend.ApplyRoom)
	// The epochs start cleared: a reused array's would name the last function's.
	l.constReg = resize(l.constReg, len(f.Values))
	l.constEpoch = resize(l.constEpoch, len(f.Values))
	clear(l.constEpoch)
	l.baseReg = resize(l.baseReg, len(env.Module.Memories))
	l.baseEpoch = resize(l.baseEpoch, len(env.Module.Memories))
	clear(l.baseEpoch)
	l.mf.Select(l.BlockLayout, l)
	l.BlockLayout.Release()
	l.Values.Release()
	mf = l.mf
	l.release()
	return mf, nil
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
	l.edgeArgs = l.argRegs(l.edgeArgs[:0], e.Args)
	l.jump(l.MBlock[e.Target], l.edgeArgs)
}

// folded returns the memory operand of folded load v, appending its registers to o.
func (l *lowerer) folded(v ir.Value, o []regalloc.Operand) (mem, []regalloc.Operand) {
	ld := &l.f.Instrs[l.f.Values[v].Instr]
	return l.address(ld.Index, ld.Args[0], ld.Imm, o)
}

// lowerBlock lowers the instructions of IR block b into the current machine block.
func (l *lowerer) lowerBlock(b ir.BlockID) {
	if b == l.f.Entry() {
		l.params()
	}
	for _, id := range l.f.Blocks[b].Instrs {
		in := &l.f.Instrs[id]
		if in.Op == ir.OpBoundsCheck && l.IsUnchecked(id) {
			continue // the guard region checks it
		}
		if in.Op.IsTerminator() {
			l.terminator(b, in)
			continue
		}
		if len(in.Results) > 0 && l.Kind[in.Results[0]] != backend.ValNormal {
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

// constOf returns the bits of v if v is a rematerialized constant.
func (l *lowerer) constOf(v ir.Value) (uint64, bool) {
	if l.Kind[v] != backend.ValConst {
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
		return inst{op: opFConst, form: fR, w: widthOf(t), imm: int64(c), ops: l.ops(def), nvis: 1}
	}
	return inst{op: opMovImm, form: fR, w: widthOf(t), imm: int64(c), ops: l.ops(def), nvis: 1}
}

// vr returns a virtual register holding v, materializing a constant once per epoch.
func (l *lowerer) vr(v ir.Value) regalloc.VReg {
	// Most values are computed into their own register: that test inlines, the rest is
	// a call (issue 21).
	if l.Kind[v] == backend.ValNormal {
		return regalloc.VReg(v)
	}
	return l.vrOther(v)
}

// vrOther is vr for a value that is not [backend.ValNormal].
func (l *lowerer) vrOther(v ir.Value) regalloc.VReg {
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
		panic(fmt.Sprintf("amd64: $%s: %v used but not computed", l.f.Name, v))
	}
	return regalloc.VReg(v)
}

// fresh returns a new virtual register holding v, which the next instruction may overwrite
// (the tied input of a two-address instruction, see [regalloc.ReuseDef]).
func (l *lowerer) fresh(v ir.Value) regalloc.VReg {
	r := l.newVReg(l.typeOf(v))
	if l.Kind[v] == backend.ValConst {
		l.emit(l.constInst(v, regalloc.Def(r)))
		return r
	}
	l.copy(regalloc.Def(r), regalloc.Use(l.vr(v)), l.typeOf(v))
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

// argRegs materializes branch arguments, appending their registers to rs.
func (l *lowerer) argRegs(rs []regalloc.VReg, args []ir.Value) []regalloc.VReg {
	for _, a := range args {
		rs = append(rs, l.vr(a))
	}
	return rs
}

// targetList returns a terminator's list of targets ts in targetSpace.
func (l *lowerer) targetList(ts ...int32) []int32 {
	s := l.targetSpace(len(ts))
	copy(s, ts)
	return s
}

// targetSpace returns room for a terminator's n targets, carved from a chunk of the
// function's and capped, so that jump threading rewrites it in place and nothing else.
func (l *lowerer) targetSpace(n int) []int32 {
	if cap(l.targetChunk)-len(l.targetChunk) < n {
		l.targetChunk = make([]int32, 0, max(n, 64, 2*len(l.mf.Blocks)))
	}
	at := len(l.targetChunk)
	l.targetChunk = l.targetChunk[:at+n]
	return l.targetChunk[at : at+n : at+n]
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
			ops: l.ops(regalloc.Def(regalloc.VReg(in.Results[0]))),
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
		if isVector(in.Op) {
			l.vector(in)
			return
		}
		l.unsupported("op %v is not supported", in.Op)
	}
}
