package ir

import (
	"fmt"
	"strings"
)

// VerifyError is one problem the verifier found, located as precisely as it can be: the
// function, the block and the instruction, which it quotes in the text form.
type VerifyError struct {
	Func  string  // the function's name; "" for a problem outside functions
	Block BlockID // the block, or NoBlock
	Instr string  // the instruction in the text form, or ""
	Msg   string  // what is wrong
}

// Error returns "$f: b3: v5:i32 = iadd v1, v2: msg", leaving out the parts that are unset.
func (e *VerifyError) Error() string {
	var parts []string
	if e.Func != "" {
		p := &printer{}
		p.name(e.Func)
		parts = append(parts, string(p.buf))
	}
	if e.Block != NoBlock {
		parts = append(parts, e.Block.String())
	}
	if e.Instr != "" {
		parts = append(parts, e.Instr)
	}
	return strings.Join(append(parts, e.Msg), ": ")
}

// Verify checks one function and returns every problem it finds, in layout order. It
// checks, as Cranelift's verifier does:
//   - block integrity: the layout lists existing blocks once; each block is non-empty,
//     ends in exactly one terminator and lists each instruction once; the value and
//     instruction tables agree with the blocks about where each value is defined;
//   - operand and result counts and types, from the op table, and each op's immediates;
//   - branch targets: they exist, are not the entry block, and get one argument of the
//     right type per block parameter; return values match the signature;
//   - SSA dominance: each use is dominated by its value's single definition (uses in
//     blocks the entry cannot reach are exempt);
//   - if the function belongs to a module, the memories, tables, globals, segments and
//     functions its instructions name, and the types those imply.
//
// It does not stop at the first problem and never panics on IR it is given.
func Verify(f *Func) []error {
	v := &verifier{f: f, m: f.Module}
	v.fn()
	return v.errs
}

type verifier struct {
	m    *Module
	f    *Func
	errs []error

	blk BlockID // the block being checked, for messages
	in  InstrID // the instruction being checked, or NoInstr

	inLayout []bool    // by BlockID
	defBlock []BlockID // by Value: the laid-out block defining it, or NoBlock
	defPos   []int32   // by Value: its instruction's position in defBlock, -1 for parameters
	dom      *DomTree
	seen     []Value // scratch for instr
}

func (v *verifier) errorf(format string, args ...any) {
	e := &VerifyError{Block: v.blk, Msg: fmt.Sprintf(format, args...)}
	if v.f != nil {
		e.Func = v.f.Name
		if v.in != NoInstr {
			e.Instr = v.f.InstrString(v.in)
		}
	}
	v.errs = append(v.errs, e)
}

func (v *verifier) fn() {
	f := v.f
	v.blk, v.in = NoBlock, NoInstr
	if f.IsImport() {
		if len(f.Blocks) > 0 || len(f.Layout) > 0 || len(f.Instrs) > 0 {
			v.errorf("imported function has a body")
		}
		return
	}
	if len(f.Layout) == 0 {
		v.errorf("function has no blocks")
		return
	}
	v.inLayout = make([]bool, len(f.Blocks))
	var layout []BlockID // the valid, distinct entries of f.Layout
	for _, b := range f.Layout {
		switch {
		case int(b) >= len(f.Blocks):
			v.errorf("layout lists %v, which does not exist", b)
		case v.inLayout[b]:
			v.errorf("layout lists %v twice", b)
		default:
			v.inLayout[b] = true
			layout = append(layout, b)
		}
	}
	if len(layout) == 0 || layout[0] != f.Layout[0] {
		return
	}
	v.defBlock = make([]BlockID, len(f.Values))
	v.defPos = make([]int32, len(f.Values))
	for i := range v.defBlock {
		v.defBlock[i] = NoBlock
	}
	listed := make([]bool, len(f.Instrs))
	for _, b := range layout {
		v.blk, v.in = b, NoInstr
		v.definitions(b, listed)
	}
	v.blk, v.in = layout[0], NoInstr
	if params := v.typesOf(f.Blocks[layout[0]].Params); !typesEqual(params, f.Sig.Params) {
		v.errorf("entry block parameters %s do not match the signature's %s", typeList(params), typeList(f.Sig.Params))
	}
	v.dom = f.Dom()
	checked := make([]bool, len(f.Instrs))
	for _, b := range layout {
		v.blk = b
		for j, id := range f.Blocks[b].Instrs {
			// Skip what definitions reported: missing, misplaced or repeated instructions.
			if int(id) >= len(f.Instrs) || f.Instrs[id].Block != b || checked[id] {
				continue
			}
			checked[id] = true
			v.in = id
			v.instr(b, int32(j), &f.Instrs[id])
		}
		v.in = NoInstr
	}
}

