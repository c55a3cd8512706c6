package ir

import "math/bits"

// Fold evaluates instructions whose operands are all constants and applies algebraic
// identities that hold exactly under wasm semantics, so later passes and instruction
// selection see fewer, simpler instructions.
//
// Constants are computed by [EvalPure], the same code the interpreter runs, so a folded
// program and an interpreted one cannot disagree (NaN bits included); a pure vector op
// on constants becomes a v128const, or a scalar constant, computed by evalVector, which
// the interpreter runs too. A guarded op
// (sdiv, fptosi) folds only where it is defined; where its check would trap, EvalPure
// declines and the check stays to trap at run time.
//
// The identities are those that hold for every input: x+0, x-0, x*1, x|0, x^0, x&-1 are
// x; x*0, x&0, x^x, x-x are 0 (integers only: for floats x*0 is NaN or -0 for some x, and
// x+0.0 turns -0 into +0, so no float identity is applied beyond fneg(fneg x) = x, which
// only flips a sign bit twice); shifts and rotates by a multiple of the width are x, and
// other constant amounts are masked to the width as wasm does; icmp of equal operands is
// a constant; eqz of a comparison inverts it (so eqz(eqz(icmp)) is the icmp); brif,
// brtable, select and trapif on a constant pick their side, and brif/select/trapif look
// through eqz and "icmp ne x, 0". Constants move to the right of commutative ops and
// comparisons, x-c becomes x+(-c), (x+c1)+c2 becomes x+(c1+c2) and x*2^k becomes
// x<<k, so equal expressions look equal to GVN. i32 arithmetic done in i64 on widened
// values, as Go's wasm port computes addresses, is done in i32: wrap moves below add,
// sub, mul and bitwise ops whose operands are widened i32s or constants, and icmp and
// eqz look through sext and zext where the comparison keeps its meaning.
//
// Preserves: the numbers of surviving values and blocks; a folded instruction keeps its
// result value and becomes a constant in place. Blocks that become unreachable are
// deleted. Needs: nothing.
func Fold(f *Func) {
	// fd.out, a block's new instruction list, comes from a pool with the room the last
	// function's largest block needed: grown anew for each function, it was a tenth of
	// Fold's walk (issue 21).
	fd := &folder{f: f, out: takeScratch[InstrID](&instrIDsPool, 0, 0)}
	defer func() { giveScratch(&instrIDsPool, fd.out) }()
	// In reverse postorder a value's definition is folded before its uses (definitions
	// dominate uses), so operands are rewritten as the walk reaches them, with no sweep.
	rpo, current := reachableOrder(f)
	for _, b := range rpo {
		fd.block(b)
	}
	fd.s.release()
	switch {
	case fd.cut:
		removeUnreachable(f)
		f.leaveHandoff(nil, false)
	case fd.swapped:
		f.leaveHandoff(nil, false) // what is reachable stays so
	default:
		f.leaveHandoff(rpo, current) // no branch changed
	}
	// Fold replaces every copy it reaches by its operand, and it reaches every block.
	f.handoffNoCopies()
}

type folder struct {
	f   *Func
	s   subst
	b   BlockID   // the block being folded
	out []InstrID // its new instruction list, once it differs from the old one
	// ins is the block's old instruction list and clean, while it is not negative, the
	// number of its leading instructions kept unchanged, which are not copied to out:
	// most blocks change not at all, and appending every instruction to out was a
	// tenth of Fold (issue 21).
	ins   []InstrID
	clean int
	bits  [3]uint64 // constant operands for EvalPure
	cut   bool      // a branch or trap now skips an edge, so blocks may be unreachable
	// swapped says a brif's targets changed places, which changes the CFG's key and
	// order though nothing became unreachable.
	swapped bool
}

type foldAction uint8

const (
	foldKeep   foldAction = iota // keep the (possibly rewritten) instruction
	foldDelete                   // delete it: its result was replaced, or it does nothing
	foldTrap                     // it became a trap; delete the rest of the block
)

