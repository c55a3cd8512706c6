package ir

// Promote keeps in registers, across a single-block loop, the values the loop loads and
// stores at loop-invariant addresses, when a check before the loop shows that nothing else
// the loop accesses overlaps them and that every access is inside the memory. nbody's
// inner loop updates b->vx, b->vy and b->vz through a pointer clang cannot prove distinct
// from c, the other body, which steps through the array: each pass loaded what the pass
// before had stored, and that round trip through memory was the loop's longest chain.
// LLVM promotes such a field only when alias analysis proves it apart; here the proof is
// made at run time, once per entry to the loop, as LLVM's LoopVersioningLICM does.
//
// The loop is copied. The check runs where the loop is entered and picks the copy: the
// original when the check fails, or the fast copy, in which the promoted loads and
// stores are gone (the values enter in registers, loaded before the loop, and leave
// through stores after it) and the boundschecks with them, since the check proved
// every access in bounds. No instruction of the fast copy can then trap, so moving the
// stores past the loop is unobservable.
//
// What the check can reason about, and so what the loop may contain:
//   - Accesses (load and store only) whose address is loop-invariant, or is an induction
//     variable p (a header parameter the back edge passes as p + s, s > 0 constant) plus a
//     constant, computed by adds of constants in the loop.
//   - A trip count the loop states: a count c passed back as c - 1 and tested as
//     brif c - 1 (continue while it is not zero), or a count stepped by one until it
//     equals an invariant n.
//   - No other instruction that writes memory or can trap; globalset is allowed.
//   - No value defined in the loop used after it, except the exit's arguments.
//
// The check, in 64-bit arithmetic on the values the loop is entered with: for each
// induction variable's accesses, the lowest address is at least 0 (no 32-bit address
// wraps below it) and the highest end at most the memory's size, T-1 steps on; for each
// invariant access the same; and the promoted keys' bytes overlap neither each other's
// (through another address value) nor any other access group's span.
//
// Preserves: nothing (new blocks). Needs: loops ([Func.Loops]).
func Promote(f *Func) {
	if len(f.Layout) == 0 || f.Module == nil || !hasSelfLoop(f) {
		f.forwardHandoff() // it asked and changed nothing
		return
	}
	c := reachableCFG(f)
	lf := f.loopsCurrent()
	var escapes []bool // made on the first single-block loop
	var cands []promoteLoop
	for _, l := range lf.Loops {
		if len(l.Blocks) != 1 || l.Header == f.Entry() {
			continue
		}
		if escapes == nil {
			escapes = escapingBlocks(f)
		}
		if escapes[l.Header] {
			continue
		}
		if pl, ok := analyzePromote(f, c, l.Header); ok {
			cands = append(cands, pl)
		}
	}
	if len(cands) == 0 {
		return
	}
	// Each fast copy goes right before its loop, in one pass over the layout.
	before := make(map[BlockID][]BlockID, len(cands))
	for _, pl := range cands {
		before[pl.h] = pl.rewrite(f)
	}
	layout := make([]BlockID, 0, len(f.Layout)+3*len(cands))
	for _, b := range f.Layout {
		layout = append(append(layout, before[b]...), b)
	}
	f.Layout = layout
}

// hasSelfLoop reports whether a block other than the entry branches to itself: the back
// edge of a loop of one block is one, so without any there is nothing to promote, and
// most functions have none (issue 21). One sweep over the branches spares them the CFG,
// which the passes before left stale, and the loops.
func hasSelfLoop(f *Func) bool {
	entry := f.Entry()
	for _, b := range f.Layout {
		if t := f.Terminator(b); t != nil && b != entry {
			for _, bc := range t.Targets {
				if bc.Block == b {
					return true
				}
			}
		}
	}
	return false
}

// escapingBlocks marks the blocks whose values (parameters or results) some other block
// uses: the values of a loop used after it would need merging after the two copies. One
// walk for all loops, so that a function of many loops costs no more than one.
func escapingBlocks(f *Func) []bool {
	esc := make([]bool, len(f.Blocks))
	use := func(b BlockID, v Value) {
		if d := defBlock(f, v); d != NoBlock && d != b {
			esc[d] = true
		}
	}
	for _, b := range f.Layout {
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			for _, a := range in.Args {
				use(b, a)
			}
			for _, t := range in.Targets {
				for _, a := range t.Args {
					use(b, a)
				}
			}
		}
	}
	return esc
}

