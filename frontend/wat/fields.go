package wat

import (
	"github.com/wasmc/wasmc/frontend"
)

// funcField parses "(func $id? (export ...)* (import ...)? typeuse local* instr*)".
func (p *moduleParser) funcField(f *node, c *cursor) {
	idx, id, imported := p.fieldImport(f, c, spaceFunc)
	if imported || p.err != nil {
		return
	}
	p.nameFunc(idx, id)
	s := p.typeUse(c, true, f.tok.pos)
	p.m.Funcs = append(p.m.Funcs, frontend.Func{Type: s.idx, Offset: int64(f.tok.pos)})

	b := newBody(p)
	var localNames []frontend.NameAssoc
	nlocals := uint32(0)
	bindLocal := func(name string, n *node) {
		if name != "" {
			if _, dup := b.locals[name]; dup {
				p.failAt(n, "duplicate local %s", name)
			}
			b.locals[name] = nlocals
			localNames = append(localNames, frontend.NameAssoc{Index: nlocals, Name: name[1:]})
		}
		nlocals++
	}
	for _, name := range s.names {
		bindLocal(name, f) // typeUse already rejected duplicate parameters
	}
	if !s.known {
		nlocals = 0
	}
	var decls []frontend.LocalDecl
	addLocal := func(t frontend.ValType) {
		if k := len(decls) - 1; k >= 0 && decls[k].Type == t {
			decls[k].Count++
			return
		}
		decls = append(decls, frontend.LocalDecl{Count: 1, Type: t})
	}
	for n := c.peek(); p.head(n) == "local" && p.err == nil; n = c.peek() {
		c.next()
		lc := elems(n, 1)
		if name, idn := p.optID(lc); idn != nil {
			t := p.valType(lc)
			p.expectEnd(lc)
			bindLocal(name, idn)
			addLocal(t)
			continue
		}
		for !lc.done() && p.err == nil {
			addLocal(p.valType(lc))
			nlocals++
		}
	}
	b.instrs(c)
	b.emitEnd(endPos(f))
	if p.err != nil {
		return
	}
	p.m.Codes = append(p.m.Codes, frontend.Code{Locals: decls, Body: b.code, Offset: int64(f.tok.pos), SrcMap: b.srcmap})
	p.nameLocals(idx, localNames)
}

// tableField parses "(table $id? (export ...)* (import ...)? tabletype)" and the
// abbreviation "(table $id? (export ...)* reftype (elem ...))", which defines an active
// element segment at offset 0 and sizes the table to it.
func (p *moduleParser) tableField(f *node, c *cursor) {
	idx, _, imported := p.fieldImport(f, c, spaceTable)
	if imported || p.err != nil {
		return
	}
	if _, ok := valTypes[p.keyword(c.peek())]; !ok {
		p.m.Tables = append(p.m.Tables, p.tableType(c, f.tok.pos))
		p.expectEnd(c)
		return
	}
	rt := p.refType(c)
	en := c.next()
	if p.head(en) != "elem" {
		p.expected(c, en, "(elem ...)")
		return
	}
	p.expectEnd(c)
	p.bind(spaceElem, "", nil, false)
	ec := elems(en, 1)
	e := frontend.Elem{Mode: frontend.SegActive, Table: idx, Type: rt, Offset: int64(en.tok.pos)}
	e.TableOffset = p.zeroOffset(en.tok.pos)
	if isIndex(ec.peek()) {
		p.funcIndices(ec, &e)
	} else {
		p.elemExprs(ec, &e)
	}
	n := uint64(e.Len())
	p.m.Tables = append(p.m.Tables, frontend.TableType{Elem: rt, Limits: frontend.Limits{Min: n, Max: n, HasMax: true}, Offset: int64(f.tok.pos)})
	p.m.Elems = append(p.m.Elems, e)
}

// zeroOffset is the constant expression "i32.const 0" of inline segments.
func (p *moduleParser) zeroOffset(off int) frontend.ConstExpr {
	return frontend.ConstExpr{Code: []byte{byte(frontend.OpI32Const), 0, byte(frontend.OpEnd)}, Offset: int64(off)}
}

