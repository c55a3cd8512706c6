package frontend

import (
	"bytes"
	"fmt"

	"github.com/wasmc/wasmc/ir"
)

// SIMDScan finds what in a module makes or holds a v128 value. Lowering handles SIMD;
// the native backends do not select it yet, so the driver refuses it before generating
// code, with the one-line error lowering gave before ([*UnsupportedError] wrapping
// [ErrSIMD]): the declarations at once ([SIMDScan.Decls]) and each body when it is built
// ([SIMDScan.Func]), so that a function dead-function elimination drops is never looked
// at, as before.
//
// A body is decoded only where a v128 may appear: a body can hold one only through a
// 0xFD instruction, a v128 local, or a type that mentions v128.
type SIMDScan struct {
	// refused, when not nil, makes the scan refuse only the 0xFD instructions it marks
	// (by sub-opcode): the target selects v128 values and the other vector
	// instructions (SetSelects).
	refused   *[len(simdOps)]bool
	m         *Module
	simdType  []bool   // by type index: mentions v128
	anyType   bool     // some type does
	funcType  []uint32 // by function index
	nimported int
}

// NewSIMDScan prepares the scan of m, which must be valid and stay unchanged while the
// scan is in use.
func NewSIMDScan(m *Module) *SIMDScan {
	s := &SIMDScan{m: m, simdType: make([]bool, len(m.Types))}
	for i := range m.Types {
		ft := &m.Types[i]
		s.simdType[i] = hasV128(ft.Params) || hasV128(ft.Results)
		s.anyType = s.anyType || s.simdType[i]
	}
	for i := range m.Imports {
		if im := &m.Imports[i]; im.Kind == ExternFunc {
			s.funcType = append(s.funcType, im.Type)
		}
	}
	s.nimported = len(s.funcType)
	for i := range m.Funcs {
		s.funcType = append(s.funcType, m.Funcs[i].Type)
	}
	return s
}

// SetSelects says which vector instructions the target selects: those whose IR op,
// shape and signedness selects accepts. v128 values, declarations, blocks and calls are
// then accepted, and only the other vector instructions refused. It reports whether any
// is refused: if none is, [SIMDScan.Func] and [SIMDScan.Decls] always return nil.
func (s *SIMDScan) SetSelects(selects func(op ir.Op, sh ir.Shape, signed bool) bool) bool {
	s.refused = new([len(simdOps)]bool)
	some := false
	for sub, o := range simdOps {
		if o.kind != simdNone && !selects(o.op, o.shape, o.signed) {
			s.refused[sub], some = true, true
		}
	}
	return some
}

// FindSIMD returns the error of the first use of v128 in m, declarations first, then the
// bodies in order, or nil if m has none. name gives a function's name in the IR (by index
// in the function index space), for the message.
func FindSIMD(m *Module, name func(fn int) string) error {
	s := NewSIMDScan(m)
	if err := s.Decls(); err != nil {
		return err
	}
	for fn := s.nimported; fn < len(s.funcType); fn++ {
		if err := s.Func(fn, name(fn)); err != nil {
			return err
		}
	}
	return nil
}

// Decls returns the error of the first import or global of the module that involves
// v128, or nil.
func (s *SIMDScan) Decls() error {
	if s.refused != nil {
		return nil // v128 values are selected
	}
	m, nglobals := s.m, 0
	for i := range m.Imports {
		im := &m.Imports[i]
		switch im.Kind {
		case ExternFunc:
			if s.simdType[im.Type] {
				return unsupported(im.Offset, fmt.Sprintf("import %q %q of type %s", im.Module, im.Name, m.Types[im.Type]))
			}
		case ExternGlobal:
			if im.Global.Type == V128 {
				return unsupported(im.Offset, fmt.Sprintf("import %q %q of type v128", im.Module, im.Name))
			}
			nglobals++
		}
	}
	for i := range m.Globals {
		if g := &m.Globals[i]; g.Type.Type == V128 {
			return unsupported(g.Offset, fmt.Sprintf("global %d of type v128", nglobals+i))
		}
	}
	return nil
}

// Func returns the error of the first use of v128 in defined function fn (an index in
// the function index space), named name in the IR: its type, a local, or an
// instruction.
func (s *SIMDScan) Func(fn int, name string) error {
	i := fn - s.nimported
	if i < 0 || i >= len(s.m.Codes) || i >= len(s.m.Funcs) {
		return nil
	}
	code := &s.m.Codes[i]
	fail := func(off int, what string) error {
		return &UnsupportedError{Func: fn, Name: name, Offset: code.Source(off), What: what, Err: ErrSIMD}
	}
	if s.refused == nil {
		if t := s.m.Funcs[i].Type; s.simdType[t] {
			return fail(0, "function of type "+s.m.Types[t].String())
		}
		for _, d := range code.Locals {
			if d.Type == V128 {
				return fail(0, "local of type v128")
			}
		}
	}
	if (s.refused != nil || !s.anyType) && bytes.IndexByte(code.Body, byte(PrefixSIMD)) < 0 {
		return nil
	}
	off, what, err := s.firstInstr(code)
	if err != nil || what == "" {
		return err
	}
	return fail(off, what)
}

// firstInstr finds the first instruction of a body that uses v128: a vector
// instruction, or a block, select or call whose type mentions v128.
func (s *SIMDScan) firstInstr(code *Code) (int, string, error) {
	var in Instr
	for pos := 0; pos < len(code.Body); {
		next, err := ReadInstr(code.Body, pos, code.Offset, &in)
		if err != nil {
			return 0, "", err
		}
		switch {
		case in.Op>>16 == PrefixSIMD:
			if sub := in.Op & 0xFFFF; s.refused == nil || sub < Opcode(len(s.refused)) && s.refused[sub] {
				return pos, in.Op.String(), nil
			}
		case s.refused != nil:
		case in.Op == OpBlock || in.Op == OpLoop || in.Op == OpIf:
			t, ok := BlockValType(in.BlockType)
			if ok && t == V128 || in.BlockType >= 0 && int(in.BlockType) < len(s.simdType) && s.simdType[in.BlockType] {
				return pos, in.Op.String() + " with v128 operands", nil
			}
		case in.Op == OpSelectT:
			if len(in.Types) == 1 && in.Types[0] == V128 {
				return pos, "select of v128", nil
			}
		case in.Op == OpCall:
			if int(in.Idx) < len(s.funcType) && s.simdType[s.funcType[in.Idx]] {
				return pos, "call of a function with v128 operands", nil
			}
		case in.Op == OpCallIndirect:
			if int(in.Idx) < len(s.simdType) && s.simdType[in.Idx] {
				return pos, "call_indirect of a type with v128 operands", nil
			}
		}
		pos = next
	}
	return 0, "", nil
}
