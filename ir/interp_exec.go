package ir

import (
	endian "encoding/binary"
	"fmt"
)

// machine runs calls: two stacks of slots, one of numbers and one of references, on
// which each call's frame is a window, plus the return-value buffers. A wasm call is a
// Go call of run, so a trap simply returns its error up the Go stack. Frames are reused:
// the stacks only grow, and a frame is never cleared, since SSA form defines every slot
// before it is read.
type machine struct {
	maxDepth  int
	trapUndef bool
	regs      []uint64
	refs      []any
	top, rtop int // the first free slot of each stack
	depth     int // calls in progress, host functions included
	ret       []uint64
	retHi     []uint64 // the high halves of v128 results
	retRef    []any
	tmp       []uint64 // scratch for parallel moves
	tmpRef    []any
}

func newMachine(cfg InterpConfig) *machine {
	m := &machine{maxDepth: cfg.MaxCallDepth, trapUndef: cfg.TrapUndefined,
		regs: make([]uint64, 1024), refs: make([]any, 64)}
	if m.maxDepth <= 0 {
		m.maxDepth = defaultMaxCallDepth
	}
	m.maxDepth = min(m.maxDepth, maxCallDepth)
	return m
}

// reserve makes the stacks at least n and r slots long, reallocating them if needed:
// slices of the old stacks keep their values but see no later writes, so callers take
// their frame's slices again after every call.
func (m *machine) reserve(n, r int) {
	if n > len(m.regs) {
		regs := make([]uint64, max(n, 2*len(m.regs)))
		copy(regs, m.regs[:m.top])
		m.regs = regs
	}
	if r > len(m.refs) {
		refs := make([]any, max(r, 2*len(m.refs)))
		copy(refs, m.refs[:m.rtop])
		m.refs = refs
	}
}

// decoded returns f's decoded body, decoding it on the first call.
func (f *FuncInst) decoded() (*code, error) {
	if f.code == nil {
		c, err := decode(f.fn)
		if err != nil {
			return nil, err
		}
		f.code = c
	}
	return f.code, nil
}

// callFromHost runs the defined function f with host values as arguments. While a call
// is in progress (a host function calling back into wasm) the new frames go on top of
// the current ones, so the call depth limit covers the whole chain.
//
// A panic while running means IR that does not verify (the interpreter trusts
// [VerifyModule]) or a panicking host function; it is returned as an error, and the
// machine is reset so that the instance stays usable.
func (m *machine) callFromHost(f *FuncInst, args []Val) (_ []Val, err error) {
	c, err := f.decoded()
	if err != nil {
		return nil, err
	}
	base, rbase, depth := m.top, m.rtop, m.depth
	defer func() {
		if r := recover(); r != nil {
			m.top, m.rtop, m.depth = base, rbase, depth
			err = fmt.Errorf("ir: interpreter panic calling $%s (does the IR verify?): %v", f.name, r)
		}
	}()
	m.reserve(base+c.nregs, rbase+c.nrefs)
	for i, p := range c.params {
		switch {
		case p&refSlot != 0:
			m.refs[rbase+slotOf(p)] = refOf(args[i].Ref)
		case p&vecSlot != 0:
			m.regs[base+slotOf(p)], m.regs[base+slotOf(p)+1] = args[i].Bits, args[i].Hi
		default:
			m.regs[base+int(p)] = mask(args[i].Type, args[i].Bits)
		}
	}
	if err := m.run(f, base, rbase); err != nil {
		return nil, err
	}
	res := make([]Val, len(f.sig.Results))
	for i, t := range f.sig.Results {
		res[i] = Val{Type: t}
		switch {
		case t.IsRef():
			res[i].Ref = m.retRef[i]
		case t == V128:
			res[i].Bits, res[i].Hi = m.ret[i], m.retHi[i]
		default:
			res[i].Bits = m.ret[i]
		}
	}
	return res, nil
}

// run runs defined function f in a frame at base and rbase, where its arguments already
// are, and leaves its results in m.ret and m.retRef.
func (m *machine) run(f *FuncInst, base, rbase int) error {
	if m.depth >= m.maxDepth {
		return &Trap{Code: TrapStackExhausted, Func: f.name}
	}
	c := f.code
	if n := len(f.sig.Results); n > len(m.ret) {
		m.ret, m.retHi, m.retRef = make([]uint64, n), make([]uint64, n), make([]any, n)
	}
	m.depth++
	m.top, m.rtop = base+c.nregs, rbase+c.nrefs
	err := m.exec(f, c, base, rbase)
	m.top, m.rtop = base, rbase
	m.depth--
	return err
}

