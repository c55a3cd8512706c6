package ir

import (
	le "encoding/binary"
	"fmt"
	"slices"
)

// rewrite builds the vector loop beside the scalar one and makes the preheader choose
// between them.
func (s *slpLoop) rewrite() {
	f := s.f
	liveOuts := s.liveOuts()
	pe := &blockEmitter{f: f, b: s.pre}
	ok := s.emitChecks(pe)
	for _, p := range s.packs {
		switch p.kind {
		case packSplat:
			p.vec = pe.emit(Instr{Op: OpVSplat, Shape: p.shape, Args: []Value{s.outside(pe, p.lanes[0])}}, V128)
		case packConst:
			p.vec = pe.emit(constVector(f, p), V128)
		}
	}

	vb := BlockID(len(f.Blocks))
	f.Blocks = append(f.Blocks, Block{})
	vmap := map[Value]Value{}
	m := func(v Value) Value {
		if nv, ok := vmap[v]; ok {
			return nv
		}
		return v
	}
	ms := func(vs []Value) []Value {
		out := make([]Value, len(vs))
		for i, v := range vs {
			out[i] = m(v)
		}
		return out
	}
	params := f.Blocks[s.body].Params
	vparams := make([]Value, len(params))
	for i, p := range params {
		vparams[i] = f.newValue(ValueData{Type: f.TypeOf(p), Kind: DefParam, Block: vb, Index: uint32(i)})
		vmap[p] = vparams[i]
	}
	ve := &blockEmitter{f: f, b: vb}
	body := f.Blocks[s.body].Instrs
	for i, id := range body[:len(body)-1] {
		in := f.Instrs[id]
		if in.Op == OpBoundsCheck {
			continue // the preheader checked every iteration's accesses
		}
		if p := s.packOf[id]; p != nil {
			if i == p.at {
				s.emitPack(ve, p, m)
			}
			continue
		}
		in.Args = ms(in.Args)
		var types []Type
		for _, r := range in.Results {
			types = append(types, f.TypeOf(r))
		}
		nid := ve.emitN(in, types...)
		for k, r := range in.Results {
			vmap[r] = f.Instrs[nid].Results[k]
		}
	}
	term := f.Instrs[body[len(body)-1]]
	targets := make([]BlockCall, 2)
	targets[s.backArg] = BlockCall{Block: vb, Args: ms(term.Targets[s.backArg].Args)}
	targets[1-s.backArg] = BlockCall{Block: s.exit, Args: append(ms(term.Targets[1-s.backArg].Args), ms(liveOuts)...)}
	ve.emit0(Instr{Op: OpBrIf, Args: []Value{m(term.Args[0])}, Targets: targets})
	f.Blocks[vb] = Block{Params: vparams, Instrs: ve.list}

	if len(liveOuts) > 0 {
		s.passLiveOuts(liveOuts, vb)
	}

	// The preheader: its checks, then the choice.
	pins := f.Blocks[s.pre].Instrs
	pterm := pins[len(pins)-1]
	list := append(append(slices.Clone(pins[:len(pins)-1]), pe.list...), pterm)
	setInstrs(f, s.pre, list)
	pt := &f.Instrs[pterm]
	args := pt.Targets[0].Args
	pt.Op = OpBrIf
	pt.Args = []Value{ok}
	pt.Targets = []BlockCall{{Block: vb, Args: slices.Clone(args)}, {Block: s.body, Args: args}}

	at := slices.Index(f.Layout, s.body)
	f.Layout = slices.Insert(f.Layout, at+1, vb)
}

// passLiveOuts gives the exit block a parameter for each value of the loop used after
// it, which the scalar loop passes as it is and the vector loop as its copy in vb.
func (s *slpLoop) passLiveOuts(liveOuts []Value, vb BlockID) {
	f := s.f
	repl := map[Value]Value{}
	for _, v := range liveOuts {
		p := f.newValue(ValueData{Type: f.TypeOf(v), Kind: DefParam, Block: s.exit, Index: uint32(len(f.Blocks[s.exit].Params))})
		f.Blocks[s.exit].Params = append(f.Blocks[s.exit].Params, p)
		repl[v] = p
	}
	for _, b := range f.Layout {
		if b == s.body || b == vb {
			continue
		}
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			for i, a := range in.Args {
				if r, ok := repl[a]; ok {
					in.Args[i] = r
				}
			}
			for t := range in.Targets {
				for i, a := range in.Targets[t].Args {
					if r, ok := repl[a]; ok {
						in.Targets[t].Args[i] = r
					}
				}
			}
		}
	}
	term := f.Terminator(s.body)
	ex := &term.Targets[1-s.backArg]
	ex.Args = append(slices.Clone(ex.Args), liveOuts...)
}

