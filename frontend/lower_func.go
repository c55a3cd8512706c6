package frontend

// Lowering, function bodies: one pass over the instructions, building SSA form directly.
// The operand stack holds SSA values; wasm's block results and loop parameters become
// block parameters; locals are the variables of Braun et al.'s construction
// (lower_ssa.go). Blocks are made only where control merges or splits:
//   - a block, if or function gets its end block at the first branch to its label, so a
//     block nobody branches out of costs nothing, and an if without else and without
//     branches to its label ends in its (implicit) else arm;
//   - a loop gets a header, which the entry block never is, since no branch may target it;
//   - br_if continues in a new block, as a branch ends a block.
// Code after an unconditional branch is skipped up to the else or end that makes it
// reachable again; only the nesting of blocks opened there is counted. When the function
// is complete its blocks are renumbered in the order their code was emitted, so dumps read
// top to bottom.

import (
	"fmt"

	"github.com/wasmc/wasmc/ir"
)

// ctrl is one entry of the control stack.
type ctrl struct {
	op Opcode // OpBlock (also the function body), OpLoop, OpIf, OpElse
	fn bool   // the function body: br to it returns
	// height is the operand stack height below the block's parameters.
	height int32
	// bt is the block type, whose parameters and results [funcLowerer.params] and
	// [funcLowerer.results] give; the function body's is its type, whose results are the
	// body's and whose parameters are not. A frame stores the type rather than the two
	// slices because 100,000 nested blocks are 100,000 frames: this halves them.
	bt int64
	// label is where a branch to the block goes: the loop header, or the end block,
	// ir.NoBlock until a branch needs it.
	label ir.BlockID
	// els is an if's else arm, until it is entered.
	els ir.BlockID
	// saved indexes funcLowerer.saved, where an if keeps its parameters for the else arm.
	saved int32
	// inc indexes ssaVars.incomplete: a loop header's incomplete parameters start there.
	inc int32
	// head is the block in which the block or if began, and lo the number the next write
	// of a local had then (inheritTree).
	head ir.BlockID
	lo   int32
}

// funcLowerer lowers one body at a time; its slices are reused from body to body.
type funcLowerer struct {
	mod  *moduleLowerer
	f    *ir.Func
	b    *ir.Builder
	code *Code
	fn   int // index in the function index space
	in   Instr

	vars   ssaVars
	locals localTypes
	stack  []ir.Value
	ctrls  []ctrl
	saved  []ir.Value
	// dead is set while the code being read is unreachable; skip counts the blocks
	// opened in it.
	dead bool
	skip int

	order   []ir.BlockID // blocks in the order they were entered, for the final layout
	argv    [4]ir.Value  // operand buffer for Emit, which copies it
	tgt     [2]ir.BlockCall
	args    []ir.Value // operand buffer for calls
	types   []ir.Type
	targets []ir.BlockCall
	renum   []ir.BlockID
}

// unsupported builds the error for the instruction being lowered.
func (l *funcLowerer) unsupported(what string) error {
	return &UnsupportedError{Func: l.fn, Name: l.f.Name, Offset: l.code.Source(l.in.Offset), What: what, Err: ErrSIMD}
}

