package ir

import "fmt"

// The interpreter does not walk the SSA form: on a function's first call it decodes the
// body into a flat array of fixed-size ops whose operands are frame slots, so the loop in
// interp_exec.go reads no maps, follows no pointers between blocks and needs no type
// switches. Numbers and references live in two slot arrays (a frame is a window of each
// of the machine's two stacks), so numbers stay unboxed and only reference slots hold
// interfaces. Every defined value gets its own slot, numbered densely in its class; a
// v128 gets two adjacent number slots, its low half first.
// Block parameters are slots too: a branch is a list of moves from its arguments' slots
// to the target's parameter slots, then a jump to the target's first op.

// kind is a decoded op. Kinds below numScalars are the scalar kinds of eval.go, which
// the loop hands to evalScalar, so that interpretation and constant folding share one
// implementation; the others follow.
type kind uint16

const (
	kConst     kind = kind(numScalars) + iota // regs[d] = imm
	kRefNull                                  // refs[d] = nil
	kRefFunc                                  // refs[d] = funcs[x]
	kCopyRef                                  // refs[d] = refs[a]
	kSelectRef                                // refs[d] = regs[a] != 0 ? refs[b] : refs[c]
	kRefIsNull                                // regs[d] = refs[a] == nil

	// Loads: regs[d] = the bytes of memory x at regs[a]+imm, extended; stores write
	// regs[b] there.
	kLoad8S32
	kLoad8S64
	kLoad8U
	kLoad16S32
	kLoad16S64
	kLoad16U
	kLoad32S64
	kLoad32
	kLoad64
	kStore8
	kStore16
	kStore32
	kStore64

	kBoundsCheck // traps unless regs[a]+imm <= the size of memory x
	kMemSize     // regs[d] = pages of memory x
	kMemGrow     // regs[d] = old pages or -1; grows by regs[a]
	kMemFill     // memory x: d=regs[a], value regs[b], n=regs[c]
	kMemCopy     // memory x from memory y: d, s, n in regs[a], regs[b], regs[c]
	kMemInit     // memory x from data y: d, s, n
	kDataDrop    // data x

	kGlobalGet    // regs[d] = global x
	kGlobalGetRef // refs[d] = global x
	kGlobalSet    // global x = regs[a]
	kGlobalSetRef // global x = refs[a]

	kTableGet  // refs[d] = table x [regs[a]]
	kTableSet  // table x [regs[a]] = refs[b]
	kTableSize // regs[d] = size of table x
	kTableGrow // regs[d] = old size or -1; grows by regs[b] copies of refs[a]
	kTableFill // table x: i=regs[a], r=refs[b], n=regs[c]
	kTableCopy // table x from table y: d, s, n
	kTableInit // table x from elem y: d, s, n
	kElemDrop  // elem x

	kCall         // calls funcs[x]; arguments lists[b:b+c], then results lists[b+c:b+c+d]
	kCallIndirect // calls table x [regs[a]] of type y; lists as for kCall

	kTrapIf  // traps with code x if regs[a] != 0
	kTrap    // traps with code x
	kJump    // takes edges[x]
	kBrIf    // takes edges[x] if regs[a] != 0, else edges[y]
	kBrTable // takes edges[x+regs[a]] if regs[a] < y, else edges[x+y]
	kReturn  // returns lists[b:b+c]

	// v128 values take two adjacent number slots, the low 64 bits first (interp_simd.go).
	kConstV128  // regs[d], regs[d+1] = imm, imm2
	kCopyV128   // regs[d], regs[d+1] = regs[a], regs[a+1]
	kSelectV128 // regs[d], regs[d+1] = regs[a] != 0 ? regs[b], regs[b+1] : regs[c], regs[c+1]
	kGlobalGetV128
	kGlobalSetV128
	kVec    // pure vector op x; y packs its shape, signedness, condition and operand classes (vecInfo)
	kVecMem // vector load or store x of memory y>>24 at regs[a]+imm; y as for kVec
)

