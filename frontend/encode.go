package frontend

// Encode writes m in the binary format. It mirrors [Decode]: for every module Decode
// returns, Decode(Encode(m)) equals m except for offsets, so the text parser can build a
// Module and get its binary from here.
//
//   - Sections come in canonical order; a section is written when it has contents, or when
//     a custom section is recorded after it (so that the custom lands in the same place).
//     The data count section is written exactly when m.DataCount is set; a module whose
//     bodies use memory.init or data.drop needs it, so a builder must set it then (as the
//     spec's text-to-binary conversion does), or Decode rejects the result.
//   - Custom sections are written verbatim, in order, after the section their After names,
//     or where that section would stand if it is absent (last for an unknown id).
//   - An element segment uses the function-index forms when FuncIndices says so (its
//     elements are then Funcs) and its type is funcref, the expression forms otherwise; within either family, the
//     shortest form that says the same (no table index for table 0 with funcref).
//   - m.Names is encoded only when m.Customs has no "name" section: a decoded module
//     carries it there already, verbatim.
//
// Bodies, constant expressions and data are copied as they are; Encode checks nothing, and
// a module that Decode would reject may encode to a binary that Decode rejects.
func Encode(m *Module) []byte {
	e := encoder{m: m}
	for i := range m.Customs {
		e.after[m.Customs[i].After] = true
	}
	e.out = append(e.out, "\x00asm\x01\x00\x00\x00"...)
	e.customs(0)
	for rank := 1; rank < len(sectionOrder); rank++ {
		id := sectionOrder[rank]
		e.section(id)
		e.customs(rank)
	}
	e.names()
	return e.out
}

// sectionOrder lists the non-custom section ids by rank, the inverse of sectionRank.
var sectionOrder = [...]byte{
	1: secType, 2: secImport, 3: secFunction, 4: secTable, 5: secMemory, 6: secGlobal,
	7: secExport, 8: secStart, 9: secElement, 10: secDataCount, 11: secCode, 12: secData,
}

// encoder holds the output of one Encode call.
type encoder struct {
	m     *Module
	out   []byte
	body  []byte    // the section being built
	after [256]bool // ids of sections some custom section follows
}

// customs writes the custom sections that follow the section of the given rank. A custom
// recorded after an unknown id goes last.
func (e *encoder) customs(rank int) {
	for i := range e.m.Customs {
		c := &e.m.Customs[i]
		r := len(sectionOrder) - 1
		if c.After == 0 {
			r = 0
		} else if int(c.After) < len(sectionRank) && sectionRank[c.After] != 0 {
			r = sectionRank[c.After]
		}
		if r == rank {
			e.body = appendName(e.body[:0], c.Name)
			e.body = append(e.body, c.Data...)
			e.flush(secCustom)
		}
	}
}

// flush writes the section built in e.body with its id and size.
func (e *encoder) flush(id byte) {
	e.out = append(e.out, id)
	e.out = AppendULEB(e.out, uint64(len(e.body)))
	e.out = append(e.out, e.body...)
	e.body = e.body[:0]
}

// section writes one non-custom section, or nothing when it would be empty and no custom
// section needs it as an anchor.
func (e *encoder) section(id byte) {
	m := e.m
	b := e.body[:0]
	var n int // the section's vector length
	switch id {
	case secType:
		n = len(m.Types)
		b = AppendULEB(b, uint64(n))
		for _, t := range m.Types {
			b = append(b, 0x60)
			b = appendValTypes(b, t.Params)
			b = appendValTypes(b, t.Results)
		}
	case secImport:
		n = len(m.Imports)
		b = AppendULEB(b, uint64(n))
		for i := range m.Imports {
			b = appendImport(b, &m.Imports[i])
		}
	case secFunction:
		n = len(m.Funcs)
		b = AppendULEB(b, uint64(n))
		for _, f := range m.Funcs {
			b = AppendULEB(b, uint64(f.Type))
		}
	case secTable:
		n = len(m.Tables)
		b = AppendULEB(b, uint64(n))
		for _, t := range m.Tables {
			b = appendTableType(b, t)
		}
	case secMemory:
		n = len(m.Mems)
		b = AppendULEB(b, uint64(n))
		for _, t := range m.Mems {
			b = appendLimits(b, t.Limits)
		}
	case secGlobal:
		n = len(m.Globals)
		b = AppendULEB(b, uint64(n))
		for _, g := range m.Globals {
			b = appendGlobalType(b, g.Type)
			b = append(b, g.Init.Code...)
		}
	case secExport:
		n = len(m.Exports)
		b = AppendULEB(b, uint64(n))
		for _, x := range m.Exports {
			b = appendName(b, x.Name)
			b = append(b, byte(x.Kind))
			b = AppendULEB(b, uint64(x.Index))
		}
	case secStart:
		if m.Start == nil {
			return
		}
		n = 1
		b = AppendULEB(b, uint64(m.Start.Func))
	case secElement:
		n = len(m.Elems)
		b = AppendULEB(b, uint64(n))
		for i := range m.Elems {
			b = appendElem(b, &m.Elems[i])
		}
	case secDataCount:
		if m.DataCount == nil {
			return
		}
		n = 1
		b = AppendULEB(b, uint64(*m.DataCount))
	case secCode:
		n = len(m.Codes)
		b = AppendULEB(b, uint64(n))
		for i := range m.Codes {
			b = appendCode(b, &m.Codes[i])
		}
	case secData:
		n = len(m.Datas)
		b = AppendULEB(b, uint64(n))
		for i := range m.Datas {
			b = appendData(b, &m.Datas[i])
		}
	}
	e.body = b
	if n == 0 && !e.after[id] {
		e.body = e.body[:0]
		return
	}
	e.flush(id)
}

