package ir

// Builder appends blocks, parameters and instructions to a function. The frontend uses
// it to build SSA form directly from wasm's operand stack and locals (Braun et al.,
// "Simple and Efficient Construction of SSA Form", CC 2013): a block parameter is that
// paper's phi, so the Builder lets a block gain parameters after branches to it exist
// ([Builder.AddParam]), lists the branch edges into a block ([Builder.Preds]), appends an
// argument to one edge ([Builder.AppendArg]) and drops a trivial parameter
// ([Builder.RemoveParam] with [Builder.Alias]).
//
// Instructions go to the end of the current block ([Builder.SetBlock]). Values and
// blocks are numbered in creation order. The Builder holds no analysis state: [Func.CFG]
// and [Func.Dom] notice its edits by themselves.
type Builder struct {
	f     *Func
	cur   BlockID
	preds [][]Edge    // by BlockID: the branch edges into the block, in creation order
	pool  []Value     // backing store for operand and result lists, to allocate per chunk, not per instruction
	tpool []BlockCall // the same for branch targets
	ipool []InstrID   // the same for blocks' instruction lists (appendInstr)
	epool []Edge      // the same for short lists of predecessors (addEdges)
}

// Edge is one branch edge: target Succ of the terminator Instr ending block From.
type Edge struct {
	From  BlockID // the predecessor
	Instr InstrID // its terminator
	Succ  int     // the index in Instr's Targets
}

// NewBuilder returns a Builder appending to f, with no current block. Branches already
// in f are recorded as edges.
func NewBuilder(f *Func) *Builder {
	b := &Builder{f: f, cur: NoBlock, preds: make([][]Edge, len(f.Blocks))}
	b.recordEdges()
	return b
}

// Reset makes b a Builder appending to f, as NewBuilder(f) would, or, with f nil, one
// that refers to no function. It keeps the array of b's predecessor lists and the rest
// of b's chunks, whose parts already handed out belong to the bodies b built before
// (each part is capped: nothing appends into another's): a worker builds one body after
// another, and each started a predecessor array and four chunks from nothing, which on
// encoding/json's test binary at -O0 were 15% of what the compiler allocated (issue 21).
func (b *Builder) Reset(f *Func) {
	b.f, b.cur = f, NoBlock
	// Up to the length only: each Reset clears what the last body used, so past it the
	// array is clean (clearing the capacity, grown to the largest body, would cost more).
	clear(b.preds)
	b.preds = b.preds[:0]
	if f == nil {
		return
	}
	for range f.Blocks {
		b.preds = append(b.preds, nil)
	}
	b.recordEdges()
}

// recordEdges records the branches already in b's function as edges.
func (b *Builder) recordEdges() {
	f := b.f
	for _, blk := range f.Layout {
		if int(blk) >= len(f.Blocks) {
			continue
		}
		ins := f.Blocks[blk].Instrs
		if len(ins) > 0 {
			b.addEdges(blk, ins[len(ins)-1])
		}
	}
}

// Func returns the function being built.
func (b *Builder) Func() *Func { return b.f }

// NewBlock appends a block with parameters of the given types to the function and its
// layout, and returns it. It does not change the current block.
func (b *Builder) NewBlock(params ...Type) BlockID {
	f := b.f
	id := BlockID(len(f.Blocks))
	f.Blocks = append(f.Blocks, Block{})
	f.Layout = append(f.Layout, id)
	b.preds = append(b.preds, nil)
	for _, t := range params {
		b.AddParam(id, t)
	}
	return id
}

// NewEntry appends the entry block, whose parameters are the function's parameters, and
// makes it current. Call it before creating any other block.
func (b *Builder) NewEntry() BlockID {
	id := b.NewBlock(b.f.Sig.Params...)
	b.cur = id
	return id
}

// Params returns blk's parameters.
func (b *Builder) Params(blk BlockID) []Value { return b.f.Blocks[blk].Params }

// AddParam appends a parameter of type t to blk and returns it. Branches to blk that
// already exist must then be given an argument each, with AppendArg.
func (b *Builder) AddParam(blk BlockID, t Type) Value {
	f := b.f
	params := f.Blocks[blk].Params
	v := f.newValue(ValueData{Type: t, Kind: DefParam, Block: blk, Index: uint32(len(params))})
	f.Blocks[blk].Params = append(b.roomy(params), v)
	return v
}