// lower builds the body of function fn from code.
func (l *funcLowerer) lower(f *ir.Func, fn int, code *Code) error {
	ml := l.mod
	ft := &ml.m.Types[ml.funcType[fn]]
	l.f, l.code, l.fn = f, code, fn
	l.in.Offset = 0 // errors before the first instruction point at the body
	l.locals.reset()
	for _, t := range ft.Params {
		l.locals.add(valType(t), 1)
	}
	total := uint64(len(ft.Params))
	for _, d := range code.Locals {
		total += uint64(d.Count)
	}
	if total > 1<<24 {
		return &UnsupportedError{Func: fn, Name: f.Name, Offset: code.Source(0), What: fmt.Sprintf("%d locals", total),
			Err: ErrTooManyLocals}
	}
	for _, d := range code.Locals {
		l.locals.add(valType(d.Type), d.Count)
	}

	// Sized from the body: the Go test program lowers to 0.37 instructions and 0.31
	// values per byte of body, so most functions never regrow these tables.
	f.Reserve(len(code.Body)*2/5+16, len(code.Body)/3+16)
	if l.b == nil {
		l.b = ir.NewBuilder(f)
	} else {
		l.b.Reset(f) // the last body's chunks, for this one's lists
	}
	entry := l.b.NewEntry()
	l.vars.reset(f, l.b, &l.locals)
	l.vars.markSealed(entry)
	l.vars.tree.entry(entry)
	l.order = append(l.order[:0], entry)
	for i, p := range l.b.Params(entry) {
		l.vars.write(entry, uint32(i), p)
	}
	l.zeros(len(ft.Params))

	l.stack, l.ctrls, l.saved = l.stack[:0], l.ctrls[:0], l.saved[:0]
	l.dead, l.skip = false, 0
	l.ctrls = append(l.ctrls, ctrl{op: OpBlock, fn: true, bt: int64(ml.funcType[fn]), label: ir.NoBlock, els: ir.NoBlock,
		head: entry})

	body := code.Body
	for pos := 0; pos < len(body) && len(l.ctrls) > 0; {
		if shortLowers[body[pos]] != shortLowerNo && !l.dead {
			if pos = l.short(body, pos); pos >= len(body) || len(l.ctrls) == 0 || l.dead {
				continue
			}
		}
		next, err := ReadInstr(body, pos, code.Offset, &l.in)
		if err != nil {
			return err
		}
		pos = next
		if l.dead {
			err = l.deadInstr(&l.in)
		} else {
			err = l.instr(&l.in)
		}
		if err != nil {
			return err
		}
	}
	if len(l.ctrls) > 0 {
		return fmt.Errorf("func %d: body ends inside a block; was the module validated?", fn)
	}
	f.ResolveAliasesRenumbered(l.renumber())
	return nil
}

// zeros defines, at the top of the entry block, the zero value of each type of declared
// local, which the locals hold until they are first set.
func (l *funcLowerer) zeros(nparams int) {
	var have [len(l.vars.zero)]bool
	for i, t := range l.locals.types {
		if l.locals.ends[i] <= uint32(nparams) || have[t] {
			continue
		}
		have[t] = true
		var v ir.Value
		switch t {
		case ir.I32, ir.I64:
			v = l.b.IConst(t, 0)
		case ir.F32:
			v = l.b.F32Const(0)
		case ir.F64:
			v = l.b.F64Const(0)
		case ir.V128:
			v = l.b.V128Const(0, 0)
		default:
			v = l.value(ir.Instr{Op: ir.OpRefNull}, t)
		}
		l.vars.zero[t] = v
	}
}

// deadInstr reads an instruction of unreachable code: only the nesting matters, and the
// else or end that makes code reachable again.
func (l *funcLowerer) deadInstr(in *Instr) error {
	switch in.Op {
	case OpBlock, OpLoop, OpIf:
		l.skip++
	case OpElse:
		if l.skip == 0 {
			l.elseArm()
		}
	case OpEnd:
		if l.skip > 0 {
			l.skip--
		} else {
			l.end()
		}
	}
	return nil
}

// Operand stack helpers.

func (l *funcLowerer) push(v ir.Value) { l.stack = append(l.stack, v) }

func (l *funcLowerer) pop() ir.Value {
	v := l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	return v
}

// top returns the n values on top of the stack, without popping them.
func (l *funcLowerer) top(n int) []ir.Value { return l.stack[len(l.stack)-n:] }

// typeOf returns the type of an operand. An operand may be a block parameter that SSA
// construction has since removed as trivial and aliased, whose slot no longer has its
// type (ir.Builder.RemoveParam clears it), so the type is the aliased value's.
func (l *funcLowerer) typeOf(v ir.Value) ir.Type { return l.f.TypeOf(resolve(l.f, v)) }

// value emits in with one result of type t and returns the result. in's operands are
// copied by the Builder, so they may live in l.argv.
func (l *funcLowerer) value(in ir.Instr, t ir.Type) ir.Value {
	id := l.b.Emit(in, t)
	return l.f.Instrs[id].Results[0]
}

