package frontend

// Lowering, module level: index spaces, names, constant expressions, segments, exports.
// The function bodies are lowered in lower_func.go.

import (
	endian "encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wasmc/wasmc/ir"
)

// Errors wrapped by [*UnsupportedError], for errors.Is.
var (
	// ErrSIMD: the module uses the vector instructions or v128 values, which lowering
	// handles but the native backends do not select yet ([FindSIMD]).
	ErrSIMD = errors.New("SIMD not supported yet")
	// ErrTooManyLocals: a function declares more than 2^24 locals. Validation allows
	// 2^32-1, declared in a few bytes; lowering needs memory per local.
	ErrTooManyLocals = errors.New("too many locals to lower")
)

// UnsupportedError reports a valid module that lowering cannot handle (yet). Func is the
// index in the function index space of the function at fault, or -1 for a module-level
// item; Offset is the source offset of the instruction or item, as in [ValidationError].
// Besides too many locals, it reports the use of SIMD that [FindSIMD] finds for the
// native backends.
type UnsupportedError struct {
	Func   int
	Name   string // the function's name in the IR, when Func >= 0
	Offset int64
	What   string // the instruction or item, such as "i32x4.add" or "global 3"
	Err    error  // what is unsupported, such as ErrSIMD
}

func (e *UnsupportedError) Error() string {
	if e.Func >= 0 {
		return fmt.Sprintf("at 0x%x: func %d ($%s): %s", e.Offset, e.Func, e.Name, e.Message())
	}
	return fmt.Sprintf("at 0x%x: %s", e.Offset, e.Message())
}

// Message says what is unsupported without where, in the form every "not yet" of wasmc
// shares with [FeatureError]: "v128.const is not supported yet (simd proposal)". Callers
// that know the file put "FILE:0xOFFSET: " or "FILE:LINE:COL: " before it.
func (e *UnsupportedError) Message() string {
	why := proposalSIMD
	if e.Err == ErrTooManyLocals {
		why = "lowering takes at most 2^24 locals per function"
	}
	return (&FeatureError{Feature: e.What, Proposal: why}).Error()
}

// Unwrap returns what is unsupported, so that callers can test errors.Is(err, ErrSIMD).
func (e *UnsupportedError) Unwrap() error { return e.Err }

// Lower translates a validated module into an [ir.Module] whose index spaces (functions,
// tables, memories, globals, data and element segments) are the module's own, imports
// first, so that an index in the wasm module names the same thing in the IR.
//
// Function bodies become SSA form in one pass each (see lower_func.go), with every
// implicit trap made explicit: a boundscheck before each load and store, trapif before
// divisions and float-to-int truncations. Functions are named from the name section, or
// $f<index> when it has none; names are made unique deterministically.
//
// A function with more than 2^24 locals returns an [*UnsupportedError]. Lower must not
// be given a module
// that [Validate] rejects: the result would be meaningless, although Lower returns an
// error rather than crash where it notices.
func Lower(m *Module) (*ir.Module, error) {
	ml := &moduleLowerer{m: m, out: &ir.Module{}}
	if err := ml.declare(); err != nil {
		return nil, err
	}
	if err := ml.bodies(); err != nil {
		return nil, err
	}
	return ml.out, nil
}

// moduleLowerer holds what every function body needs to know about the module: the IR
// signature of each wasm type, the types of globals, the element types of tables, and
// the IR type index of each wasm type for callindirect. It is read-only once declare has
// run, so bodies can be lowered in parallel.
type moduleLowerer struct {
	m   *Module
	out *ir.Module

	sigs       []ir.Signature // by wasm type index
	irType     []uint32       // by wasm type index: the index in out.Types
	funcType   []uint32       // by function index: the wasm type index
	nimported  int            // imported functions
	globalType []ir.Type      // by global index
	tableElem  []ir.Type      // by table index
}

