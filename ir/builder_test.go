package ir

import (
	"testing"
)

// braun is the core of Braun et al.'s SSA construction, written against the Builder the
// way the frontend will use it: variables are wasm locals, a block parameter is a phi.
type braun struct {
	b          *Builder
	defs       []map[int]Value // by block: variable → current value
	incomplete []map[int]Value // by block: variable → parameter awaiting its arguments
	sealed     []bool          // by block: all predecessors known
	types      map[int]Type    // variable → type
}

func newBraun(b *Builder) *braun {
	return &braun{b: b, types: map[int]Type{}}
}

func (s *braun) grow(blk BlockID) {
	for int(blk) >= len(s.defs) {
		s.defs = append(s.defs, map[int]Value{})
		s.incomplete = append(s.incomplete, map[int]Value{})
		s.sealed = append(s.sealed, false)
	}
}

func (s *braun) write(blk BlockID, x int, v Value) {
	s.grow(blk)
	s.defs[blk][x] = v
}

func (s *braun) read(blk BlockID, x int) Value {
	s.grow(blk)
	if v, ok := s.defs[blk][x]; ok {
		return s.b.Func().Resolve(v)
	}
	var v Value
	preds := s.b.Preds(blk)
	switch {
	case !s.sealed[blk]:
		v = s.b.AddParam(blk, s.types[x])
		s.incomplete[blk][x] = v
	case len(preds) == 1:
		v = s.read(preds[0].From, x)
	default:
		v = s.b.AddParam(blk, s.types[x])
		s.write(blk, x, v)
		v = s.addArgs(blk, x, v)
	}
	s.write(blk, x, v)
	return v
}

// addArgs appends the argument for parameter p to every edge into blk, then removes p if
// it is trivial (each edge passes p itself or one other value).
func (s *braun) addArgs(blk BlockID, x int, p Value) Value {
	for _, e := range s.b.Preds(blk) {
		s.b.AppendArg(e, s.read(e.From, x))
	}
	f := s.b.Func()
	same := NoValue
	idx := int(f.Values[p].Index)
	for _, e := range s.b.Preds(blk) {
		a := f.Resolve(f.Instrs[e.Instr].Targets[e.Succ].Args[idx])
		if a == p || a == same {
			continue
		}
		if same != NoValue {
			return p // two distinct values: a real merge
		}
		same = a
	}
	s.b.RemoveParam(blk, idx)
	s.b.Alias(p, same)
	return same
}

func (s *braun) seal(blk BlockID) {
	s.grow(blk)
	// Parameters must be completed in creation order, so that argument positions match.
	f := s.b.Func()
	for _, p := range append([]Value(nil), f.Blocks[blk].Params...) {
		for x, q := range s.incomplete[blk] {
			if q == p {
				s.addArgs(blk, x, p)
			}
		}
	}
	s.incomplete[blk] = map[int]Value{}
	s.sealed[blk] = true
}

// TestBuilderBraun builds a counting loop with Braun et al.'s algorithm: the header gets
// parameters while unsealed, arguments are appended to existing branches when it is
// sealed, and the trivial parameter for the loop-invariant bound is removed and aliased.
func TestBuilderBraun(t *testing.T) {
	m := &Module{}
	f := NewFunc("count", Signature{Params: []Type{I32}, Results: []Type{I32}})
	m.AddFunc(f)
	b := NewBuilder(f)
	s := newBraun(b)
	const n, i, acc = 0, 1, 2
	s.types[n], s.types[i], s.types[acc] = I32, I32, I32

	entry := b.NewEntry()
	s.sealed = append(s.sealed, true)
	s.write(entry, n, b.Params(entry)[0])
	zero := b.IConst(I32, 0)
	s.write(entry, i, zero)
	s.write(entry, acc, zero)
	header, body, exit := b.NewBlock(), b.NewBlock(), b.NewBlock()
	b.Jump(header)

	b.SetBlock(header) // unsealed: the back edge does not exist yet
	cond := b.ICmp(CondULT, s.read(header, i), s.read(header, n))
	b.BrIf(cond, body, nil, exit, nil)
	s.seal(body)

	b.SetBlock(body)
	s.write(body, acc, b.Binary(OpIAdd, s.read(body, acc), s.read(body, i)))
	s.write(body, i, b.Binary(OpIAdd, s.read(body, i), b.IConst(I32, 1)))
	b.Jump(header)
	s.seal(header)
	s.seal(exit)

	b.SetBlock(exit)
	b.Return(s.read(exit, acc))
	f.ResolveAliases()

	if errs := VerifyModule(m); len(errs) > 0 {
		t.Fatalf("built function does not verify:\n%s\n%s", errorLines(errs), f)
	}
	checkFile(t, "testdata/builder/braun_loop.ir", m.String())
}

// TestBuilderOps builds, with the Builder's helpers, the instructions the frontend emits
// most: a multi-value call, a checked load and store, brtable and a trap.
func TestBuilderOps(t *testing.T) {
	m := &Module{Memories: []Memory{{Limits: Limits{Min: 1}}}, Tables: []Table{{Elem: FuncRef, Limits: Limits{Min: 1}}}}
	pair := NewFunc("pair", Signature{Params: []Type{I32}, Results: []Type{I32, I64}})
	m.AddFunc(pair)
	pb := NewBuilder(pair)
	e := pb.NewEntry()
	x := pb.Params(e)[0]
	pb.Return(x, pb.Convert(OpSExt, I64, x))

	f := NewFunc("ops", Signature{Params: []Type{I32, I32}, Results: []Type{I64}})
	m.AddFunc(f)
	b := NewBuilder(f)
	e = b.NewEntry()
	addr, sel := b.Params(e)[0], b.Params(e)[1]
	rs := b.Call(0, addr)
	b.BoundsCheck(0, addr, 8+4)
	v := b.Load(I32, 0, addr, 8, 4, false)
	sum := b.Binary(OpIAdd, v, rs[0])
	b.Store(0, addr, 8, 2, sum)
	ind := b.CallIndirect(0, Signature{Params: []Type{I64}, Results: []Type{I64}}, sel, rs[1])
	one, two, ret := b.NewBlock(), b.NewBlock(I64), b.NewBlock()
	b.BrTable(sel, []BlockCall{{Block: one}, {Block: two, Args: []Value{ind[0]}}}, BlockCall{Block: ret})
	b.SetBlock(one)
	b.Trap(TrapUnreachable)
	b.SetBlock(two)
	b.Return(b.Params(two)[0])
	b.SetBlock(ret)
	b.Return(b.Convert(OpZExt, I64, b.Unary(OpEqz, sum)))

	if errs := VerifyModule(m); len(errs) > 0 {
		t.Fatalf("built module does not verify:\n%s\n%s", errorLines(errs), m)
	}
	checkFile(t, "testdata/builder/ops.ir", m.String())
}

// TestRemoveParamKeepsType checks the step Braun's construction takes for a trivial block
// parameter, RemoveParam then Alias: the alias keeps the parameter's type, so a frontend
// that asks for the type before resolving aliases gets it.
func TestRemoveParamKeepsType(t *testing.T) {
	m := &Module{}
	f := NewFunc("f", Signature{})
	m.AddFunc(f)
	b := NewBuilder(f)
	b.NewEntry()
	blk := b.NewBlock()
	p := b.AddParam(blk, F64)
	b.SetBlock(blk)
	c := b.F64Const(0)
	b.RemoveParam(blk, 0)
	b.Alias(p, c)
	if got := f.TypeOf(p); got != F64 {
		t.Errorf("type of aliased parameter = %v, want f64", got)
	}
}
