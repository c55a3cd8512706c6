package ir

import (
	"cmp"
	"slices"
)

// SLP packs the isomorphic scalar operations of an unrolled counted loop into vector
// operations ("superword-level parallelism"). Compilers that target wasm without SIMD
// unroll a loop like c[j] += a*b[j] by two or four, and leave the copies side by side:
// two f64 loads from adjacent addresses, two multiplies, two adds, two stores to
// adjacent addresses. SLP turns each such group into one f64x2 (or i32x4, f32x4, i64x2)
// operation, which is what gcc's vectorizer does to the same C.
//
// The loop must be one block that branches to itself, counted by a parameter iv that
// grows by a power of two st until it equals an invariant bound E; every load, store and
// boundscheck in it must address invariant + iv + constant. Packs grow from runs of
// stores to adjacent addresses of one such stream, through isomorphic pure operations,
// down to adjacent loads, splats of one value and constants; every value a pack holds
// must be used by the pack above it and nothing else.
//
// Packing moves memory accesses: a pack runs where its last lane ran. So the loop is
// versioned: its preheader checks, once per entry, that the trip count is exact, that
// no address wraps, that every slpAccess of every iteration is in bounds (then the vector
// loop needs no boundscheck and cannot trap, so where a trap would have left memory
// does not matter), and that streams whose accesses changed order do not overlap. If
// anything fails, the original loop runs. Accesses of one stream are compared
// statically.
//
// Needs: the preheader LICM leaves, and addresses that GVN and LICM made invariant.
// Leaves: the scalar loop and the vector loop side by side, both exiting to the same
// block; DCE removes what packing left unused.
func SLP(f *Func) {
	c := reachableCFG(f)
	lf := f.loopsCurrent()
	var uses []int32
	headers := make([]BlockID, 0, len(lf.Loops))
	for _, l := range lf.Loops {
		if len(l.Blocks) == 1 && len(f.Blocks[l.Header].Instrs) <= slpMaxInstrs {
			headers = append(headers, l.Header)
		}
	}
	done := 0
	for _, h := range headers {
		if done == slpMaxLoops {
			break
		}
		if uses == nil {
			uses = countUses(f)
		}
		s := &slpLoop{f: f, body: h, uses: uses}
		if !s.plan(c) {
			continue
		}
		s.rewrite()
		c, uses = f.CFG(), nil
		done++
	}
	f.leaveHandoff(c.RPO, true) // plan changes nothing; c is current after each rewrite
}

// Limits that keep SLP linear in the function: planning a loop is quadratic in its
// accesses, and each loop vectorized costs a walk of the function.
const (
	slpMaxInstrs   = 1024 // in the loop's block
	slpMaxAccesses = 64   // loads, stores and boundschecks in the loop
	slpMaxLoops    = 32   // vectorized per function
)

// countUses returns the number of uses of every value of f, branch arguments included.
func countUses(f *Func) []int32 {
	uses := make([]int32, len(f.Values))
	for _, b := range f.Layout {
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			for _, a := range in.Args {
				uses[a]++
			}
			for _, t := range in.Targets {
				for _, a := range t.Args {
					uses[a]++
				}
			}
		}
	}
	return uses
}

// slpLoop is one candidate loop while it is planned and rewritten.
type slpLoop struct {
	f    *Func
	body BlockID // the loop: one block that branches to itself
	pre  BlockID // its preheader, which ends in a jump to body
	exit BlockID
	uses []int32

	iv      int    // index of the counting parameter
	step    uint32 // what iv grows by per iteration, a power of two
	bound   Value  // iv's value after the last iteration
	backArg int    // index of the back edge among the terminator's targets

	pos     map[InstrID]int // position in the body
	forms   map[Value]affine
	packs   []*pack
	packOf  map[InstrID]*pack
	inPack  map[Value]bool
	counted map[Value]int32  // uses of packed values by the packs above them
	accs    []slpAccess      // every load, store and boundscheck, in order
	pairs   [][2]int         // indices into accs of different streams that must not overlap
	addrs   map[string]Value // addresses the preheader computes, by form and counter
}