// valType maps a wasm value type to its IR type.
func valType(t ValType) ir.Type {
	switch t {
	case I32:
		return ir.I32
	case I64:
		return ir.I64
	case F32:
		return ir.F32
	case F64:
		return ir.F64
	case V128:
		return ir.V128
	case FuncRef:
		return ir.FuncRef
	case ExternRef:
		return ir.ExternRef
	}
	return ir.NoType
}

// valTypes maps a list of wasm types to a new slice whose capacity is its length, so that
// an append by a later user reallocates instead of writing into a shared array.
func valTypes(ts []ValType) []ir.Type {
	if len(ts) == 0 {
		return nil
	}
	out := make([]ir.Type, len(ts))
	for i, t := range ts {
		out[i] = valType(t)
	}
	return out
}

func hasV128(ts []ValType) bool {
	for _, t := range ts {
		if t == V128 {
			return true
		}
	}
	return false
}

// unsupported builds the error for a module-level item.
func unsupported(off int64, what string) error {
	return &UnsupportedError{Func: -1, Offset: off, What: what, Err: ErrSIMD}
}

// declare fills the module: signatures, functions (imports with their names), memories,
// tables, globals, segments, exports and start. Every function exists before any body is
// lowered, because calls and reffunc name functions by index.
func (ml *moduleLowerer) declare() error {
	m, out := ml.m, ml.out
	ml.sigs = make([]ir.Signature, len(m.Types))
	ml.irType = make([]uint32, len(m.Types))
	for i := range m.Types {
		ft := &m.Types[i]
		ml.sigs[i] = ir.Signature{Params: valTypes(ft.Params), Results: valTypes(ft.Results)}
		// Interned up front so that bodies, lowered in parallel, never write the module.
		ml.irType[i] = out.InternType(ml.sigs[i])
	}

	for i := range m.Imports {
		im := &m.Imports[i]
		from := &ir.ImportName{Module: im.Module, Name: im.Name}
		switch im.Kind {
		case ExternFunc:
			ml.funcType = append(ml.funcType, im.Type)
			out.AddFunc(&ir.Func{Sig: ml.sigs[im.Type], Import: from})
		case ExternTable:
			out.Tables = append(out.Tables, ir.Table{Import: from, Elem: valType(im.Table.Elem), Limits: limits(im.Table.Limits)})
		case ExternMemory:
			out.Memories = append(out.Memories, ir.Memory{Import: from, Limits: limits(im.Mem.Limits)})
		case ExternGlobal:
			out.Globals = append(out.Globals, ir.Global{Import: from, Type: valType(im.Global.Type), Mutable: im.Global.Mutable})
		}
	}
	ml.nimported = len(out.Funcs)
	for i := range m.Funcs {
		ml.funcType = append(ml.funcType, m.Funcs[i].Type)
		out.AddFunc(ir.NewFunc("", ml.sigs[m.Funcs[i].Type]))
	}
	ml.nameFuncs()

	for i := range m.Tables {
		t := &m.Tables[i]
		out.Tables = append(out.Tables, ir.Table{Elem: valType(t.Elem), Limits: limits(t.Limits)})
	}
	for i := range m.Mems {
		out.Memories = append(out.Memories, ir.Memory{Limits: limits(m.Mems[i].Limits)})
	}
	for i := range m.Globals {
		g := &m.Globals[i]
		init, err := ml.constExpr(&g.Init)
		if err != nil {
			return err
		}
		out.Globals = append(out.Globals, ir.Global{Type: valType(g.Type.Type), Mutable: g.Type.Mutable, Init: init})
	}
	// Globals have no names in the WebAssembly 2.0 name section.
	ml.globalType = make([]ir.Type, len(out.Globals))
	for i := range out.Globals {
		out.Globals[i].Name = "g" + strconv.Itoa(i)
		ml.globalType[i] = out.Globals[i].Type
	}
	ml.tableElem = make([]ir.Type, len(out.Tables))
	for i := range out.Tables {
		ml.tableElem[i] = out.Tables[i].Elem
	}

	if err := ml.segments(); err != nil {
		return err
	}
	for i := range m.Exports {
		ex := &m.Exports[i]
		out.Exports = append(out.Exports, ir.Export{Name: ex.Name, Kind: externKind(ex.Kind), Index: ex.Index})
	}
	if m.Start != nil {
		out.Start, out.HasStart = m.Start.Func, true
	}
	return nil
}