// call runs f for the call op o of code c, whose frame is regs and refs at base and
// rbase: it copies the arguments into f's new frame on top, runs f and copies its
// results back into the caller's slots.
func (m *machine) call(f *FuncInst, c *code, o *dop, regs []uint64, refs []any, base, rbase int) error {
	args := c.lists[o.b : o.b+o.c]
	results := c.lists[o.b+o.c : o.b+o.c+o.d]
	if f.inst == nil {
		return m.callHost(f, args, results, regs, refs, base, rbase)
	}
	fc, err := f.decoded()
	if err != nil {
		return err
	}
	top, rtop := m.top, m.rtop
	m.reserve(top+fc.nregs, rtop+fc.nrefs)
	for i, a := range args {
		p := fc.params[i]
		switch {
		case a&refSlot != 0:
			m.refs[rtop+slotOf(p)] = refs[slotOf(a)]
		case a&vecSlot != 0:
			m.regs[top+slotOf(p)], m.regs[top+slotOf(p)+1] = regs[slotOf(a)], regs[slotOf(a)+1]
		default:
			m.regs[top+int(p)] = regs[a]
		}
	}
	if err := m.run(f, top, rtop); err != nil {
		return err
	}
	for i, r := range results {
		switch {
		case r&refSlot != 0:
			m.refs[rbase+slotOf(r)] = m.retRef[i]
		case r&vecSlot != 0:
			m.regs[base+slotOf(r)], m.regs[base+slotOf(r)+1] = m.ret[i], m.retHi[i]
		default:
			m.regs[base+int(r)] = m.ret[i]
		}
	}
	return nil
}

// callHost calls host function f from wasm, converting slots to Vals and back.
func (m *machine) callHost(f *FuncInst, args, results []uint32, regs []uint64, refs []any, base, rbase int) error {
	vals := make([]Val, len(args))
	for i, a := range args {
		vals[i].Type = f.sig.Params[i]
		switch {
		case a&refSlot != 0:
			vals[i].Ref = refs[slotOf(a)]
		case a&vecSlot != 0:
			vals[i].Bits, vals[i].Hi = regs[slotOf(a)], regs[slotOf(a)+1]
		default:
			vals[i].Bits = regs[a]
		}
	}
	if m.depth >= m.maxDepth {
		return &Trap{Code: TrapStackExhausted, Func: f.name}
	}
	m.depth++
	res, err := f.host(vals)
	m.depth--
	if err != nil {
		return err
	}
	if err := checkValues("host result", f.sig.Results, res); err != nil {
		return fmt.Errorf("host function: %w", err)
	}
	for i, r := range results {
		switch {
		case r&refSlot != 0:
			m.refs[rbase+slotOf(r)] = refOf(res[i].Ref)
		case r&vecSlot != 0:
			m.regs[base+slotOf(r)], m.regs[base+slotOf(r)+1] = res[i].Bits, res[i].Hi
		default:
			m.regs[base+int(r)] = mask(res[i].Type, res[i].Bits)
		}
	}
	return nil
}

// take does an edge's moves and returns the pc of its target.
func (m *machine) take(e *edge, regs []uint64, refs []any) int {
	if !e.parallel {
		for _, mv := range e.moves {
			regs[mv.dst] = regs[mv.src]
		}
		for _, mv := range e.refMoves {
			refs[mv.dst] = refs[mv.src]
		}
		return int(e.pc)
	}
	tmp := m.tmp[:0]
	for _, mv := range e.moves {
		tmp = append(tmp, regs[mv.src])
	}
	for i, mv := range e.moves {
		regs[mv.dst] = tmp[i]
	}
	m.tmp = tmp
	tmpRef := m.tmpRef[:0]
	for _, mv := range e.refMoves {
		tmpRef = append(tmpRef, refs[mv.src])
	}
	for i, mv := range e.refMoves {
		refs[mv.dst] = tmpRef[i]
	}
	m.tmpRef = tmpRef
	return int(e.pc)
}

// undefined reports a guarded op at pc run where its check should have trapped with
// code: a trap under TrapUndefined, else an *UndefinedError naming the instruction.
func (m *machine) undefined(f *FuncInst, pc int, code TrapCode) error {
	if m.trapUndef {
		return &Trap{Code: code, Func: f.name}
	}
	return &UndefinedError{Func: f.name, Instr: f.fn.InstrString(f.code.src[pc]), Code: code}
}

