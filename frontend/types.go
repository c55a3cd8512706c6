package frontend

import (
	"fmt"
	"strings"
)

// ValType is a value type, numbered by its binary encoding.
type ValType byte

// The value types of WebAssembly 2.0.
const (
	I32       ValType = 0x7F
	I64       ValType = 0x7E
	F32       ValType = 0x7D
	F64       ValType = 0x7C
	V128      ValType = 0x7B
	FuncRef   ValType = 0x70
	ExternRef ValType = 0x6F
)

// String returns the text-format name of t.
func (t ValType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case FuncRef:
		return "funcref"
	case ExternRef:
		return "externref"
	}
	return fmt.Sprintf("valtype(0x%02x)", byte(t))
}

// IsRef reports whether t is a reference type.
func (t ValType) IsRef() bool { return t == FuncRef || t == ExternRef }

// IsValid reports whether t is one of the value types above.
func (t ValType) IsValid() bool {
	switch t {
	case I32, I64, F32, F64, V128, FuncRef, ExternRef:
		return true
	}
	return false
}

// FuncType is a function signature.
type FuncType struct {
	Params  []ValType
	Results []ValType
	Offset  int64
}

// Equal reports whether two signatures are structurally identical, which is how WebAssembly
// 2.0 compares types at call_indirect and at import matching.
func (ft FuncType) Equal(o FuncType) bool {
	return equalTypes(ft.Params, o.Params) && equalTypes(ft.Results, o.Results)
}

func equalTypes(a, b []ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// String prints ft as "[i32 i32] -> [i64]".
func (ft FuncType) String() string {
	return typeList(ft.Params) + " -> " + typeList(ft.Results)
}

func typeList(ts []ValType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}

// Limits bound the size of a memory (in 64 KiB pages) or a table (in elements). Sizes are
// 64-bit so that memory64 fits later without a change of type.
type Limits struct {
	Min    uint64
	Max    uint64
	HasMax bool
}

// TableType is a table's element type and limits.
type TableType struct {
	Elem   ValType
	Limits Limits
	Offset int64
}

// MemType is a linear memory's limits in pages.
type MemType struct {
	Limits Limits
	Offset int64
}

// GlobalType is a global's value type and mutability.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// ExternKind says what an import or export names.
type ExternKind byte

// The kinds of imports and exports, numbered by their binary encoding.
const (
	ExternFunc   ExternKind = 0
	ExternTable  ExternKind = 1
	ExternMemory ExternKind = 2
	ExternGlobal ExternKind = 3
)

// String returns the text-format keyword of k.
func (k ExternKind) String() string {
	switch k {
	case ExternFunc:
		return "func"
	case ExternTable:
		return "table"
	case ExternMemory:
		return "memory"
	case ExternGlobal:
		return "global"
	}
	return fmt.Sprintf("externkind(%d)", byte(k))
}