// args1, args2 and args3 put operands into the reusable buffer.
func (l *funcLowerer) args1(a ir.Value) []ir.Value { l.argv[0] = a; return l.argv[:1] }

func (l *funcLowerer) args2(a, b ir.Value) []ir.Value {
	l.argv[0], l.argv[1] = a, b
	return l.argv[:2]
}

func (l *funcLowerer) args3(a, b, c ir.Value) []ir.Value {
	l.argv[0], l.argv[1], l.argv[2] = a, b, c
	return l.argv[:3]
}

// jump ends the current block with a jump to blk. The Builder's own helpers build their
// operand lists as literals that escape; these use buffers, as Emit copies them.
func (l *funcLowerer) jump(blk ir.BlockID, args []ir.Value) {
	l.tgt[0] = ir.BlockCall{Block: blk, Args: args}
	l.b.Emit(ir.Instr{Op: ir.OpJump, Targets: l.tgt[:1]})
}

// brIfTo ends the current block with a branch to then, passing args, if c is non-zero,
// and to els otherwise.
func (l *funcLowerer) brIfTo(c ir.Value, then ir.BlockID, args []ir.Value, els ir.BlockID) {
	l.tgt[0] = ir.BlockCall{Block: then, Args: args}
	l.tgt[1] = ir.BlockCall{Block: els}
	l.b.Emit(ir.Instr{Op: ir.OpBrIf, Args: l.args1(c), Targets: l.tgt[:2]})
}

// newBlock makes a block whose parameters have the wasm types ts.
func (l *funcLowerer) newBlock(ts []ValType) ir.BlockID {
	l.types = l.types[:0]
	for _, t := range ts {
		l.types = append(l.types, valType(t))
	}
	return l.b.NewBlock(l.types...)
}

// setBlock continues in blk, which is entered for the first and only time.
func (l *funcLowerer) setBlock(blk ir.BlockID) {
	l.vars.tree.leave(l.b.Block())
	l.b.SetBlock(blk)
	l.order = append(l.order, blk)
	l.dead = false
}

// blockType returns a block type's parameters and results.
func (l *funcLowerer) blockType(bt int64) (params, results []ValType) {
	if bt == BlockEmpty {
		return nil, nil
	}
	if t, ok := BlockValType(bt); ok {
		return nil, single(t)
	}
	ft := &l.mod.m.Types[bt]
	return ft.Params, ft.Results
}

// params returns the types of fr's parameters.
func (l *funcLowerer) params(fr *ctrl) []ValType {
	if fr.fn {
		return nil
	}
	p, _ := l.blockType(fr.bt)
	return p
}

// results returns the types of fr's results.
func (l *funcLowerer) results(fr *ctrl) []ValType {
	_, r := l.blockType(fr.bt)
	return r
}

// frame returns the frame that label depth d targets.
func (l *funcLowerer) frame(d uint32) *ctrl { return &l.ctrls[len(l.ctrls)-1-int(d)] }

// label returns the block a branch to fr goes to, making fr's end block if needed. For the
// function body that is a block that returns its parameters.
func (l *funcLowerer) label(fr *ctrl) ir.BlockID {
	if fr.label == ir.NoBlock {
		fr.label = l.newBlock(l.results(fr))
	}
	return fr.label
}

// arity is the number of operands a branch to fr carries.
func (l *funcLowerer) arity(fr *ctrl) int {
	if fr.op == OpLoop {
		return len(l.params(fr))
	}
	return len(l.results(fr))
}

// enterJoin continues in the join block blk after the frame fr, whose operands start at
// height: all its predecessors exist now, so it is sealed, and its parameters are the
// frame's n results. A result that every edge passes the same value for is replaced by
// that value, as Braun et al. do for phis.
func (l *funcLowerer) enterJoin(blk ir.BlockID, fr *ctrl, height, n int) {
	l.vars.markSealed(blk)
	l.vars.tree.join(blk, fr.head, fr.lo)
	l.setBlock(blk)
	l.stack = append(l.stack[:height], l.b.Params(blk)[:n]...)
	for i := n - 1; i >= 0; i-- {
		l.stack[height+i] = l.vars.removeTrivial(blk, l.stack[height+i])
	}
}