// Limits that keep the check and the copy small.
const (
	promoteMaxInstrs = 256
	promoteMaxKeys   = 8
	promoteMaxGroups = 8
)

// promoteKey names the bytes one access reads or writes.
type promoteKey struct {
	mem   uint32
	addr  Value
	off   uint64
	width uint8
	typ   Type
}

// promoteIV is an induction variable: header parameter k, entered with init and passed
// back as itself plus step.
type promoteIV struct {
	param int
	step  int64
}

// promoteGroup is the accesses through one address value, or through one induction
// variable plus constants: their addresses are base + lo .. base + hi, relative to the
// value (or, for an induction variable, to its value on each pass).
type promoteGroup struct {
	iv      int   // index into ivs, or -1 for an invariant address value
	addr    Value // the invariant address value
	lo, hi  int64 // the span of bytes, relative: [lo, hi)
	minAddr int64 // for an induction variable: the least constant added to it (its own value must not wrap)
	promote bool  // the group of a promoted key
}

type promoteLoop struct {
	h, pre, exit BlockID
	back, out    int // the terminator's targets: back edge and exit
	mem          uint32
	ivs          []promoteIV
	count        promoteCount
	keys         []promoteKey
	groups       []promoteGroup
}

// promoteCount is how the loop states its trip count: counter parameter param, passed
// back as param - 1 and tested for zero (bound == NoValue), or passed back as param + 1
// and compared not equal to invariant bound.
type promoteCount struct {
	param int
	bound Value
}

// analyzePromote decides whether loop h qualifies and what the check needs.
func analyzePromote(f *Func, c *CFG, h BlockID) (promoteLoop, bool) {
	pl := promoteLoop{h: h, mem: ^uint32(0)}
	ins := f.Blocks[h].Instrs
	if len(ins) > promoteMaxInstrs || len(c.Preds[h]) != 2 {
		return pl, false
	}
	term := &f.Instrs[ins[len(ins)-1]]
	if term.Op != OpBrIf || len(term.Targets) != 2 {
		return pl, false
	}
	switch {
	case term.Targets[0].Block == h && term.Targets[1].Block != h:
		pl.back, pl.out = 0, 1
	case term.Targets[1].Block == h && term.Targets[0].Block != h:
		pl.back, pl.out = 1, 0
	default:
		return pl, false
	}
	pl.exit = term.Targets[pl.out].Block
	for _, p := range c.Preds[h] {
		if p != h {
			pl.pre = p
		}
	}
	if pt := f.Terminator(pl.pre); pt == nil || pt.Op != OpJump {
		return pl, false
	}
	inLoop := func(v Value) bool { return defBlock(f, v) == h }
	backArgs := term.Targets[pl.back].Args
	params := f.Blocks[h].Params
	ivOf := map[Value]int{} // header parameter -> index into pl.ivs
	for k, p := range params {
		t := f.TypeOf(p)
		if t != I32 {
			continue
		}
		if step, ok := addConst(f, backArgs[k], p, h); ok && int32(step) > 0 {
			ivOf[p] = len(pl.ivs)
			pl.ivs = append(pl.ivs, promoteIV{param: k, step: int64(int32(step))})
		}
	}
	if !promoteTrip(f, h, term, pl.back, params, backArgs, &pl.count) {
		return pl, false
	}
	// ivBase follows adds of constants back to an induction variable: a = p + k.
	ivBase := func(a Value) (int, int64, bool) {
		var k int64
		for n := 0; n < 16; n++ {
			if i, ok := ivOf[a]; ok {
				return i, k, true
			}
			in := defInstr(f, a)
			if in == nil || in.Op != OpIAdd || in.Block != h || f.TypeOf(a) != I32 {
				return 0, 0, false
			}
			x, ok := constOf(f, in.Args[1])
			if !ok {
				return 0, 0, false
			}
			k += int64(int32(uint32(x)))
			a = in.Args[0]
		}
		return 0, 0, false
	}
	type access struct {
		key   promoteKey
		store bool
		full  bool
	}
	var accs []access
	for _, id := range ins[:len(ins)-1] {
		in := &f.Instrs[id]
		switch in.Op {
		case OpLoad, OpStore:
			t := f.TypeOf(accessValue(in))
			k := promoteKey{mem: in.Index, addr: in.Args[0], off: in.Imm, width: in.Width, typ: t}
			if pl.mem != ^uint32(0) && pl.mem != in.Index || int(in.Index) >= len(f.Module.Memories) || f.Module.Memories[in.Index].Is64 || in.Imm > 1<<30 {
				return pl, false
			}
			pl.mem = in.Index
			accs = append(accs, access{key: k, store: in.Op == OpStore, full: int(in.Width) == t.Size() && (t == I32 || t == I64 || t == F32 || t == F64)})
		case OpBoundsCheck, OpGlobalSet, OpGlobalGet, OpMemSize:
		default:
			// Another write, a read the copy would not see (a vector load of the
			// promoted bytes), or a trap the copy could not move its stores past.
			if fl := in.Op.Flags(); fl.Has(SideEffect) || fl.Has(CanTrap) || fl.Has(Reads) || fl.Has(Guarded) {
				return pl, false
			}
		}
	}
	if pl.mem == ^uint32(0) {
		return pl, false
	}
	// Promoted keys: invariant address, stored in the loop, every access through the same
	// address value either the same key or disjoint bytes.
	for _, a := range accs {
		if !a.store || !a.full || inLoop(a.key.addr) || slicesContainsKey(pl.keys, a.key) {
			continue
		}
		ok := true
		for _, b := range accs {
			if b.key.addr != a.key.addr || b.key == a.key {
				continue
			}
			if b.key.off+uint64(b.key.width) > a.key.off && a.key.off+uint64(a.key.width) > b.key.off {
				ok = false
				break
			}
		}
		if ok && len(pl.keys) < promoteMaxKeys {
			pl.keys = append(pl.keys, a.key)
		}
	}
	if len(pl.keys) == 0 {
		return pl, false
	}
	// Groups: by invariant address value, or by induction variable.
	group := func(iv int, addr Value, lo, hi, k int64, promote bool) bool {
		for i := range pl.groups {
			g := &pl.groups[i]
			if g.iv == iv && (iv >= 0 || g.addr == addr) && g.promote == promote {
				g.lo, g.hi, g.minAddr = min(g.lo, lo), max(g.hi, hi), min(g.minAddr, k)
				return true
			}
		}
		if len(pl.groups) == promoteMaxGroups {
			return false
		}
		pl.groups = append(pl.groups, promoteGroup{iv: iv, addr: addr, lo: lo, hi: hi, minAddr: k, promote: promote})
		return true
	}
	for _, a := range accs {
		lo, hi := int64(a.key.off), int64(a.key.off)+int64(a.key.width)
		var ok bool
		switch {
		case slicesContainsKey(pl.keys, a.key):
			ok = group(-1, a.key.addr, lo, hi, 0, true)
		case !inLoop(a.key.addr):
			ok = group(-1, a.key.addr, lo, hi, 0, false)
		default:
			iv, k, isIV := ivBase(a.key.addr)
			if !isIV {
				return pl, false
			}
			ok = group(iv, NoValue, lo+k, hi+k, k, false)
		}
		if !ok {
			return pl, false
		}
	}
	return pl, true
}

