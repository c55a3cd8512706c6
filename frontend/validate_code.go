package frontend

import (
	"errors"
	"fmt"
	"math"
)

// unknown is the type of an operand popped from the polymorphic stack of unreachable
// code: it matches every type. No value type has encoding 0, so it cannot collide.
const unknown ValType = 0

// ctrlFrame is one entry of the control stack of the spec's validation algorithm.
type ctrlFrame struct {
	op    Opcode    // OpBlock, OpLoop, OpIf, OpElse; OpBlock for the function's body
	start []ValType // parameters of the block type
	end   []ValType // results of the block type
	// height is the operand stack's height below the block's parameters: code inside
	// the block may not pop below it.
	height int
	// unreachable is set after an unconditional branch: the rest of the block pops
	// unknown values from an empty stack instead of failing.
	unreachable bool
}

// labelTypes are the operands a branch to the frame carries: a loop's label is its start.
func (f *ctrlFrame) labelTypes() []ValType {
	if f.op == OpLoop {
		return f.start
	}
	return f.end
}

// localRun declares locals [previous run's end, end) of type t. Locals are kept as runs,
// as declared, because a body may declare 2^32 - 1 of them in a handful of bytes.
type localRun struct {
	end uint64
	t   ValType
}

// maxFlatLocals bounds the locals expanded into a slice for direct indexing; functions
// with more fall back to binary search over runs.
const maxFlatLocals = 1 << 16

// codeValidator checks function bodies. One serves all bodies of a module, so that its
// stacks, locals and instruction buffer are allocated once.
type codeValidator struct {
	mod *moduleValidator

	code    *Code
	fn      int // index in the function index space
	results []ValType

	vals    []ValType
	ctrls   []ctrlFrame
	scratch []ValType // br_table's label operands

	runs   []localRun
	flat   []ValType // the locals by index, when there are at most maxFlatLocals
	nlocal uint64

	in  Instr
	cur int // body offset of the instruction being checked
}

// errorf builds the error for the current instruction.
func (v *codeValidator) errorf(format string, args ...any) error {
	return v.errorAt(v.cur, format, args...)
}

// errorAt builds an error for body offset off.
func (v *codeValidator) errorAt(off int, format string, args ...any) error {
	return &ValidationError{Offset: v.code.Source(off), Func: v.fn, Msg: fmt.Sprintf(format, args...)}
}

// function checks the body of function fn, of type ft. The body is one block whose label
// is the function's results; it ends with the end that empties the control stack.
// Problems with the local declarations are reported at the start of the body.
func (v *codeValidator) function(fn int, c *Code, ft *FuncType) error {
	v.code, v.fn, v.results = c, fn, ft.Results
	v.cur = 0
	if err := v.setLocals(ft.Params, c.Locals); err != nil {
		return err
	}
	v.vals = v.vals[:0]
	v.ctrls = v.ctrls[:0]
	v.pushCtrl(OpBlock, nil, ft.Results)

	body := c.Body
	pos := 0
	for pos < len(body) && len(v.ctrls) > 0 {
		if shortChecks[body[pos]] {
			if pos = v.short(body, pos); pos >= len(body) || len(v.ctrls) == 0 {
				continue
			}
		}
		next, err := ReadInstr(body, pos, 0, &v.in)
		if err != nil {
			off := pos
			var de *DecodeError
			if errors.As(err, &de) {
				off = int(de.Offset)
			}
			return v.errorAt(off, "%s", decodeMsg(err))
		}
		v.cur = pos
		if !v.fast(&v.in) {
			if err := v.instr(&v.in); err != nil {
				return err
			}
		}
		pos = next
	}
	if len(v.ctrls) > 0 {
		return v.errorAt(len(body), "unexpected end of function: %d blocks not closed", len(v.ctrls))
	}
	if pos != len(body) {
		return v.errorAt(pos, "operators remaining after end of function")
	}
	return nil
}

