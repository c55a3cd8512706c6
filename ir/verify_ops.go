package ir

import "strconv"

// ops runs the checks particular to each op, after the generic typing check passed:
// immediates, branch targets, signatures, and what the module says about the memories,
// tables, globals, segments and functions an instruction names.
func (v *verifier) ops(in *Instr) {
	f := v.f
	switch in.Op {
	case OpIConst:
		if f.TypeOf(in.Results[0]) == I32 && in.Imm>>32 != 0 {
			v.errorf("iconst bits %#x do not fit i32", in.Imm)
		}
	case OpF32Const:
		if in.Imm>>32 != 0 {
			v.errorf("f32const bits %#x do not fit 32 bits", in.Imm)
		}
	case OpICmp, OpFCmp:
		if !in.Cond.validFor(in.Op) {
			v.errorf("condition %v is not valid for %v", in.Cond, in.Op)
		}
	case OpVICmp, OpVFCmp:
		if !in.Cond.validFor(in.Op) || in.Shape == I64x2 && in.Cond >= CondULT && in.Cond <= CondUGE {
			v.errorf("condition %v is not valid for %v %v", in.Cond, in.Op, in.Shape)
		}
	case OpVSplat, OpVExtract, OpVReplace, OpVShuffle, OpVLoadExt, OpVLoadSplat, OpVLoadZero, OpVLoadLane, OpVStoreLane:
		v.vector(in)
	case OpBitcast:
		from, to := f.TypeOf(in.Args[0]), f.TypeOf(in.Results[0])
		if from.Size() != to.Size() || from.IsInt() == to.IsInt() {
			v.errorf("bitcast cannot convert %v to %v", from, to)
		}
	case OpLoad:
		v.width(in, f.TypeOf(in.Results[0]))
		if mem := v.memory(in.Index); mem != nil {
			v.want("address", in.Args[0], mem.AddrType())
		}
	case OpStore:
		v.width(in, f.TypeOf(in.Args[1]))
		if mem := v.memory(in.Index); mem != nil {
			v.want("address", in.Args[0], mem.AddrType())
		}
	case OpBoundsCheck:
		if mem := v.memory(in.Index); mem != nil {
			v.want("address", in.Args[0], mem.AddrType())
		}
	case OpMemSize, OpMemGrow:
		if mem := v.memory(in.Index); mem != nil {
			v.want("result", in.Results[0], mem.AddrType())
		}
	case OpMemFill:
		if mem := v.memory(in.Index); mem != nil {
			v.want("address", in.Args[0], mem.AddrType())
		}
	case OpMemCopy:
		dst, src := v.memory(in.Index), v.memory(in.Index2)
		if dst != nil && src != nil {
			v.want("destination", in.Args[0], dst.AddrType())
			v.want("source", in.Args[1], src.AddrType())
			n := I32
			if dst.Is64 && src.Is64 {
				n = I64
			}
			v.want("length", in.Args[2], n)
		}
	case OpMemInit:
		if mem := v.memory(in.Index); mem != nil {
			v.want("address", in.Args[0], mem.AddrType())
		}
		v.dataSegment(in.Index2)
	case OpDataDrop:
		v.dataSegment(in.Index)
	case OpGlobalGet:
		if g := v.global(in.Index); g != nil {
			v.want("result", in.Results[0], g.Type)
		}
	case OpGlobalSet:
		if g := v.global(in.Index); g != nil {
			v.want("operand", in.Args[0], g.Type)
			if !g.Mutable {
				v.errorf("global %s is immutable", refName(g.Name))
			}
		}
	case OpTableGet:
		if t := v.table(in.Index); t != nil {
			v.want("result", in.Results[0], t.Elem)
		}
	case OpTableSet, OpTableFill:
		if t := v.table(in.Index); t != nil {
			v.want("operand", in.Args[1], t.Elem)
		}
	case OpTableGrow:
		if t := v.table(in.Index); t != nil {
			v.want("operand", in.Args[0], t.Elem)
		}
	case OpTableSize:
		v.table(in.Index)
	case OpTableCopy:
		dst, src := v.table(in.Index), v.table(in.Index2)
		if dst != nil && src != nil && dst.Elem != src.Elem {
			v.errorf("tablecopy from a table of %v to a table of %v", src.Elem, dst.Elem)
		}
	case OpTableInit:
		t, e := v.table(in.Index), v.elemSegment(in.Index2)
		if t != nil && e != nil && t.Elem != e.Type {
			v.errorf("tableinit of a table of %v from a segment of %v", t.Elem, e.Type)
		}
	case OpElemDrop, OpElemDesc:
		v.elemSegment(in.Index)
	case OpMemDesc:
		v.memory(in.Index)
	case OpTableDesc:
		v.table(in.Index)
	case OpDataDesc:
		v.dataSegment(in.Index)
	case OpRefFunc:
		v.function(in.Index)
	case OpCall, OpCallImport:
		callee := v.function(in.Index)
		if callee == nil {
			break
		}
		if imp := callee.IsImport(); imp && in.Op == OpCall {
			v.errorf("call of imported function %s; use callimport", refName(callee.Name))
		} else if !imp && in.Op == OpCallImport {
			v.errorf("callimport of defined function %s; use call", refName(callee.Name))
		}
		v.signature(in, in.Args, callee.Sig, refName(callee.Name))
	case OpCallIndirect:
		if t := v.table(in.Index); t != nil && t.Elem != FuncRef {
			v.errorf("callindirect through a table of %v", t.Elem)
		}
		if v.m == nil {
			break
		}
		if int(in.Index2) >= len(v.m.Types) {
			v.errorf("type %d does not exist", in.Index2)
			break
		}
		v.signature(in, in.Args[1:], v.m.Types[in.Index2], "type "+strconv.FormatUint(uint64(in.Index2), 10))
	case OpTrapIf, OpTrap:
		if in.Trap == TrapNone || in.Trap >= numTrapCodes {
			v.errorf("invalid trap code %v", in.Trap)
		}
	case OpJump:
		v.branch(in, 0, 1, 1)
	case OpBrIf:
		v.branch(in, 1, 2, 2)
	case OpBrTable:
		v.branch(in, 1, 1, len(in.Targets))
	case OpReturn:
		if len(in.Args) != len(f.Sig.Results) {
			v.errorf("returns %d values, function returns %d", len(in.Args), len(f.Sig.Results))
			break
		}
		for i, a := range in.Args {
			v.want("return value", a, f.Sig.Results[i])
		}
	}
}

