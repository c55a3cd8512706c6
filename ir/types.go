package ir

import "strconv"

// Type is the type of an SSA value. Every value has exactly one type, fixed when it is
// defined; the text form writes it at the definition (v3:i32), never at uses.
type Type uint8

// The value types. I32 through F64 are WebAssembly's number types; V128 is its vector
// type, which the vector ops see in lanes of a [Shape]; Ptr is a host
// pointer-sized integer (64 bits on every target wasmc supports) used for addresses that
// are not wasm addresses; FuncRef and ExternRef are wasm reference values, opaque to
// arithmetic.
const (
	NoType Type = iota // the zero Type: marks unused value slots, never a value's type
	I32
	I64
	F32
	F64
	V128
	Ptr
	FuncRef
	ExternRef
	numTypes
)

var typeNames = [numTypes]string{
	NoType:    "notype",
	I32:       "i32",
	I64:       "i64",
	F32:       "f32",
	F64:       "f64",
	V128:      "v128",
	Ptr:       "ptr",
	FuncRef:   "funcref",
	ExternRef: "externref",
}

// String returns the type's text-form name (i32, funcref, …).
func (t Type) String() string {
	if t < numTypes {
		return typeNames[t]
	}
	return "type(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// Size is the number of bytes a value of the type occupies in a register, a stack slot
// or a table slot; it is also the full access width of a load or store of the type.
// References are pointer-sized.
func (t Type) Size() int {
	switch t {
	case I32, F32:
		return 4
	case I64, F64, Ptr, FuncRef, ExternRef:
		return 8
	case V128:
		return 16
	}
	return 0
}

// IsInt reports whether the type is an integer type (i32, i64, ptr): the types the
// integer ops accept.
func (t Type) IsInt() bool { return t == I32 || t == I64 || t == Ptr }

// IsFloat reports whether the type is f32 or f64.
func (t Type) IsFloat() bool { return t == F32 || t == F64 }

// IsRef reports whether the type is a reference type (funcref, externref).
func (t Type) IsRef() bool { return t == FuncRef || t == ExternRef }

// typeByName maps a text-form type name to its Type.
func typeByName(name string) (Type, bool) {
	for t := I32; t < numTypes; t++ {
		if typeNames[t] == name {
			return t, true
		}
	}
	return NoType, false
}

// TypeSet is a set of types, used by the op table to say which types an operand or
// result may have.
type TypeSet uint16

// Has reports whether t is in the set.
func (s TypeSet) Has(t Type) bool { return t < numTypes && s&(1<<t) != 0 }

// String lists the set's types, separated by "|".
func (s TypeSet) String() string {
	out := ""
	for t := I32; t < numTypes; t++ {
		if s.Has(t) {
			if out != "" {
				out += "|"
			}
			out += t.String()
		}
	}
	return out
}

// setOf returns the set holding exactly the given types.
func setOf(ts ...Type) TypeSet {
	var s TypeSet
	for _, t := range ts {
		s |= 1 << t
	}
	return s
}

// Type sets the op table is written in.
var (
	setI32   = setOf(I32)
	setI64   = setOf(I64)
	setF32   = setOf(F32)
	setF64   = setOf(F64)
	setV128  = setOf(V128)
	setFunc  = setOf(FuncRef)
	setInt   = setOf(I32, I64, Ptr)      // integer arithmetic
	setWasmI = setOf(I32, I64)           // wasm integers: conversions, in-place extends
	setFloat = setOf(F32, F64)           // float arithmetic
	setAddr  = setOf(I32, I64)           // a linear-memory address or page count (memory32, memory64)
	setRef   = setOf(FuncRef, ExternRef) // references
	setWide  = setOf(I64, Ptr)           // targets of sext/zext, sources of wrap
	setCast  = setOf(I32, I64, F32, F64) // bitcast operands
	setData  = setOf(I32, I64, F32, F64, V128, Ptr)
	setLane  = setOf(I32, I64, F32, F64) // a vector lane outside the vector; its Shape says which
	setAny   = setData | setRef
)

// Signature is a function type: parameter and result types. Multi-value results are
// ordinary: a call defines one value per result.
type Signature struct {
	Params  []Type // parameter types, in order
	Results []Type // result types, in order; several for multi-value
}

// Equal reports whether two signatures have the same parameter and result types.
func (s Signature) Equal(t Signature) bool {
	return typesEqual(s.Params, t.Params) && typesEqual(s.Results, t.Results)
}

// String formats the signature as the text form writes it: (i32, i64) -> f32.
func (s Signature) String() string {
	p := &printer{}
	p.sig(s)
	return string(p.buf)
}

func typesEqual(a, b []Type) bool {
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