// affine is an i32 address as invariant values added and subtracted, a constant and k
// times the loop's counter.
type affine struct {
	add, sub []Value
	c        uint32
	k        int
}

func (a affine) sameStream(b affine) bool {
	return slices.Equal(a.add, b.add) && slices.Equal(a.sub, b.sub)
}

// slpAccess is one memory slpAccess of the loop body: its address's form, its constant offset
// and its width in bytes (a boundscheck's n counts as offset 0 and width n).
type slpAccess struct {
	instr InstrID
	mem   uint32
	form  affine
	off   uint64
	width uint64
	store bool
	check bool
}

// start returns the byte the slpAccess starts at relative to its stream's invariant part.
func (a slpAccess) start() int64 { return int64(int32(a.form.c)) + int64(a.off) }

// pack is a group of scalar values computed as the lanes of one vector.
type pack struct {
	kind   packKind
	lanes  []Value   // lane i's scalar value (stores: the stored values' packs are args)
	instrs []InstrID // the scalar instructions, by lane (ops, loads, stores)
	shape  Shape
	op     Op // the vector op of a packOp
	args   []*pack
	at     int // body position the vector op is emitted at
	vec    Value
}

type packKind uint8

const (
	packOp packKind = iota
	packLoad
	packStore
	packSplat       // one invariant value in every lane, made in the preheader
	packSplatInLoop // one value of the loop in every lane, made before its user
	packConst
)

// slpOps maps a scalar op and type to its vector form.
var slpOps = map[[2]uint8][2]uint8{}

func init() {
	// The vector form of each op is the same for both lane types of a kind; imul has
	// no i64x2 form worth using.
	forms := []struct {
		types  [2]Type
		shapes [2]Shape
		ops    [][2]Op
	}{
		{[2]Type{F32, F64}, [2]Shape{F32x4, F64x2}, [][2]Op{
			{OpFAdd, OpVFAdd}, {OpFSub, OpVFSub}, {OpFMul, OpVFMul}, {OpFDiv, OpVFDiv},
			{OpFNeg, OpVFNeg}, {OpFAbs, OpVFAbs}, {OpFSqrt, OpVFSqrt}}},
		{[2]Type{I32, I64}, [2]Shape{I32x4, I64x2}, [][2]Op{
			{OpIAdd, OpVIAdd}, {OpISub, OpVISub}, {OpIAnd, OpVAnd}, {OpIOr, OpVOr}, {OpIXor, OpVXor}}},
	}
	for _, fm := range forms {
		for i, t := range fm.types {
			for _, o := range fm.ops {
				slpOps[[2]uint8{uint8(o[0]), uint8(t)}] = [2]uint8{uint8(o[1]), uint8(fm.shapes[i])}
			}
		}
	}
	slpOps[[2]uint8{uint8(OpIMul), uint8(I32)}] = [2]uint8{uint8(OpVIMul), uint8(I32x4)}
}

// laneShape is the shape whose lanes are scalars of type t.
func laneShape(t Type) Shape {
	switch t {
	case I32:
		return I32x4
	case I64:
		return I64x2
	case F32:
		return F32x4
	case F64:
		return F64x2
	}
	return ShapeNone
}