// undefinedCode is the trap that the check of a scalar op evalScalar refused should
// have raised.
func undefinedCode(k scalar, a, b uint64) TrapCode {
	switch k {
	case sI32DivS, sI32DivU, sI32RemS, sI32RemU:
		if uint32(b) == 0 {
			return TrapIntDivideByZero
		}
		return TrapIntOverflow
	case sI64DivS, sI64DivU, sI64RemS, sI64RemU:
		if b == 0 {
			return TrapIntDivideByZero
		}
		return TrapIntOverflow
	}
	if _, r := truncRange(k, a, 0, 1); r == isNaN {
		return TrapInvalidConversion
	}
	return TrapIntOverflow
}

// exec is the interpreter loop: it runs f's code c in the frame at base and rbase.
func (m *machine) exec(f *FuncInst, c *code, base, rbase int) error {
	in := f.inst
	regs := m.regs[base : base+c.nregs]
	refs := m.refs[rbase : rbase+c.nrefs]
	ops := c.ops
	pc := 0
	for {
		o := &ops[pc]
		pc++
		if o.k < kind(numScalars) {
			r, ok := evalScalar(scalar(o.k), regs[o.a], regs[o.b], regs[o.c])
			if !ok {
				return m.undefined(f, pc-1, undefinedCode(scalar(o.k), regs[o.a], regs[o.b]))
			}
			regs[o.d] = r
			continue
		}
		switch o.k {
		case kConst:
			regs[o.d] = o.imm
		case kRefNull:
			refs[o.d] = nil
		case kRefFunc:
			refs[o.d] = in.funcs[o.x]
		case kCopyRef:
			refs[o.d] = refs[o.a]
		case kSelectRef:
			if uint32(regs[o.a]) != 0 {
				refs[o.d] = refs[o.b]
			} else {
				refs[o.d] = refs[o.c]
			}
		case kRefIsNull:
			regs[o.d] = b2u(refs[o.a] == nil)

		case kConstV128:
			regs[o.d], regs[o.d+1] = o.imm, o.imm2
		case kCopyV128:
			regs[o.d], regs[o.d+1] = regs[o.a], regs[o.a+1]
		case kSelectV128:
			src := o.c
			if uint32(regs[o.a]) != 0 {
				src = o.b
			}
			regs[o.d], regs[o.d+1] = regs[src], regs[src+1]
		case kGlobalGetV128:
			g := in.globals[o.x]
			regs[o.d], regs[o.d+1] = g.bits, g.hi
		case kGlobalSetV128:
			g := in.globals[o.x]
			g.bits, g.hi = regs[o.a], regs[o.a+1]
		case kVec:
			execVec(o, regs)
		case kVecMem:
			if !execVecMem(o, regs, in.mems[o.y>>24].data) {
				return m.undefined(f, pc-1, TrapOutOfBoundsMemory)
			}

		case kLoad8S32, kLoad8S64, kLoad8U, kLoad16S32, kLoad16S64, kLoad16U, kLoad32S64, kLoad32, kLoad64:
			mem := in.mems[o.x].data
			ea, ok := access(len(mem), regs[o.a], o.imm, loadWidth[o.k-kLoad8S32])
			if !ok {
				return m.undefined(f, pc-1, TrapOutOfBoundsMemory)
			}
			regs[o.d] = load(o.k, mem[ea:])
		case kStore8:
			mem := in.mems[o.x].data
			ea, ok := access(len(mem), regs[o.a], o.imm, 1)
			if !ok {
				return m.undefined(f, pc-1, TrapOutOfBoundsMemory)
			}
			mem[ea] = byte(regs[o.b])
		case kStore16:
			mem := in.mems[o.x].data
			ea, ok := access(len(mem), regs[o.a], o.imm, 2)
			if !ok {
				return m.undefined(f, pc-1, TrapOutOfBoundsMemory)
			}
			endian.LittleEndian.PutUint16(mem[ea:], uint16(regs[o.b]))
		case kStore32:
			mem := in.mems[o.x].data
			ea, ok := access(len(mem), regs[o.a], o.imm, 4)
			if !ok {
				return m.undefined(f, pc-1, TrapOutOfBoundsMemory)
			}
			endian.LittleEndian.PutUint32(mem[ea:], uint32(regs[o.b]))
		case kStore64:
			mem := in.mems[o.x].data
			ea, ok := access(len(mem), regs[o.a], o.imm, 8)
			if !ok {
				return m.undefined(f, pc-1, TrapOutOfBoundsMemory)
			}
			endian.LittleEndian.PutUint64(mem[ea:], regs[o.b])
		case kBoundsCheck:
			if !fits(uint64(len(in.mems[o.x].data)), regs[o.a], o.imm) {
				return &Trap{Code: TrapOutOfBoundsMemory, Func: f.name}
			}

		case kMemSize, kMemGrow, kMemFill, kMemCopy, kMemInit, kDataDrop,
			kTableSize, kTableGrow, kTableFill, kTableCopy, kTableInit, kElemDrop:
			if code := bulk(in, o, regs, refs); code != TrapNone {
				return &Trap{Code: code, Func: f.name}
			}

		case kGlobalGet:
			regs[o.d] = in.globals[o.x].bits
		case kGlobalGetRef:
			refs[o.d] = in.globals[o.x].ref
		case kGlobalSet:
			in.globals[o.x].bits = regs[o.a]
		case kGlobalSetRef:
			in.globals[o.x].ref = refs[o.a]
		case kTableGet:
			t := in.tables[o.x]
			i := uint64(uint32(regs[o.a]))
			if i >= uint64(len(t.elems)) {
				return &Trap{Code: TrapOutOfBoundsTable, Func: f.name}
			}
			refs[o.d] = t.elems[i]
		case kTableSet:
			t := in.tables[o.x]
			i := uint64(uint32(regs[o.a]))
			if i >= uint64(len(t.elems)) {
				return &Trap{Code: TrapOutOfBoundsTable, Func: f.name}
			}
			t.elems[i] = refs[o.b]

		case kCall:
			if err := m.call(in.funcs[o.x], c, o, regs, refs, base, rbase); err != nil {
				return err
			}
			regs, refs = m.regs[base:base+c.nregs], m.refs[rbase:rbase+c.nrefs]
		case kCallIndirect:
			callee, code := callTarget(in, o, regs)
			if code != TrapNone {
				return &Trap{Code: code, Func: f.name}
			}
			if err := m.call(callee, c, o, regs, refs, base, rbase); err != nil {
				return err
			}
			regs, refs = m.regs[base:base+c.nregs], m.refs[rbase:rbase+c.nrefs]

		case kTrapIf:
			if uint32(regs[o.a]) != 0 {
				return &Trap{Code: TrapCode(o.x), Func: f.name}
			}
		case kTrap:
			return &Trap{Code: TrapCode(o.x), Func: f.name}
		case kJump:
			pc = m.take(&c.edges[o.x], regs, refs)
		case kBrIf:
			e := o.y
			if uint32(regs[o.a]) != 0 {
				e = o.x
			}
			pc = m.take(&c.edges[e], regs, refs)
		case kBrTable:
			i := min(uint32(regs[o.a]), o.y)
			pc = m.take(&c.edges[o.x+i], regs, refs)
		case kReturn:
			for i, r := range c.lists[o.b : o.b+o.c] {
				switch {
				case r&refSlot != 0:
					m.retRef[i] = refs[slotOf(r)]
				case r&vecSlot != 0:
					m.ret[i], m.retHi[i] = regs[slotOf(r)], regs[slotOf(r)+1]
				default:
					m.ret[i] = regs[r]
				}
			}
			return nil
		default:
			return fmt.Errorf("ir: interpreter: $%s: unknown decoded op %d", f.name, o.k)
		}
	}
}

// callTarget finds the function a callindirect calls, checking in the spec's order that
// the index is in the table, the element is not null and its type is the expected one.
// An index past the end is "undefined element", as the wasm 2.0 spec tests word it.
func callTarget(in *Instance, o *dop, regs []uint64) (*FuncInst, TrapCode) {
	t := in.tables[o.x]
	i := uint64(uint32(regs[o.a]))
	if i >= uint64(len(t.elems)) {
		return nil, TrapUndefinedElement
	}
	callee, _ := t.elems[i].(*FuncInst)
	if callee == nil {
		return nil, TrapUninitializedElement
	}
	if !callee.sig.Equal(in.module.Types[o.y]) {
		return nil, TrapIndirectCallTypeMismatch
	}
	return callee, TrapNone
}
