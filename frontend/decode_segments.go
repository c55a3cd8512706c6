package frontend

// The segment sections: element and data. Both encode their mode in a flags field whose
// bits select passive or declarative, an explicit table or memory index, and (elements
// only) expressions instead of function indices.

// Element segment flag bits (binary format, "Element Section").
const (
	elemPassiveOrDeclarative = 1 << 0 // with the bit below: declarative
	elemExplicitOrDeclared   = 1 << 1 // active: a table index follows; else declarative
	elemExpressions          = 1 << 2 // elements are expressions, not function indices
)

func (d *decoder) elementSection(r *reader) {
	n, c := r.vecLen(3) // flags, an expression or kind, a count
	d.m.Elems = makeVec[Elem](c)
	for i := 0; i < n && r.err == nil; i++ {
		d.m.Elems = append(d.m.Elems, d.elem(r))
	}
}

// elem reads one element segment in any of its eight forms.
func (d *decoder) elem(r *reader) Elem {
	e := Elem{Offset: r.offset(), Type: FuncRef}
	flags := r.u32()
	if r.err != nil {
		return e
	}
	if flags > 7 {
		r.pos = int(e.Offset - r.base)
		r.failf("malformed elements segment kind")
		return e
	}
	switch {
	case flags&elemPassiveOrDeclarative == 0:
		e.Mode = SegActive
		if flags&elemExplicitOrDeclared != 0 {
			e.Table = r.u32()
		}
		e.TableOffset = d.constExpr(r)
	case flags&elemExplicitOrDeclared != 0:
		e.Mode = SegDeclarative
	default:
		e.Mode = SegPassive
	}
	exprs := flags&elemExpressions != 0
	if flags&(elemPassiveOrDeclarative|elemExplicitOrDeclared) != 0 {
		if exprs {
			e.Type = r.refType()
		} else if at := r.pos; r.byte() != 0 && r.err == nil {
			r.pos = at
			r.failf("malformed element kind") // only 0x00, funcref, is defined
		}
	}
	if exprs {
		n, c := r.vecLen(1)
		e.Init = makeVec[ConstExpr](c)
		for i := 0; i < n && r.err == nil; i++ {
			e.Init = append(e.Init, d.constExpr(r))
		}
		return e
	}
	e.FuncIndices = true
	e.Funcs = r.funcIndices()
	return e
}

// funcIndices reads a vector of function indices.
func (r *reader) funcIndices() []uint32 {
	n, c := r.vecLen(1)
	idx := makeVec[uint32](c)
	for i := 0; i < n && r.err == nil; i++ {
		idx = append(idx, r.u32())
	}
	return idx
}

func (d *decoder) dataSection(r *reader) {
	d.dataAt = r.offset()
	n, c := r.vecLen(2) // flags, length
	d.dataCount = n
	d.m.Datas = makeVec[Data](c)
	for i := 0; i < n && r.err == nil; i++ {
		d.m.Datas = append(d.m.Datas, d.data(r))
	}
}

// data reads one data segment in any of its three forms.
func (d *decoder) data(r *reader) Data {
	s := Data{Offset: r.offset()}
	switch flags := r.u32(); {
	case r.err != nil:
		return s
	case flags == 1:
		s.Mode = SegPassive
	case flags == 0 || flags == 2:
		if flags == 2 {
			s.Mem = r.u32()
		}
		s.MemOffset = d.constExpr(r)
	default:
		r.pos = int(s.Offset - r.base)
		r.failf("malformed data segment kind")
		return s
	}
	s.Init = capped(r.bytes(r.length()))
	return s
}
