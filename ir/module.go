package ir

import "strconv"

// Module is a whole program unit: what a wasm module holds once lowered, and, after
// linking, the user's module and the runtime together. Functions, memories, tables and
// globals each have one index space, as in wasm; an entry with Import set is imported,
// and imports may sit at any index (linking resolves some and keeps others).
type Module struct {
	// Funcs are the functions, defined and imported; call and reffunc name them by index.
	Funcs []*Func
	// Memories are the linear memories; memory ops name them by index (mem0).
	Memories []Memory
	// Tables are the tables (table0).
	Tables []Table
	// Globals are the globals; globalget and globalset name them by index ($name in text).
	Globals []Global
	// Data are the data segments (data0).
	Data []DataSegment
	// Elems are the element segments (elem0).
	Elems []ElemSegment
	// Exports are the exports, in declaration order; names are unique.
	Exports []Export
	// Start is the start function's index, when HasStart.
	Start    uint32
	HasStart bool // whether the module has a start function
	// Types are distinct signatures; callindirect's Index2 points here, so two
	// callindirects expect the same type exactly when their indices are equal. Add
	// entries with [Module.InternType]. The text form does not list them: the parser
	// interns each callindirect's signature, which its operands and results spell out.
	Types []Signature

	typeIndex    map[string]uint32 // typeKey → first index in Types, for InternType
	typesIndexed int               // how many of Types typeIndex covers
}

// ImportName is where an import comes from: a module name and a field name.
type ImportName struct {
	Module string // the module name, such as "wasi_snapshot_preview1"
	Name   string // the field name, such as "fd_write"
}

// Limits bounds the size of a memory (in 64 KiB pages) or a table (in elements).
type Limits struct {
	Min    uint64 // the initial size
	Max    uint64 // the largest size, when HasMax
	HasMax bool   // whether there is a maximum
}

// Memory is a linear memory.
type Memory struct {
	Import *ImportName // where an imported memory comes from; nil when defined
	Limits Limits      // in 64 KiB pages
	// Is64 marks a memory64 memory, whose addresses and sizes are i64 rather than i32.
	Is64 bool
}

// AddrType is the type of the memory's addresses, lengths and page counts.
func (m *Memory) AddrType() Type {
	if m.Is64 {
		return I64
	}
	return I32
}

// Table is a table of references.
type Table struct {
	Import *ImportName // where an imported table comes from; nil when defined
	Elem   Type        // the element type: FuncRef or ExternRef
	Limits Limits      // in elements
}

// Global is a global variable.
type Global struct {
	// Name is the global's name without the $, unique among the module's globals.
	Name    string
	Import  *ImportName // where an imported global comes from; nil when defined
	Type    Type        // the value's type
	Mutable bool        // whether globalset may change it
	// Init is the initial value of a defined global.
	Init ConstExpr
}

// ConstExpr is a constant expression: a global's initial value, a segment's offset or
// an element. Its type comes from where it stands (the global's type, the memory's
// address type, the segment's element type).
type ConstExpr struct {
	// Op is one of OpIConst, OpF32Const, OpF64Const, OpV128Const, OpRefNull, OpRefFunc
	// and OpGlobalGet (of an earlier immutable global).
	Op Op
	// Imm and Imm2 hold the constant's bits as in [Instr].
	Imm, Imm2 uint64
	// Index is the function of reffunc or the global of globalget.
	Index uint32
}

// ExternKind says what an export exports.
type ExternKind uint8

// The export kinds.
const (
	ExternFunc ExternKind = iota
	ExternTable
	ExternMemory
	ExternGlobal
	numExternKinds
)

var externNames = [numExternKinds]string{"func", "table", "memory", "global"}

// String returns the kind's text name.
func (k ExternKind) String() string {
	if k < numExternKinds {
		return externNames[k]
	}
	return "extern(" + strconv.FormatUint(uint64(k), 10) + ")"
}

// Export makes a function, table, memory or global visible under a name.
type Export struct {
	Name  string     // the export name, unique in the module
	Kind  ExternKind // what is exported
	Index uint32     // its index in the index space of Kind
}

// Export returns the index of the entity of kind exported as name, and whether there is
// one: an export of that name but another kind does not count. Export names are unique,
// so the first match is the only one.
func (m *Module) Export(name string, kind ExternKind) (uint32, bool) {
	for _, x := range m.Exports {
		if x.Name == name && x.Kind == kind {
			return x.Index, true
		}
	}
	return 0, false
}