// vector checks what is particular to the vector ops with a lane or a memory: the
// scalar's type is the shape's lane type, lane indices are in range, an extract extends
// only narrow lanes, and the memory exists.
func (v *verifier) vector(in *Instr) {
	switch in.Op {
	case OpVSplat:
		v.want("operand", in.Args[0], in.Shape.LaneType())
	case OpVExtract:
		v.want("result", in.Results[0], in.Shape.LaneType())
		if in.Signed && in.Shape != I8x16 && in.Shape != I16x8 {
			v.errorf("%v %v cannot sign-extend", in.Op, in.Shape)
		}
	case OpVReplace:
		v.want("operand", in.Args[1], in.Shape.LaneType())
	case OpVShuffle:
		for i := range 8 {
			if in.Imm>>(8*i)&0xff >= 32 || in.Imm2>>(8*i)&0xff >= 32 {
				v.errorf("vshuffle lane index over 31")
				break
			}
		}
		return
	default:
		if mem := v.memory(in.Index); mem != nil {
			v.want("address", in.Args[0], mem.AddrType())
		}
	}
	if hasPart(opTable[in.Op].parts, pLane) && in.Imm2 >= uint64(in.Shape.Lanes()) {
		v.errorf("lane %d is out of range for %v", in.Imm2, in.Shape)
	}
}