// refSlot marks a slot in a list (call arguments and results, return values, entry
// parameters) as a reference slot.
const refSlot = 1 << 31

// vecSlot marks a list entry as a v128 value: the number slot it names and the next.
const vecSlot = 1 << 30

// slotOf strips a list entry's marks, leaving its slot number.
func slotOf(e uint32) int { return int(e &^ (refSlot | vecSlot)) }

// dop is one decoded op; which fields a kind reads is said at its constant.
type dop struct {
	k          kind
	a, b, c, d uint32
	x, y       uint32
	imm, imm2  uint64
}

// move copies one slot to another on a branch.
type move struct{ src, dst uint32 }

// edge is a decoded branch target: the moves into the target's parameters, then its pc.
// When a move would overwrite a slot that a later move reads (a loop passing its
// parameters rotated), the moves go through a scratch buffer.
type edge struct {
	pc       int32
	moves    []move // number slots
	refMoves []move // reference slots
	parallel bool   // the moves must read all sources before writing
}

// code is a decoded function body.
type code struct {
	ops    []dop
	src    []InstrID // the IR instruction of each op, for messages
	edges  []edge
	lists  []uint32 // slots of call arguments and results and of returned values
	params []uint32 // the entry block's parameter slots, in order
	nregs  int      // number slots in a frame (at least 1: absent operands read slot 0)
	nrefs  int      // reference slots in a frame
}

// decoder holds the state of decoding one function.
type decoder struct {
	f     *Func
	m     *Module
	c     *code
	slot  []uint32 // by Value: its slot in its class (the first of a v128's two)
	isRef []bool   // by Value: whether it lives in a reference slot
	isVec []bool   // by Value: whether it is a v128, in two number slots
	pcOf  []int32  // by BlockID: the first op
}

// decode flattens f for the interpreter. It fails, wrapping ErrUnsupported, on what the
// interpreter does not run (the host ops).
func decode(f *Func) (*code, error) {
	if err := f.Load(); err != nil {
		return nil, err
	}
	d := &decoder{f: f, m: f.Module, c: &code{},
		slot: make([]uint32, len(f.Values)), isRef: make([]bool, len(f.Values)), isVec: make([]bool, len(f.Values)),
		pcOf: make([]int32, len(f.Blocks))}
	if len(f.Layout) == 0 {
		return nil, fmt.Errorf("ir: function $%s has no body", f.Name)
	}
	// Slots: the entry parameters first, then every other definition in layout order.
	entry := f.Layout[0]
	for _, v := range f.Blocks[entry].Params {
		if err := d.define(v); err != nil {
			return nil, err
		}
		d.c.params = append(d.c.params, d.ref(v))
	}
	n := int32(0)
	for i, b := range f.Layout {
		if i > 0 {
			for _, v := range f.Blocks[b].Params {
				if err := d.define(v); err != nil {
					return nil, err
				}
			}
		}
		d.pcOf[b] = n
		for _, id := range f.Blocks[b].Instrs {
			for _, v := range f.Instrs[id].Results {
				if err := d.define(v); err != nil {
					return nil, err
				}
			}
			n++
		}
	}
	d.c.nregs = max(d.c.nregs, 1)
	d.c.ops = make([]dop, 0, n)
	d.c.src = make([]InstrID, 0, n)
	for _, b := range f.Layout {
		for _, id := range f.Blocks[b].Instrs {
			o, err := d.instr(&f.Instrs[id])
			if err != nil {
				return nil, fmt.Errorf("$%s: %s: %w", f.Name, f.InstrString(id), err)
			}
			d.c.ops = append(d.c.ops, o)
			d.c.src = append(d.c.src, id)
		}
	}
	return d.c, nil
}

