package ir

import (
	"errors"
	"fmt"
	"math"
)

// This file is the reference interpreter's public face (DESIGN.md, decision 2): the
// runtime objects a [Module] is instantiated into, linked with other instances and with
// the host, and the errors running it can give. Instantiation is in interp_link.go; the
// pre-decoding of each function into a flat form in interp_decode.go; execution in
// interp_exec.go (control flow and calls) and interp_mem.go (memories and tables).
//
// The objects follow the WebAssembly 2.0 store: an [Instance] owns or imports functions,
// memories, tables and globals, and the same [FuncInst], [MemoryInst], [TableInst] or
// [GlobalInst] may be shared by several instances and the host. A FuncInst remembers its
// instance, so a function reference called through another instance's table still runs
// against its own memories and globals. Nothing here is safe for concurrent use: run
// one call at a time per set of linked instances.

// Val is a wasm value crossing the interpreter's boundary: arguments, results, global
// values. Numbers are raw bits in Bits (i32 and f32 in the low 32 bits, zero-extended;
// a v128's low 64 bits, byte 0 lowest, with the high 64 in Hi); references are in Ref:
// for funcref a *[FuncInst] or nil (null), for externref any host value, nil being null.
type Val struct {
	Type Type
	Bits uint64
	Hi   uint64
	Ref  any
}

// I32Val, I64Val, F32Val and F64Val build number values from Go numbers.
func I32Val(x int32) Val   { return Val{Type: I32, Bits: uint64(uint32(x))} }
func I64Val(x int64) Val   { return Val{Type: I64, Bits: uint64(x)} }
func F32Val(x float32) Val { return Val{Type: F32, Bits: uint64(math.Float32bits(x))} }
func F64Val(x float64) Val { return Val{Type: F64, Bits: math.Float64bits(x)} }

// String formats the value for messages: its type and its bits or reference.
func (v Val) String() string {
	switch v.Type {
	case I32:
		return fmt.Sprintf("i32:%d", int32(v.Bits))
	case I64:
		return fmt.Sprintf("i64:%d", int64(v.Bits))
	case F32:
		return fmt.Sprintf("f32:%s", formatF32(uint32(v.Bits)))
	case F64:
		return fmt.Sprintf("f64:%s", formatF64(v.Bits))
	case V128:
		return fmt.Sprintf("v128:0x%016x%016x", v.Hi, v.Bits)
	}
	if refOf(v.Ref) == nil {
		return v.Type.String() + ":null"
	}
	if f, ok := v.Ref.(*FuncInst); ok {
		return v.Type.String() + ":$" + f.name
	}
	return fmt.Sprintf("%v:%v", v.Type, v.Ref)
}

// refOf normalises a reference for storage: a nil *FuncInst inside an interface is null,
// so that null tests are one comparison with nil everywhere.
func refOf(r any) any {
	if f, ok := r.(*FuncInst); ok && f == nil {
		return nil
	}
	return r
}

// Extern is something an instance exports or imports; Kind says which field is set.
type Extern struct {
	Kind   ExternKind
	Func   *FuncInst
	Table  *TableInst
	Memory *MemoryInst
	Global *GlobalInst
}

// Resolver finds the extern an import names; ok is false when there is none, which
// makes instantiation fail with "unknown import".
type Resolver func(module, name string) (Extern, bool)

// HostFunc implements a function in Go. It receives one Val per parameter and must
// return one per result, of the declared types. An error it returns (a *[Trap], or any
// other) ends the wasm call that reached it and is returned from [FuncInst.Call].
type HostFunc func(args []Val) ([]Val, error)

// FuncInst is a function instance: a defined function of an [Instance] or a host
// function. Its identity is what funcref values compare and what call_indirect finds.
type FuncInst struct {
	sig  Signature
	name string
	inst *Instance // the owning instance; nil for host functions
	fn   *Func     // the IR function; nil for host functions
	host HostFunc
	code *code // the decoded body, built on the first call
}

