package ir

import "slices"

// Inliner says what [Inline] may inline and hands it the bodies. The driver answers from
// a plan it makes before compiling starts, from the whole linked program, the runtime
// included, so that what a function inlines never depends on which functions other
// workers are compiling (DESIGN.md decision 9).
type Inliner struct {
	// Cost returns an estimate of the size of callee's body ([BodySize]) if it may be
	// inlined, or -1 if it may not: an import, a recursive function, one too large.
	// Inline calls it for every call and builds a body only when the estimate fits.
	Cost func(callee uint32) int
	// Body returns a copy of callee's body, or nil when it cannot be built (the calls
	// then stay, and the callee's own compilation reports why). Inline only reads it,
	// so one copy may serve every caller, in any number of workers at once; it must
	// hold no aliases, as [Verify] requires. It must never be the callee's own Func,
	// which another worker may be compiling.
	Body func(callee uint32) *Func
	// Growth is what any function may gain: one of size n ([BodySize]) may grow by
	// max(n, Growth). Inlining so at most doubles a large function, and the module, and
	// the cost of compiling it stays proportional to the input's size whatever the input
	// (DESIGN.md decision 14).
	Growth int
	// Done, if not nil, is told once per distinct callee that f calls and Cost accepts,
	// after Inline(f) no longer needs its Body: the inliner may then drop a copy that no
	// caller still to be compiled needs.
	Done func(callee uint32)
}

// Inline replaces calls by the bodies of their callees, within a size budget as Go's
// compiler does (cmd/compile/internal/inline/inl.go), before the scalar passes run, so
// that those then see through the calls: constant
// arguments fold in the body, GVN merges what the body recomputes of the caller's
// values, BCE removes checks the caller already made, and the call's spills and frame
// are gone. Only the calls f has on entry are candidates: a call inside an inlined body
// stays a call, so inlining is one level deep and a recursive chain cannot grow without
// bound. When the candidates' estimated costs exceed f's budget ([Inliner.Growth]),
// calls in deeper loops go first, then cheaper ones, then in layout order.
//
// The block holding a call is split at the call: the callee's entry block continues it
// (its parameters become the call's arguments), the callee's other blocks follow, and
// each return becomes a jump to a new block that holds the rest of the caller's block,
// whose parameters are the call's results, keeping their value numbers. SimplifyCFG and
// CopyProp later merge what a straight-line callee leaves in pieces.
//
// A trap in inlined code is reported as a trap in the caller: the callee's frame no
// longer exists.
func Inline(f *Func, il *Inliner) {
	if il == nil || il.Cost == nil || il.Body == nil {
		return
	}
	sites, callees := inlineSites(f, il)
	if len(sites) > 0 {
		inlineAll(f, sites)
	}
	if il.Done != nil {
		for _, c := range callees {
			il.Done(c)
		}
	}
}

// inlineSite is one call Inline considers.
type inlineSite struct {
	call  InstrID
	block BlockID
	cost  int // the callee's estimated size
	depth int // loop depth, when the budget forces a choice
}

// inlineSites chooses the calls to inline and builds their bodies, keyed by the calls.
// It also returns the distinct callees of the candidate calls.
func inlineSites(f *Func, il *Inliner) (map[InstrID]*Func, []uint32) {
	var cands []inlineSite
	var callees []uint32
	total := 0
	for _, b := range f.Layout {
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			if in.Op != OpCall {
				continue
			}
			if c := il.Cost(in.Index); c >= 0 {
				callees = append(callees, in.Index)
				cands = append(cands, inlineSite{call: id, block: b, cost: c})
				total += c
			}
		}
	}
	slices.Sort(callees)
	callees = slices.Compact(callees)
	if len(cands) == 0 {
		return nil, callees
	}
	// The budget is max(BodySize(f), il.Growth), less what was inlined (spent). The size
	// is found only when a choice depends on it, a cost exceeding il.Growth less spent:
	// most callers' candidates fit in il.Growth, and sizing every caller was a third of
	// the pass (issue 21).
	size, spent := -1, 0
	over := func(cost int) bool { // cost exceeds what is left of the budget
		if cost+spent <= il.Growth {
			return false
		}
		if size < 0 {
			size = BodySize(f)
		}
		return cost+spent > max(size, il.Growth)
	}
	if over(total) {
		loops := f.Loops()
		for i := range cands {
			cands[i].depth = loops.Depth(cands[i].block)
		}
		slices.SortStableFunc(cands, func(a, b inlineSite) int {
			if a.depth != b.depth {
				return b.depth - a.depth
			}
			return a.cost - b.cost
		})
	}
	sites := make(map[InstrID]*Func)
	type built struct {
		body *Func
		size int
	}
	bodies := make(map[uint32]built) // a callee called several times is built once
	for _, c := range cands {
		if over(c.cost) {
			continue
		}
		call := &f.Instrs[c.call]
		b, ok := bodies[call.Index]
		if !ok {
			b.body = il.Body(call.Index)
			if b.body != nil {
				b.size = BodySize(b.body)
			}
			bodies[call.Index] = b
		}
		if b.body == nil || over(b.size) || !inlinable(f, call, b.body) { // the estimate may be low
			continue
		}
		spent += b.size
		sites[c.call] = b.body
	}
	return sites, callees
}

