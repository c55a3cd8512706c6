package ir

// Helpers the passes share: replacing values, deleting instructions and blocks, and
// reading constants. They work on the dense tables directly, so a pass stays linear in
// the size of the function; none keeps state between calls.

// subst records, for each value, the value that replaces it: s[v] is 1 + that value, and 0
// when none does, so that growing s clears memory rather than storing NoValue in a loop
// per element, which was a tenth of CopyProp's time (issue 21). Passes fill it while they
// walk and rewrite operands through resolve, either as they go (a walk in an order where
// definitions come before uses) or in one sweep at the end (rewriteUses). The zero subst
// replaces nothing and allocates nothing, which is what most passes over most functions
// need.
type subst []Value

// set records that v is replaced by to; v may be a value created during the pass.
func (s *subst) set(f *Func, v, to Value) {
	if int(v) >= len(*s) {
		n := max(len(f.Values), int(v)+1)
		grown := subst(takeScratch[Value](&valuesPool, n, n+n/8))
		clear(grown[copy(grown, *s):])
		s.release()
		*s = grown
	}
	(*s)[v] = to + 1
}

// replaced reports whether s records a replacement of v.
func (s subst) replaced(v Value) bool { return uint(v) < uint(len(s)) && s[v] != 0 }

// release gives s's array back for the next pass to use, when the pass is done with s.
func (s *subst) release() {
	giveScratch(&valuesPool, *s)
	*s = nil
}

// resolve follows replacements and the Builder's aliases from v to the value that stands
// for it, shortening the chain it walked so the next lookup is one step.
func (s subst) resolve(f *Func, v Value) Value {
	r := v
	for n := 0; ; n++ {
		if n > len(f.Values) {
			panic("substitution cycle at " + v.String())
		}
		switch {
		case int(r) < len(s) && s[r] != 0:
			r = s[r] - 1
		case int(r) < len(f.Values) && f.Values[r].Kind == DefAlias:
			r = f.Values[r].Alias
		default:
			for v != r && int(v) < len(s) && s[v] != 0 {
				v, s[v] = s[v]-1, r+1
			}
			return r
		}
	}
}

// operands rewrites the operands and branch arguments of one instruction through s.
// With nothing replaced yet it returns at once. It follows no alias it is not led to
// through s: verified IR uses none (CopyProp, through rewriteUses, is what resolves
// those a Builder leaves), so the passes that call it as they walk test s alone.
func (s subst) operands(f *Func, in *Instr) {
	// Small enough to be inlined, so that a pass that has replaced nothing yet, as GVN,
	// RLE and Fold on most functions, does not call the walk for every instruction.
	if len(s) > 0 {
		s.walkOperands(f, in)
	}
}

// walkOperands is operands on a non-empty s.
func (s subst) walkOperands(f *Func, in *Instr) {
	// Most operands stand for themselves: the test is inlined, the walk is called only
	// for the others. Testing s's entry alone, rather than also whether the value is an
	// alias, which reads the value's record, was a third of GVN's walk (issue 21).
	for i, a := range in.Args {
		if uint(a) < uint(len(s)) && s[a] != 0 {
			in.Args[i] = s.resolve(f, a)
		}
	}
	for t := range in.Targets {
		args := in.Targets[t].Args
		for i, a := range args {
			if uint(a) < uint(len(s)) && s[a] != 0 {
				args[i] = s.resolve(f, a)
			}
		}
	}
}

// moves reports whether resolve may return other than v: v is replaced, or an alias.
func (s subst) moves(f *Func, v Value) bool {
	return uint(v) < uint(len(s)) && s[v] != 0 || uint(v) < uint(len(f.Values)) && f.Values[v].Kind == DefAlias
}