// NewHostFunc returns a function instance that calls fn with the given signature.
func NewHostFunc(params, results []Type, fn HostFunc) *FuncInst {
	return &FuncInst{sig: Signature{Params: params, Results: results}, name: "host", host: fn}
}

// Signature returns the function's type.
func (f *FuncInst) Signature() Signature { return f.sig }

// Name returns the function's name: the IR function's, or "host".
func (f *FuncInst) Name() string { return f.name }

// Call runs the function with the given arguments, which must match its parameter
// types. A trap is returned as a *[Trap]; a call the interpreter cannot run as an error
// wrapping [ErrUnsupported]; an op on inputs its missing check should have rejected as a
// *[UndefinedError].
func (f *FuncInst) Call(args []Val) ([]Val, error) {
	if err := checkValues("argument", f.sig.Params, args); err != nil {
		return nil, fmt.Errorf("calling $%s: %w", f.name, err)
	}
	if f.inst == nil {
		res, err := f.host(args)
		if err == nil {
			err = checkValues("host result", f.sig.Results, res)
		}
		return res, err
	}
	return f.inst.mach.callFromHost(f, args)
}

// checkValues checks that vals has one value of each type.
func checkValues(what string, types []Type, vals []Val) error {
	if len(vals) != len(types) {
		return fmt.Errorf("%d %ss for %d parameters", len(vals), what, len(types))
	}
	for i, t := range types {
		if vals[i].Type != t {
			return fmt.Errorf("%s %d is %v, want %v", what, i, vals[i].Type, t)
		}
		if _, ok := refOf(vals[i].Ref).(*FuncInst); t == FuncRef && refOf(vals[i].Ref) != nil && !ok {
			return fmt.Errorf("%s %d is a funcref holding a %T, not a *FuncInst", what, i, vals[i].Ref)
		}
	}
	return nil
}

// pageSize is the size of a wasm page.
const pageSize = 65536

// MemoryInst is a linear memory. Its size is always a whole number of pages.
type MemoryInst struct {
	data   []byte
	max    uint64 // the declared maximum in pages, or the largest the type allows
	hasMax bool   // whether max was declared (import matching needs to know)
	limit  uint64 // the most pages it may grow to: max, capped by Config.MaxMemoryPages
	is64   bool
}

// NewMemory returns a 32-bit memory of min pages, zeroed, that may grow to max pages
// when hasMax (else to 65536).
func NewMemory(min, max uint64, hasMax bool) *MemoryInst {
	lim := uint64(1 << 16)
	if hasMax {
		lim = min64(max, lim)
	}
	if !hasMax {
		max = 1 << 16
	}
	return &MemoryInst{data: make([]byte, min*pageSize), max: max, hasMax: hasMax, limit: lim}
}

// Bytes returns the memory's contents. The slice aliases the memory until it grows.
func (m *MemoryInst) Bytes() []byte { return m.data }

// Size returns the size in pages.
func (m *MemoryInst) Size() uint64 { return uint64(len(m.data)) / pageSize }

// Grow adds delta zeroed pages and returns the old size in pages, or ok=false (leaving
// the memory as it was) if that would exceed the memory's limit.
func (m *MemoryInst) Grow(delta uint64) (old uint64, ok bool) {
	old = m.Size()
	if delta > m.limit || old+delta > m.limit {
		return old, false
	}
	if delta > 0 {
		m.data = append(m.data, make([]byte, delta*pageSize)...)
	}
	return old, true
}

// TableInst is a table of references: *FuncInst (or nil) for funcref, host values (or
// nil) for externref.
type TableInst struct {
	elem   Type
	elems  []any
	max    uint64 // the declared maximum, or 2^32-1
	hasMax bool
	limit  uint64 // the most elements it may grow to
}