// plan finds the loop's counter, the forms of its addresses and its packs, and decides
// whether the loop can be vectorized.
func (s *slpLoop) plan(c *CFG) bool {
	f := s.f
	term := f.Terminator(s.body)
	if term == nil || term.Op != OpBrIf || len(term.Targets) != 2 {
		return false
	}
	switch {
	case term.Targets[0].Block == s.body && term.Targets[1].Block != s.body:
		s.backArg = 0
	case term.Targets[1].Block == s.body && term.Targets[0].Block != s.body:
		s.backArg = 1
	default:
		return false
	}
	s.exit = term.Targets[1-s.backArg].Block
	s.pre = NoBlock
	for _, p := range c.Preds[s.body] {
		if p == s.body {
			continue
		}
		if s.pre != NoBlock && s.pre != p {
			return false
		}
		s.pre = p
	}
	if s.pre == NoBlock || f.Terminator(s.pre).Op != OpJump {
		return false
	}
	if !s.findCounter(term) {
		return false
	}
	instrs := f.Blocks[s.body].Instrs
	s.pos = make(map[InstrID]int, len(instrs))
	s.forms = map[Value]affine{}
	for i, id := range instrs[:len(instrs)-1] {
		s.pos[id] = i
		in := &f.Instrs[id]
		switch in.Op {
		case OpLoad, OpStore, OpBoundsCheck:
			a, ok := s.form(in.Args[0])
			if !ok || a.k != 1 {
				return false
			}
			acc := slpAccess{instr: id, mem: in.Index, form: a, off: in.Imm, width: uint64(in.Width), store: in.Op == OpStore}
			if in.Op == OpBoundsCheck {
				acc.off, acc.width, acc.check = 0, in.Imm, true
			}
			if c := int32(a.c); acc.off > 1<<30 || acc.width > 1<<30 || c > 1<<16 || c < -1<<16 {
				return false
			}
			s.accs = append(s.accs, acc)
			if len(s.accs) > slpMaxAccesses {
				return false
			}
		case OpGlobalGet, OpMemSize:
		default:
			// Other reads may see linear memory through host addresses (the runtime's
			// hostload), which packing would reorder against the stores.
			if in.Op.Flags()&(SideEffect|CanTrap|Guarded|Terminator|Reads) != 0 {
				return false
			}
		}
	}
	s.packOf = map[InstrID]*pack{}
	s.inPack = map[Value]bool{}
	s.counted = map[Value]int32{}
	s.seed()
	if len(s.packs) == 0 {
		return false
	}
	return s.orderChecks() && s.liveOutsOK(c)
}

// findCounter finds the parameter that counts the iterations: the back edge passes it
// plus a power of two, and the loop continues while that differs from an invariant.
func (s *slpLoop) findCounter(term *Instr) bool {
	f := s.f
	cond := defInstr(f, term.Args[0])
	if cond == nil || cond.Op != OpICmp || cond.Block != s.body {
		return false
	}
	// brif (next != E) continues on its first target; brif (next == E) on its second.
	if cond.Cond == CondNe && s.backArg != 0 || cond.Cond == CondEq && s.backArg != 1 || cond.Cond != CondNe && cond.Cond != CondEq {
		return false
	}
	back := term.Targets[s.backArg].Args
	params := f.Blocks[s.body].Params
	for i, p := range params {
		if f.TypeOf(p) != I32 {
			continue
		}
		st, ok := s.stepOf(p, back[i])
		if !ok {
			continue
		}
		var e Value
		switch next := back[i]; {
		case cond.Args[0] == next:
			e = cond.Args[1]
		case cond.Args[1] == next:
			e = cond.Args[0]
		default:
			continue
		}
		if !s.invariant(e) {
			continue
		}
		s.iv, s.step, s.bound = i, st, e
		return true
	}
	return false
}

// stepOf reports whether next is p plus a constant power of two below 2^12, and which.
func (s *slpLoop) stepOf(p, next Value) (uint32, bool) {
	in := defInstr(s.f, next)
	if in == nil || in.Op != OpIAdd || in.Block != s.body || in.Args[0] != p {
		return 0, false
	}
	k, ok := constOf(s.f, in.Args[1])
	if !ok || k == 0 || k >= 1<<12 || k&(k-1) != 0 {
		return 0, false
	}
	return uint32(k), true
}

// invariant reports whether v has one value for the whole loop: defined outside it, or
// a constant.
func (s *slpLoop) invariant(v Value) bool {
	if defBlock(s.f, v) != s.body {
		return true
	}
	_, ok := constOf(s.f, v)
	return ok
}