// memoryField parses "(memory $id? (export ...)* (import ...)? limits)" and the
// abbreviation "(memory $id? (export ...)* (data "..."*))", which defines an active data
// segment at offset 0 and sizes the memory to it.
func (p *moduleParser) memoryField(f *node, c *cursor) {
	idx, _, imported := p.fieldImport(f, c, spaceMem)
	if imported || p.err != nil {
		return
	}
	dn := c.peek()
	if p.head(dn) != "data" {
		p.m.Mems = append(p.m.Mems, frontend.MemType{Limits: p.limits(c), Offset: int64(f.tok.pos)})
		p.expectEnd(c)
		return
	}
	c.next()
	p.expectEnd(c)
	p.bind(spaceData, "", nil, false)
	d := frontend.Data{Mode: frontend.SegActive, Mem: idx, MemOffset: p.zeroOffset(dn.tok.pos), Offset: int64(dn.tok.pos)}
	d.Init = p.dataStrings(elems(dn, 1))
	pages := (uint64(len(d.Init)) + 0xFFFF) >> 16
	p.m.Mems = append(p.m.Mems, frontend.MemType{Limits: frontend.Limits{Min: pages, Max: pages, HasMax: true}, Offset: int64(f.tok.pos)})
	p.m.Datas = append(p.m.Datas, d)
}

// dataStrings concatenates the strings that make up a data segment.
func (p *moduleParser) dataStrings(c *cursor) []byte {
	out := []byte{}
	for !c.done() && p.err == nil {
		out = append(out, p.str(c, "data string")...)
	}
	return out
}

// globalField parses "(global $id? (export ...)* (import ...)? globaltype expr)".
func (p *moduleParser) globalField(f *node, c *cursor) {
	_, _, imported := p.fieldImport(f, c, spaceGlobal)
	if imported || p.err != nil {
		return
	}
	g := frontend.Global{Type: p.globalType(c), Offset: int64(f.tok.pos)}
	g.Init = p.constExpr(c, f.tok.pos)
	p.m.Globals = append(p.m.Globals, g)
}

// constExpr encodes the instructions left in c as a constant expression; which
// instructions it may hold is the validator's concern.
func (p *moduleParser) constExpr(c *cursor, off int) frontend.ConstExpr {
	if n := c.peek(); n != nil {
		off = n.tok.pos
	}
	b := newBody(p)
	b.instrs(c)
	b.code = append(b.code, byte(frontend.OpEnd))
	return frontend.ConstExpr{Code: b.code, Offset: int64(off)}
}

// single returns a cursor over just n: an abbreviated "(offset ...)" or "(item ...)".
func single(n *node) *cursor { return &cursor{nodes: []*node{n}, end: n.tok.end} }

// elemField parses the element segment forms:
//
//	(elem $id? elemlist)                                passive
//	(elem $id? declare elemlist)                        declarative
//	(elem $id? (table x)? (offset expr)|(instr) elemlist)  active
//
// where elemlist is "reftype (item expr)|(instr) ..." or "func x*"; an active segment may
// also list bare function indices, and name its table by a bare index (1.0 syntax).
func (p *moduleParser) elemField(f *node, c *cursor) {
	p.optID(c)
	p.bind(spaceElem, "", nil, false)
	e := frontend.Elem{Offset: int64(f.tok.pos), Type: frontend.FuncRef}
	n := c.peek()
	switch {
	case p.keyword(n) == "declare":
		c.next()
		e.Mode = frontend.SegDeclarative
	case n != nil && (n.isList() || isIndex(n) && c.i+1 < len(c.nodes) && c.nodes[c.i+1].isList()):
		e.Mode = frontend.SegActive
		e.Table = p.segmentTarget(c, "table", spaceTable)
		on := c.next()
		if on == nil || !on.isList() {
			p.expected(c, on, "offset expression")
			return
		}
		if p.head(on) == "offset" {
			e.TableOffset = p.constExpr(elems(on, 1), on.tok.pos)
		} else {
			e.TableOffset = p.constExpr(single(on), on.tok.pos)
		}
		if isIndex(c.peek()) || c.done() {
			p.funcIndices(c, &e)
			p.m.Elems = append(p.m.Elems, e)
			return
		}
	default:
		e.Mode = frontend.SegPassive
	}
	p.elemList(c, &e)
	p.m.Elems = append(p.m.Elems, e)
}