// NewTable returns a table of min null elements of type elem (FuncRef or ExternRef)
// that may grow to max elements when hasMax, and to DefaultMaxTableElems at most.
func NewTable(elem Type, min, max uint64, hasMax bool) *TableInst {
	return newTable(elem, min, max, hasMax, DefaultMaxTableElems)
}

func newTable(elem Type, min, max uint64, hasMax bool, limit uint64) *TableInst {
	if !hasMax {
		max = 1<<32 - 1
	}
	return &TableInst{elem: elem, elems: make([]any, min), max: max, hasMax: hasMax, limit: min64(max, limit)}
}

// Type returns the element type.
func (t *TableInst) Type() Type { return t.elem }

// Size returns the number of elements.
func (t *TableInst) Size() uint64 { return uint64(len(t.elems)) }

// Get returns element i, or ok=false if i is out of bounds.
func (t *TableInst) Get(i uint64) (Val, bool) {
	if i >= uint64(len(t.elems)) {
		return Val{}, false
	}
	return Val{Type: t.elem, Ref: t.elems[i]}, true
}

// Set stores v at element i; it fails if i is out of bounds or v has another type.
func (t *TableInst) Set(i uint64, v Val) error {
	if v.Type != t.elem {
		return fmt.Errorf("setting a %v table element to a %v", t.elem, v.Type)
	}
	if i >= uint64(len(t.elems)) {
		return &Trap{Code: TrapOutOfBoundsTable}
	}
	r := refOf(v.Ref)
	if _, ok := r.(*FuncInst); t.elem == FuncRef && r != nil && !ok {
		return fmt.Errorf("a funcref must be a *FuncInst, not %T", r)
	}
	t.elems[i] = r
	return nil
}

// grow appends delta elements set to r and returns the old size, or ok=false.
func (t *TableInst) grow(delta uint64, r any) (old uint64, ok bool) {
	old = uint64(len(t.elems))
	if delta > t.limit || old+delta > t.limit {
		return old, false
	}
	for range delta {
		t.elems = append(t.elems, r)
	}
	return old, true
}

// Grow adds delta elements set to v and returns the old size, or ok=false.
func (t *TableInst) Grow(delta uint64, v Val) (old uint64, ok bool) {
	if v.Type != t.elem {
		return uint64(len(t.elems)), false
	}
	return t.grow(delta, refOf(v.Ref))
}

// GlobalInst is a global variable.
type GlobalInst struct {
	typ     Type
	mutable bool
	bits    uint64
	hi      uint64 // a v128's high half
	ref     any
}

// NewGlobal returns a global of type t holding v.
func NewGlobal(t Type, mutable bool, v Val) *GlobalInst {
	return &GlobalInst{typ: t, mutable: mutable, bits: v.Bits, hi: v.Hi, ref: refOf(v.Ref)}
}

// Type returns the global's value type.
func (g *GlobalInst) Type() Type { return g.typ }

// Mutable reports whether wasm code may set the global.
func (g *GlobalInst) Mutable() bool { return g.mutable }

// Get returns the global's value.
func (g *GlobalInst) Get() Val { return Val{Type: g.typ, Bits: g.bits, Hi: g.hi, Ref: g.ref} }

// Set changes the global's value from the host, mutable or not; v must have its type.
func (g *GlobalInst) Set(v Val) error {
	if v.Type != g.typ {
		return fmt.Errorf("setting a %v global to a %v", g.typ, v.Type)
	}
	g.bits, g.hi, g.ref = v.Bits, v.Hi, refOf(v.Ref)
	return nil
}

