package frontend

import (
	"bytes"
	"fmt"
	"math"
)

// Validate checks m against the validation rules of WebAssembly 2.0 and returns the first
// problem as a [*ValidationError], or nil when m is valid.
//
// The order of the checks follows the spec's reference interpreter (valid.ml, check_module):
// imports, function declarations, globals, tables, memories, element and data segments,
// function bodies, the start function, exports, and last the number of memories. A module
// with several problems thus reports the one the spec test suite expects, and the messages
// begin with the texts of its assert_invalid commands ("type mismatch", "unknown local 3").
//
// Function bodies are checked by the algorithm of the spec's appendix "Validation
// Algorithm", in one pass per body, with stacks reused from one body to the next; a
// compiler may check them in parallel instead ([ValidateDecls]).
func Validate(m *Module) error {
	bs, err := ValidateDecls(m)
	if err != nil {
		return err
	}
	return bs.First()
}

// maxPages is the largest memory in 64 KiB pages that a 32-bit address space can hold.
const maxPages = 1 << 16

// moduleValidator holds the validation context C of the spec: the index spaces with
// imports first, flattened once so that every lookup from a body is a slice index.
type moduleValidator struct {
	m *Module

	funcs   []uint32  // type index of each function in the function index space
	tables  []ValType // element type of each table
	mems    []int64   // source offset of each memory, imported ones first
	globals []GlobalType
	// importedGlobals is how many of globals are imports: WebAssembly 2.0 constant
	// expressions see only those (the context C′ of the spec's module rule).
	importedGlobals int
	// refs holds the functions that may be named by ref.func inside a body: those
	// referenced somewhere outside the bodies and the start section (C.refs).
	refs []bool
}

func newModuleValidator(m *Module) *moduleValidator {
	v := &moduleValidator{m: m}
	for i := range m.Imports {
		im := &m.Imports[i]
		switch im.Kind {
		case ExternFunc:
			v.funcs = append(v.funcs, im.Type)
		case ExternTable:
			v.tables = append(v.tables, im.Table.Elem)
		case ExternMemory:
			v.mems = append(v.mems, im.Offset)
		case ExternGlobal:
			v.globals = append(v.globals, im.Global)
		}
	}
	v.importedGlobals = len(v.globals)
	for i := range m.Funcs {
		v.funcs = append(v.funcs, m.Funcs[i].Type)
	}
	for i := range m.Tables {
		v.tables = append(v.tables, m.Tables[i].Elem)
	}
	for i := range m.Mems {
		v.mems = append(v.mems, m.Mems[i].Offset)
	}
	for i := range m.Globals {
		v.globals = append(v.globals, m.Globals[i].Type)
	}
	v.refs = make([]bool, len(v.funcs))
	v.scanRefs()
	return v
}

// scanRefs collects C.refs: every ref.func in a constant expression and every exported
// function. Malformed expressions are skipped here; checking them reports the problem.
func (v *moduleValidator) scanRefs() {
	m := v.m
	var in Instr
	scan := func(e *ConstExpr) {
		// Without a ref.func opcode byte anywhere there is no ref.func: so a Go program's
		// 100 000 data segment offsets are skipped rather than decoded.
		if bytes.IndexByte(e.Code, byte(OpRefFunc)) < 0 {
			return
		}
		for pos := 0; pos < len(e.Code); {
			next, err := ReadInstr(e.Code, pos, 0, &in)
			if err != nil {
				return
			}
			if in.Op == OpRefFunc && uint64(in.Idx) < uint64(len(v.refs)) {
				v.refs[in.Idx] = true
			}
			pos = next
		}
	}
	for i := range m.Globals {
		scan(&m.Globals[i].Init)
	}
	for i := range m.Elems {
		e := &m.Elems[i]
		scan(&e.TableOffset)
		for j := range e.Init {
			scan(&e.Init[j])
		}
		for _, f := range e.Funcs {
			if uint64(f) < uint64(len(v.refs)) {
				v.refs[f] = true
			}
		}
	}
	for i := range m.Datas {
		scan(&m.Datas[i].MemOffset)
	}
	for i := range m.Exports {
		ex := &m.Exports[i]
		if ex.Kind == ExternFunc && uint64(ex.Index) < uint64(len(v.refs)) {
			v.refs[ex.Index] = true
		}
	}
}

