package frontend

// SSA construction for wasm locals, after Braun et al., "Simple and Efficient Construction
// of SSA Form" (CC 2013). The variables are the locals; a block parameter plays the
// paper's phi. A block is sealed once all its predecessors exist: at creation for the
// blocks that have one predecessor by construction (if arms, the continuation of br_if),
// at the wasm end for end blocks and loop headers. A parameter that receives only itself
// and one other value is removed and aliased to that value; the aliases are resolved
// once, at the end of the function. Definitions live in a table indexed by block and
// local, not in maps, since every local.get consults it.
//
// Where the paper looks a definition up by walking predecessors and records it in every
// block it passes, which costs locals × blocks when many locals stay unchanged across
// many joins, the lookup here walks the inheritance tree of lower_ssa_tree.go, which
// knows from the order of the code which blocks can hold a new definition of a local,
// and records only in the block read and where a parameter is added.

import "github.com/wasmc/wasmc/ir"

// denseDefs bounds the dense definition table (blocks × locals values, 4 bytes each);
// beyond it definitions move to a map, whose size is bounded by the work done rather
// than by the product. Real functions stay far below: in the Go test program the
// largest product is 16,722 (at most 21 locals, 1,966 blocks).
const denseDefs = 1 << 22

// ssaVars tracks the current definition of every local in every block. It is reset per
// function and keeps its slices, so a module's functions share one allocation.
type ssaVars struct {
	f *ir.Func
	b *ir.Builder

	types *localTypes // by local: parameters, then declared locals
	// zero holds, by IR type, the value every declared local of that type starts with,
	// defined at the top of the entry block.
	zero [ir.ExternRef + 1]ir.Value

	sealed []bool // by block

	// rows holds definitions densely, row by block: rows[blk*types.n+x] is the
	// definition of local x in blk plus one, so that a cleared entry (0) means none.
	rows   []ir.Value
	sparse map[uint64]ir.Value // replaces rows when it would outgrow denseDefs

	// incomplete lists the parameters added to unsealed blocks (loop headers), in
	// creation order, which is the order their arguments must be appended in.
	incomplete []incompleteParam
	scratch    []incompleteParam
	argbuf     []ir.Value // arguments being gathered, a stack for nested reads

	tree inheritTree
}

type incompleteParam struct {
	blk ir.BlockID
	x   uint32
	p   ir.Value
}

// reset prepares for a function whose locals have the given types.
func (s *ssaVars) reset(f *ir.Func, b *ir.Builder, types *localTypes) {
	s.f, s.b, s.types = f, b, types
	s.zero = [len(s.zero)]ir.Value{}
	s.sealed = s.sealed[:0]
	s.rows = s.rows[:0]
	s.sparse = nil
	s.incomplete = s.incomplete[:0]
	s.argbuf = s.argbuf[:0]
	s.tree.reset(int(types.n))
}

func (s *ssaVars) isSealed(blk ir.BlockID) bool { return int(blk) < len(s.sealed) && s.sealed[blk] }

// markSealed records that blk has all its predecessors and no incomplete parameters:
// the entry, and blocks with one predecessor by construction.
func (s *ssaVars) markSealed(blk ir.BlockID) {
	for int(blk) >= len(s.sealed) {
		s.sealed = append(s.sealed, false)
	}
	s.sealed[blk] = true
}

// get returns the definition of local x in blk, or ir.NoValue.
func (s *ssaVars) get(blk ir.BlockID, x uint32) ir.Value {
	if s.sparse != nil {
		if v, ok := s.sparse[uint64(blk)<<32|uint64(x)]; ok {
			return v
		}
		return ir.NoValue
	}
	i := int(blk)*int(s.types.n) + int(x)
	if i >= len(s.rows) {
		return ir.NoValue
	}
	return s.rows[i] - 1 // 0 - 1 wraps to ir.NoValue
}

// setRow is set for a block whose row of the dense table exists, small enough to
// inline, and reports whether it applied: SSA construction sets a definition for most
// local.get and local.set, and the call cost as much as the store. A table with rows is
// dense (toSparse empties it).
func (s *ssaVars) setRow(blk ir.BlockID, x uint32, v ir.Value) bool {
	if i := uint(blk)*uint(s.types.n) + uint(x); i < uint(len(s.rows)) {
		s.rows[i] = v + 1
		return true
	}
	return false
}