// define gives v the next slot of its class.
func (d *decoder) define(v Value) error {
	t := d.f.TypeOf(v)
	switch {
	case t == V128:
		d.isVec[v] = true
		d.slot[v] = uint32(d.c.nregs)
		d.c.nregs += 2
	case t.IsRef():
		d.isRef[v] = true
		d.slot[v] = uint32(d.c.nrefs)
		d.c.nrefs++
	default:
		d.slot[v] = uint32(d.c.nregs)
		d.c.nregs++
	}
	return nil
}

// ref returns v's slot as a list entry: marked with refSlot if it is a reference.
func (d *decoder) ref(v Value) uint32 {
	switch {
	case d.isRef[v]:
		return d.slot[v] | refSlot
	case d.isVec[v]:
		return d.slot[v] | vecSlot
	}
	return d.slot[v]
}

// list appends the list entries of vs to the code's lists and returns the offset.
func (d *decoder) list(vs []Value) uint32 {
	off := uint32(len(d.c.lists))
	for _, v := range vs {
		d.c.lists = append(d.c.lists, d.ref(v))
	}
	return off
}

// edge decodes a branch target and returns its index.
func (d *decoder) edge(bc BlockCall) uint32 {
	e := edge{pc: d.pcOf[bc.Block]}
	params := d.f.Blocks[bc.Block].Params
	for i, a := range bc.Args {
		mv := move{src: d.slot[a], dst: d.slot[params[i]]}
		if mv.src == mv.dst && d.isRef[a] == d.isRef[params[i]] {
			continue
		}
		switch {
		case d.isRef[a]:
			e.refMoves = append(e.refMoves, mv)
		case d.isVec[a]:
			e.moves = append(e.moves, mv, move{src: mv.src + 1, dst: mv.dst + 1})
		default:
			e.moves = append(e.moves, mv)
		}
	}
	e.parallel = clobbers(e.moves) || clobbers(e.refMoves)
	d.c.edges = append(d.c.edges, e)
	return uint32(len(d.c.edges) - 1)
}

// clobbers reports whether a move writes a slot that a later move reads, so that doing
// them in order would be wrong.
func clobbers(ms []move) bool {
	for i, m := range ms {
		for _, later := range ms[i+1:] {
			if later.src == m.dst {
				return true
			}
		}
	}
	return false
}