// PendingParam returns a new value of type t for what will be blk's next parameter once
// AttachParam adds it. SSA construction reads a join's arguments before it knows whether
// the join needs the parameter at all; most it does not (trivial ones), and a value that
// is only ever an alias ([Builder.Alias]) then never enters, and never leaves, the
// block's list. Nothing may add a parameter to blk in between.
func (b *Builder) PendingParam(blk BlockID, t Type) Value {
	return b.f.newValue(ValueData{Type: t, Kind: DefParam, Block: blk, Index: uint32(len(b.f.Blocks[blk].Params))})
}

// AttachParam appends v, from PendingParam, to blk's parameters.
func (b *Builder) AttachParam(blk BlockID, v Value) {
	b.f.Blocks[blk].Params = append(b.roomy(b.f.Blocks[blk].Params), v)
}

// RemoveParam removes parameter i of blk, and argument i from every edge into blk that
// this Builder made or found. The removed value's slot is freed; make it an alias first
// (Alias) if anything still uses it.
func (b *Builder) RemoveParam(blk BlockID, i int) {
	f := b.f
	params := f.Blocks[blk].Params
	if f.Values[params[i]].Kind == DefParam {
		// Keep the type: the usual next step is Alias, whose value keeps its type.
		f.Values[params[i]] = ValueData{Type: f.Values[params[i]].Type}
	}
	f.Blocks[blk].Params = append(params[:i:i], params[i+1:]...)
	for j := i; j < len(f.Blocks[blk].Params); j++ {
		f.Values[f.Blocks[blk].Params[j]].Index = uint32(j)
	}
	for _, e := range b.preds[blk] {
		bc := &f.Instrs[e.Instr].Targets[e.Succ]
		if i < len(bc.Args) {
			bc.Args = append(bc.Args[:i:i], bc.Args[i+1:]...)
		}
	}
}

// Alias makes v stand for to: every use of v reads to once [Func.ResolveAliases] runs,
// which the frontend calls when the function is complete. v keeps its type.
func (b *Builder) Alias(v, to Value) {
	d := &b.f.Values[v]
	d.Kind, d.Alias, d.Index, d.Block, d.Instr = DefAlias, to, 0, 0, 0
}

// Preds returns the edges into blk made through this Builder (or present when it was
// created), in creation order. The slice must not be modified.
func (b *Builder) Preds(blk BlockID) []Edge { return b.preds[blk] }

// AppendArg appends v to the arguments edge e passes to its target.
func (b *Builder) AppendArg(e Edge, v Value) {
	bc := &b.f.Instrs[e.Instr].Targets[e.Succ]
	bc.Args = append(b.roomy(bc.Args), v)
}

// roomy returns s with room for one more value: s itself when it has room, else a copy
// in a part of the pool twice as long, which only the copy uses. Block parameters and
// branch arguments grow one at a time as SSA construction finds them; appended to as
// they were, every one cost an array (issue 21).
func (b *Builder) roomy(s []Value) []Value {
	if len(s) < cap(s) {
		return s
	}
	t := b.valueSlots(max(2, 2*len(s)))
	copy(t, s)
	return t[:len(s)]
}

// SetBlock makes blk the current block: instructions are appended to its end.
func (b *Builder) SetBlock(blk BlockID) { b.cur = blk }

// Block returns the current block.
func (b *Builder) Block() BlockID { return b.cur }

// Terminated reports whether the current block already ends in a terminator.
func (b *Builder) Terminated() bool { return b.f.Terminator(b.cur) != nil }

// values copies vs into the Builder's pool. The copy's capacity is its length, so
// appending to it later reallocates rather than overwriting a neighbour.
func (b *Builder) values(vs []Value) []Value {
	if len(vs) == 0 {
		return nil
	}
	s := b.valueSlots(len(vs))
	copy(s, vs)
	return s
}

// valueSlots returns n zeroed Values from the pool, capped so that an append copies.
func (b *Builder) valueSlots(n int) []Value {
	if len(b.pool)+n > cap(b.pool) {
		b.pool = make([]Value, 0, max(256, n))
	}
	start := len(b.pool)
	b.pool = b.pool[:start+n]
	return b.pool[start : start+n : start+n]
}