// width checks a load's or store's Width and Signed against the type t it converts.
func (v *verifier) width(in *Instr, t Type) {
	w := int(in.Width)
	switch {
	case w == t.Size():
		if in.Signed {
			v.errorf("full-width %v cannot extend", in.Op)
		}
	case w != 1 && w != 2 && w != 4 || w > t.Size():
		v.errorf("%v width %d is not valid for %v", in.Op, w, t)
	case t != I32 && t != I64:
		v.errorf("%v of %v cannot be narrow", in.Op, t)
	case in.Op == OpStore && in.Signed:
		v.errorf("store cannot extend")
	}
}

// signature checks call operands args and the instruction's results against sig, the
// signature of what (a function name or a type).
func (v *verifier) signature(in *Instr, args []Value, sig Signature, what string) {
	if len(args) != len(sig.Params) {
		v.errorf("passes %d arguments, %s takes %d", len(args), what, len(sig.Params))
	} else {
		for i, a := range args {
			v.want("argument", a, sig.Params[i])
		}
	}
	if len(in.Results) != len(sig.Results) {
		v.errorf("defines %d results, %s returns %d", len(in.Results), what, len(sig.Results))
	} else {
		for i, r := range in.Results {
			v.want("result", r, sig.Results[i])
		}
	}
}

// branch checks a terminator's operand count and targets: blocks of the layout other
// than the entry, each given one argument of the right type per parameter.
func (v *verifier) branch(in *Instr, nargs, minTargets, maxTargets int) {
	f := v.f
	if len(in.Args) != nargs {
		v.errorf("%v takes %d operands, has %d", in.Op, nargs, len(in.Args))
	}
	if len(in.Targets) < minTargets || len(in.Targets) > maxTargets {
		v.errorf("%v has %d targets", in.Op, len(in.Targets))
	}
	for _, t := range in.Targets {
		switch {
		case int(t.Block) >= len(f.Blocks):
			v.errorf("branch to %v, which does not exist", t.Block)
			continue
		case !v.inLayout[t.Block]:
			v.errorf("branch to %v, which is not in the layout", t.Block)
			continue
		case t.Block == f.Layout[0]:
			v.errorf("branch to the entry block %v", t.Block)
		}
		params := f.Blocks[t.Block].Params
		if len(t.Args) != len(params) {
			v.errorf("%v takes %d arguments, given %d", t.Block, len(params), len(t.Args))
			continue
		}
		for i, a := range t.Args {
			v.want("argument", a, f.TypeOf(params[i]))
		}
	}
}

// The lookups below report an index that is out of range and return nil then; without a
// module they return nil silently.

func (v *verifier) memory(i uint32) *Memory {
	if v.m == nil {
		return nil
	}
	if int(i) >= len(v.m.Memories) {
		v.errorf("memory mem%d does not exist", i)
		return nil
	}
	return &v.m.Memories[i]
}

func (v *verifier) table(i uint32) *Table {
	if v.m == nil {
		return nil
	}
	if int(i) >= len(v.m.Tables) {
		v.errorf("table table%d does not exist", i)
		return nil
	}
	return &v.m.Tables[i]
}

func (v *verifier) global(i uint32) *Global {
	if v.m == nil {
		return nil
	}
	if int(i) >= len(v.m.Globals) {
		v.errorf("global %d does not exist", i)
		return nil
	}
	return &v.m.Globals[i]
}

func (v *verifier) function(i uint32) *Func {
	if v.m == nil {
		return nil
	}
	if int(i) >= len(v.m.Funcs) || v.m.Funcs[i] == nil {
		v.errorf("function %d does not exist", i)
		return nil
	}
	return v.m.Funcs[i]
}

func (v *verifier) dataSegment(i uint32) *DataSegment {
	if v.m == nil {
		return nil
	}
	if int(i) >= len(v.m.Data) {
		v.errorf("data segment data%d does not exist", i)
		return nil
	}
	return &v.m.Data[i]
}

func (v *verifier) elemSegment(i uint32) *ElemSegment {
	if v.m == nil {
		return nil
	}
	if int(i) >= len(v.m.Elems) {
		v.errorf("element segment elem%d does not exist", i)
		return nil
	}
	return &v.m.Elems[i]
}

// refName is a function's or global's name as the text form writes it: $name.
func refName(name string) string {
	p := &printer{}
	p.name(name)
	return string(p.buf)
}