// set makes v the definition of local x in blk; callers try setRow first.
func (s *ssaVars) set(blk ir.BlockID, x uint32, v ir.Value) {
	if s.sparse == nil {
		n := int(s.types.n)
		i := int(blk)*n + int(x)
		if i < len(s.rows) {
			s.rows[i] = v + 1
			return
		}
		need := (int(blk) + 1) * n
		if need <= denseDefs {
			old := len(s.rows)
			if need > cap(s.rows) {
				s.rows = append(s.rows[:cap(s.rows)], make([]ir.Value, need-cap(s.rows))...)
			}
			s.rows = s.rows[:need]
			clear(s.rows[old:])
			s.rows[i] = v + 1
			return
		}
		s.toSparse()
	}
	s.sparse[uint64(blk)<<32|uint64(x)] = v
}

// toSparse moves the dense table into the map, for functions with very many locals and
// blocks.
func (s *ssaVars) toSparse() {
	s.sparse = make(map[uint64]ir.Value)
	n := int(s.types.n)
	for i, v := range s.rows {
		if v != 0 {
			s.sparse[uint64(i/n)<<32|uint64(i%n)] = v - 1
		}
	}
	s.rows = s.rows[:0]
}

// resolve is f.Resolve(v) without the call for a value that is no alias, as most are:
// SSA construction resolves every definition it reads and every argument it weighs.
func resolve(f *ir.Func, v ir.Value) ir.Value {
	if int(v) >= len(f.Values) || f.Values[v].Kind != ir.DefAlias {
		return v
	}
	return f.Resolve(v)
}

// write records an assignment to local x in the current block.
func (s *ssaVars) write(blk ir.BlockID, x uint32, v ir.Value) {
	s.tree.wrote(x)
	if !s.setRow(blk, x, v) {
		s.set(blk, x, v)
	}
}

// read returns the value of local x at the end of blk (or at the current point, if blk
// is the current block).
func (s *ssaVars) read(blk ir.BlockID, x uint32) ir.Value {
	if v := s.get(blk, x); v != ir.NoValue {
		return resolve(s.f, v)
	}
	v := s.lookup(blk, x)
	if !s.setRow(blk, x, v) {
		s.set(blk, x, v)
	}
	return v
}

// lookup finds the value of local x at the end of blk, which has no definition of it:
// it climbs the inheritance tree to the nearest block that may define x, and there
// finds a definition, adds an incomplete parameter (an unsealed loop header) or a
// parameter with its arguments (a join or loop header that code writing x reaches), or
// learns that x is not written there and climbs on from the block's parent.
func (s *ssaVars) lookup(blk ir.BlockID, x uint32) ir.Value {
	t := &s.tree
	bound := t.end[blk]
	loop := t.loop[blk]
	for {
		w := t.lastWrite(x, bound)
		a := t.climb(blk, w, loop)
		if v := s.get(a, x); v != ir.NoValue {
			return resolve(s.f, v)
		}
		parent := t.parent[a]
		switch {
		case a == loop && !s.isSealed(a):
			p := s.b.AddParam(a, s.types.at(x))
			s.incomplete = append(s.incomplete, incompleteParam{a, x, p})
			if !s.setRow(a, x, p) {
				s.set(a, x, p)
			}
			return p
		case a == loop:
			// A sealed loop header: code anywhere in its body reaches it by a back edge.
			if t.wroteIn(x, t.lo[a], t.hi[a]) {
				return s.param(a, x)
			}
			loop = t.loop[parent]
		case parent == ir.NoBlock: // the entry: every parameter is defined there
			return s.zero[s.types.at(x)]
		case w >= t.lo[a] && w < t.hi[a]:
			return s.param(a, x) // a join whose region writes x
		}
		// Not written where a would see it: x at a's start is x at its parent's end,
		// as it was before a's range began.
		bound, blk = t.lo[a], parent
	}
}