// blockCalls is valueSlots for branch targets: a slice of Targets per branch was one of
// the lowering's largest allocation counts.
func (b *Builder) blockCalls(n int) []BlockCall {
	if len(b.tpool)+n > cap(b.tpool) {
		b.tpool = make([]BlockCall, 0, max(64, n))
	}
	start := len(b.tpool)
	b.tpool = b.tpool[:start+n]
	return b.tpool[start : start+n : start+n]
}

// Emit appends in to the current block, defining one result of each given type, and
// returns its ID. Its Args and Targets' Args are copied; Results and Block are set here.
// The typed helpers below cover the common ops; Emit is for the rest.
func (b *Builder) Emit(in Instr, results ...Type) InstrID {
	f := b.f
	id := InstrID(len(f.Instrs))
	in.Block = b.cur
	// Operands and results share one part of the pool, each capped: one reservation
	// per instruction rather than two, and a loop rather than a call to copy the one
	// to three operands most have (issue 21).
	na, n := len(in.Args), len(in.Args)+len(results)
	in.Results = nil
	if n > 0 {
		s := b.valueSlots(n)
		for i, a := range in.Args {
			s[i] = a
		}
		in.Args = nil
		if na > 0 {
			in.Args = s[:na:na]
		}
		if n > na {
			in.Results = s[na:]
			for i, t := range results {
				in.Results[i] = f.newValue(ValueData{Type: t, Kind: DefResult, Instr: id, Index: uint32(i)})
			}
		}
	}
	if len(in.Targets) > 0 {
		ts := b.blockCalls(len(in.Targets))
		for i, t := range in.Targets {
			ts[i] = BlockCall{Block: t.Block, Args: b.values(t.Args)}
		}
		in.Targets = ts
	}
	f.Instrs = append(f.Instrs, in)
	if !b.place(&f.Blocks[b.cur], id) {
		b.appendInstr(b.cur, id)
	}
	if in.Op.IsTerminator() {
		b.addEdges(b.cur, id)
	}
	return id
}

// place appends instruction id to the current block's list, bl, in appendInstr's common
// case: the block is the last part of the chunk, which has room. It reports false,
// having done nothing, otherwise. It is small enough to inline (a cost of 79 of 80), so
// that the common case costs no call.
func (b *Builder) place(bl *Block, id InstrID) bool {
	s, used := bl.Instrs, len(b.ipool)
	if len(s) == 0 || len(s) > used || used >= cap(b.ipool) || &b.ipool[used-1] != &s[len(s)-1] {
		return false
	}
	b.ipool = b.ipool[:used+1]
	b.ipool[used] = id
	bl.Instrs = b.ipool[used-len(s) : used+1 : used+1]
	return true
}

// constant emits a constant of type t: op with immediate imm, no operands and one
// result, which it returns. It is Emit without the cases a constant cannot have, and
// without copying an Instr in and out of a call: SSA construction alone makes a
// constant for about every other branch argument at -O0 (issue 21).
func (b *Builder) constant(op Op, imm uint64, t Type) Value {
	f := b.f
	id := InstrID(len(f.Instrs))
	s := b.valueSlots(1)
	v := f.newValue(ValueData{Type: t, Kind: DefResult, Instr: id})
	s[0] = v
	f.Instrs = append(f.Instrs, Instr{Op: op, Imm: imm, Results: s, Block: b.cur})
	if !b.place(&f.Blocks[b.cur], id) {
		b.appendInstr(b.cur, id)
	}
	return v
}

func (b *Builder) addEdges(from BlockID, id InstrID) {
	in := &b.f.Instrs[id]
	if !in.Op.IsTerminator() {
		return
	}
	for i, t := range in.Targets {
		for int(t.Block) >= len(b.preds) {
			b.preds = append(b.preds, nil)
		}
		p := b.preds[t.Block]
		if n := len(p); n == cap(p) && n < 8 {
			// Most blocks have one or two predecessors: their lists come from chunks,
			// each capped, rather than from an array or two per block.
			c := max(2, 2*n)
			if cap(b.epool)-len(b.epool) < c {
				b.epool = make([]Edge, 0, max(32, len(b.preds)))
			}
			at := len(b.epool)
			b.epool = b.epool[:at+c]
			copy(b.epool[at:], p)
			p = b.epool[at : at+n : at+c]
		}
		b.preds[t.Block] = append(p, Edge{From: from, Instr: id, Succ: i})
	}
}