// BodySize is the size of f's body as [Inline] and [Inliner.Cost] count it: one per
// instruction, plus one per operand, result, branch target and branch argument of an
// instruction past its eighth, and per parameter of a block past its eighth, so that a
// body holding a call with thousands of arguments or a brtable with thousands of targets
// counts as what it costs to copy and to compile.
func BodySize(f *Func) int {
	n := 0
	for _, b := range f.Layout {
		n += blockSize(&f.Blocks[b])
		for _, id := range f.Blocks[b].Instrs {
			n += instrSize(&f.Instrs[id])
		}
	}
	return n
}

// instrSize is one instruction's part of [BodySize].
func instrSize(in *Instr) int {
	ops := len(in.Args) + len(in.Results) + len(in.Targets)
	for _, t := range in.Targets {
		ops += len(t.Args)
	}
	return 1 + max(0, ops-8)
}

// blockSize is a block's own part of [BodySize], beside its instructions'.
func blockSize(b *Block) int { return max(0, len(b.Params)-8) }

// inlinable checks that body h fits call: the arguments its entry takes and the results
// its returns give. A plan and its bodies come from one module, so this only guards
// against a bug elsewhere turning into invalid IR here.
func inlinable(f *Func, call *Instr, h *Func) bool {
	if len(h.Layout) == 0 || h.IsImport() {
		return false
	}
	params := h.Blocks[h.Layout[0]].Params
	if len(params) != len(call.Args) || len(h.Sig.Results) != len(call.Results) {
		return false
	}
	for i, p := range params {
		if h.TypeOf(p) != f.TypeOf(call.Args[i]) {
			return false
		}
	}
	for i, r := range call.Results {
		if h.Sig.Results[i] != f.TypeOf(r) {
			return false
		}
	}
	return true
}

// inlineAll splices the chosen bodies in, rebuilding the layout once: each block with
// chosen calls is cut at them, in order, and the pieces and the bodies' blocks laid out
// where the block was, so the work is linear in the function and the bodies.
func inlineAll(f *Func, sites map[InstrID]*Func) {
	split := make(map[BlockID]bool, len(sites))
	for id := range sites {
		split[f.Instrs[id].Block] = true
	}
	layout := make([]BlockID, 0, len(f.Layout)+2*len(sites))
	for _, b := range f.Layout {
		layout = append(layout, b)
		if !split[b] {
			continue
		}
		old := f.Blocks[b].Instrs
		cur, start := b, 0
		for i, id := range old {
			h := sites[id]
			if h == nil || f.Instrs[id].Op != OpCall {
				continue
			}
			call := f.Instrs[id]
			// The continuation is numbered after the body's blocks, as it is laid out.
			cont := BlockID(len(f.Blocks) + len(h.Layout) - 1)
			entry, blocks := spliceBody(f, h, call.Args, cur, cont)
			f.Blocks = append(f.Blocks, Block{})
			piece := make([]InstrID, 0, i-start+len(entry))
			piece = append(append(piece, old[start:i]...), entry...)
			moveInstrs(f, cur, piece[:i-start])
			f.Blocks[cur].Instrs = piece
			layout = append(append(layout, blocks...), cont)
			// The call's results become the continuation's parameters, under the same
			// numbers, so that no use of them changes.
			f.Blocks[cont].Params = slices.Clip(slices.Clone(call.Results))
			for k, r := range call.Results {
				f.Values[r] = ValueData{Type: f.Values[r].Type, Kind: DefParam, Index: uint32(k), Block: cont}
			}
			f.Instrs[id] = Instr{Op: call.Op, Index: call.Index, Block: NoBlock}
			cur, start = cont, i+1
		}
		rest := slices.Clone(old[start:])
		moveInstrs(f, cur, rest)
		f.Blocks[cur].Instrs = rest
	}
	f.Layout = layout
}

