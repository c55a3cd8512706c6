package wat

import (
	"github.com/wasmc/wasmc/frontend"
)

// Value is a constant argument of a script action: a number, a vector, or a reference.
type Value struct {
	Type frontend.ValType
	// Bits holds i32 and i64 values (i32 zero-extended) and the bit patterns of f32 and
	// f64 values.
	Bits uint64
	V128 [16]byte
	// Null marks ref.null; otherwise Ref is the N of (ref.extern N) or (ref.func N).
	Null bool
	Ref  uint32
}

// NaNKind is the NaN pattern an expected float matches instead of one bit pattern.
type NaNKind byte

// NaN patterns of assert_return.
const (
	NaNNone       NaNKind = iota
	NaNCanonical          // nan:canonical: the canonical NaN of either sign
	NaNArithmetic         // nan:arithmetic: any NaN with the payload's top bit set
)

func (k NaNKind) String() string {
	switch k {
	case NaNCanonical:
		return "nan:canonical"
	case NaNArithmetic:
		return "nan:arithmetic"
	}
	return ""
}

// nanPattern recognizes the NaN pattern keywords.
func nanPattern(kw string) NaNKind {
	switch kw {
	case "nan:canonical":
		return NaNCanonical
	case "nan:arithmetic":
		return NaNArithmetic
	}
	return NaNNone
}

// Expected is one expected result of assert_return: a Value compared bit for bit, unless
// a pattern says otherwise.
type Expected struct {
	Value
	// NaN, for an f32 or f64, is the pattern the result must match; Bits is then unused.
	NaN NaNKind
	// Shape is how a v128 was written; lanes are compared in it. LaneNaN is nil, or holds
	// one pattern per lane (NaNNone for a lane compared by its bits in V128).
	Shape   Shape
	LaneNaN []NaNKind
	// AnyRef is set for (ref.extern) and (ref.func) without a number: any non-null
	// reference of Type matches.
	AnyRef bool
}

// constValue parses a constant "(t.const ...)", "(ref.null t)", "(ref.extern n)" or
// "(ref.func n)" of a script. With patterns, NaN patterns and number-less references are
// allowed, as in expected results.
func (s *source) constValue(n *node, patterns bool) Expected {
	var e Expected
	h := s.head(n)
	if h == "" {
		s.expected(&cursor{end: n.tok.pos}, n, "constant")
		return e
	}
	c := elems(n, 1)
	switch h {
	case "i32.const":
		e.Type = frontend.I32
		e.Bits = s.intLit(c, 32)
	case "i64.const":
		e.Type = frontend.I64
		e.Bits = s.intLit(c, 64)
	case "f32.const", "f64.const":
		e.Type = frontend.F32
		f := formatF32
		if h == "f64.const" {
			e.Type, f = frontend.F64, formatF64
		}
		if k := nanPattern(s.keyword(c.peek())); patterns && k != NaNNone {
			c.next()
			e.NaN = k
			break
		}
		e.Bits = s.floatLit(c, f)
	case "v128.const":
		e.Type = frontend.V128
		e.V128, e.Shape, e.LaneNaN = s.v128Lanes(c, patterns)
	case "ref.null":
		e.Null = true
		m := c.next()
		switch s.keyword(m) {
		case "func":
			e.Type = frontend.FuncRef
		case "extern":
			e.Type = frontend.ExternRef
		default:
			s.expected(c, m, "func or extern")
		}
	case "ref.extern", "ref.func":
		e.Type = frontend.ExternRef
		if h == "ref.func" {
			e.Type = frontend.FuncRef
		}
		if c.done() && patterns {
			e.AnyRef = true
			break
		}
		v, lit := s.literal(c, "reference")
		if lit == nil {
			break
		}
		r, le := parseUint(v, 32)
		if le != litOK {
			s.litFail(lit, le, "reference")
		}
		e.Ref = uint32(r)
	default:
		s.failAt(n, "unknown operator %s: not a constant", h)
	}
	s.expectEnd(c)
	return e
}