// rewriteUses rewrites every operand of the instructions of blocks through s. aliases
// says whether f may hold Builder aliases ([hasAliases]), which resolve follows; then
// every laid-out block is walked, since an alias may be used anywhere. Otherwise blocks
// must hold every use of a value s replaces: f.Layout, or the blocks from the first
// defining one in reverse postorder, since every use is dominated by its definition.
func rewriteUses(f *Func, s subst, aliases bool, blocks []BlockID) {
	if len(s) == 0 && !aliases {
		return
	}
	if aliases {
		for _, b := range f.Layout {
			for _, id := range f.Blocks[b].Instrs {
				in := &f.Instrs[id]
				for i, a := range in.Args {
					if s.moves(f, a) {
						in.Args[i] = s.resolve(f, a)
					}
				}
				for t := range in.Targets {
					args := in.Targets[t].Args
					for i, a := range args {
						if s.moves(f, a) {
							args[i] = s.resolve(f, a)
						}
					}
				}
			}
		}
		return
	}
	// Without aliases only s moves a value: the test is s's entry alone, made here for
	// every operand rather than in a call per instruction, which was most of what CopyProp
	// spent rewriting (issue 21).
	// Only the terminator, last in its block, has targets: they are rewritten once per
	// block rather than tested for in every instruction (issue 21).
	for _, b := range blocks {
		for _, id := range f.Blocks[b].Instrs {
			args := f.Instrs[id].Args
			for i, a := range args {
				if uint(a) < uint(len(s)) && s[a] != 0 {
					args[i] = s.resolve(f, a)
				}
			}
		}
		if t := f.Terminator(b); t != nil {
			for k := range t.Targets {
				args := t.Targets[k].Args
				for i, a := range args {
					if uint(a) < uint(len(s)) && s[a] != 0 {
						args[i] = s.resolve(f, a)
					}
				}
			}
		}
	}
}

// deleteInstr takes instruction id out of the function: its results become free slots
// and it belongs to no block. The caller removes it from its block's list.
func deleteInstr(f *Func, id InstrID) {
	in := &f.Instrs[id]
	for _, r := range in.Results {
		f.Values[r] = ValueData{}
	}
	in.Block = NoBlock
}

// deleteBlock frees block b's parameters and instructions; the caller takes b out of
// the layout.
func deleteBlock(f *Func, b BlockID) {
	blk := &f.Blocks[b]
	for _, p := range blk.Params {
		f.Values[p] = ValueData{}
	}
	for _, id := range blk.Instrs {
		deleteInstr(f, id)
	}
	*blk = Block{}
}

// hasAliases reports whether any value is a Builder alias, which resolve follows.
func hasAliases(f *Func) bool {
	for i := range f.Values {
		if f.Values[i].Kind == DefAlias {
			return true
		}
	}
	return false
}

// reachableCFG deletes the blocks the entry cannot reach and returns the CFG of what is
// left. Passes call it first, so that every remaining use is dominated by its definition
// and a dominance-order walk sees each definition before its uses; the verifier exempts
// uses in unreachable blocks, which deleting a value would otherwise leave dangling.
// Handing the CFG on saves the pass another [Func.CFG] check, which walks every edge.
func reachableCFG(f *Func) *CFG {
	if h, ok := f.takeHandoff(); ok && h.cfg {
		return f.cfg.cfg
	}
	c := f.CFG()
	if removeUnreachableOf(f, c) {
		c = f.CFG()
	}
	return c
}

// removeUnreachable deletes the blocks the entry cannot reach and reports whether there
// were any. It asks the CFG only when the cached one is still current: after a pass cut
// branches, building a CFG to learn what is reachable left it stale the moment blocks
// were deleted, and on a huge function it was most of what Fold allocated, alive next to
// the previous CFG (issue 19). Walking the branches ([Func.Reachable]) is enough.
func removeUnreachable(f *Func) bool {
	if _, ok := f.takeHandoff(); ok {
		return false
	}
	if c := &f.cfg; c.cfg != nil && f.cfgKeySame(c.key) {
		return removeUnreachableOf(f, c.cfg)
	}
	f.cfg.cfg = nil // stale: the next Func.CFG builds it again anyway
	return deleteUnreached(f, f.Reachable())
}

// removeUnreachableCFG is removeUnreachable for a pass that uses the CFG next if it is
// current: it returns f's CFG when the cached one is current and stays so (no block was
// unreachable), else nil, having then built none.
func removeUnreachableCFG(f *Func) *CFG {
	if h, ok := f.takeHandoff(); ok {
		if h.cfg {
			return f.cfg.cfg
		}
		return nil
	}
	if c := &f.cfg; c.cfg != nil && f.cfgKeySame(c.key) {
		if removeUnreachableOf(f, c.cfg) {
			return nil
		}
		return c.cfg
	}
	f.cfg.cfg = nil // stale, as in removeUnreachable
	deleteUnreached(f, f.Reachable())
	return nil
}

// deleteUnreached deletes the blocks of the layout that reach does not mark and reports
// whether there were any.
func deleteUnreached(f *Func, reach []bool) bool {
	out := f.Layout[:0]
	for _, b := range f.Layout {
		if reach[b] {
			out = append(out, b)
		} else {
			deleteBlock(f, b)
		}
	}
	cut := len(out) < len(f.Layout)
	f.Layout = out
	return cut
}