// SegmentMode says when a data or element segment is used.
type SegmentMode uint8

// The segment modes.
const (
	// Active segments are copied into their memory or table at instantiation.
	Active SegmentMode = iota
	// Passive segments are copied only by meminit or tableinit.
	Passive
	// Declarative element segments only declare functions that reffunc may name.
	Declarative
	numModes
)

var modeNames = [numModes]string{"active", "passive", "declare"}

// String returns the mode's text name.
func (m SegmentMode) String() string {
	if m < numModes {
		return modeNames[m]
	}
	return "mode(" + strconv.FormatUint(uint64(m), 10) + ")"
}

// DataSegment is a data segment.
type DataSegment struct {
	Mode   SegmentMode // Active or Passive
	Memory uint32      // an active segment's memory
	Offset ConstExpr   // an active segment's address in Memory, of its address type
	Bytes  []byte      // the contents
}

// ElemSegment is an element segment. Its elements are in one of two forms: Funcs, one
// word each, when every element is a reffunc or a refnull (NullFunc), which is the common
// case and the only one a module listing millions of function indices can afford; or
// Elems, one constant expression each, which may also be a globalget. Funcs is used when
// it is not nil, and Elems is then empty.
type ElemSegment struct {
	Mode   SegmentMode // Active, Passive or Declarative
	Table  uint32      // an active segment's table
	Offset ConstExpr   // an active segment's i32 position in Table
	Type   Type        // the elements' type, FuncRef or ExternRef
	Elems  []ConstExpr // the elements: reffunc, refnull or globalget
	Funcs  []uint32    // the elements as function indices, NullFunc for refnull
}

// NullFunc stands for refnull among [ElemSegment.Funcs]: no function has this index, as
// a module would need 2^32 of them.
const NullFunc = ^uint32(0)

// Len is the number of elements.
func (e *ElemSegment) Len() int {
	if e.Funcs != nil {
		return len(e.Funcs)
	}
	return len(e.Elems)
}

// Elem is element j as a constant expression, whichever form holds it.
func (e *ElemSegment) Elem(j int) ConstExpr {
	if e.Funcs == nil {
		return e.Elems[j]
	}
	if f := e.Funcs[j]; f != NullFunc {
		return ConstExpr{Op: OpRefFunc, Index: f}
	}
	return ConstExpr{Op: OpRefNull}
}

// AddFunc appends f to the module's functions and returns its index.
func (m *Module) AddFunc(f *Func) uint32 {
	f.Module = m
	m.Funcs = append(m.Funcs, f)
	return uint32(len(m.Funcs) - 1)
}

// RetargetCalls turns every callimport of a function that is no longer imported into a
// call, after a pass has given imports bodies (the runtime's intrinsics, trapping stubs).
func (m *Module) RetargetCalls() {
	for _, f := range m.Funcs {
		for i := range f.Instrs {
			if in := &f.Instrs[i]; in.Op == OpCallImport && !m.Funcs[in.Index].IsImport() {
				in.Op = OpCall
			}
		}
	}
}

// InternType returns the index in Types of the first signature equal to sig, appending
// sig if there is none.
func (m *Module) InternType(sig Signature) uint32 {
	if m.typeIndex == nil || m.typesIndexed > len(m.Types) {
		m.typeIndex, m.typesIndexed = map[string]uint32{}, 0
	}
	for ; m.typesIndexed < len(m.Types); m.typesIndexed++ {
		k := typeKey(m.Types[m.typesIndexed])
		if _, ok := m.typeIndex[k]; !ok {
			m.typeIndex[k] = uint32(m.typesIndexed)
		}
	}
	k := typeKey(sig)
	if i, ok := m.typeIndex[k]; ok && int(i) < len(m.Types) && m.Types[i].Equal(sig) {
		return i
	}
	m.Types = append(m.Types, sig)
	m.typeIndex[k] = uint32(len(m.Types) - 1)
	m.typesIndexed = len(m.Types)
	return uint32(len(m.Types) - 1)
}

func typeKey(s Signature) string {
	b := make([]byte, 0, len(s.Params)+len(s.Results)+1)
	for _, t := range s.Params {
		b = append(b, byte(t))
	}
	b = append(b, 0xff)
	for _, t := range s.Results {
		b = append(b, byte(t))
	}
	return string(b)
}

// String returns the module in the text form.
func (m *Module) String() string {
	p := &printer{m: m}
	p.module()
	return string(p.buf)
}