// definitions checks block b's parameters and instruction list, recording where each
// value is defined.
func (v *verifier) definitions(b BlockID, listed []bool) {
	f := v.f
	for i, p := range f.Blocks[b].Params {
		if int(p) >= len(f.Values) {
			v.errorf("parameter %d is %v, which does not exist", i, p)
			continue
		}
		if d := f.Values[p]; d.Kind != DefParam || d.Block != b || d.Index != uint32(i) {
			v.errorf("parameter %d is %v, which is not recorded as that parameter", i, p)
		}
		v.define(p, b, -1)
	}
	ins := f.Blocks[b].Instrs
	if len(ins) == 0 {
		v.errorf("block is empty")
		return
	}
	for j, id := range ins {
		v.in = NoInstr
		if int(id) >= len(f.Instrs) {
			v.errorf("lists instruction %v, which does not exist", id)
			continue
		}
		if listed[id] {
			v.errorf("lists instruction %v, which is listed already", id)
			continue
		}
		listed[id] = true
		in := &f.Instrs[id]
		v.in = id
		if in.Block != b {
			v.errorf("instruction records %v as its block", in.Block)
			continue
		}
		for k, r := range in.Results {
			if int(r) >= len(f.Values) {
				v.errorf("result %d is %v, which does not exist", k, r)
				continue
			}
			if d := f.Values[r]; d.Kind != DefResult || d.Instr != id || d.Index != uint32(k) {
				v.errorf("result %d is %v, which is not recorded as that result", k, r)
			}
			v.define(r, b, int32(j))
		}
		last := j == len(ins)-1
		if term := in.Op.IsTerminator(); term && !last {
			v.errorf("terminator before the end of the block")
		} else if !term && last {
			v.errorf("block does not end in a terminator")
		}
	}
	v.in = NoInstr
}

func (v *verifier) define(x Value, b BlockID, pos int32) {
	if v.defBlock[x] != NoBlock {
		v.errorf("%v is defined twice", x)
		return
	}
	v.defBlock[x], v.defPos[x] = b, pos
}

func (v *verifier) typesOf(vs []Value) []Type {
	ts := make([]Type, len(vs))
	for i, x := range vs {
		ts[i] = v.f.TypeOf(x)
	}
	return ts
}

func typeList(ts []Type) string {
	return Signature{Params: ts}.String()
}

// use checks that x is defined and dominates its use at position pos of block b.
func (v *verifier) use(x Value, b BlockID, pos int32) {
	f := v.f
	switch {
	case int(x) >= len(f.Values):
		v.errorf("%v does not exist", x)
	case f.Values[x].Kind == DefAlias:
		v.errorf("%v is an alias of %v; call ResolveAliases", x, f.Values[x].Alias)
	case v.defBlock[x] == NoBlock:
		v.errorf("%v is not defined", x)
	case !v.dom.Reachable(b):
	case v.defBlock[x] == b:
		if v.defPos[x] >= pos {
			v.errorf("%v is used before it is defined", x)
		}
	case !v.dom.Dominates(v.defBlock[x], b):
		v.errorf("%v is defined in %v, which does not dominate %v", x, v.defBlock[x], b)
	}
}

// want reports x (described as what) unless it has type t.
func (v *verifier) want(what string, x Value, t Type) {
	if got := v.f.TypeOf(x); got != t {
		v.errorf("%s %v has type %v, want %v", what, x, got, t)
	}
}

func (v *verifier) instr(b BlockID, pos int32, in *Instr) {
	if in.Op == OpInvalid || in.Op >= numOps {
		v.errorf("invalid op")
		return
	}
	// Check each distinct value once, so iadd v1, v1 reports a bad v1 once.
	seen := v.seen[:0]
	use := func(a Value) {
		for _, s := range seen {
			if s == a {
				return
			}
		}
		seen = append(seen, a)
		v.use(a, b, pos)
	}
	for _, a := range in.Args {
		use(a)
	}
	for _, t := range in.Targets {
		for _, a := range t.Args {
			use(a)
		}
	}
	v.seen = seen
	info := &opTable[in.Op]
	if !v.typing(in, info) {
		return
	}
	v.fields(in, info)
	v.ops(in)
}