// emitPack emits p's vector instruction in the vector loop.
func (s *slpLoop) emitPack(e *blockEmitter, p *pack, m func(Value) Value) {
	f := s.f
	args := make([]Value, len(p.args))
	for i, a := range p.args {
		if a.kind == packSplatInLoop && a.vec == NoValue {
			a.vec = e.emit(Instr{Op: OpVSplat, Shape: a.shape, Args: []Value{m(a.lanes[0])}}, V128)
		}
		args[i] = a.vec
	}
	lane0 := f.Instrs[p.instrs[0]]
	half := len(p.instrs)*int(lane0.Width) == 8 // two 32-bit lanes, the low half of a vector
	switch {
	case p.kind == packLoad && half:
		p.vec = e.emit(Instr{Op: OpVLoadZero, Shape: I64x2, Index: lane0.Index, Imm: lane0.Imm, Args: []Value{m(lane0.Args[0])}}, V128)
	case p.kind == packStore && half:
		e.emit0(Instr{Op: OpVStoreLane, Shape: I64x2, Index: lane0.Index, Imm: lane0.Imm, Args: []Value{m(lane0.Args[0]), args[0]}})
	case p.kind == packLoad:
		p.vec = e.emit(Instr{Op: OpLoad, Index: lane0.Index, Imm: lane0.Imm, Width: 16, Args: []Value{m(lane0.Args[0])}}, V128)
	case p.kind == packStore:
		e.emit0(Instr{Op: OpStore, Index: lane0.Index, Imm: lane0.Imm, Width: 16, Args: []Value{m(lane0.Args[0]), args[0]}})
	case p.kind == packOp:
		sh := p.shape
		if p.op == OpVAnd || p.op == OpVOr || p.op == OpVXor {
			sh = ShapeNone
		}
		p.vec = e.emit(Instr{Op: p.op, Shape: sh, Args: args}, V128)
	}
}

// constVector returns the v128const whose lanes are p's constants.
func constVector(f *Func, p *pack) Instr {
	var b [16]byte
	w := p.shape.LaneBits() / 8
	for i, v := range p.lanes {
		k, _ := constOf(f, v)
		if w == 4 {
			le.LittleEndian.PutUint32(b[i*4:], uint32(k))
		} else {
			le.LittleEndian.PutUint64(b[i*8:], k)
		}
	}
	return Instr{Op: OpV128Const, Imm: le.LittleEndian.Uint64(b[:8]), Imm2: le.LittleEndian.Uint64(b[8:])}
}

// outside returns v for use in the preheader: v itself, or a copy of a constant the
// loop defines.
func (s *slpLoop) outside(e *blockEmitter, v Value) Value {
	if defBlock(s.f, v) != s.body {
		return v
	}
	in := defInstr(s.f, v)
	return e.emit(Instr{Op: in.Op, Imm: in.Imm}, s.f.TypeOf(v))
}