// InterpConfig holds the interpreter's limits; the zero InterpConfig means the defaults. (The
// pipeline's options are [Config].)
type InterpConfig struct {
	// MaxCallDepth is how deep calls (host functions included) may nest before the next
	// one traps with stack_exhausted; 0 means 10000. Each level takes about 1 KB of Go
	// stack, whose overflow would kill the process, so values over 100000 mean 100000.
	MaxCallDepth int
	// MaxMemoryPages caps the growth of the memories an instance defines, below the
	// 65536 pages a 32-bit memory may declare (memgrow then returns -1, which the spec
	// allows at any size); 0 means no cap beyond the declared maximum.
	MaxMemoryPages uint64
	// MaxTableElems caps the tables an instance defines: their minimums together, or
	// instantiation traps with table_limit, and each one's growth (tablegrow then returns
	// -1); 0 means [DefaultMaxTableElems]. A memory whose minimum is over MaxMemoryPages
	// traps with memory_limit. Native executables agree (--max-table-elements,
	// --max-memory).
	MaxTableElems uint64
	// TrapUndefined makes a guarded op whose check is missing trap as the check would
	// have (division by zero, overflow, an invalid conversion, an access outside the
	// memory, as guard pages would). By default it is reported as an *[UndefinedError]
	// instead, because it means that lowering or a pass dropped a needed check.
	TrapUndefined bool
}

const (
	defaultMaxCallDepth = 10000
	maxCallDepth        = 100000
)

// DefaultMaxTableElems is the default limit on table elements (InterpConfig.MaxTableElems,
// wasmc's --max-table-elements): 10 million references, 80 MB natively, far beyond any
// table of a real program or of the spec tests.
const DefaultMaxTableElems = 10_000_000

// Instance is an instantiated [Module].
type Instance struct {
	module  *Module
	cfg     InterpConfig
	funcs   []*FuncInst
	mems    []*MemoryInst
	tables  []*TableInst
	globals []*GlobalInst
	datas   [][]byte // data segments; nil once dropped
	elems   [][]any  // element segments' references; nil once dropped
	exports map[string]Extern
	mach    *machine // runs the calls made from the host; nested calls go on top of the current ones
}

// Module returns the module the instance was made from.
func (in *Instance) Module() *Module { return in.module }

// Export returns the extern exported under name.
func (in *Instance) Export(name string) (Extern, bool) {
	e, ok := in.exports[name]
	return e, ok
}

// Invoke calls the function exported under name; see [FuncInst.Call].
func (in *Instance) Invoke(name string, args []Val) ([]Val, error) {
	e, ok := in.exports[name]
	if !ok || e.Kind != ExternFunc {
		return nil, fmt.Errorf("no exported function %q", name)
	}
	return e.Func.Call(args)
}

// Trap is a wasm trap: execution stopped as the spec says it must.
type Trap struct {
	Code TrapCode
	// Func is the name of the function that trapped; empty for a trap during
	// instantiation (a segment out of bounds) or one a host function made up.
	Func string
}

// Error returns the spec's message for the trap ("integer divide by zero"), which is
// what the spec tests' assert_trap expects; the function is not part of it.
func (t *Trap) Error() string { return t.Code.Message() }

// LinkError says why an import could not be satisfied: Msg is the spec's text, "unknown
// import" or "incompatible import type", and Detail says more.
type LinkError struct {
	Module, Name string
	Msg          string
	Detail       string
}

// Error starts with Msg, which the spec tests' assert_unlinkable expects.
func (e *LinkError) Error() string {
	s := fmt.Sprintf("%s %q %q", e.Msg, e.Module, e.Name)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// ErrUnsupported is wrapped by errors for what the interpreter does not run: the host
// ops, which address a native process.
var ErrUnsupported = errors.New("not supported by the interpreter")

// UndefinedError reports a guarded op run on inputs that its check, missing, should have
// rejected: a division by zero with no trapif, a load with no boundscheck admitting it.
// It is a bug in lowering or a pass, not a wasm trap.
type UndefinedError struct {
	Func  string // the function
	Instr string // the instruction, in the text form
	Code  TrapCode
}

func (e *UndefinedError) Error() string {
	return fmt.Sprintf("$%s: %s is undefined here (%s, and no check traps first)", e.Func, e.Instr, e.Code.Message())
}

func min64(a, b uint64) uint64 {
	if a < b {
		return a
	}
	return b
}
