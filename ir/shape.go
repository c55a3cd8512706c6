package ir

import "strconv"

// Shape is how a v128 op sees its operand: as 16 lanes of 8 bits, 8 of 16, 4 of 32 or
// 2 of 64, integer or float (WebAssembly's i8x16 … f64x2). Vector ops are parameterised
// by it rather than declared once per shape, so that the op table stays readable while
// backends still select on each op; ops.go says, per op, whether the shape is that of
// the result or of the operand.
type Shape uint8

// The shapes.
const (
	ShapeNone Shape = iota // the zero Shape: ops without a lane shape
	I8x16
	I16x8
	I32x4
	I64x2
	F32x4
	F64x2
	numShapes
)

var shapeNames = [numShapes]string{
	ShapeNone: "none", I8x16: "i8x16", I16x8: "i16x8", I32x4: "i32x4", I64x2: "i64x2", F32x4: "f32x4", F64x2: "f64x2",
}

// String returns the shape's text name (i32x4).
func (s Shape) String() string {
	if s < numShapes {
		return shapeNames[s]
	}
	return "shape(" + strconv.FormatUint(uint64(s), 10) + ")"
}

// LaneBits is the width of one lane in bits: 8, 16, 32 or 64 (0 for ShapeNone).
func (s Shape) LaneBits() int {
	switch s {
	case I8x16:
		return 8
	case I16x8:
		return 16
	case I32x4, F32x4:
		return 32
	case I64x2, F64x2:
		return 64
	}
	return 0
}

// Lanes is the number of lanes: 128 / LaneBits.
func (s Shape) Lanes() int {
	if b := s.LaneBits(); b > 0 {
		return 128 / b
	}
	return 0
}

// IsFloat reports whether the lanes are floats.
func (s Shape) IsFloat() bool { return s == F32x4 || s == F64x2 }

// LaneType is the scalar type that holds one lane outside a vector (splat's operand,
// extract's result): i32 for the lanes of 8, 16 and 32 bits, else i64, f32 or f64.
func (s Shape) LaneType() Type {
	switch s {
	case I8x16, I16x8, I32x4:
		return I32
	case I64x2:
		return I64
	case F32x4:
		return F32
	case F64x2:
		return F64
	}
	return NoType
}

func shapeByName(name string) (Shape, bool) {
	for s := I8x16; s < numShapes; s++ {
		if shapeNames[s] == name {
			return s, true
		}
	}
	return ShapeNone, false
}

// ShapeSet is a set of shapes: the shapes an op accepts.
type ShapeSet uint8

// Has reports whether s is in the set.
func (ss ShapeSet) Has(s Shape) bool { return s < numShapes && s != ShapeNone && ss&(1<<s) != 0 }

func shapes(ss ...Shape) ShapeSet {
	var set ShapeSet
	for _, s := range ss {
		set |= 1 << s
	}
	return set
}

// Shape sets the op table is written in.
var (
	shInt   = shapes(I8x16, I16x8, I32x4, I64x2)
	shAll   = shInt | shapes(F32x4, F64x2)
	shFloat = shapes(F32x4, F64x2)
	sh8to16 = shapes(I8x16, I16x8)
	sh8to32 = shapes(I8x16, I16x8, I32x4)
	shWide  = shapes(I16x8, I32x4, I64x2) // results of extends and extmul
)

// VecAccessWidth is the number of bytes a vector memory op (vloadext, vloadsplat,
// vloadzero, vloadlane, vstorelane) reads or writes at its address, from its shape; 0
// for other ops (a load or store has its Width).
func VecAccessWidth(op Op, s Shape) int {
	switch op {
	case OpVLoadExt:
		return 8
	case OpVLoadSplat, OpVLoadZero, OpVLoadLane, OpVStoreLane:
		return s.LaneBits() / 8
	}
	return 0
}