// errorf builds the error for an item outside any function body.
func errorf(off int64, format string, args ...any) error {
	return &ValidationError{Offset: off, Func: -1, Msg: fmt.Sprintf(format, args...)}
}

// funcType returns the signature of type index x, or an error at off.
func (v *moduleValidator) funcType(x uint32, off int64) (*FuncType, error) {
	if uint64(x) >= uint64(len(v.m.Types)) {
		return nil, errorf(off, "unknown type %d", x)
	}
	return &v.m.Types[x], nil
}

// checkTypes checks that signatures name only known value types. The decoder guarantees it
// for binaries; a module built in memory (the text parser, a fuzzer) might not.
func (v *moduleValidator) checkTypes() error {
	for i := range v.m.Types {
		ft := &v.m.Types[i]
		for _, t := range ft.Params {
			if !t.IsValid() {
				return errorf(ft.Offset, "malformed value type %s", t)
			}
		}
		for _, t := range ft.Results {
			if !t.IsValid() {
				return errorf(ft.Offset, "malformed value type %s", t)
			}
		}
	}
	return nil
}

func (v *moduleValidator) checkImports() error {
	for i := range v.m.Imports {
		im := &v.m.Imports[i]
		var err error
		switch im.Kind {
		case ExternFunc:
			_, err = v.funcType(im.Type, im.Offset)
		case ExternTable:
			err = checkTableType(&im.Table, im.Offset)
		case ExternMemory:
			err = checkMemType(&im.Mem, im.Offset)
		case ExternGlobal:
			if !im.Global.Type.IsValid() {
				err = errorf(im.Offset, "malformed value type %s", im.Global.Type)
			}
		default:
			err = errorf(im.Offset, "malformed import kind %d", byte(im.Kind))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (v *moduleValidator) checkFuncDecls() error {
	for i := range v.m.Funcs {
		if _, err := v.funcType(v.m.Funcs[i].Type, v.m.Funcs[i].Offset); err != nil {
			return err
		}
	}
	return nil
}

func (v *moduleValidator) checkGlobals() error {
	for i := range v.m.Globals {
		g := &v.m.Globals[i]
		if !g.Type.Type.IsValid() {
			return errorf(g.Offset, "malformed value type %s", g.Type.Type)
		}
		if err := v.constExpr(&g.Init, g.Type.Type); err != nil {
			return err
		}
	}
	return nil
}

func (v *moduleValidator) checkTables() error {
	for i := range v.m.Tables {
		if err := checkTableType(&v.m.Tables[i], v.m.Tables[i].Offset); err != nil {
			return err
		}
	}
	return nil
}

func (v *moduleValidator) checkMems() error {
	for i := range v.m.Mems {
		if err := checkMemType(&v.m.Mems[i], v.m.Mems[i].Offset); err != nil {
			return err
		}
	}
	return nil
}

// checkLimits applies the spec's limit rule: both bounds at most max, and min ≤ max. msg
// names the bound that is exceeded, in the words of the spec's test suite.
func checkLimits(l *Limits, max uint64, off int64, msg string) error {
	if l.Min > max || (l.HasMax && l.Max > max) {
		return errorf(off, "%s", msg)
	}
	if l.HasMax && l.Min > l.Max {
		return errorf(off, "size minimum must not be greater than maximum")
	}
	return nil
}

func checkTableType(t *TableType, off int64) error {
	if !t.Elem.IsRef() {
		return errorf(off, "malformed reference type %s", t.Elem)
	}
	return checkLimits(&t.Limits, math.MaxUint32, off, "table size must be at most 2^32-1")
}

func checkMemType(t *MemType, off int64) error {
	return checkLimits(&t.Limits, maxPages, off, "memory size must be at most 65536 pages (4GiB)")
}

func (v *moduleValidator) checkElems() error {
	for i := range v.m.Elems {
		e := &v.m.Elems[i]
		if !e.Type.IsRef() {
			return errorf(e.Offset, "malformed reference type %s", e.Type)
		}
		for j := range e.Init {
			if err := v.constExpr(&e.Init[j], e.Type); err != nil {
				return err
			}
		}
		// An index form's elements are ref.func of funcref, declared by being listed;
		// errors name the segment, as its indices keep no offsets of their own.
		if e.FuncIndices && e.Type != FuncRef {
			return errorf(e.Offset, "type mismatch: function indices in a segment of %s", e.Type)
		}
		for _, f := range e.Funcs {
			if uint64(f) >= uint64(len(v.funcs)) {
				return errorf(e.Offset, "unknown function %d", f)
			}
		}
		switch e.Mode {
		case SegActive:
			if uint64(e.Table) >= uint64(len(v.tables)) {
				return errorf(e.Offset, "unknown table %d", e.Table)
			}
			if t := v.tables[e.Table]; t != e.Type {
				return errorf(e.Offset, "type mismatch: element segment of %s in table of %s", e.Type, t)
			}
			if err := v.constExpr(&e.TableOffset, I32); err != nil {
				return err
			}
		case SegPassive, SegDeclarative:
		default:
			return errorf(e.Offset, "malformed element segment mode %d", byte(e.Mode))
		}
	}
	return nil
}

func (v *moduleValidator) checkDatas() error {
	for i := range v.m.Datas {
		d := &v.m.Datas[i]
		switch d.Mode {
		case SegActive:
			if uint64(d.Mem) >= uint64(len(v.mems)) {
				return errorf(d.Offset, "unknown memory %d", d.Mem)
			}
			if err := v.constExpr(&d.MemOffset, I32); err != nil {
				return err
			}
		case SegPassive:
		default:
			return errorf(d.Offset, "malformed data segment mode %d", byte(d.Mode))
		}
	}
	return nil
}

// checkCodeCount checks that every declared function has a body, and no more.
func (v *moduleValidator) checkCodeCount() error {
	m := v.m
	if len(m.Codes) != len(m.Funcs) {
		off := int64(0)
		if len(m.Codes) > 0 {
			off = m.Codes[0].Offset
		}
		return errorf(off, "function and code section have inconsistent lengths (%d functions, %d bodies)",
			len(m.Funcs), len(m.Codes))
	}
	return nil
}

func (v *moduleValidator) checkStart() error {
	s := v.m.Start
	if s == nil {
		return nil
	}
	if uint64(s.Func) >= uint64(len(v.funcs)) {
		return errorf(s.Offset, "unknown function %d", s.Func)
	}
	ft := &v.m.Types[v.funcs[s.Func]]
	if len(ft.Params) != 0 || len(ft.Results) != 0 {
		return errorf(s.Offset, "start function must not have parameters or results, has type %s", ft)
	}
	return nil
}

func (v *moduleValidator) checkExports() error {
	seen := make(map[string]struct{}, len(v.m.Exports))
	for i := range v.m.Exports {
		ex := &v.m.Exports[i]
		var n int
		var what string
		switch ex.Kind {
		case ExternFunc:
			n, what = len(v.funcs), "function"
		case ExternTable:
			n, what = len(v.tables), "table"
		case ExternMemory:
			n, what = len(v.mems), "memory"
		case ExternGlobal:
			n, what = len(v.globals), "global"
		default:
			return errorf(ex.Offset, "malformed export kind %d", byte(ex.Kind))
		}
		if uint64(ex.Index) >= uint64(n) {
			return errorf(ex.Offset, "unknown %s %d", what, ex.Index)
		}
		if _, dup := seen[ex.Name]; dup {
			return errorf(ex.Offset, "duplicate export name %q", ex.Name)
		}
		seen[ex.Name] = struct{}{}
	}
	return nil
}

// checkMemCount enforces WebAssembly 2.0's single memory, imports included. The reference
// interpreter checks it last, so a module with two memories and another fault reports
// the other fault.
func (v *moduleValidator) checkMemCount() error {
	if len(v.mems) > 1 {
		return errorf(v.mems[1], "multiple memories are not allowed in WebAssembly 2.0")
	}
	return nil
}