// Control instructions.

func (l *funcLowerer) block(bt int64) {
	params, _ := l.blockType(bt)
	l.ctrls = append(l.ctrls, ctrl{op: OpBlock, height: int32(len(l.stack) - len(params)), bt: bt,
		label: ir.NoBlock, els: ir.NoBlock, head: l.b.Block(), lo: l.vars.tree.next()})
}

func (l *funcLowerer) loop(bt int64) {
	params, _ := l.blockType(bt)
	header := l.newBlock(params)
	height := len(l.stack) - len(params)
	from := l.b.Block()
	l.jump(header, l.stack[height:])
	l.vars.tree.loopHeader(header, from)
	l.setBlock(header)
	l.stack = append(l.stack[:height], l.b.Params(header)...)
	l.ctrls = append(l.ctrls, ctrl{op: OpLoop, height: int32(height), bt: bt,
		label: header, els: ir.NoBlock, inc: int32(len(l.vars.incomplete))})
}

func (l *funcLowerer) ifArm(bt int64) {
	params, _ := l.blockType(bt)
	cond := l.pop()
	head, lo := l.b.Block(), l.vars.tree.next()
	then, els := l.b.NewBlock(), l.b.NewBlock()
	l.brIfTo(cond, then, nil, els)
	l.vars.markSealed(then)
	l.vars.tree.child(then, head)
	height := len(l.stack) - len(params)
	saved := len(l.saved)
	l.saved = append(l.saved, l.stack[height:]...)
	l.ctrls = append(l.ctrls, ctrl{op: OpIf, height: int32(height), bt: bt,
		label: ir.NoBlock, els: els, saved: int32(saved), head: head, lo: lo})
	l.setBlock(then)
}

// elseArm ends the then arm and starts the else arm with the if's parameters.
func (l *funcLowerer) elseArm() {
	fr := &l.ctrls[len(l.ctrls)-1]
	if !l.dead {
		l.jump(l.label(fr), l.top(len(l.results(fr))))
	}
	l.stack = append(l.stack[:fr.height], l.saved[fr.saved:int(fr.saved)+len(l.params(fr))]...)
	l.saved = l.saved[:fr.saved]
	l.vars.markSealed(fr.els)
	l.vars.tree.elseArm(fr.els, fr.head, fr.lo)
	l.setBlock(fr.els)
	fr.op, fr.els = OpElse, ir.NoBlock
}

// end closes the innermost frame.
func (l *funcLowerer) end() {
	fr := l.ctrls[len(l.ctrls)-1]
	switch fr.op {
	case OpLoop:
		// Falling out of a loop continues in its last block; only the header, whose
		// back edges are now all known, changes: its incomplete parameters get their
		// arguments, and a loop parameter that is passed around unchanged goes.
		l.vars.tree.sealLoop(fr.label)
		l.vars.seal(fr.label, int(fr.inc))
		l.args = append(l.args[:0], l.b.Params(fr.label)[:len(l.params(&fr))]...)
		for i := len(l.args) - 1; i >= 0; i-- {
			l.vars.removeTrivial(fr.label, l.args[i])
		}
		if l.dead {
			l.stack = l.stack[:fr.height]
		}
	case OpIf:
		l.endIf(&fr)
	default:
		if fr.label != ir.NoBlock {
			if !l.dead {
				l.jump(fr.label, l.top(len(l.results(&fr))))
			}
			l.enterJoin(fr.label, &fr, int(fr.height), len(l.results(&fr)))
		} else if l.dead {
			l.stack = l.stack[:fr.height]
		}
	}
	l.ctrls = l.ctrls[:len(l.ctrls)-1]
	if fr.fn && !l.dead {
		l.b.Return(l.top(len(l.results(&fr)))...)
		l.dead = true
	}
}