// form returns v as an affine function of the counter, if it is one.
func (s *slpLoop) form(v Value) (affine, bool) {
	if a, ok := s.forms[v]; ok {
		return a, a.k >= 0
	}
	a, ok := s.computeForm(v)
	if !ok {
		a.k = -1
	}
	s.forms[v] = a
	return a, ok
}

func (s *slpLoop) computeForm(v Value) (affine, bool) {
	f := s.f
	if f.TypeOf(v) != I32 {
		return affine{}, false
	}
	if k, ok := constOf(f, v); ok {
		return affine{c: uint32(k)}, true
	}
	if defBlock(f, v) != s.body {
		return affine{add: []Value{v}}, true
	}
	if d := f.Values[v]; d.Kind == DefParam {
		// A parameter that grows by the counter's step is the counter plus its own
		// start minus the counter's.
		term := f.Terminator(s.body)
		next := term.Targets[s.backArg].Args[d.Index]
		st, ok := s.stepOf(v, next)
		if !ok || st != s.step {
			return affine{}, false
		}
		if int(d.Index) == s.iv {
			return affine{k: 1}, true
		}
		init := f.Terminator(s.pre).Targets[0].Args
		return affine{add: []Value{init[d.Index]}, sub: []Value{init[s.iv]}, k: 1}, true
	}
	in := defInstr(f, v)
	if in.Op == OpCopy {
		return s.form(in.Args[0])
	}
	if in.Op != OpIAdd && in.Op != OpISub {
		return affine{}, false
	}
	x, ok1 := s.form(in.Args[0])
	y, ok2 := s.form(in.Args[1])
	if !ok1 || !ok2 {
		return affine{}, false
	}
	if in.Op == OpISub {
		if y.k != 0 {
			return affine{}, false
		}
		y = affine{add: y.sub, sub: y.add, c: -y.c}
	}
	r := affine{
		add: sortedValues(x.add, y.add),
		sub: sortedValues(x.sub, y.sub),
		c:   x.c + y.c,
		k:   x.k + y.k,
	}
	if r.k > 1 || len(r.add)+len(r.sub) > 4 {
		return affine{}, false
	}
	return r, true
}

func sortedValues(a, b []Value) []Value {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	r := append(append([]Value(nil), a...), b...)
	slices.Sort(r)
	return r
}

// seed tries every run of stores to adjacent addresses of one stream as the root of a
// pack tree.
func (s *slpLoop) seed() {
	var stores []int
	for i, a := range s.accs {
		if a.store {
			stores = append(stores, i)
		}
	}
	for _, i := range stores {
		a := s.accs[i]
		in := &s.f.Instrs[a.instr]
		t := s.f.TypeOf(in.Args[1])
		sh := laneShape(t)
		if sh == ShapeNone || int(a.width) != t.Size() || s.packOf[a.instr] != nil {
			continue
		}
		// Four 32-bit lanes fill a vector; two fill half of one, which clang's usual
		// unroll by two leaves.
		for _, n := range []int{sh.Lanes(), 2} {
			if run := s.storeRun(stores, i, n); run != nil && s.tryStores(run, sh) {
				break
			}
		}
	}
}

// storeRun returns n stores to adjacent addresses of the stream of store i, i first, in
// address order, none of them packed yet; or nil.
func (s *slpLoop) storeRun(stores []int, i, n int) []int {
	a := s.accs[i]
	t := s.f.TypeOf(s.f.Instrs[a.instr].Args[1])
	run := []int{i}
	for len(run) < n {
		want := s.accs[run[len(run)-1]].start() + int64(a.width)
		next := slices.IndexFunc(stores, func(j int) bool {
			b := s.accs[j]
			return b.mem == a.mem && b.width == a.width && b.form.sameStream(a.form) && b.start() == want &&
				s.f.TypeOf(s.f.Instrs[b.instr].Args[1]) == t && s.packOf[b.instr] == nil
		})
		if next < 0 {
			return nil
		}
		run = append(run, stores[next])
	}
	return run
}