// param gives the sealed block blk a parameter for local x, with its arguments, and
// returns it or, if it is trivial, the value that replaced it. Half are trivial (331,144
// of 623,265 in encoding/json's test binary), so the parameter's value is made first,
// which numbers the values as adding it would, but enters blk's list only once its
// arguments show it is needed, rather than being added and removed again.
func (s *ssaVars) param(blk ir.BlockID, x uint32) ir.Value {
	p := s.b.PendingParam(blk, s.types.at(x))
	if !s.setRow(blk, x, p) { // breaks cycles: a read through a loop back to blk finds p
		s.set(blk, x, p)
	}
	v := s.addArgs(blk, x, p, true)
	if !s.setRow(blk, x, v) {
		s.set(blk, x, v)
	}
	return v
}

// addArgs gives parameter p of blk, which stands for local x, its argument on every
// incoming edge, unless it is trivial: it then removes p (or, if it is pending, leaves it
// out of blk's list), aliases it to the one value it would receive, and returns that
// value; otherwise it returns p, attached if pending. The arguments are read first and
// appended only if p stays, because removing a parameter from edges that already carry
// its argument reallocates every edge's argument list, which costs quadratic time at a
// loop header with many locals. Reading them adds no parameter to blk other than p's
// own, which the definition of x in blk stops, so a pending p keeps its index.
func (s *ssaVars) addArgs(blk ir.BlockID, x uint32, p ir.Value, pending bool) ir.Value {
	preds := s.b.Preds(blk)
	base := len(s.argbuf)
	for _, e := range preds {
		a := s.read(e.From, x) // may recurse, using argbuf above base and restoring it
		s.argbuf = append(s.argbuf, a)
	}
	args := s.argbuf[base:]
	v := s.trivial(p, args)
	if v != ir.NoValue {
		// The edges carry no argument for p yet, so removing it moves no argument.
		if !pending {
			s.b.RemoveParam(blk, int(s.f.Values[p].Index))
		}
		s.b.Alias(p, v)
	} else {
		if pending {
			s.b.AttachParam(blk, p)
		}
		for i, e := range preds {
			s.b.AppendArg(e, args[i])
		}
		v = p
	}
	s.argbuf = s.argbuf[:base]
	return v
}

// trivial returns the one value besides p itself that args hold, or ir.NoValue if they
// hold several (or none: p is then only passed to itself, in code no path reaches). Such
// a value dominates the block of p, since it is defined on every path into it.
func (s *ssaVars) trivial(p ir.Value, args []ir.Value) ir.Value {
	same := ir.NoValue
	for _, a := range args {
		a = resolve(s.f, a)
		if a == p || a == same {
			continue
		}
		if same != ir.NoValue {
			return ir.NoValue
		}
		same = a
	}
	return same
}

// removeTrivial removes parameter p of blk, whose arguments the incoming edges already
// carry, if it is trivial, and returns the value that replaces it; otherwise it returns p.
func (s *ssaVars) removeTrivial(blk ir.BlockID, p ir.Value) ir.Value {
	f := s.f
	idx := f.Values[p].Index
	base := len(s.argbuf)
	for _, e := range s.b.Preds(blk) {
		s.argbuf = append(s.argbuf, f.Instrs[e.Instr].Targets[e.Succ].Args[idx])
	}
	same := s.trivial(p, s.argbuf[base:])
	s.argbuf = s.argbuf[:base]
	if same == ir.NoValue {
		return p
	}
	s.b.RemoveParam(blk, int(idx))
	s.b.Alias(p, same)
	return same
}

// seal completes the incomplete parameters of blk, which were added from index from of
// the incomplete list on, in creation order, and marks blk sealed. Completing one may
// add incomplete parameters to enclosing loop headers; those stay listed.
func (s *ssaVars) seal(blk ir.BlockID, from int) {
	for {
		s.scratch = s.scratch[:0]
		keep := s.incomplete[:from]
		for _, e := range s.incomplete[from:] {
			if e.blk == blk {
				s.scratch = append(s.scratch, e)
			} else {
				keep = append(keep, e)
			}
		}
		s.incomplete = keep
		if len(s.scratch) == 0 {
			break
		}
		for _, e := range s.scratch {
			s.addArgs(blk, e.x, e.p, false)
		}
	}
	s.markSealed(blk)
}