// appendInstr appends id to block blk's instructions. The lists are parts of ipool,
// each capped at its length, so that an append elsewhere copies the list rather than
// writing into the next one's; the part of the block being filled is the last, and
// grows in place. A block gets its instructions without interruption (lowering fills
// one block until its terminator), so the lists cost a few chunks per function rather
// than a few arrays per block.
func (b *Builder) appendInstr(blk BlockID, id InstrID) {
	bl := &b.f.Blocks[blk]
	s := bl.Instrs
	n, used := len(s), len(b.ipool)
	if n > 0 && n <= used && used < cap(b.ipool) && &b.ipool[used-1] == &s[n-1] {
		// The common case, first: the block being filled is the last part of the chunk,
		// which has room.
		b.ipool = b.ipool[:used+1]
		b.ipool[used] = id
		bl.Instrs = b.ipool[used-n : used+1 : used+1]
		return
	}
	if n < cap(s) {
		bl.Instrs = append(s, id)
		return
	}
	if cap(b.ipool)-used < n+1 {
		// Sized by the function so far: small functions, the most, take little.
		b.ipool = make([]InstrID, 0, max(64, len(b.f.Instrs), 2*(n+1)))
	}
	b.ipool = append(b.ipool, s...)
	b.ipool = append(b.ipool, id)
	bl.Instrs = b.ipool[len(b.ipool)-n-1 : len(b.ipool) : len(b.ipool)]
}

// emit1 emits an instruction with one result of type t and returns the result.
func (b *Builder) emit1(in Instr, t Type) Value {
	return b.f.Instrs[b.Emit(in, t)].Results[0]
}

// IConst returns a new integer constant of type t (i32, i64 or ptr) holding x truncated
// to t's width.
func (b *Builder) IConst(t Type, x uint64) Value {
	if t == I32 {
		x = uint64(uint32(x))
	}
	return b.constant(OpIConst, x, t)
}

// F32Const returns a new f32 constant with the given bits.
func (b *Builder) F32Const(bits uint32) Value {
	return b.constant(OpF32Const, uint64(bits), F32)
}

// F64Const returns a new f64 constant with the given bits.
func (b *Builder) F64Const(bits uint64) Value {
	return b.constant(OpF64Const, bits, F64)
}

// V128Const returns a new v128 constant.
func (b *Builder) V128Const(lo, hi uint64) Value {
	return b.emit1(Instr{Op: OpV128Const, Imm: lo, Imm2: hi}, V128)
}

// Unary emits a one-operand op whose result type is the operand's (clz, fneg, copy, …)
// or i32 (eqz, refisnull).
func (b *Builder) Unary(op Op, x Value) Value {
	return b.emit1(Instr{Op: op, Args: []Value{x}}, b.resultType(op, x))
}

// Binary emits a two-operand op whose result type is the operands' (iadd, fmin, …).
func (b *Builder) Binary(op Op, x, y Value) Value {
	return b.emit1(Instr{Op: op, Args: []Value{x, y}}, b.resultType(op, x))
}

// resultType is the op's result type given its controlling operand x.
func (b *Builder) resultType(op Op, x Value) Type {
	if res := opTable[op].res; len(res) == 1 && res[0] != tT {
		for t := I32; t < numTypes; t++ {
			if res[0] == setOf(t) {
				return t
			}
		}
	}
	return b.f.TypeOf(x)
}

// ICmp emits icmp c x, y.
func (b *Builder) ICmp(c Cond, x, y Value) Value {
	return b.emit1(Instr{Op: OpICmp, Cond: c, Args: []Value{x, y}}, I32)
}

// FCmp emits fcmp c x, y.
func (b *Builder) FCmp(c Cond, x, y Value) Value {
	return b.emit1(Instr{Op: OpFCmp, Cond: c, Args: []Value{x, y}}, I32)
}

// Convert emits a conversion (sext, wrap, fptosi, bitcast, …) of x to type to.
func (b *Builder) Convert(op Op, to Type, x Value) Value {
	return b.emit1(Instr{Op: op, Args: []Value{x}}, to)
}