func (fd *folder) block(b BlockID) {
	f := fd.f
	ins := f.Blocks[b].Instrs
	fd.b, fd.out, fd.ins, fd.clean = b, fd.out[:0], ins, 0
	for k := 0; k < len(ins); k++ {
		id := ins[k]
		in := &f.Instrs[id]
		fd.s.operands(f, in)
		action := foldKeep
		// What instr keeps without looking further (the last case of its switch) is
		// kept here, without a call per instruction (issue 21).
		if op := in.Op; op == OpTrapIf || op.IsTerminator() ||
			op.Flags()&(SideEffect|CanTrap|Reads) == 0 && len(in.Results) == 1 && !isConstOp(op) {
			action = fd.instr(id)
		}
		switch action {
		case foldKeep:
			if fd.clean >= 0 {
				fd.clean++
			} else {
				fd.out = append(fd.out, id)
			}
		case foldDelete:
			fd.dirty()
			deleteInstr(f, id)
		case foldTrap:
			fd.dirty()
			fd.out = append(fd.out, id)
			for _, rest := range ins[k+1:] {
				deleteInstr(f, rest)
			}
			k = len(ins)
		}
	}
	if fd.clean < 0 {
		setInstrs(f, b, fd.out)
	}
	fd.ins = nil
}

// dirty starts out with the instructions kept so far, before the block's list changes.
func (fd *folder) dirty() {
	if fd.clean >= 0 {
		fd.out = append(fd.out[:0], fd.ins[:fd.clean]...)
		fd.clean = -1
	}
}

func (fd *folder) instr(id InstrID) foldAction {
	f := fd.f
	in := &f.Instrs[id]
	switch op := in.Op; {
	case op == OpTrapIf:
		return fd.trapIf(in)
	case op.IsTerminator():
		fd.branch(in)
		return foldKeep
	case op.Flags()&(SideEffect|CanTrap|Reads) != 0 || len(in.Results) != 1 || isConstOp(op):
		return foldKeep
	}
	// A rewrite may enable another (isub x, c becomes iadd x, -c, which may then
	// reassociate); each makes progress, and the bound only guards against a cycle.
	for range 8 {
		if fd.evalConst(id) {
			return foldKeep
		}
		r, again := fd.simplify(id)
		if r != NoValue {
			fd.s.set(f, f.Instrs[id].Results[0], r)
			return foldDelete
		}
		if !again {
			break
		}
	}
	return foldKeep
}

func isConstOp(op Op) bool {
	switch op {
	case OpIConst, OpF32Const, OpF64Const, OpV128Const, OpRefNull, OpRefFunc:
		return true
	}
	return false
}

// evalConst folds instruction id through EvalPure (a vector op through evalVector) if
// all its operands are constants.
func (fd *folder) evalConst(id InstrID) bool {
	f := fd.f
	in := &f.Instrs[id]
	if isConstOp(in.Op) || len(in.Args) > len(fd.bits) {
		return false
	}
	if isVectorOp(in.Op) {
		return fd.evalVectorConst(id)
	}
	args := fd.bits[:len(in.Args)]
	for i, a := range in.Args {
		c, ok := constOf(f, a)
		if !ok {
			return false
		}
		args[i] = c
	}
	r, ok := EvalPure(f, id, args)
	if !ok {
		return false
	}
	fd.setConst(id, r)
	return true
}

// setConst turns instruction id into a constant of its result type, keeping its result.
func (fd *folder) setConst(id InstrID, x uint64) {
	f := fd.f
	in := &f.Instrs[id]
	t := f.TypeOf(in.Results[0])
	*in = Instr{Op: constOp(t), Imm: x & typeMask(t), Results: in.Results, Block: in.Block}
}

// evalVectorConst folds a pure vector op whose operands are all constants, v128 or
// scalar, into a constant of its result type.
func (fd *folder) evalVectorConst(id InstrID) bool {
	f := fd.f
	in := &f.Instrs[id]
	var ops [3]vec
	for i, a := range in.Args {
		d := defInstr(f, a)
		switch {
		case d != nil && d.Op == OpV128Const:
			ops[i] = vec{d.Imm, d.Imm2}
		default:
			c, ok := constOf(f, a)
			if !ok {
				return false
			}
			ops[i] = vec{lo: c}
		}
	}
	r := evalVector(vecOpOf(in), ops[0], ops[1], ops[2])
	if f.TypeOf(in.Results[0]) != V128 {
		fd.setConst(id, r.lo)
		return true
	}
	*in = Instr{Op: OpV128Const, Imm: r.lo, Imm2: r.hi, Results: in.Results, Block: in.Block}
	return true
}

// newConst emits a constant of type t before the instruction being folded.
func (fd *folder) newConst(t Type, x uint64) Value {
	f := fd.f
	id := newInstr(f, Instr{Op: constOp(t), Imm: x & typeMask(t)}, fd.b, t)
	fd.dirty()
	fd.out = append(fd.out, id)
	return f.Instrs[id].Results[0]
}

