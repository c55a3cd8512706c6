package ir

// GVN removes instructions that recompute a value an instruction dominating them has
// already computed: global value numbering scoped by the dominator tree, as in
// Briggs, Cooper and Simpson, "Value Numbering" (1997), §4.2. A table maps each
// expression (op, immediates, operand values, result type) to the first instruction
// computing it; walking the dominator tree in preorder and dropping a block's entries
// when the walk leaves it keeps in the table exactly the expressions of the blocks
// dominating the current one, so a match always dominates the instruction it replaces.
//
// Pure ops are numbered, with the operands of Commutative ones in either order. So are
// Guarded ops that neither read nor change state (sdiv, fptosi): if a dominating one
// ran, its guard admitted these operands, and the value is the same. Loads, globalget
// and other Reads ops are not, since a store or call in between may change what they
// read. A trapif whose condition a dominating trapif already tested is deleted: had the
// condition been non-zero, the first would have trapped.
//
// Preserves: the CFG. Needs: operands canonical for the best result (Fold puts
// constants on the right; CopyProp removes copies), though any order is correct.
func GVN(f *Func) {
	c := reachableCFG(f)
	defer f.leaveHandoff(c.RPO, true) // it changes no block or branch
	n := 16
	for n < len(f.Instrs) {
		n *= 2
	}
	g := &gvn{f: f, buckets: takeZeroed[int32](&int32sPool, n)}
	domPreorder(f, f.domCurrent(), g.enter, g.leave)
	g.s.release()
	giveScratch(&int32sPool, g.buckets)
}

// gvn's table is a hash table chained through entries. Entries are added and removed
// in stack order (a block's on entering it, all of them on leaving), so removing one is
// popping it and putting its successor in the chain back at the head of its bucket:
// dense slices, no deletion marks, no map.
type gvn struct {
	f *Func
	s subst
	// buckets holds, by hash, 1 + the index of the newest entry, or 0: zero for none, so
	// that the table starts cleared rather than filled with -1 (issue 21).
	buckets []int32
	entries []gvnEntry // the table's entries, oldest first
	marks   []int      // len(entries) on entering each block of the current path
}

type gvnEntry struct {
	hash  uint32
	instr InstrID // the instruction whose expression this is
	next  int32   // 1 + the index of the next entry of the bucket, or 0
}

func (g *gvn) enter(b BlockID) {
	f := g.f
	g.marks = append(g.marks, len(g.entries))
	// The surviving instructions move down over the deleted ones in place; a block
	// that loses none is not written (issue 21).
	ins := f.Blocks[b].Instrs
	w := 0
	for i, id := range ins {
		in := &f.Instrs[id]
		// g.s.operands, with the test of each operand here rather than behind a call
		// per instruction, which was a third of the walk (issue 21).
		if s := g.s; len(s) > 0 {
			for i, a := range in.Args {
				if uint(a) < uint(len(s)) && s[a] != 0 {
					in.Args[i] = s.resolve(f, a)
				}
			}
			if len(in.Targets) > 0 {
				s.walkOperands(f, in)
			}
		}
		// Most instructions are not numbered: the inlined test spares them a call.
		if !gvnNumbered(in) {
			if w != i {
				ins[w] = id
			}
			w++
			continue
		}
		h := g.hash(in)
		bucket := &g.buckets[h&uint32(len(g.buckets)-1)]
		if prev := g.lookup(*bucket, h, in); prev != NoInstr {
			if in.Op != OpTrapIf {
				g.s.set(f, in.Results[0], f.Instrs[prev].Results[0])
			}
			deleteInstr(f, id)
			continue
		}
		g.entries = append(g.entries, gvnEntry{hash: h, instr: id, next: *bucket})
		*bucket = int32(len(g.entries))
		if w != i {
			ins[w] = id
		}
		w++
	}
	if w != len(ins) {
		f.Blocks[b].Instrs = ins[:w]
	}
}

func (g *gvn) leave(BlockID) {
	mark := g.marks[len(g.marks)-1]
	g.marks = g.marks[:len(g.marks)-1]
	for i := len(g.entries) - 1; i >= mark; i-- {
		e := &g.entries[i]
		g.buckets[e.hash&uint32(len(g.buckets)-1)] = e.next
	}
	g.entries = g.entries[:mark]
}

// lookup returns the instruction in the chain starting at entry i-1 (none if i is 0)
// that computes what in computes, or NoInstr.
func (g *gvn) lookup(i int32, h uint32, in *Instr) InstrID {
	for ; i > 0; i = g.entries[i-1].next {
		e := &g.entries[i-1]
		if e.hash == h && g.same(&g.f.Instrs[e.instr], in) {
			return e.instr
		}
	}
	return NoInstr
}

// gvnNumbered reports whether GVN may merge instructions with in's op.
func gvnNumbered(in *Instr) bool {
	if in.Op == OpTrapIf {
		return true
	}
	fl := in.Op.Flags()
	ok := fl.Has(Pure) || fl.Has(Guarded) && fl&(Reads|SideEffect|CanTrap) == 0
	return ok && len(in.Results) == 1
}

// hash returns the hash of the expression in computes, which gvnNumbered allows.
// Commutative operands are combined symmetrically, so both orders hash alike.
func (g *gvn) hash(in *Instr) uint32 {
	h := uint64(in.Op)<<48 ^ uint64(in.Cond)<<40 ^ uint64(in.Width)<<32 ^ uint64(in.Shape)<<36 ^ uint64(in.Index)<<16 ^ uint64(in.Index2)
	h = (h ^ in.Imm ^ in.Imm2*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd
	if len(in.Results) == 1 {
		h ^= uint64(g.f.TypeOf(in.Results[0])) << 56
	}
	if in.Op.Flags().Has(Commutative) && len(in.Args) == 2 {
		a, b := uint64(in.Args[0]), uint64(in.Args[1])
		h += (a * b) ^ (a + b)
	} else {
		for _, a := range in.Args {
			h = (h ^ uint64(a)) * 0xc4ceb9fe1a85ec53
		}
	}
	h ^= h >> 29
	return uint32(h) ^ uint32(h>>32)
}

// same reports whether a and b compute the same value: every field that determines the
// result is equal, operands in order or, for commutative ops, swapped.
func (g *gvn) same(a, b *Instr) bool {
	if a.Op != b.Op || a.Cond != b.Cond || a.Width != b.Width || a.Signed != b.Signed || a.Shape != b.Shape ||
		a.Imm != b.Imm || a.Imm2 != b.Imm2 || a.Index != b.Index || a.Index2 != b.Index2 ||
		len(a.Args) != len(b.Args) || len(a.Results) != len(b.Results) {
		return false
	}
	if len(a.Results) == 1 && g.f.TypeOf(a.Results[0]) != g.f.TypeOf(b.Results[0]) {
		return false
	}
	if equalValues(a.Args, b.Args) {
		return true
	}
	return a.Op.Flags().Has(Commutative) && len(a.Args) == 2 && a.Args[0] == b.Args[1] && a.Args[1] == b.Args[0]
}

func equalValues(a, b []Value) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