func slicesContainsKey(ks []promoteKey, k promoteKey) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// accessValue is the value a load reads (its result) or a store writes.
func accessValue(in *Instr) Value {
	if in.Op == OpStore {
		return in.Args[1]
	}
	return in.Results[0]
}

// addConst reports whether v is iadd p, k computed in block b, and k.
func addConst(f *Func, v, p Value, b BlockID) (uint64, bool) {
	in := defInstr(f, v)
	if in == nil || in.Op != OpIAdd || in.Args[0] != p || in.Block != b {
		return 0, false
	}
	return constOf(f, in.Args[1])
}

// promoteTrip recognizes how the loop's brif decides to go on.
func promoteTrip(f *Func, h BlockID, term *Instr, back int, params, backArgs []Value, pc *promoteCount) bool {
	cond := term.Args[0]
	goOnIfTrue := back == 0
	for k, p := range params {
		if f.TypeOf(p) != I32 {
			continue
		}
		next := backArgs[k]
		// brif c - 1, h(.., c - 1, ..), exit: go on while it is not zero.
		if goOnIfTrue && cond == next {
			if step, ok := addConst(f, next, p, h); ok && uint32(step) == ^uint32(0) {
				*pc = promoteCount{param: k, bound: NoValue}
				return true
			}
		}
		// c + 1 compared ne (go on if true) or eq (go on if false) to an invariant n.
		in := defInstr(f, cond)
		if in == nil || in.Op != OpICmp || in.Args[0] != next || defBlock(f, in.Args[1]) == h {
			continue
		}
		if step, ok := addConst(f, next, p, h); !ok || step != 1 {
			continue
		}
		if in.Cond == CondNe && goOnIfTrue || in.Cond == CondEq && !goOnIfTrue {
			*pc = promoteCount{param: k, bound: in.Args[1]}
			return true
		}
	}
	return false
}