// elemList parses "func x*" or "reftype elemexpr*".
func (p *moduleParser) elemList(c *cursor, e *frontend.Elem) {
	if p.keyword(c.peek()) == "func" {
		c.next()
		p.funcIndices(c, e)
		return
	}
	e.Type = p.refType(c)
	p.elemExprs(c, e)
}

// funcIndices parses a list of function indices.
func (p *moduleParser) funcIndices(c *cursor, e *frontend.Elem) {
	e.Type = frontend.FuncRef
	e.FuncIndices = true
	for !c.done() && p.err == nil {
		e.Funcs = append(e.Funcs, p.index(c, spaceFunc))
	}
}

// elemExprs parses "(item expr)" and abbreviated "(instr)" element expressions. A funcref
// segment whose every expression is a lone ref.func becomes a list of function indices,
// so that the encoder picks the compact form, as wat2wasm does.
func (p *moduleParser) elemExprs(c *cursor, e *frontend.Elem) {
	allFuncs := e.Type == frontend.FuncRef
	for !c.done() && p.err == nil {
		n := c.next()
		if !n.isList() {
			p.unexpected(n)
			return
		}
		var x frontend.ConstExpr
		if p.head(n) == "item" {
			x = p.constExpr(elems(n, 1), n.tok.pos)
		} else {
			x = p.constExpr(single(n), n.tok.pos)
		}
		if !isRefFunc(x.Code) {
			allFuncs = false
		}
		e.Init = append(e.Init, x)
	}
	if !allFuncs || p.err != nil {
		return
	}
	e.FuncIndices = true
	e.Funcs = make([]uint32, len(e.Init))
	for j, x := range e.Init {
		var in frontend.Instr
		if _, err := frontend.ReadInstr(x.Code, 0, 0, &in); err == nil {
			e.Funcs[j] = in.Idx
		}
	}
	e.Init = nil
}

// isRefFunc reports whether code is exactly "ref.func x end".
func isRefFunc(code []byte) bool {
	if len(code) < 3 || code[0] != byte(frontend.OpRefFunc) || code[len(code)-1] != byte(frontend.OpEnd) {
		return false
	}
	i := 1
	for i < len(code)-1 && code[i]&0x80 != 0 {
		i++
	}
	return i == len(code)-2
}

// segmentTarget consumes the "(table x)" or "(memory x)" of an active segment, or the
// bare index that the WebAssembly 1.0 text format put there, and returns the index (0 when
// there is none).
func (p *moduleParser) segmentTarget(c *cursor, kw string, sp space) uint32 {
	n := c.peek()
	if isIndex(n) {
		return p.index(c, sp)
	}
	if p.head(n) != kw {
		return 0
	}
	c.next()
	tc := elems(n, 1)
	idx := p.index(tc, sp)
	p.expectEnd(tc)
	return idx
}

// dataField parses "(data $id? (memory x)? (offset expr)|(instr) string*)" (active),
// also with the memory as a bare index (1.0 syntax), and "(data $id? string*)" (passive).
func (p *moduleParser) dataField(f *node, c *cursor) {
	p.optID(c)
	p.bind(spaceData, "", nil, false)
	d := frontend.Data{Offset: int64(f.tok.pos), Mode: frontend.SegPassive}
	if n := c.peek(); n != nil && (n.isList() || isIndex(n)) {
		d.Mode = frontend.SegActive
		d.Mem = p.segmentTarget(c, "memory", spaceMem)
		on := c.next()
		if on == nil || !on.isList() {
			p.expected(c, on, "offset expression")
			return
		}
		if p.head(on) == "offset" {
			d.MemOffset = p.constExpr(elems(on, 1), on.tok.pos)
		} else {
			d.MemOffset = p.constExpr(single(on), on.tok.pos)
		}
	}
	d.Init = p.dataStrings(c)
	p.m.Datas = append(p.m.Datas, d)
}