// tryStores builds the tree under a run of stores and keeps it if it is whole.
func (s *slpLoop) tryStores(run []int, sh Shape) bool {
	nPacks := len(s.packs)
	st := &pack{kind: packStore, shape: sh, vec: NoValue}
	vals := make([]Value, len(run))
	for lane, i := range run {
		id := s.accs[i].instr
		st.instrs = append(st.instrs, id)
		vals[lane] = s.f.Instrs[id].Args[1]
		st.at = max(st.at, s.pos[id])
	}
	var undo []Value
	arg, ok := s.build(vals, sh, &undo)
	if ok {
		// Every lane value must be used only by the packs above it.
		for _, p := range s.packs[nPacks:] {
			for _, v := range p.lanes {
				if v != NoValue && p.kind != packSplat && p.kind != packSplatInLoop && p.kind != packConst && s.counted[v] != s.uses[v] {
					ok = false
				}
			}
		}
	}
	if !ok {
		for _, p := range s.packs[nPacks:] {
			for _, id := range p.instrs {
				delete(s.packOf, id)
			}
		}
		for _, v := range undo {
			delete(s.inPack, v)
			delete(s.counted, v)
		}
		s.packs = s.packs[:nPacks]
		return false
	}
	st.args = []*pack{arg}
	for _, id := range st.instrs {
		s.packOf[id] = st
	}
	s.packs = append(s.packs, st)
	return true
}

// build returns the pack whose lane i is vals[i], building it and the packs under it.
func (s *slpLoop) build(vals []Value, sh Shape, undo *[]Value) (*pack, bool) {
	f := s.f
	for _, v := range vals {
		if f.TypeOf(v) != f.TypeOf(vals[0]) {
			return nil, false
		}
	}
	// The same lanes again (x*x): the pack that already holds them.
	if p := s.existing(vals); p != nil {
		for _, v := range vals {
			s.counted[v]++
		}
		return p, true
	}
	same := !slices.ContainsFunc(vals, func(v Value) bool { return v != vals[0] })
	if same {
		kind := packSplat
		if !s.invariant(vals[0]) {
			kind = packSplatInLoop
		}
		p := &pack{kind: kind, lanes: slices.Clone(vals), shape: sh, vec: NoValue}
		s.packs = append(s.packs, p)
		return p, true
	}
	allConst := true
	for _, v := range vals {
		if _, ok := constOf(f, v); !ok {
			allConst = false
		}
	}
	if allConst {
		p := &pack{kind: packConst, lanes: slices.Clone(vals), shape: sh, vec: NoValue}
		s.packs = append(s.packs, p)
		return p, true
	}
	ins := make([]*Instr, len(vals))
	for i, v := range vals {
		in := defInstr(f, v)
		if in == nil || in.Block != s.body || s.inPack[v] || len(in.Results) != 1 {
			return nil, false
		}
		if i > 0 && slices.Contains(vals[:i], v) {
			return nil, false
		}
		ins[i] = in
	}
	in0 := ins[0]
	for _, in := range ins[1:] {
		if in.Op != in0.Op || in.Cond != in0.Cond || in.Width != in0.Width || in.Signed != in0.Signed || len(in.Args) != len(in0.Args) {
			return nil, false
		}
	}
	p := &pack{lanes: slices.Clone(vals), shape: sh, vec: NoValue}
	for _, v := range vals {
		id := f.Values[v].Instr
		p.instrs = append(p.instrs, id)
		p.at = max(p.at, s.pos[id])
		s.inPack[v] = true
		s.counted[v]++
		*undo = append(*undo, v)
	}
	if in0.Op == OpLoad {
		if !s.adjacentLoads(p) {
			return nil, false
		}
		p.kind = packLoad
	} else {
		vop, ok := slpOps[[2]uint8{uint8(in0.Op), uint8(f.TypeOf(vals[0]))}]
		if !ok {
			return nil, false
		}
		p.kind, p.op = packOp, Op(vop[0])
		for a := range in0.Args {
			col := make([]Value, len(ins))
			for i, in := range ins {
				col[i] = in.Args[a]
			}
			arg, ok := s.build(col, sh, undo)
			if !ok {
				return nil, false
			}
			p.args = append(p.args, arg)
		}
	}
	for _, id := range p.instrs {
		s.packOf[id] = p
	}
	s.packs = append(s.packs, p)
	return p, true
}

