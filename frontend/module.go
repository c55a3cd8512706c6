package frontend

// Module is a decoded WebAssembly module. Index spaces follow the spec: imported functions,
// tables, memories and globals come first in their index space, then the defined ones.
type Module struct {
	Types     []FuncType
	Imports   []Import
	Funcs     []Func // defined functions: their type; bodies are in Codes
	Tables    []TableType
	Mems      []MemType
	Globals   []Global
	Exports   []Export
	Start     *Start
	Elems     []Elem
	DataCount *uint32 // the data count section, when present
	Codes     []Code
	Datas     []Data
	Customs   []Custom
	Names     *Names // the parsed "name" custom section, when present and well formed

	// Sections lists the sections in file order, for inspection. The text parser leaves it
	// empty.
	Sections []SectionInfo
}

// Func is a defined function's declaration in the function section.
type Func struct {
	Type   uint32
	Offset int64
}

// Import is one import. Exactly one of the descriptors is meaningful, as Kind says.
type Import struct {
	Module string
	Name   string
	Kind   ExternKind
	Type   uint32 // ExternFunc: type index
	Table  TableType
	Mem    MemType
	Global GlobalType
	Offset int64
}

// Global is a defined global and its initializer.
type Global struct {
	Type   GlobalType
	Init   ConstExpr
	Offset int64
}

// Export is one export.
type Export struct {
	Name   string
	Kind   ExternKind
	Index  uint32
	Offset int64
}

// Start is the start section.
type Start struct {
	Func   uint32
	Offset int64
}

// ConstExpr is a constant expression as encoded: instructions up to and including the final
// end (0x0B). The validator checks which instructions it may hold.
type ConstExpr struct {
	Code   []byte
	Offset int64
}

// SegmentMode says when a data or element segment is applied.
type SegmentMode byte

// Segment modes.
const (
	SegActive SegmentMode = iota
	SegPassive
	SegDeclarative // element segments only
)

// Elem is an element segment, in any of its eight binary forms. The forms that list
// function indices keep them in Funcs, one word each, and set FuncIndices; the others keep
// one constant expression per element in Init. A module may list millions of indices at a
// byte each: as expressions they would cost some forty bytes apiece (issue 19, finding 4).
type Elem struct {
	Mode        SegmentMode
	Table       uint32
	TableOffset ConstExpr // SegActive only
	Type        ValType
	Init        []ConstExpr // the elements, unless FuncIndices
	FuncIndices bool
	Funcs       []uint32 // the elements, when FuncIndices
	Offset      int64
}

// Len is the number of elements.
func (e *Elem) Len() int {
	if e.FuncIndices {
		return len(e.Funcs)
	}
	return len(e.Init)
}

// Data is a data segment.
type Data struct {
	Mode      SegmentMode
	Mem       uint32
	MemOffset ConstExpr // SegActive only
	Init      []byte
	Offset    int64
}

// Code is a defined function's body.
type Code struct {
	Locals []LocalDecl
	// Body holds the instructions, ending with the function's final end.
	Body []byte
	// Offset is the source offset of Body[0].
	Offset int64
	// SrcMap, when set (the text parser sets it), maps instruction offsets in Body to source
	// offsets: sorted by Body, one entry per instruction.
	SrcMap []SrcLoc
	// Refs lists the function indices that Body's call and ref.func instructions name, in
	// code order, when RefsRead says the decoder, which reads every instruction anyway,
	// recorded them (the text parser does not): the link's reachability then reads
	// them here instead of decoding the code again (issue 21).
	Refs     []uint32
	RefsRead bool
}

// SrcLoc pairs an offset in a function body with a source offset.
type SrcLoc struct {
	Body uint32
	Src  int64
}

// Source returns the source offset of the instruction at body offset off.
func (c *Code) Source(off int) int64 {
	if c.SrcMap == nil {
		return c.Offset + int64(off)
	}
	lo, hi := 0, len(c.SrcMap)
	for lo < hi { // last entry with Body <= off
		mid := (lo + hi) / 2
		if int(c.SrcMap[mid].Body) <= off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return c.Offset
	}
	return c.SrcMap[lo-1].Src
}

// LocalDecl declares Count locals of one type.
type LocalDecl struct {
	Count uint32
	Type  ValType
}

// Custom is a custom section, kept verbatim.
type Custom struct {
	Name   string
	Data   []byte
	Offset int64 // of the section's id byte
	After  byte  // id of the last non-custom section before it (0: none), for re-encoding
}

// Names is the content of the "name" custom section.
type Names struct {
	Module string
	Funcs  []NameAssoc       // sorted by index
	Locals []IndirectNameMap // sorted by function index
}

// NameAssoc names one index.
type NameAssoc struct {
	Index uint32
	Name  string
}

// IndirectNameMap names the locals of one function.
type IndirectNameMap struct {
	Func  uint32
	Names []NameAssoc
}

// FuncName returns the name the name section gives function idx, or "".
func (n *Names) FuncName(idx uint32) string {
	if n == nil {
		return ""
	}
	lo, hi := 0, len(n.Funcs)
	for lo < hi {
		mid := (lo + hi) / 2
		if n.Funcs[mid].Index < idx {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(n.Funcs) && n.Funcs[lo].Index == idx {
		return n.Funcs[lo].Name
	}
	return ""
}

// SectionInfo locates one section in a binary.
type SectionInfo struct {
	ID     byte
	Name   string // the custom section's name, or the standard section's name
	Offset int64  // of the id byte
	Size   uint32 // of the contents
}

// NumImportedFuncs counts the imported functions, the first indices of the function space.
func (m *Module) NumImportedFuncs() int { return m.countImports(ExternFunc) }

// NumImportedTables counts the imported tables.
func (m *Module) NumImportedTables() int { return m.countImports(ExternTable) }

// NumImportedMems counts the imported memories.
func (m *Module) NumImportedMems() int { return m.countImports(ExternMemory) }

// NumImportedGlobals counts the imported globals.
func (m *Module) NumImportedGlobals() int { return m.countImports(ExternGlobal) }

func (m *Module) countImports(k ExternKind) int {
	n := 0
	for i := range m.Imports {
		if m.Imports[i].Kind == k {
			n++
		}
	}
	return n
}

// FuncTypeIndex returns the type index of function idx in the function index space, and
// false when idx is out of range.
func (m *Module) FuncTypeIndex(idx uint32) (uint32, bool) {
	for i := range m.Imports {
		if m.Imports[i].Kind != ExternFunc {
			continue
		}
		if idx == 0 {
			return m.Imports[i].Type, true
		}
		idx--
	}
	if uint64(idx) < uint64(len(m.Funcs)) {
		return m.Funcs[idx].Type, true
	}
	return 0, false
}