// reachableRPO deletes the blocks the entry cannot reach, as reachableCFG does, and
// returns the reverse postorder of what is left, for a pass that needs no more of the
// CFG: it builds none unless the cached one is current (see [Func.reversePostorder]).
// Deleting unreachable blocks changes no reachable block's successors, so the order is
// the same before and after.
func reachableRPO(f *Func) []BlockID {
	rpo, _ := reachableOrder(f)
	return rpo
}

// reachableOrder is reachableRPO, and also reports whether the cached CFG is current,
// for a pass that hands that on at its end ([Func.leaveHandoff]).
func reachableOrder(f *Func) (rpo []BlockID, current bool) {
	h, ok := f.takeHandoff()
	return reachableOrderWith(f, h, ok)
}

// reachableOrderWith is reachableOrder for a pass that took the handoff h itself (if
// ok), to read more of it.
func reachableOrderWith(f *Func, h cfgHandoff, ok bool) (rpo []BlockID, current bool) {
	if ok {
		switch {
		case h.cfg:
			return f.cfg.cfg.RPO, true
		case h.rpo != nil:
			return h.rpo, false
		}
	}
	if c := &f.cfg; c.cfg != nil && f.cfgKeySame(c.key) {
		// reachableCFG, without comparing the key with every branch a second time
		if removeUnreachableOf(f, c.cfg) {
			return f.CFG().RPO, true
		}
		return c.cfg.RPO, true
	}
	f.cfg.cfg = nil // stale
	rpo = f.reversePostorder()
	if len(rpo) != len(f.Layout) {
		reach := make([]bool, len(f.Blocks))
		for _, b := range rpo {
			reach[b] = true
		}
		deleteUnreached(f, reach)
	}
	return rpo, false
}

// removeUnreachableOf is removeUnreachable given f's current CFG.
func removeUnreachableOf(f *Func, c *CFG) bool {
	if len(c.RPO) == len(f.Layout) {
		return false
	}
	out := f.Layout[:0]
	for _, b := range f.Layout {
		if c.Reachable(b) {
			out = append(out, b)
		} else {
			deleteBlock(f, b)
		}
	}
	f.Layout = out
	return true
}

// setInstrs replaces block b's instruction list with list, reusing the block's array
// when list fits in it (never writing past its length, which another block may share).
func setInstrs(f *Func, b BlockID, list []InstrID) {
	old := f.Blocks[b].Instrs
	if len(list) <= len(old) {
		f.Blocks[b].Instrs = old[:copy(old, list)]
		return
	}
	f.Blocks[b].Instrs = append([]InstrID(nil), list...)
}

// newInstr appends in to the instruction table with one result of each given type and
// returns its ID; the caller puts it in block b's list. Pointers into f.Instrs taken
// before the call are invalid after it.
func newInstr(f *Func, in Instr, b BlockID, results ...Type) InstrID {
	id := InstrID(len(f.Instrs))
	in.Block = b
	in.Results = nil
	if len(results) > 0 {
		in.Results = make([]Value, len(results))
		for i, t := range results {
			in.Results[i] = f.newValue(ValueData{Type: t, Kind: DefResult, Instr: id, Index: uint32(i)})
		}
	}
	f.Instrs = append(f.Instrs, in)
	return id
}

// defInstr returns the instruction defining v, or nil for a parameter or a free slot.
func defInstr(f *Func, v Value) *Instr {
	if int(v) >= len(f.Values) || f.Values[v].Kind != DefResult {
		return nil
	}
	return &f.Instrs[f.Values[v].Instr]
}

// defBlock returns the block defining v, or NoBlock.
func defBlock(f *Func, v Value) BlockID {
	if int(v) >= len(f.Values) {
		return NoBlock
	}
	switch d := f.Values[v]; d.Kind {
	case DefParam:
		return d.Block
	case DefResult:
		return f.Instrs[d.Instr].Block
	}
	return NoBlock
}

// constOf returns the bits of v if an iconst, f32const or f64const defines it, in the
// form [EvalPure] takes.
func constOf(f *Func, v Value) (uint64, bool) {
	in := defInstr(f, v)
	if in == nil {
		return 0, false
	}
	switch in.Op {
	case OpIConst, OpF32Const, OpF64Const:
		return in.Imm, true
	}
	return 0, false
}

// constOp returns the op of a constant of type t.
func constOp(t Type) Op {
	switch t {
	case F32:
		return OpF32Const
	case F64:
		return OpF64Const
	}
	return OpIConst
}