// existing returns the pack whose lanes are exactly vals, if one was built.
func (s *slpLoop) existing(vals []Value) *pack {
	if !s.inPack[vals[0]] {
		return nil
	}
	for _, p := range s.packs {
		if slices.Equal(p.lanes, vals) && p.kind != packSplat && p.kind != packSplatInLoop && p.kind != packConst {
			return p
		}
	}
	return nil
}

// adjacentLoads reports whether the loads of p read adjacent addresses of one stream in
// lane order, each the full width of its type.
func (s *slpLoop) adjacentLoads(p *pack) bool {
	var first slpAccess
	for lane, id := range p.instrs {
		i := slices.IndexFunc(s.accs, func(a slpAccess) bool { return a.instr == id })
		if i < 0 {
			return false
		}
		a := s.accs[i]
		if int(a.width) != s.f.TypeOf(p.lanes[lane]).Size() {
			return false
		}
		if lane == 0 {
			first = a
			continue
		}
		if a.mem != first.mem || !a.form.sameStream(first.form) || a.start() != first.start()+int64(lane)*int64(a.width) {
			return false
		}
	}
	return true
}

// vecPos returns where slpAccess i runs in the vector loop.
func (s *slpLoop) vecPos(i int) int {
	id := s.accs[i].instr
	if p := s.packOf[id]; p != nil {
		return p.at
	}
	return s.pos[id]
}

// orderChecks finds the pairs of accesses that packing reorders, of which one writes.
// Accesses of one stream must then not overlap, which is decided here; accesses of two
// streams are checked in the preheader.
func (s *slpLoop) orderChecks() bool {
	for i := range s.accs {
		for j := i + 1; j < len(s.accs); j++ {
			x, y := s.accs[i], s.accs[j]
			if x.check || y.check || !x.store && !y.store || x.mem != y.mem {
				continue
			}
			if s.packOf[x.instr] != nil && s.packOf[x.instr] == s.packOf[y.instr] {
				continue
			}
			if s.vecPos(i) < s.vecPos(j) {
				continue
			}
			if x.form.sameStream(y.form) {
				if x.start() < y.start()+int64(y.width) && y.start() < x.start()+int64(x.width) {
					return false
				}
				continue
			}
			s.pairs = append(s.pairs, [2]int{i, j})
		}
	}
	return len(s.pairs) <= 16
}

// liveOutsOK reports whether values of the loop used after it can be passed to the exit
// block as parameters: the exit must have the loop as its only predecessor.
func (s *slpLoop) liveOutsOK(c *CFG) bool {
	if len(s.liveOuts()) == 0 {
		return true
	}
	for _, p := range c.Preds[s.exit] {
		if p != s.body {
			return false
		}
	}
	return true
}

// liveOuts lists the values defined in the loop that are used outside it.
func (s *slpLoop) liveOuts() []Value {
	f := s.f
	var out []Value
	seen := map[Value]bool{}
	note := func(v Value) {
		if defBlock(f, v) == s.body && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, b := range f.Layout {
		if b == s.body {
			continue
		}
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			for _, a := range in.Args {
				note(a)
			}
			for _, t := range in.Targets {
				for _, a := range t.Args {
					note(a)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Value) int { return cmp.Compare(a, b) })
	return out
}