// typeMask has the bits of an integer of type t set.
func typeMask(t Type) uint64 {
	if t == I32 || t == F32 {
		return 0xffffffff
	}
	return ^uint64(0)
}

// evalBinary computes op on constants a and b of type t with the evaluator EvalPure
// uses, where Fold combines the constants of two instructions into one, so that every
// constant Fold computes comes from the interpreter's own code.
func evalBinary(op Op, t Type, a, b uint64) (uint64, bool) {
	k := scalarKind(op, CondNone, t, t)
	if k == sNone {
		return 0, false
	}
	return evalScalar(k, a, b, 0)
}

// simplify applies one identity to instruction id. It returns the value that replaces
// the result, or reports whether it rewrote the instruction in place in a way that may
// enable another identity.
func (fd *folder) simplify(id InstrID) (Value, bool) {
	f := fd.f
	in := &f.Instrs[id]
	op := in.Op
	switch op {
	case OpCopy:
		return in.Args[0], false
	case OpSelect:
		return fd.simplifySelect(in)
	case OpEqz:
		return NoValue, fd.simplifyEqz(in)
	case OpWrap:
		return fd.simplifyWrap(id)
	case OpFNeg:
		if d := defInstr(f, in.Args[0]); d != nil && d.Op == OpFNeg {
			return d.Args[0], false
		}
		return NoValue, false
	}
	if len(in.Args) != 2 || !f.TypeOf(in.Args[0]).IsInt() {
		return NoValue, false
	}
	x, y := in.Args[0], in.Args[1]
	_, xc := constOf(f, x)
	cy, yc := constOf(f, y)
	if xc && !yc && (op.Flags().Has(Commutative) || op == OpICmp) {
		in.Args[0], in.Args[1] = y, x
		in.Cond = swapCond(in.Cond)
		return NoValue, true
	}
	t := f.TypeOf(x)
	ones := typeMask(t)
	width := uint64(t.Size() * 8)
	switch op {
	case OpIAdd:
		if !yc {
			break
		}
		if cy == 0 {
			return x, false
		}
		// (z + c1) + cy = z + (c1 + cy): wrapping addition is associative.
		if d := defInstr(f, x); d != nil && d.Op == OpIAdd {
			if c1, ok := constOf(f, d.Args[1]); ok {
				z := d.Args[0]
				sum, _ := evalBinary(OpIAdd, t, c1, cy)
				if sum == 0 {
					return z, false
				}
				c := fd.newConst(t, sum)
				f.Instrs[id].Args = []Value{z, c}
				return NoValue, true
			}
		}
	case OpISub:
		switch {
		case x == y:
			fd.setConst(id, 0)
		case yc && cy == 0:
			return x, false
		case yc: // x - c = x + (-c), which reassociates and numbers like any iadd
			c := fd.newConst(t, -cy)
			in = &f.Instrs[id]
			in.Op, in.Args = OpIAdd, []Value{x, c}
			return NoValue, true
		}
	case OpIMul:
		switch {
		case !yc:
		case cy == 0:
			fd.setConst(id, 0)
		case cy == 1:
			return x, false
		case cy&(cy-1) == 0: // x * 2^k = x << k, exactly, as both wrap
			c := fd.newConst(t, uint64(bits.TrailingZeros64(cy)))
			in = &f.Instrs[id]
			in.Op, in.Args = OpIShl, []Value{x, c}
			return NoValue, true
		}
	case OpIAnd:
		switch {
		case x == y, yc && cy == ones:
			return x, false
		case yc && cy == 0:
			fd.setConst(id, 0)
		}
	case OpIOr:
		switch {
		case x == y, yc && cy == 0:
			return x, false
		case yc && cy == ones:
			fd.setConst(id, ones)
		}
	case OpIXor:
		switch {
		case x == y:
			fd.setConst(id, 0)
		case yc && cy == 0:
			return x, false
		}
	case OpIShl, OpUShr, OpSShr, OpRotl, OpRotr:
		if cx, ok := constOf(f, x); ok && (cx == 0 || cx == ones && op != OpIShl && op != OpUShr) {
			fd.setConst(id, cx) // 0 shifted or rotated, and -1 rotated or shifted arithmetically
			break
		}
		if !yc {
			break
		}
		// wasm takes the amount modulo the width; masking the constant makes equal
		// shifts look equal and spares isel the question.
		amt := cy & (width - 1)
		if amt == 0 {
			return x, false
		}
		if amt != cy {
			c := fd.newConst(t, amt)
			f.Instrs[id].Args[1] = c
			return NoValue, true
		}
	case OpSDiv, OpUDiv:
		if yc && cy == 1 {
			return x, false
		}
	case OpSRem, OpURem:
		if yc && (cy == 1 || op == OpSRem && cy == ones) { // MIN srem -1 is 0 as well
			fd.setConst(id, 0)
		}
	case OpICmp:
		if fd.narrowICmp(id) {
			return NoValue, true
		}
		in = &f.Instrs[id]
		switch {
		case x == y:
			fd.setConst(id, b2u(reflexive(in.Cond)))
		case yc && cy == 0 && (in.Cond == CondULT || in.Cond == CondUGE):
			fd.setConst(id, b2u(in.Cond == CondUGE))
		case yc && cy == ones && (in.Cond == CondUGT || in.Cond == CondULE):
			fd.setConst(id, b2u(in.Cond == CondULE))
		}
	}
	return NoValue, false
}