// typing checks operand and result counts and types against the op table, and reports
// whether they are sound enough for the op-specific checks to index them.
func (v *verifier) typing(in *Instr, info *opInfo) bool {
	f := v.f
	ok := true
	if info.variadic {
		if len(in.Args) < len(info.args) {
			v.errorf("%v takes at least %d operands, has %d", in.Op, len(info.args), len(in.Args))
			return false
		}
		if in.Op.IsTerminator() && len(in.Results) > 0 {
			v.errorf("%v defines no results, has %d", in.Op, len(in.Results))
		}
	} else {
		if len(in.Args) != len(info.args) {
			v.errorf("%v takes %d operands, has %d", in.Op, len(info.args), len(in.Args))
			ok = false
		}
		if len(in.Results) != len(info.res) {
			v.errorf("%v defines %d results, has %d", in.Op, len(info.res), len(in.Results))
			ok = false
		}
		if !ok {
			return false
		}
	}
	ctrl := NoType
	for i, s := range info.args {
		if s == tT {
			ctrl = f.TypeOf(in.Args[i])
			if !info.ctrl.Has(ctrl) {
				v.errorf("operand %v has type %v, want %v", in.Args[i], ctrl, info.ctrl)
				return false
			}
			break
		}
	}
	if ctrl == NoType {
		for i, s := range info.res {
			if s == tT {
				ctrl = f.TypeOf(in.Results[i])
				if !info.ctrl.Has(ctrl) {
					v.errorf("result %v has type %v, want %v", in.Results[i], ctrl, info.ctrl)
					return false
				}
				break
			}
		}
	}
	check := func(what string, x Value, s TypeSet) {
		t := f.TypeOf(x)
		switch {
		case s == tT && t != ctrl:
			v.errorf("%s %v has type %v, want %v", what, x, t, ctrl)
			ok = false
		case s != tT && !s.Has(t):
			v.errorf("%s %v has type %v, want %v", what, x, t, s)
			ok = false
		}
	}
	for i, s := range info.args {
		check("operand", in.Args[i], s)
	}
	for i, s := range info.res {
		check("result", in.Results[i], s)
	}
	return ok
}

// Fields of Instr that an op's text form shows; any other must be zero, so that the
// text says everything about an instruction.
const (
	fCond = 1 << iota
	fTrap
	fWidth
	fImm
	fImm2
	fIndex
	fIndex2
	fTargets
	fSigned
	fShape
)

var partFields = [...]int{
	pCond: fCond, pTrap: fTrap, pWidth: fWidth | fSigned, pSign: fSigned, pSignOpt: fSigned, pShape: fShape,
	pLane: fImm2, pIConst: fImm, pF32: fImm, pF64: fImm, pV128: fImm | fImm2, pMemAddr: fImm | fIndex, pSize: fImm,
	pMem: fIndex, pTable: fIndex, pData: fIndex, pElem: fIndex, pGlobal: fIndex, pFunc: fIndex,
	pMem2: fIndex2, pTable2: fIndex2, pData2: fIndex2, pElem2: fIndex2,
	pTarget: fTargets, pTargetList: fTargets, pDefault: fTargets,
	pArg: 0, pArgs: 0, pCallArgs: 0, pCallee: 0,
}

func (v *verifier) fields(in *Instr, info *opInfo) {
	used := 0
	for _, pt := range info.parts {
		used |= partFields[pt]
	}
	if in.Op == OpCallIndirect {
		used |= fIndex2 // the expected type, spelled out by the operands and results
	}
	var stray []string
	add := func(field int, set bool, name string) {
		if used&field == 0 && set {
			stray = append(stray, name)
		}
	}
	add(fCond, in.Cond != CondNone, "Cond")
	add(fTrap, in.Trap != TrapNone, "Trap")
	add(fWidth, in.Width != 0, "Width")
	add(fSigned, in.Signed, "Signed")
	add(fShape, in.Shape != ShapeNone, "Shape")
	add(fImm, in.Imm != 0, "Imm")
	add(fImm2, in.Imm2 != 0, "Imm2")
	add(fIndex, in.Index != 0, "Index")
	add(fIndex2, in.Index2 != 0, "Index2")
	add(fTargets, len(in.Targets) != 0, "Targets")
	if len(stray) > 0 {
		v.errorf("%v does not use %s", in.Op, strings.Join(stray, ", "))
	}
	if used&fShape != 0 && !info.shapes.Has(in.Shape) {
		v.errorf("%v does not take shape %v", in.Op, in.Shape)
	}
}