// names writes m.Names as a "name" section after everything else, when the module has
// none among its custom sections.
func (e *encoder) names() {
	if e.m.Names == nil {
		return
	}
	for i := range e.m.Customs {
		if e.m.Customs[i].Name == "name" {
			return
		}
	}
	e.body = appendName(e.body[:0], "name")
	e.body = appendNames(e.body, e.m.Names)
	e.flush(secCustom)
}

func appendImport(b []byte, im *Import) []byte {
	b = appendName(b, im.Module)
	b = appendName(b, im.Name)
	b = append(b, byte(im.Kind))
	switch im.Kind {
	case ExternFunc:
		b = AppendULEB(b, uint64(im.Type))
	case ExternTable:
		b = appendTableType(b, im.Table)
	case ExternMemory:
		b = appendLimits(b, im.Mem.Limits)
	case ExternGlobal:
		b = appendGlobalType(b, im.Global)
	}
	return b
}

// appendElem writes an element segment in the form its fields call for (see Encode).
func appendElem(b []byte, s *Elem) []byte {
	indices, ok := funcIndices(s)
	var flags uint32
	switch s.Mode {
	case SegPassive:
		flags = elemPassiveOrDeclarative
	case SegDeclarative:
		flags = elemPassiveOrDeclarative | elemExplicitOrDeclared
	default:
		if s.Table != 0 || s.Type != FuncRef {
			flags = elemExplicitOrDeclared
		}
	}
	if !ok {
		flags |= elemExpressions
	}
	b = AppendULEB(b, uint64(flags))
	if flags&elemPassiveOrDeclarative == 0 {
		if flags&elemExplicitOrDeclared != 0 {
			b = AppendULEB(b, uint64(s.Table))
		}
		b = append(b, s.TableOffset.Code...)
	}
	if flags&(elemPassiveOrDeclarative|elemExplicitOrDeclared) != 0 {
		if ok {
			b = append(b, 0x00) // element kind funcref
		} else {
			b = append(b, byte(s.Type))
		}
	}
	b = AppendULEB(b, uint64(s.Len()))
	if ok {
		for _, idx := range indices {
			b = AppendULEB(b, uint64(idx))
		}
		return b
	}
	for _, x := range s.Init {
		b = append(b, x.Code...)
	}
	return b
}

// funcIndices returns the function indices of a segment that is to be written in an index
// form: FuncIndices is set and the type is funcref.
func funcIndices(s *Elem) ([]uint32, bool) {
	return s.Funcs, s.FuncIndices && s.Type == FuncRef
}

func appendData(b []byte, s *Data) []byte {
	switch {
	case s.Mode == SegPassive:
		b = append(b, 1)
	case s.Mem == 0:
		b = append(b, 0)
		b = append(b, s.MemOffset.Code...)
	default:
		b = append(b, 2)
		b = AppendULEB(b, uint64(s.Mem))
		b = append(b, s.MemOffset.Code...)
	}
	b = AppendULEB(b, uint64(len(s.Init)))
	return append(b, s.Init...)
}

// appendCode writes one code entry: its size, then the locals and the body.
func appendCode(b []byte, c *Code) []byte {
	size := uleb128Len(uint64(len(c.Locals))) + len(c.Body)
	for _, l := range c.Locals {
		size += uleb128Len(uint64(l.Count)) + 1
	}
	b = AppendULEB(b, uint64(size))
	b = AppendULEB(b, uint64(len(c.Locals)))
	for _, l := range c.Locals {
		b = AppendULEB(b, uint64(l.Count))
		b = append(b, byte(l.Type))
	}
	return append(b, c.Body...)
}

func appendValTypes(b []byte, ts []ValType) []byte {
	b = AppendULEB(b, uint64(len(ts)))
	for _, t := range ts {
		b = append(b, byte(t))
	}
	return b
}

func appendTableType(b []byte, t TableType) []byte {
	b = append(b, byte(t.Elem))
	return appendLimits(b, t.Limits)
}

func appendLimits(b []byte, l Limits) []byte {
	if !l.HasMax {
		b = append(b, 0)
		return AppendULEB(b, l.Min)
	}
	b = append(b, 1)
	b = AppendULEB(b, l.Min)
	return AppendULEB(b, l.Max)
}

func appendGlobalType(b []byte, g GlobalType) []byte {
	mut := byte(0)
	if g.Mutable {
		mut = 1
	}
	return append(b, byte(g.Type), mut)
}

// appendName writes a name: its byte length, then its bytes.
func appendName(b []byte, s string) []byte {
	b = AppendULEB(b, uint64(len(s)))
	return append(b, s...)
}

// AppendULEB appends v as unsigned LEB128, the binary format's integer encoding.
func AppendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// AppendSLEB appends v as signed LEB128.
func AppendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// uleb128Len is the length of appendULEB's encoding of v.
func uleb128Len(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