// instr decodes one instruction.
func (d *decoder) instr(in *Instr) (dop, error) {
	f := d.f
	o := dop{x: in.Index, y: in.Index2, imm: in.Imm, imm2: in.Imm2}
	arg := func(i int) uint32 {
		if i < len(in.Args) {
			return d.slot[in.Args[i]]
		}
		return 0
	}
	o.a, o.b, o.c = arg(0), arg(1), arg(2)
	if len(in.Results) == 1 {
		o.d = d.slot[in.Results[0]]
	}
	res := NoType
	if len(in.Results) > 0 {
		res = f.TypeOf(in.Results[0])
	}
	last := NoType
	if len(in.Args) > 0 {
		last = f.TypeOf(in.Args[len(in.Args)-1])
	}

	if res == V128 || last == V128 || in.Op == OpVStoreLane {
		if ok, err := d.vector(&o, in, res, last); ok {
			return o, err
		}
	}
	switch in.Op {
	case OpIConst, OpF32Const, OpF64Const:
		o.k = kConst
		o.imm = mask(res, in.Imm)
		return o, nil
	case OpRefNull:
		o.k = kRefNull
		return o, nil
	case OpRefFunc:
		o.k = kRefFunc
		return o, nil
	case OpCopy, OpSelect:
		if res.IsRef() {
			o.k = kCopyRef
			if in.Op == OpSelect {
				o.k = kSelectRef
			}
			return o, nil
		}
	case OpRefIsNull:
		o.k = kRefIsNull
		return o, nil
	case OpLoad:
		return o, d.load(&o, in, res)
	case OpStore:
		return o, d.store(&o, in, last)
	case OpBoundsCheck:
		o.k = kBoundsCheck
		return o, nil
	case OpMemSize, OpMemGrow, OpMemFill, OpMemCopy, OpMemInit, OpDataDrop:
		o.k = kMemSize + kind(in.Op-OpMemSize)
		return o, nil
	case OpGlobalGet:
		o.k = kGlobalGet
		if res.IsRef() {
			o.k = kGlobalGetRef
		}
		return o, nil
	case OpGlobalSet:
		o.k = kGlobalSet
		if last.IsRef() {
			o.k = kGlobalSetRef
		}
		return o, nil
	case OpTableGet, OpTableSet, OpTableSize, OpTableGrow, OpTableFill, OpTableCopy, OpTableInit, OpElemDrop:
		o.k = kTableGet + kind(in.Op-OpTableGet)
		return o, nil
	case OpCall, OpCallImport:
		o.k = kCall
		o.b, o.c, o.d = d.list(in.Args), uint32(len(in.Args)), uint32(len(in.Results))
		d.list(in.Results)
		return o, nil
	case OpCallIndirect:
		o.k = kCallIndirect
		o.b, o.c, o.d = d.list(in.Args[1:]), uint32(len(in.Args)-1), uint32(len(in.Results))
		d.list(in.Results)
		return o, nil
	case OpTrapIf, OpTrap:
		o.k = kTrapIf
		if in.Op == OpTrap {
			o.k = kTrap
		}
		o.x = uint32(in.Trap)
		return o, nil
	case OpJump:
		o.k, o.x = kJump, d.edge(in.Targets[0])
		return o, nil
	case OpBrIf:
		o.k, o.x = kBrIf, d.edge(in.Targets[0])
		o.y = d.edge(in.Targets[1])
		return o, nil
	case OpBrTable:
		o.k = kBrTable
		o.x, o.y = uint32(len(d.c.edges)), uint32(len(in.Targets)-1)
		for _, t := range in.Targets {
			d.edge(t)
		}
		return o, nil
	case OpReturn:
		o.k, o.b, o.c = kReturn, d.list(in.Args), uint32(len(in.Args))
		return o, nil
	case OpMemDesc, OpTableDesc, OpDataDesc, OpElemDesc, OpFunctab, OpHostLoad, OpHostLoad8, OpHostStore, OpHostRef, OpRefBits, OpSyscall:
		// Host ops address the native process; the interpreter has none. Tests run the
		// runtime in the interpreter before its intrinsics are lowered.
		return o, fmt.Errorf("host op %v: %w", in.Op, ErrUnsupported)
	}
	if s := scalarKind(in.Op, in.Cond, res, last); s != sNone && s != sConst {
		o.k = kind(s)
		return o, nil
	}
	return o, fmt.Errorf("the interpreter cannot run %v at these types", in.Op)
}

// load picks the load kind from the width, signedness and result type.
func (d *decoder) load(o *dop, in *Instr, t Type) error {
	wide := t.Size() == 8
	switch {
	case in.Width == 1 && in.Signed:
		o.k = kLoad8S32
		if wide {
			o.k = kLoad8S64
		}
	case in.Width == 1:
		o.k = kLoad8U
	case in.Width == 2 && in.Signed:
		o.k = kLoad16S32
		if wide {
			o.k = kLoad16S64
		}
	case in.Width == 2:
		o.k = kLoad16U
	case in.Width == 4 && in.Signed && wide:
		o.k = kLoad32S64
	case in.Width == 4:
		o.k = kLoad32
	case in.Width == 8:
		o.k = kLoad64
	default:
		return fmt.Errorf("load width %d", in.Width)
	}
	return nil
}

// store picks the store kind from the width.
func (d *decoder) store(o *dop, in *Instr, t Type) error {
	switch {
	case in.Width == 1:
		o.k = kStore8
	case in.Width == 2:
		o.k = kStore16
	case in.Width == 4:
		o.k = kStore32
	case in.Width == 8:
		o.k = kStore64
	default:
		return fmt.Errorf("store width %d", in.Width)
	}
	return nil
}