// setLocals lays out the locals: parameters first, then the declared ones.
func (v *codeValidator) setLocals(params []ValType, decls []LocalDecl) error {
	v.runs = v.runs[:0]
	n := uint64(0)
	for _, t := range params {
		n++
		v.runs = append(v.runs, localRun{end: n, t: t})
	}
	for _, d := range decls {
		if !d.Type.IsValid() {
			return v.errorAt(0, "malformed value type %s", d.Type)
		}
		n += uint64(d.Count)
		if n > math.MaxUint32 {
			return v.errorAt(0, "too many locals")
		}
		v.runs = append(v.runs, localRun{end: n, t: d.Type})
	}
	v.nlocal = n
	v.flat = v.flat[:0]
	if n <= maxFlatLocals {
		prev := uint64(0)
		for _, r := range v.runs {
			for ; prev < r.end; prev++ {
				v.flat = append(v.flat, r.t)
			}
		}
	}
	return nil
}

// local returns the type of local x.
func (v *codeValidator) local(x uint32) (ValType, error) {
	if uint64(x) >= v.nlocal {
		return 0, v.errorf("unknown local %d", x)
	}
	if v.nlocal <= maxFlatLocals {
		return v.flat[x], nil
	}
	lo, hi := 0, len(v.runs)
	for lo < hi { // first run that ends after x
		mid := (lo + hi) / 2
		if v.runs[mid].end <= uint64(x) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return v.runs[lo].t, nil
}

// The operand and control stacks, as in the spec's appendix.

func (v *codeValidator) push(t ValType) { v.vals = append(v.vals, t) }

func (v *codeValidator) pushAll(ts []ValType) {
	if len(ts) == 1 { // most instructions' results: append's copy is a call
		v.vals = append(v.vals, ts[0])
		return
	}
	v.vals = append(v.vals, ts...)
}

// pop removes the top operand, or returns unknown from the polymorphic stack of
// unreachable code.
func (v *codeValidator) pop() (ValType, error) {
	f := &v.ctrls[len(v.ctrls)-1]
	n := len(v.vals)
	if n == f.height {
		if f.unreachable {
			return unknown, nil
		}
		return 0, v.errorf("type mismatch: %s expects an operand, but the stack is empty", v.in.Op)
	}
	t := v.vals[n-1]
	v.vals = v.vals[:n-1]
	return t, nil
}

// popWant pops an operand of type want.
func (v *codeValidator) popWant(want ValType) error {
	f := &v.ctrls[len(v.ctrls)-1]
	n := len(v.vals)
	if n == f.height {
		if f.unreachable {
			return nil
		}
		return v.errorf("type mismatch: %s expects %s, but the stack is empty", v.in.Op, want)
	}
	t := v.vals[n-1]
	v.vals = v.vals[:n-1]
	if t != want && t != unknown && want != unknown {
		return v.errorf("type mismatch: %s expects %s, got %s", v.in.Op, want, t)
	}
	return nil
}

// popAll pops operands of types ts, the last one first.
func (v *codeValidator) popAll(ts []ValType) error {
	// Valid code mostly has the operands, of exactly these types, above the frame's
	// height: checked in one pass, without a call per operand. Anything else (too few,
	// unknown, a mismatch to report) takes the operand-by-operand way from the start.
	if n := len(v.vals) - len(ts); n >= v.ctrls[len(v.ctrls)-1].height {
		top := v.vals[n:]
		i := 0
		for i < len(ts) && i < len(top) && top[i] == ts[i] {
			i++
		}
		if i == len(ts) {
			v.vals = v.vals[:n]
			return nil
		}
	}
	for i := len(ts) - 1; i >= 0; i-- {
		if err := v.popWant(ts[i]); err != nil {
			return err
		}
	}
	return nil
}

// pushCtrl enters a block whose parameters the caller has popped: they are pushed again
// above the new frame's height.
func (v *codeValidator) pushCtrl(op Opcode, start, end []ValType) {
	v.ctrls = append(v.ctrls, ctrlFrame{op: op, start: start, end: end, height: len(v.vals)})
	v.pushAll(start)
}

// popCtrl closes the innermost block: its results must be exactly what is left above
// its height.
func (v *codeValidator) popCtrl() (ctrlFrame, error) {
	if err := v.popAll(v.ctrls[len(v.ctrls)-1].end); err != nil {
		return ctrlFrame{}, err
	}
	f := v.ctrls[len(v.ctrls)-1]
	if len(v.vals) != f.height {
		return ctrlFrame{}, v.errorf("type mismatch: block returns %s, but %d more operand(s) are left on the stack",
			typeList(f.end), len(v.vals)-f.height)
	}
	v.ctrls = v.ctrls[:len(v.ctrls)-1]
	return f, nil
}

// setUnreachable makes the rest of the innermost block stack-polymorphic.
func (v *codeValidator) setUnreachable() {
	f := &v.ctrls[len(v.ctrls)-1]
	v.vals = v.vals[:f.height]
	f.unreachable = true
}

// label returns the frame that label depth l targets.
func (v *codeValidator) label(l uint32) (*ctrlFrame, error) {
	if uint64(l) >= uint64(len(v.ctrls)) {
		return nil, v.errorf("unknown label %d", l)
	}
	return &v.ctrls[len(v.ctrls)-1-int(l)], nil
}

// blockType returns the parameters and results of a block type.
func (v *codeValidator) blockType(bt int64) (start, end []ValType, err error) {
	if bt == BlockEmpty {
		return nil, nil, nil
	}
	if t, ok := BlockValType(bt); ok {
		return nil, single(t), nil
	}
	if bt < 0 || bt >= int64(len(v.mod.m.Types)) {
		return nil, nil, v.errorf("unknown type %d", bt)
	}
	ft := &v.mod.m.Types[bt]
	return ft.Params, ft.Results, nil
}

// singles backs the one-type result lists of block types, so that a block costs no
// allocation.
var singles = [...]ValType{I32, I64, F32, F64, V128, FuncRef, ExternRef}

// single returns the list [t] without allocating.
func single(t ValType) []ValType {
	for i := range singles {
		if singles[i] == t {
			return singles[i : i+1 : i+1]
		}
	}
	return []ValType{t} // unreachable: ReadInstr accepts only valid types
}

// instr checks one instruction.
func (v *codeValidator) instr(in *Instr) error {
	info, _ := Info(in.Op) // ReadInstr accepted the opcode
	if info.Fixed {
		return v.fixed(in, info)
	}
	switch in.Op {
	case OpUnreachable:
		v.setUnreachable()
	case OpNop:
	case OpBlock, OpLoop:
		start, end, err := v.blockType(in.BlockType)
		if err != nil {
			return err
		}
		if err := v.popAll(start); err != nil {
			return err
		}
		v.pushCtrl(in.Op, start, end)
	case OpIf:
		start, end, err := v.blockType(in.BlockType)
		if err != nil {
			return err
		}
		if err := v.popWant(I32); err != nil {
			return err
		}
		if err := v.popAll(start); err != nil {
			return err
		}
		v.pushCtrl(OpIf, start, end)
	case OpElse:
		if v.ctrls[len(v.ctrls)-1].op != OpIf {
			return v.errorf("else without matching if")
		}
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		v.pushCtrl(OpElse, f.start, f.end)
	case OpEnd:
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		if f.op == OpIf {
			// An if without else has an empty else, which must turn the block's
			// parameters into its results.
			v.pushCtrl(OpElse, f.start, f.end)
			if f, err = v.popCtrl(); err != nil {
				return err
			}
		}
		v.pushAll(f.end)
	case OpBr:
		f, err := v.label(in.Idx)
		if err != nil {
			return err
		}
		if err := v.popAll(f.labelTypes()); err != nil {
			return err
		}
		v.setUnreachable()
	case OpBrIf:
		f, err := v.label(in.Idx)
		if err != nil {
			return err
		}
		if err := v.popWant(I32); err != nil {
			return err
		}
		ts := f.labelTypes()
		if err := v.popAll(ts); err != nil {
			return err
		}
		v.pushAll(ts)
	case OpBrTable:
		return v.brTable(in)
	case OpReturn:
		if err := v.popAll(v.results); err != nil {
			return err
		}
		v.setUnreachable()
	case OpCall:
		if uint64(in.Idx) >= uint64(len(v.mod.funcs)) {
			return v.errorf("unknown function %d", in.Idx)
		}
		return v.call(&v.mod.m.Types[v.mod.funcs[in.Idx]])
	case OpCallIndirect:
		return v.callIndirect(in)
	case OpDrop:
		_, err := v.pop()
		return err
	case OpSelect:
		return v.selectUntyped()
	case OpSelectT:
		return v.selectTyped(in)
	case OpLocalGet, OpLocalSet, OpLocalTee:
		return v.localOp(in)
	case OpGlobalGet, OpGlobalSet:
		return v.globalOp(in)
	case OpRefNull:
		v.push(in.RefType)
	case OpRefIsNull:
		t, err := v.pop()
		if err != nil {
			return err
		}
		if t != unknown && !t.IsRef() {
			return v.errorf("type mismatch: ref.is_null expects a reference, got %s", t)
		}
		v.push(I32)
	case OpRefFunc:
		if uint64(in.Idx) >= uint64(len(v.mod.funcs)) {
			return v.errorf("unknown function %d", in.Idx)
		}
		if !v.mod.refs[in.Idx] {
			return v.errorf("undeclared function reference %d", in.Idx)
		}
		v.push(FuncRef)
	default:
		return v.memOrTableOp(in)
	}
	return nil
}

// fixed checks an instruction whose operand and result types the opcode table gives,
// after the checks on its immediates: memory argument, lane index.
func (v *codeValidator) fixed(in *Instr, info *OpInfo) error {
	switch info.Imm {
	case ImmMemArg, ImmMemArgLane:
		if err := v.memArg(in, info); err != nil {
			return err
		}
		if info.Imm == ImmMemArgLane && in.Lane >= info.Lanes {
			return v.errorf("invalid lane index %d: %s has %d lanes", in.Lane, in.Op, info.Lanes)
		}
	case ImmLane:
		if in.Lane >= info.Lanes {
			return v.errorf("invalid lane index %d: %s has %d lanes", in.Lane, in.Op, info.Lanes)
		}
	case ImmShuffle:
		for _, l := range in.V128 {
			if l >= info.Lanes {
				return v.errorf("invalid lane index %d: i8x16.shuffle selects from %d lanes", l, info.Lanes)
			}
		}
	}
	if err := v.popAll(info.In); err != nil {
		return err
	}
	v.pushAll(info.Out)
	return nil
}

// brTable checks br_table. All targets must carry the same number of operands; under the
// polymorphic stack their types may differ (the spec's "meet-bottom"), so each target's
// types are popped and the popped values, unknown or not, pushed back for the next one.
func (v *codeValidator) brTable(in *Instr) error {
	def, err := v.label(in.Idx)
	if err != nil {
		return err
	}
	if err := v.popWant(I32); err != nil {
		return err
	}
	arity := len(def.labelTypes())
	for _, l := range in.Labels {
		f, err := v.label(l)
		if err != nil {
			return err
		}
		ts := f.labelTypes()
		if len(ts) != arity {
			return v.errorf("type mismatch: br_table target %d carries %d values, default target %d carries %d",
				l, len(ts), in.Idx, arity)
		}
		v.scratch = v.scratch[:0]
		for i := len(ts) - 1; i >= 0; i-- {
			t, err := v.pop()
			if err != nil {
				return err
			}
			if t != ts[i] && t != unknown {
				return v.errorf("type mismatch: br_table target %d expects %s, got %s", l, ts[i], t)
			}
			v.scratch = append(v.scratch, t)
		}
		for i := len(v.scratch) - 1; i >= 0; i-- {
			v.push(v.scratch[i])
		}
	}
	if err := v.popAll(def.labelTypes()); err != nil {
		return err
	}
	v.setUnreachable()
	return nil
}

// call types a call of a function of type ft, direct or indirect.
func (v *codeValidator) call(ft *FuncType) error {
	if err := v.popAll(ft.Params); err != nil {
		return err
	}
	v.pushAll(ft.Results)
	return nil
}

// callIndirect checks call_indirect's table and type before its operands, in the
// reference interpreter's order. Only a table of funcref can be called through.
func (v *codeValidator) callIndirect(in *Instr) error {
	et, err := v.table(in.Idx2)
	if err != nil {
		return err
	}
	if uint64(in.Idx) >= uint64(len(v.mod.m.Types)) {
		return v.errorf("unknown type %d", in.Idx)
	}
	if et != FuncRef {
		return v.errorf("type mismatch: call_indirect needs a table of funcref, table %d holds %s", in.Idx2, et)
	}
	if err := v.popWant(I32); err != nil {
		return err
	}
	return v.call(&v.mod.m.Types[in.Idx])
}

// selectUntyped checks select without a type, which WebAssembly 2.0 allows only on
// numeric and vector operands: a reference type needs the typed form.
func (v *codeValidator) selectUntyped() error {
	if err := v.popWant(I32); err != nil {
		return err
	}
	t1, err := v.pop()
	if err != nil {
		return err
	}
	t2, err := v.pop()
	if err != nil {
		return err
	}
	if t1.IsRef() || t2.IsRef() {
		return v.errorf("type mismatch: select without a type needs numeric or vector operands, got %s and %s",
			nameOf(t2), nameOf(t1))
	}
	if t1 != t2 && t1 != unknown && t2 != unknown {
		return v.errorf("type mismatch: select operands %s and %s differ", t2, t1)
	}
	if t1 == unknown {
		t1 = t2
	}
	v.push(t1)
	return nil
}

// selectTyped checks select with types, which WebAssembly 2.0 limits to exactly one.
func (v *codeValidator) selectTyped(in *Instr) error {
	if len(in.Types) != 1 {
		return v.errorf("invalid result arity: select takes one type, got %d", len(in.Types))
	}
	t := in.Types[0]
	if err := v.popWant(I32); err != nil {
		return err
	}
	if err := v.popWant(t); err != nil {
		return err
	}
	if err := v.popWant(t); err != nil {
		return err
	}
	v.push(t)
	return nil
}

// nameOf prints a type that may be unknown.
func nameOf(t ValType) string {
	if t == unknown {
		return "unknown"
	}
	return t.String()
}

// localOp checks local.get, local.set and local.tee.
func (v *codeValidator) localOp(in *Instr) error {
	t, err := v.local(in.Idx)
	if err != nil {
		return err
	}
	switch in.Op {
	case OpLocalGet:
		v.push(t)
	case OpLocalSet:
		return v.popWant(t)
	case OpLocalTee:
		if err := v.popWant(t); err != nil {
			return err
		}
		v.push(t)
	}
	return nil
}

// globalOp checks global.get and global.set; only a mutable global can be set.
func (v *codeValidator) globalOp(in *Instr) error {
	if uint64(in.Idx) >= uint64(len(v.mod.globals)) {
		return v.errorf("unknown global %d", in.Idx)
	}
	g := v.mod.globals[in.Idx]
	if in.Op == OpGlobalGet {
		v.push(g.Type)
		return nil
	}
	if !g.Mutable {
		return v.errorf("global is immutable: global.set of global %d", in.Idx)
	}
	return v.popWant(g.Type)
}