func limits(l Limits) ir.Limits { return ir.Limits{Min: l.Min, Max: l.Max, HasMax: l.HasMax} }

func externKind(k ExternKind) ir.ExternKind {
	switch k {
	case ExternTable:
		return ir.ExternTable
	case ExternMemory:
		return ir.ExternMemory
	case ExternGlobal:
		return ir.ExternGlobal
	}
	return ir.ExternFunc
}

// segments lowers the data and element segments.
func (ml *moduleLowerer) segments() error {
	m, out := ml.m, ml.out
	out.Data = make([]ir.DataSegment, 0, len(m.Datas))
	out.Elems = make([]ir.ElemSegment, 0, len(m.Elems))
	for i := range m.Datas {
		d := &m.Datas[i]
		seg := ir.DataSegment{Mode: ir.Passive, Bytes: d.Init}
		if d.Mode == SegActive {
			off, err := ml.constExpr(&d.MemOffset)
			if err != nil {
				return err
			}
			seg.Mode, seg.Memory, seg.Offset = ir.Active, d.Mem, off
		}
		out.Data = append(out.Data, seg)
	}
	for i := range m.Elems {
		e := &m.Elems[i]
		seg := ir.ElemSegment{Type: valType(e.Type)}
		switch e.Mode {
		case SegActive:
			off, err := ml.constExpr(&e.TableOffset)
			if err != nil {
				return err
			}
			seg.Mode, seg.Table, seg.Offset = ir.Active, e.Table, off
		case SegPassive:
			seg.Mode = ir.Passive
		default:
			seg.Mode = ir.Declarative
		}
		if err := ml.elems(e, &seg); err != nil {
			return err
		}
		out.Elems = append(out.Elems, seg)
	}
	return nil
}

// elems lowers e's elements into seg, as function indices (ir.ElemSegment.Funcs) when
// every element is a function or null: an index form's slice is shared, not copied, and
// so is never written to.
func (ml *moduleLowerer) elems(e *Elem, seg *ir.ElemSegment) error {
	if e.FuncIndices {
		seg.Funcs = e.Funcs
		return nil
	}
	exprs := make([]ir.ConstExpr, len(e.Init))
	funcs := true
	for j := range e.Init {
		x, err := ml.constExpr(&e.Init[j])
		if err != nil {
			return err
		}
		exprs[j] = x
		funcs = funcs && (x.Op == ir.OpRefFunc || x.Op == ir.OpRefNull)
	}
	if !funcs {
		seg.Elems = exprs
		return nil
	}
	seg.Funcs = make([]uint32, len(exprs))
	for j, x := range exprs {
		seg.Funcs[j] = ir.NullFunc
		if x.Op == ir.OpRefFunc {
			seg.Funcs[j] = x.Index
		}
	}
	return nil
}

// constExpr lowers a validated constant expression: one instruction before its end.
func (ml *moduleLowerer) constExpr(e *ConstExpr) (ir.ConstExpr, error) {
	var in Instr
	if _, err := ReadInstr(e.Code, 0, e.Offset, &in); err != nil {
		return ir.ConstExpr{}, err
	}
	switch in.Op {
	case OpI32Const:
		return ir.ConstExpr{Op: ir.OpIConst, Imm: uint64(uint32(in.Const))}, nil
	case OpI64Const:
		return ir.ConstExpr{Op: ir.OpIConst, Imm: uint64(in.Const)}, nil
	case OpF32Const:
		return ir.ConstExpr{Op: ir.OpF32Const, Imm: in.Bits}, nil
	case OpF64Const:
		return ir.ConstExpr{Op: ir.OpF64Const, Imm: in.Bits}, nil
	case OpRefNull:
		return ir.ConstExpr{Op: ir.OpRefNull}, nil
	case OpRefFunc:
		return ir.ConstExpr{Op: ir.OpRefFunc, Index: in.Idx}, nil
	case OpGlobalGet:
		return ir.ConstExpr{Op: ir.OpGlobalGet, Index: in.Idx}, nil
	case OpV128Const:
		return ir.ConstExpr{Op: ir.OpV128Const, Imm: endian.LittleEndian.Uint64(in.V128[:8]),
			Imm2: endian.LittleEndian.Uint64(in.V128[8:])}, nil
	}
	return ir.ConstExpr{}, fmt.Errorf("at 0x%x: %s is not a constant instruction; was the module validated?", e.Offset, in.Op)
}