// narrowICmp compares two widened i32s, or a widened i32 and a constant that fits, as
// i32s. Sign extension keeps both the signed and the unsigned order of i32s (negative
// values stay above the non-negative ones when read unsigned); zero extension keeps
// only equality and the unsigned order.
func (fd *folder) narrowICmp(id InstrID) bool {
	f := fd.f
	in := &f.Instrs[id]
	ext := OpInvalid
	var narrow [2]Value
	var consts [2]uint64
	for i, a := range in.Args {
		narrow[i] = NoValue
		if c, ok := constOf(f, a); ok {
			consts[i] = c
			continue
		}
		w := defInstr(f, a)
		if w == nil || (w.Op != OpZExt && w.Op != OpSExt) || ext != OpInvalid && w.Op != ext {
			return false
		}
		ext, narrow[i] = w.Op, w.Args[0]
	}
	if ext == OpInvalid {
		return false
	}
	signed := in.Cond >= CondSLT && in.Cond <= CondSGE
	if ext == OpZExt && signed {
		return false
	}
	for i := range narrow {
		if narrow[i] != NoValue {
			continue
		}
		// The constant must be the widening of an i32, or the comparison is not the same.
		c := consts[i]
		if ext == OpZExt && c>>32 != 0 || ext == OpSExt && uint64(int64(int32(c))) != c {
			return false
		}
		narrow[i] = fd.newConst(I32, c)
	}
	in = &f.Instrs[id]
	in.Args = []Value{narrow[0], narrow[1]}
	return true
}

func (fd *folder) simplifySelect(in *Instr) (Value, bool) {
	f := fd.f
	c, a, b := in.Args[0], in.Args[1], in.Args[2]
	if a == b {
		return a, false
	}
	if cc, ok := constOf(f, c); ok {
		if uint32(cc) != 0 {
			return a, false
		}
		return b, false
	}
	if x, inverted, ok := fd.condSource(c); ok {
		if inverted {
			a, b = b, a
		}
		in.Args = []Value{x, a, b}
		return NoValue, true
	}
	return NoValue, false
}

// simplifyWrap takes the low half of a widened value back to the value, and moves a
// wrap below an i64 add, sub, mul or bitwise op whose operands are all widened i32s or
// constants: the low 32 bits of those ops depend only on the operands' low 32 bits. Code
// that computes 32-bit addresses in i64, as Go's wasm port does, becomes i32 code.
func (fd *folder) simplifyWrap(id InstrID) (Value, bool) {
	f := fd.f
	d := defInstr(f, f.Instrs[id].Args[0])
	if d == nil {
		return NoValue, false
	}
	switch d.Op {
	case OpZExt, OpSExt:
		return d.Args[0], false
	case OpIAdd, OpISub, OpIMul, OpIAnd, OpIOr, OpIXor:
	default:
		return NoValue, false
	}
	op := d.Op
	var narrow [2]Value
	var consts [2]uint64
	for i, a := range d.Args {
		narrow[i] = NoValue
		if c, ok := constOf(f, a); ok {
			consts[i] = c
		} else if w := defInstr(f, a); w != nil && (w.Op == OpZExt || w.Op == OpSExt) {
			narrow[i] = w.Args[0]
		} else {
			return NoValue, false
		}
	}
	for i := range narrow {
		if narrow[i] == NoValue {
			narrow[i] = fd.newConst(I32, consts[i])
		}
	}
	in := &f.Instrs[id]
	in.Op, in.Args = op, []Value{narrow[0], narrow[1]}
	return NoValue, true
}