// rewrite makes the check, the fast copy and the blocks around it, and returns the new
// blocks, which go right before the original loop in the layout.
func (pl *promoteLoop) rewrite(f *Func) []BlockID {
	h := pl.h
	hins := append([]InstrID(nil), f.Blocks[h].Instrs...)
	pre := pl.pre
	preIns := f.Blocks[pre].Instrs
	jumpID := preIns[len(preIns)-1]
	entryArgs := f.Instrs[jumpID].Targets[0].Args

	var check []InstrID
	emit := func(in Instr, t Type) Value {
		id := newInstr(f, in, pre, t)
		check = append(check, id)
		return f.Instrs[id].Results[0]
	}
	k64 := func(x int64) Value { return emit(Instr{Op: OpIConst, Imm: uint64(x)}, I64) }
	zext := func(v Value) Value { return emit(Instr{Op: OpZExt, Args: []Value{v}}, I64) }
	bin := func(op Op, a, b Value, t Type) Value { return emit(Instr{Op: op, Args: []Value{a, b}}, t) }
	cmp := func(cc Cond, a, b Value) Value { return emit(Instr{Op: OpICmp, Cond: cc, Args: []Value{a, b}}, I32) }
	ok := NoValue
	and := func(c Value) {
		if ok == NoValue {
			ok = c
		} else {
			ok = bin(OpIAnd, ok, c, I32)
		}
	}
	// The memory's size in bytes, and the trip count T >= 1 (as T - 1).
	pages := emit(Instr{Op: OpMemSize, Index: pl.mem}, I32)
	size := bin(OpIShl, zext(pages), k64(16), I64)
	var trips Value // i32 T
	if pl.count.bound == NoValue {
		trips = entryArgs[pl.count.param]
	} else {
		trips = bin(OpISub, pl.count.bound, entryArgs[pl.count.param], I32)
	}
	and(cmp(CondNe, trips, emit(Instr{Op: OpIConst}, I32)))
	last := bin(OpIAdd, zext(trips), k64(-1), I64) // T - 1
	// Each group's span, [lo, hi) in bytes, and that it lies in memory.
	type span struct{ lo, hi Value }
	spans := make([]span, len(pl.groups))
	for i, g := range pl.groups {
		if g.iv < 0 {
			base := zext(g.addr)
			spans[i] = span{bin(OpIAdd, base, k64(g.lo), I64), bin(OpIAdd, base, k64(g.hi), I64)}
			and(cmp(CondULE, spans[i].hi, size))
			continue
		}
		iv := pl.ivs[g.iv]
		init := zext(entryArgs[iv.param])
		far := bin(OpIAdd, init, bin(OpIMul, last, k64(iv.step), I64), I64)
		spans[i] = span{bin(OpIAdd, init, k64(g.lo), I64), bin(OpIAdd, far, k64(g.hi), I64)}
		// No address p + k wraps below zero (nor, then, does any span start below it:
		// offsets are not negative), none ends past the memory (so none wraps above
		// 2^32 either).
		and(cmp(CondSGE, bin(OpIAdd, init, k64(g.minAddr), I64), k64(0)))
		and(cmp(CondULE, spans[i].hi, size))
	}
	for i, g := range pl.groups {
		if !g.promote {
			continue
		}
		for j, o := range pl.groups {
			if j == i || o.promote && j < i {
				continue
			}
			// Disjoint: g.hi <= o.lo or o.hi <= g.lo.
			d := bin(OpIOr, cmp(CondULE, spans[i].hi, spans[j].lo), cmp(CondULE, spans[j].hi, spans[i].lo), I32)
			and(d)
		}
	}

	// The fast copy: fpre loads the keys, f body, fexit stores them.
	newBlock := func() BlockID {
		f.Blocks = append(f.Blocks, Block{})
		return BlockID(len(f.Blocks) - 1)
	}
	fpre, fh, fexit := newBlock(), newBlock(), newBlock()
	var preList []InstrID
	keyVals := make([]Value, len(pl.keys))
	for i, k := range pl.keys {
		bc := newInstr(f, Instr{Op: OpBoundsCheck, Index: k.mem, Args: []Value{k.addr}, Imm: k.off + uint64(k.width)}, fpre)
		ld := newInstr(f, Instr{Op: OpLoad, Index: k.mem, Imm: k.off, Width: k.width, Args: []Value{k.addr}}, fpre, k.typ)
		preList = append(preList, bc, ld)
		keyVals[i] = f.Instrs[ld].Results[0]
	}
	fparams := make([]Value, 0, len(f.Blocks[h].Params)+len(pl.keys))
	m := map[Value]Value{}
	for i, p := range f.Blocks[h].Params {
		np := f.newValue(ValueData{Type: f.TypeOf(p), Kind: DefParam, Block: fh, Index: uint32(i)})
		fparams = append(fparams, np)
		m[p] = np
	}
	cur := make([]Value, len(pl.keys))
	for i, k := range pl.keys {
		np := f.newValue(ValueData{Type: k.typ, Kind: DefParam, Block: fh, Index: uint32(len(fparams))})
		fparams = append(fparams, np)
		cur[i] = np
	}
	f.Blocks[fh].Params = fparams
	keyIndex := func(in *Instr) int {
		t := f.TypeOf(accessValue(in))
		k := promoteKey{mem: in.Index, addr: in.Args[0], off: in.Imm, width: in.Width, typ: t}
		for i, x := range pl.keys {
			if x == k {
				return i
			}
		}
		return -1
	}
	mapv := func(v Value) Value {
		if w, ok := m[v]; ok {
			return w
		}
		return v
	}
	var body []InstrID
	for _, id := range hins[:len(hins)-1] {
		in := f.Instrs[id]
		switch in.Op {
		case OpBoundsCheck:
			continue // the check proved every access in bounds
		case OpLoad:
			if i := keyIndex(&in); i >= 0 {
				m[in.Results[0]] = cur[i]
				continue
			}
		case OpStore:
			if i := keyIndex(&in); i >= 0 {
				cur[i] = mapv(in.Args[1])
				continue
			}
		}
		args := make([]Value, len(in.Args))
		for j, a := range in.Args {
			args[j] = mapv(a)
		}
		types := make([]Type, len(in.Results))
		for j, r := range in.Results {
			types[j] = f.TypeOf(r)
		}
		cp := in
		cp.Args, cp.Targets = args, nil
		nid := newInstr(f, cp, fh, types...)
		for j, r := range f.Instrs[id].Results {
			m[r] = f.Instrs[nid].Results[j]
		}
		body = append(body, nid)
	}
	term := f.Instrs[hins[len(hins)-1]]
	backArgs := make([]Value, 0, len(fparams))
	for _, a := range term.Targets[pl.back].Args {
		backArgs = append(backArgs, mapv(a))
	}
	backArgs = append(backArgs, cur...)
	exitArgs := make([]Value, len(term.Targets[pl.out].Args))
	for j, a := range term.Targets[pl.out].Args {
		exitArgs[j] = mapv(a)
	}
	targets := make([]BlockCall, 2)
	targets[pl.back] = BlockCall{Block: fh, Args: backArgs}
	targets[pl.out] = BlockCall{Block: fexit}
	br := newInstr(f, Instr{Op: OpBrIf, Args: []Value{mapv(term.Args[0])}, Targets: targets}, fh)
	f.Blocks[fh].Instrs = append(body, br)

	var exitList []InstrID
	for i, k := range pl.keys {
		exitList = append(exitList, newInstr(f, Instr{Op: OpStore, Index: k.mem, Imm: k.off, Width: k.width, Args: []Value{k.addr, cur[i]}}, fexit))
	}
	exitList = append(exitList, newInstr(f, Instr{Op: OpJump, Targets: []BlockCall{{Block: pl.exit, Args: exitArgs}}}, fexit))
	f.Blocks[fexit].Instrs = exitList

	fpreArgs := append(append([]Value(nil), entryArgs...), keyVals...)
	preList = append(preList, newInstr(f, Instr{Op: OpJump, Targets: []BlockCall{{Block: fh, Args: fpreArgs}}}, fpre))
	f.Blocks[fpre].Instrs = preList

	// The preheader branches on the check.
	slow := f.Instrs[jumpID].Targets[0]
	deleteInstr(f, jumpID)
	sel := newInstr(f, Instr{Op: OpBrIf, Args: []Value{ok}, Targets: []BlockCall{{Block: fpre}, slow}}, pre)
	f.Blocks[pre].Instrs = append(append(append([]InstrID(nil), preIns[:len(preIns)-1]...), check...), sel)

	return []BlockID{fpre, fh, fexit}
}