// dropParams removes the parameters of f's blocks marked in drop (indexed by Value) and
// the matching argument of every branch to them, in one sweep over the terminators. The
// caller has replaced every use of a dropped parameter.
func dropParams(f *Func, drop []bool) {
	if drop == nil {
		return // nothing to drop, the common case: no sweep, no array
	}
	dropped := func(v Value) bool { return int(v) < len(drop) && drop[v] }
	has := takeZeroed[bool](&boolsPool, len(f.Blocks))
	defer giveScratch(&boolsPool, has)
	found := false
	for _, b := range f.Layout {
		for _, p := range f.Blocks[b].Params {
			if dropped(p) {
				has[b], found = true, true
				break
			}
		}
	}
	if !found {
		return
	}
	for _, b := range f.Layout {
		t := f.Terminator(b)
		if t == nil {
			continue
		}
		// The targets' new argument lists are carved from one array per terminator:
		// a brtable's made one allocation each (issue 21).
		size := 0
		for _, bc := range t.Targets {
			if has[bc.Block] {
				size += len(bc.Args)
			}
		}
		if size == 0 {
			continue
		}
		chunk := make([]Value, size)
		for i := range t.Targets {
			bc := &t.Targets[i]
			if !has[bc.Block] {
				continue
			}
			chunk = keepArgs(bc, f.Blocks[bc.Block].Params, dropped, chunk)
		}
	}
	for _, b := range f.Layout {
		if has[b] {
			keepParams(f, b, dropped)
		}
	}
}

// keepArgs removes from branch bc's arguments those passed to the parameters of its
// target, params, that dropped says go. The new list is carved from the front of chunk,
// which has room for all of bc's arguments; keepArgs returns the rest of chunk.
func keepArgs(bc *BlockCall, params []Value, dropped func(Value) bool, chunk []Value) []Value {
	args := chunk[:0:len(bc.Args)]
	for j, a := range bc.Args {
		if j >= len(params) || !dropped(params[j]) {
			args = append(args, a)
		}
	}
	rest := chunk[len(bc.Args):]
	bc.Args = args
	return rest
}

// keepParams removes from block b's parameters those dropped says go, clearing their
// values and renumbering the rest, once every branch to b has dropped their arguments.
func keepParams(f *Func, b BlockID, dropped func(Value) bool) {
	params := f.Blocks[b].Params
	out := params[:0]
	for _, p := range params {
		if dropped(p) {
			f.Values[p] = ValueData{}
			continue
		}
		f.Values[p].Index = uint32(len(out))
		out = append(out, p)
	}
	f.Blocks[b].Params = out
}

// dropParamsInto is dropParams for a caller that knows the blocks with a parameter
// in drop, blocks, and has the index of f's branches, in: it updates only the branches to
// those blocks rather than sweep every terminator of the function.
func dropParamsInto(f *Func, drop []bool, blocks []BlockID, in *edgeIndex) {
	dropped := func(v Value) bool { return int(v) < len(drop) && drop[v] }
	for _, b := range blocks {
		params := f.Blocks[b].Params
		edges := in.into(b)
		size := 0
		for _, bc := range edges {
			size += len(bc.Args)
		}
		chunk := make([]Value, size) // the new argument lists, carved from one array
		for _, bc := range edges {
			chunk = keepArgs(bc, params, dropped, chunk)
		}
		keepParams(f, b, dropped)
	}
}

// hasEffect reports whether an instruction with this op must stay even when nothing
// uses its results: it changes state, may trap, or ends its block.
func hasEffect(op Op) bool {
	return op.Flags()&(SideEffect|CanTrap|Terminator) != 0
}

// domPreorder calls enter for each block of the dominator tree in preorder, and leave
// after all blocks it dominates, so a pass can keep facts scoped to the dominating
// blocks (GVN's table, BCE's checked ranges) with an undo log instead of copies. d is f's
// dominator tree.
func domPreorder(f *Func, d *DomTree, enter, leave func(BlockID)) {
	entry := f.Entry()
	if entry == NoBlock || !d.Reachable(entry) {
		return
	}
	type frame struct {
		b    BlockID
		next int
	}
	stack := []frame{{entry, 0}}
	enter(entry)
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		kids := d.Children(top.b)
		if top.next < len(kids) {
			k := kids[top.next]
			top.next++
			enter(k)
			stack = append(stack, frame{k, 0})
			continue
		}
		leave(top.b)
		stack = stack[:len(stack)-1]
	}
}