// simplifyEqz rewrites eqz of a comparison into the inverse comparison, and eqz of a
// widened i32 into eqz of the i32. Only eq and ne invert exactly for fcmp: !(a < b) is
// not a >= b when either is NaN.
func (fd *folder) simplifyEqz(in *Instr) bool {
	d := defInstr(fd.f, in.Args[0])
	if d == nil {
		return false
	}
	switch {
	case d.Op == OpZExt || d.Op == OpSExt:
		in.Args = []Value{d.Args[0]}
		return true
	case d.Op == OpICmp, d.Op == OpFCmp && (d.Cond == CondEq || d.Cond == CondNe):
		in.Op, in.Cond = d.Op, invertCond(d.Cond)
		in.Args = []Value{d.Args[0], d.Args[1]}
		return true
	}
	return false
}

// condSource looks through a condition c that only tests an i32 x against zero: eqz x
// (inverted) and icmp ne/eq x, 0. brif, select and trapif can test x directly.
func (fd *folder) condSource(c Value) (x Value, inverted, ok bool) {
	f := fd.f
	d := defInstr(f, c)
	if d == nil || (d.Op != OpEqz && d.Op != OpICmp) || f.TypeOf(d.Args[0]) != I32 {
		return NoValue, false, false
	}
	switch d.Op {
	case OpEqz:
		return d.Args[0], true, true
	case OpICmp:
		if z, zc := constOf(f, d.Args[1]); zc && z == 0 && (d.Cond == CondNe || d.Cond == CondEq) {
			return d.Args[0], d.Cond == CondEq, true
		}
	}
	return NoValue, false, false
}

// trapIf deletes a trapif that cannot trap and turns one that always traps into a trap.
func (fd *folder) trapIf(in *Instr) foldAction {
	for {
		if c, ok := constOf(fd.f, in.Args[0]); ok {
			if uint32(c) == 0 {
				return foldDelete
			}
			in.Op, in.Args = OpTrap, nil
			fd.cut = true
			return foldTrap
		}
		x, inverted, ok := fd.condSource(in.Args[0])
		if !ok || inverted {
			return foldKeep
		}
		in.Args[0] = x
	}
}

// branch turns a brif or brtable on a constant into a jump, and makes brif test the
// value an eqz or icmp-against-zero tests.
func (fd *folder) branch(in *Instr) {
	f := fd.f
	switch in.Op {
	case OpBrIf:
		for {
			if c, ok := constOf(f, in.Args[0]); ok {
				k := 1
				if uint32(c) != 0 {
					k = 0
				}
				in.Op, in.Args, in.Targets = OpJump, nil, []BlockCall{in.Targets[k]}
				fd.cut = true
				return
			}
			x, inverted, ok := fd.condSource(in.Args[0])
			if !ok {
				return
			}
			in.Args[0] = x
			if inverted {
				in.Targets[0], in.Targets[1] = in.Targets[1], in.Targets[0]
				fd.swapped = true
			}
		}
	case OpBrTable:
		if c, ok := constOf(f, in.Args[0]); ok {
			k := len(in.Targets) - 1 // the default
			if uint64(uint32(c)) < uint64(k) {
				k = int(uint32(c))
			}
			in.Op, in.Args, in.Targets = OpJump, nil, []BlockCall{in.Targets[k]}
			fd.cut = true
		}
	}
}

// invertCond returns the condition that holds exactly when c does not.
func invertCond(c Cond) Cond {
	switch c {
	case CondEq:
		return CondNe
	case CondNe:
		return CondEq
	case CondSLT:
		return CondSGE
	case CondSGE:
		return CondSLT
	case CondSLE:
		return CondSGT
	case CondSGT:
		return CondSLE
	case CondULT:
		return CondUGE
	case CondUGE:
		return CondULT
	case CondULE:
		return CondUGT
	case CondUGT:
		return CondULE
	}
	panic("invertCond: " + c.String())
}

// swapCond returns the condition that holds for (b, a) exactly when c holds for (a, b).
func swapCond(c Cond) Cond {
	switch c {
	case CondSLT:
		return CondSGT
	case CondSGT:
		return CondSLT
	case CondSLE:
		return CondSGE
	case CondSGE:
		return CondSLE
	case CondULT:
		return CondUGT
	case CondUGT:
		return CondULT
	case CondULE:
		return CondUGE
	case CondUGE:
		return CondULE
	}
	return c // eq, ne, and CondNone for the commutative ops
}

// reflexive reports whether integer condition c holds for equal operands.
func reflexive(c Cond) bool {
	switch c {
	case CondEq, CondSLE, CondSGE, CondULE, CondUGE:
		return true
	}
	return false
}