// printableName escapes the control characters of a name from the name section as \xNN: a
// name reaches symbol tables, whose strings end at NUL, and trap reports printed on a
// terminal, where an escape sequence or a newline could forge output.
func printableName(name string) string {
	if !strings.ContainsFunc(name, isControl) {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if c := rune(name[i]); isControl(c) {
			fmt.Fprintf(&b, "\\x%02x", c)
		} else {
			b.WriteByte(name[i])
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// nameFuncs names every function: the name section's names first, in index order, each
// made unique by a "#index" suffix if an earlier function took it; then $f<index> for the
// rest, with the same suffix should a named function already be called that. Giving the
// name section priority keeps every distinct name of it as written.
func (ml *moduleLowerer) nameFuncs() {
	funcs := ml.out.Funcs
	used := make(map[string]bool, len(funcs))
	unique := func(name string, idx int) string {
		n := name
		if used[n] {
			n += "#" + strconv.Itoa(idx)
		}
		for used[n] { // only if a name of the section itself ends in #idx
			n += "'"
		}
		used[n] = true
		return n
	}
	if names := ml.m.Names; names != nil {
		for _, a := range names.Funcs {
			if int(a.Index) < len(funcs) && a.Name != "" && funcs[a.Index].Name == "" {
				funcs[a.Index].Name = unique(printableName(a.Name), int(a.Index))
			}
		}
	}
	for i, f := range funcs {
		if f.Name == "" {
			f.Name = unique("f"+strconv.Itoa(i), i)
		}
	}
}

// bodies lowers every function body, in parallel when there are enough of them. Each
// worker owns one funcLowerer, whose stacks and tables are reused from body to body; the
// first error by function index is reported, so the result does not depend on timing.
func (ml *moduleLowerer) bodies() error {
	n := len(ml.m.Codes)
	if n != len(ml.m.Funcs) {
		return fmt.Errorf("%d function declarations but %d bodies; was the module validated?", len(ml.m.Funcs), n)
	}
	errs := make([]error, n)
	workers := min(runtime.GOMAXPROCS(0), n/8+1)
	if workers <= 1 {
		fl := &funcLowerer{mod: ml}
		for i := range n {
			errs[i] = fl.lowerSafely(i)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				fl := &funcLowerer{mod: ml}
				for {
					i := int(next.Add(1) - 1)
					if i >= n {
						return
					}
					errs[i] = fl.lowerSafely(i)
				}
			})
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// lowerSafely lowers body i, turning a panic (a broken invariant of lowering, or a module
// that was not validated) into an error naming the function.
func (fl *funcLowerer) lowerSafely(i int) error {
	fn := fl.mod.nimported + i
	return fl.lowerInto(fl.mod.out.Funcs[fn], fn)
}

// lowerInto lowers the body of function fn into f, turning a panic into an error.
func (fl *funcLowerer) lowerInto(f *ir.Func, fn int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error lowering func %d ($%s): %v", fn, f.Name, r)
			*fl = funcLowerer{mod: fl.mod} // the state may be inconsistent: start afresh
		}
	}()
	return fl.lower(f, fn, &fl.mod.m.Codes[fn-fl.mod.nimported])
}