// Select emits select c, x, y.
func (b *Builder) Select(c, x, y Value) Value {
	return b.emit1(Instr{Op: OpSelect, Args: []Value{c, x, y}}, b.f.TypeOf(x))
}

// Load emits a load of width bytes (t's size for a full load) from memory mem at
// addr+offset, sign- or zero-extended to t. Emit a BoundsCheck for it first.
func (b *Builder) Load(t Type, mem uint32, addr Value, offset uint64, width uint8, signed bool) Value {
	return b.emit1(Instr{Op: OpLoad, Index: mem, Imm: offset, Width: width, Signed: signed && int(width) < t.Size(), Args: []Value{addr}}, t)
}

// Store emits a store of v's low width bytes to memory mem at addr+offset.
func (b *Builder) Store(mem uint32, addr Value, offset uint64, width uint8, v Value) {
	b.Emit(Instr{Op: OpStore, Index: mem, Imm: offset, Width: width, Args: []Value{addr, v}})
}

// BoundsCheck emits a check that n bytes at addr fit memory mem (n is the access's
// offset plus its width).
func (b *Builder) BoundsCheck(mem uint32, addr Value, n uint64) {
	b.Emit(Instr{Op: OpBoundsCheck, Index: mem, Imm: n, Args: []Value{addr}})
}

// GlobalGet emits a read of global g, whose type is t.
func (b *Builder) GlobalGet(g uint32, t Type) Value {
	return b.emit1(Instr{Op: OpGlobalGet, Index: g}, t)
}

// GlobalSet emits a write of v to global g.
func (b *Builder) GlobalSet(g uint32, v Value) {
	b.Emit(Instr{Op: OpGlobalSet, Index: g, Args: []Value{v}})
}

// Call emits a call of function fn (callimport if it is imported) and returns one value
// per result of its signature. The function must belong to a module.
func (b *Builder) Call(fn uint32, args ...Value) []Value {
	callee := b.f.Module.Funcs[fn]
	op := OpCall
	if callee.IsImport() {
		op = OpCallImport
	}
	id := b.Emit(Instr{Op: op, Index: fn, Args: args}, callee.Sig.Results...)
	return b.f.Instrs[id].Results
}

// CallIndirect emits a call through element callee of table, expecting signature sig,
// and returns one value per result. The function must belong to a module.
func (b *Builder) CallIndirect(table uint32, sig Signature, callee Value, args ...Value) []Value {
	typ := b.f.Module.InternType(sig)
	all := append([]Value{callee}, args...)
	id := b.Emit(Instr{Op: OpCallIndirect, Index: table, Index2: typ, Args: all}, sig.Results...)
	return b.f.Instrs[id].Results
}

// TrapIf emits trapif c, code.
func (b *Builder) TrapIf(c Value, code TrapCode) {
	b.Emit(Instr{Op: OpTrapIf, Trap: code, Args: []Value{c}})
}

// Trap ends the current block with trap code.
func (b *Builder) Trap(code TrapCode) { b.Emit(Instr{Op: OpTrap, Trap: code}) }

// Jump ends the current block with a jump to target.
func (b *Builder) Jump(target BlockID, args ...Value) {
	b.Emit(Instr{Op: OpJump, Targets: []BlockCall{{target, args}}})
}

// BrIf ends the current block with a branch to then if c is non-zero, else to els.
func (b *Builder) BrIf(c Value, then BlockID, thenArgs []Value, els BlockID, elsArgs []Value) {
	b.Emit(Instr{Op: OpBrIf, Args: []Value{c}, Targets: []BlockCall{{then, thenArgs}, {els, elsArgs}}})
}

// BrTable ends the current block with a branch to targets[i], or to def if i is out of
// range.
func (b *Builder) BrTable(i Value, targets []BlockCall, def BlockCall) {
	all := append(append(make([]BlockCall, 0, len(targets)+1), targets...), def)
	b.Emit(Instr{Op: OpBrTable, Args: []Value{i}, Targets: all})
}

// Return ends the current block by returning vals.
func (b *Builder) Return(vals ...Value) { b.Emit(Instr{Op: OpReturn, Args: vals}) }