// emitChecks emits the preheader's tests and returns the i32 that is non-zero when the
// vector loop may run: the counter reaches the bound exactly, after at least one
// iteration and fewer than 2^32-2^16 bytes; no address of a stream wraps from the first
// iteration to the last; every access of every iteration is in bounds; and the pairs of
// streams that packing reorders do not overlap.
//
// A stream is the accesses whose addresses differ only in their constant c (|c| < 2^16).
// If its lowest address in the first iteration is at most its highest in the last, the
// addresses between cannot have wrapped, since they span less than 2^32; then every
// access's distance from that lowest address is the same constant in every iteration,
// which is how bounds and overlaps are computed.
func (s *slpLoop) emitChecks(e *blockEmitter) Value {
	f := s.f
	init := f.Terminator(s.pre).Targets[0].Args
	start := init[s.iv]
	bound := s.outside(e, s.bound)
	d := e.bin(OpISub, I32, bound, start)
	ok := e.cmp(CondEq, e.bin(OpIAnd, I32, d, e.iconst(I32, uint64(s.step-1))), e.iconst(I32, 0))
	ok = e.bin(OpIAnd, I32, ok, e.cmp(CondNe, d, e.iconst(I32, 0)))
	ok = e.bin(OpIAnd, I32, ok, e.cmp(CondULE, d, e.iconst(I32, 0xffff0000)))
	last := e.bin(OpISub, I32, bound, e.iconst(I32, uint64(s.step)))
	and := func(c Value) { ok = e.bin(OpIAnd, I32, ok, c) }

	type stream struct {
		mem        uint32
		form       affine // c = 0
		cmin, cmax int64
		maxEnd     int64 // of c + offset + width
		lo         Value // i64: the lowest address of the first iteration
	}
	var streams []stream
	streamOf := make([]int, len(s.accs))
	for i, a := range s.accs {
		k := slices.IndexFunc(streams, func(st stream) bool { return st.mem == a.mem && st.form.sameStream(a.form) })
		c := int64(int32(a.form.c))
		if k < 0 {
			streams = append(streams, stream{mem: a.mem, form: affine{add: a.form.add, sub: a.form.sub, k: 1}, cmin: c, cmax: c, maxEnd: c + int64(a.off+a.width)})
			k = len(streams) - 1
		}
		st := &streams[k]
		st.cmin, st.cmax, st.maxEnd = min(st.cmin, c), max(st.cmax, c), max(st.maxEnd, c+int64(a.off+a.width))
		streamOf[i] = k
	}
	sizes := map[uint32]Value{}
	for k := range streams {
		st := &streams[k]
		first, final := s.address(e, st.form, start), s.address(e, st.form, last)
		lo := e.bin(OpIAdd, I32, first, e.iconst(I32, uint64(st.cmin)))
		and(e.cmp(CondULE, lo, e.bin(OpIAdd, I32, final, e.iconst(I32, uint64(st.cmax)))))
		size, have := sizes[st.mem]
		if !have {
			pages := e.emit(Instr{Op: OpMemSize, Index: st.mem}, I32)
			size = e.bin(OpIShl, I64, e.zext(pages), e.iconst(I64, 16))
			sizes[st.mem] = size
		}
		lastLo := e.bin(OpIAdd, I32, final, e.iconst(I32, uint64(st.cmin)))
		and(e.cmp(CondULE, e.bin(OpIAdd, I64, e.zext(lastLo), e.iconst(I64, uint64(st.maxEnd-st.cmin))), size))
		st.lo = e.zext(lo)
	}

	// Two accesses overlap when the distance from x's first byte to y's is in
	// (-width(y), width(x)).
	for _, pr := range s.pairs {
		x, y := s.accs[pr[0]], s.accs[pr[1]]
		sx, sy := &streams[streamOf[pr[0]]], &streams[streamOf[pr[1]]]
		rx := int64(int32(x.form.c)) - sx.cmin + int64(x.off)
		ry := int64(int32(y.form.c)) - sy.cmin + int64(y.off)
		dist := e.bin(OpISub, I64, sy.lo, sx.lo)
		dist = e.bin(OpIAdd, I64, dist, e.iconst(I64, uint64(ry-rx+int64(y.width)-1)))
		and(e.cmp(CondUGE, dist, e.iconst(I64, x.width+y.width-1)))
	}
	return ok
}

// address emits the i32 address of form a (its constant left out) in the iteration
// where the counter is iv, or returns the one emitted before.
func (s *slpLoop) address(e *blockEmitter, a affine, iv Value) Value {
	key := fmt.Sprint(a.add, a.sub, iv)
	if v, ok := s.addrs[key]; ok {
		return v
	}
	if s.addrs == nil {
		s.addrs = map[string]Value{}
	}
	v := iv
	for _, x := range a.add {
		v = e.bin(OpIAdd, I32, v, x)
	}
	for _, x := range a.sub {
		v = e.bin(OpISub, I32, v, x)
	}
	s.addrs[key] = v
	return v
}

// blockEmitter appends new instructions to a list for block b.
type blockEmitter struct {
	f    *Func
	b    BlockID
	list []InstrID
}

func (e *blockEmitter) emitN(in Instr, results ...Type) InstrID {
	id := newInstr(e.f, in, e.b, results...)
	e.list = append(e.list, id)
	return id
}

func (e *blockEmitter) emit(in Instr, t Type) Value {
	return e.f.Instrs[e.emitN(in, t)].Results[0]
}

func (e *blockEmitter) emit0(in Instr) { e.emitN(in) }

func (e *blockEmitter) iconst(t Type, x uint64) Value {
	if t == I32 {
		x = uint64(uint32(x))
	}
	return e.emit(Instr{Op: OpIConst, Imm: x}, t)
}

func (e *blockEmitter) bin(op Op, t Type, a, b Value) Value {
	return e.emit(Instr{Op: op, Args: []Value{a, b}}, t)
}

func (e *blockEmitter) zext(v Value) Value {
	return e.emit(Instr{Op: OpZExt, Args: []Value{v}}, I64)
}

func (e *blockEmitter) cmp(c Cond, a, b Value) Value {
	return e.emit(Instr{Op: OpICmp, Cond: c, Args: []Value{a, b}}, I32)
}