// moveInstrs records that the instructions of list are now in block b.
func moveInstrs(f *Func, b BlockID, list []InstrID) {
	for _, id := range list {
		f.Instrs[id].Block = b
	}
}

// spliceBody copies body h into f: its entry block's instructions, to be appended to
// block into, and its other blocks, which it returns, renumbered after f's. The entry's
// parameters become args and each return a jump to cont with the returned values. h is
// only read, so one body serves every call to its function, in any number of workers at
// once; the copies come from one allocation per kind, each capped so that appending to
// one reallocates.
func spliceBody(f *Func, h *Func, args []Value, into, cont BlockID) (entry []InstrID, blocks []BlockID) {
	hEntry := h.Layout[0]
	bmap := make([]BlockID, len(h.Blocks))
	for i := range bmap {
		bmap[i] = NoBlock
	}
	bmap[hEntry] = into
	for _, hb := range h.Layout[1:] {
		bmap[hb] = BlockID(len(f.Blocks))
		f.Blocks = append(f.Blocks, Block{})
		blocks = append(blocks, bmap[hb])
	}
	imap := make([]InstrID, len(h.Instrs))
	for i := range imap {
		imap[i] = NoInstr
	}
	next := InstrID(len(f.Instrs))
	nv, nt, ni := 0, 0, 0
	for _, hb := range h.Layout {
		nv += len(h.Blocks[hb].Params)
		ni += len(h.Blocks[hb].Instrs)
		for _, id := range h.Blocks[hb].Instrs {
			imap[id] = next
			next++
			in := &h.Instrs[id]
			nv += len(in.Args) + len(in.Results)
			nt += len(in.Targets)
			for _, t := range in.Targets {
				nv += len(t.Args)
			}
			if in.Op == OpReturn {
				nt++
			}
		}
	}

	// Values: the entry's parameters are the arguments; every other value h defines
	// gets a new number, in h's order, so a dump reads like the callee's.
	vmap := make([]Value, len(h.Values))
	for i := range vmap {
		vmap[i] = NoValue
	}
	for k, p := range h.Blocks[hEntry].Params {
		vmap[p] = args[k]
	}
	f.Values = slices.Grow(f.Values, len(h.Values))
	for v := range h.Values {
		d := h.Values[v]
		switch {
		case d.Kind == DefParam && int(d.Block) < len(bmap) && d.Block != hEntry && bmap[d.Block] != NoBlock:
			d.Block = bmap[d.Block]
		case d.Kind == DefResult && int(d.Instr) < len(imap) && imap[d.Instr] != NoInstr:
			d.Instr = imap[d.Instr]
		default:
			continue
		}
		vmap[v] = f.newValue(d)
	}
	vals := make([]Value, 0, nv)
	mapped := func(vs []Value) []Value {
		if len(vs) == 0 {
			return nil
		}
		start := len(vals)
		for _, v := range vs {
			if int(v) < len(vmap) {
				v = vmap[v]
			} else {
				v = NoValue
			}
			vals = append(vals, v)
		}
		return vals[start:len(vals):len(vals)]
	}

	// Instructions and blocks.
	ids := make([]InstrID, 0, ni)
	calls := make([]BlockCall, 0, nt)
	f.Instrs = slices.Grow(f.Instrs, int(next)-len(f.Instrs))
	for _, hb := range h.Layout {
		start := len(ids)
		for _, id := range h.Blocks[hb].Instrs {
			in := h.Instrs[id]
			in.Block = bmap[hb]
			in.Args = mapped(in.Args)
			in.Results = mapped(in.Results)
			if in.Op == OpReturn {
				in = Instr{Op: OpJump, Block: in.Block, Targets: []BlockCall{{Block: cont, Args: in.Args}}}
				calls = append(calls, in.Targets[0])
				in.Targets = calls[len(calls)-1 : len(calls) : len(calls)]
			} else if in.Targets != nil {
				ts := len(calls)
				for _, t := range in.Targets {
					calls = append(calls, BlockCall{Block: bmap[t.Block], Args: mapped(t.Args)})
				}
				in.Targets = calls[ts:len(calls):len(calls)]
			}
			f.Instrs = append(f.Instrs, in)
			ids = append(ids, imap[id])
		}
		list := ids[start:len(ids):len(ids)]
		if hb == hEntry {
			entry = list
			continue
		}
		f.Blocks[bmap[hb]] = Block{Params: mapped(h.Blocks[hb].Params), Instrs: list}
	}
	return entry, blocks
}