// endIf closes an if without else, whose else arm passes the parameters on as results.
func (l *funcLowerer) endIf(fr *ctrl) {
	results := l.results(fr)
	n := len(results)
	params := l.saved[fr.saved : int(fr.saved)+n]
	if fr.label == ir.NoBlock {
		// Nothing branched to the label: the else arm is the join. Its only edge so far,
		// from the if, passes the parameters.
		edge := l.b.Preds(fr.els)[0]
		for i, t := range results {
			l.b.AddParam(fr.els, valType(t))
			l.b.AppendArg(edge, params[i])
		}
		if !l.dead {
			l.jump(fr.els, l.top(n))
		}
		l.enterJoin(fr.els, fr, int(fr.height), n)
	} else {
		if !l.dead {
			l.jump(fr.label, l.top(n))
		}
		l.vars.markSealed(fr.els)
		l.vars.tree.elseArm(fr.els, fr.head, fr.lo)
		l.setBlock(fr.els)
		l.jump(fr.label, params)
		l.enterJoin(fr.label, fr, int(fr.height), n)
	}
	l.saved = l.saved[:fr.saved]
}

func (l *funcLowerer) br(d uint32) {
	fr := l.frame(d)
	if fr.fn {
		l.b.Return(l.top(len(l.results(fr)))...)
	} else {
		l.jump(l.label(fr), l.top(l.arity(fr)))
	}
	l.dead = true
}

func (l *funcLowerer) brIf(d uint32) {
	cond := l.pop()
	fr := l.frame(d)
	from := l.b.Block()
	cont := l.b.NewBlock()
	l.brIfTo(cond, l.label(fr), l.top(l.arity(fr)), cont)
	l.vars.markSealed(cont)
	l.vars.tree.child(cont, from)
	l.setBlock(cont)
}

func (l *funcLowerer) brTable(in *Instr) {
	idx := l.pop()
	def := l.frame(in.Idx)
	args := l.top(l.arity(def))
	l.targets = l.targets[:0]
	for _, d := range in.Labels {
		l.targets = append(l.targets, ir.BlockCall{Block: l.label(l.frame(d)), Args: args})
	}
	l.targets = append(l.targets, ir.BlockCall{Block: l.label(def), Args: args})
	l.b.Emit(ir.Instr{Op: ir.OpBrTable, Args: l.args1(idx), Targets: l.targets})
	l.dead = true
}

// renumber gives the blocks numbers in the order they were entered, which is the order
// of their code, and lays them out in that order. It moves the blocks and returns the
// new number of each old one, for the caller to rewrite the references with
// ([ir.Func.ResolveAliasesRenumbered]), or nil if the numbers stay. Every block made is
// entered exactly once; if that ever fails, the numbering is left alone and the
// verifier will say why.
func (l *funcLowerer) renumber() []ir.BlockID {
	f := l.f
	if len(l.order) != len(f.Blocks) {
		return nil
	}
	identity := true
	l.renum = l.renum[:0]
	for range f.Blocks {
		l.renum = append(l.renum, ir.NoBlock)
	}
	for i, blk := range l.order {
		if l.renum[blk] != ir.NoBlock {
			return nil
		}
		l.renum[blk] = ir.BlockID(i)
		identity = identity && blk == ir.BlockID(i)
	}
	if identity {
		return nil
	}
	// Blocks move to their new numbers in place, one cycle of the permutation at a time:
	// a copy of the array was the largest allocation at the end of lowering, when a huge
	// function's lowering state and body are both live (the peak of -O2's memory on
	// 100,000 nested ifs). A moved block's renum entry becomes its own number, which
	// marks it done; the entries are rebuilt from l.order for the rewriting.
	for start := range f.Blocks {
		for l.renum[start] != ir.BlockID(start) {
			to := l.renum[start]
			f.Blocks[start], f.Blocks[to] = f.Blocks[to], f.Blocks[start]
			l.renum[start], l.renum[to] = l.renum[to], to
		}
	}
	for i, blk := range l.order {
		l.renum[blk] = ir.BlockID(i)
	}
	for i := range f.Layout {
		f.Layout[i] = ir.BlockID(i)
	}
	return l.renum
}
