package wat

import (
	"github.com/wasmc/wasmc/frontend"
)

// valTypes maps the text names of the value types of WebAssembly 2.0.
var valTypes = map[string]frontend.ValType{
	"i32": frontend.I32, "i64": frontend.I64, "f32": frontend.F32, "f64": frontend.F64,
	"v128": frontend.V128, "funcref": frontend.FuncRef, "externref": frontend.ExternRef,
}

// valType consumes a value type.
func (p *moduleParser) valType(c *cursor) frontend.ValType {
	n := c.next()
	if t, ok := valTypes[p.keyword(n)]; ok {
		return t
	}
	p.expected(c, n, "value type")
	return 0
}

// refType consumes a reference type (funcref or externref).
func (p *moduleParser) refType(c *cursor) frontend.ValType {
	n := c.next()
	switch p.keyword(n) {
	case "funcref":
		return frontend.FuncRef
	case "externref":
		return frontend.ExternRef
	}
	p.expected(c, n, "reference type")
	return 0
}

// u32 consumes an unsigned 32-bit literal: an index, a limit, an offset.
func (p *moduleParser) u32(c *cursor, what string) uint32 {
	n := c.next()
	if n == nil || n.tok.kind != tokAtom {
		p.expected(c, n, what)
		return 0
	}
	v, e := parseUint(p.tokText(n), 32)
	switch e {
	case litSyntax:
		p.expected(c, n, what)
	case litRange:
		p.failAt(n, "i32 constant out of range: %s", p.tokText(n))
	}
	return uint32(v)
}

// isNumber reports whether n is a number-like atom (no keyword, id or string), which is
// how an optional numeric immediate such as a maximum limit is told from what follows it.
func isNumber(n *node) bool { return n != nil && n.tok.kind == tokAtom }

// limits consumes "min max?".
func (p *moduleParser) limits(c *cursor) frontend.Limits {
	var l frontend.Limits
	l.Min = uint64(p.u32(c, "limit"))
	if isNumber(c.peek()) {
		l.Max, l.HasMax = uint64(p.u32(c, "limit")), true
	}
	return l
}

// tableType consumes "limits reftype".
func (p *moduleParser) tableType(c *cursor, off int) frontend.TableType {
	l := p.limits(c)
	return frontend.TableType{Limits: l, Elem: p.refType(c), Offset: int64(off)}
}

// globalType consumes "valtype" or "(mut valtype)".
func (p *moduleParser) globalType(c *cursor) frontend.GlobalType {
	if n := c.peek(); n != nil && p.head(n) == "mut" {
		c.next()
		mc := elems(n, 1)
		t := p.valType(mc)
		p.expectEnd(mc)
		return frontend.GlobalType{Type: t, Mutable: true}
	}
	return frontend.GlobalType{Type: p.valType(c)}
}

// sig is a resolved type use: the type index and the signature it stands for, with the
// identifiers of the parameters when written inline.
type sig struct {
	idx   uint32
	ft    frontend.FuncType
	names []string // per parameter; "" when unnamed
	// known is false when the type is named by a numeric index that does not exist; the
	// validator reports it, and the parameters are then unknown.
	known bool
}

// rawTypeUse is a type use as written, before an index is chosen for it.
type rawTypeUse struct {
	hasIdx  bool
	idx     uint32
	idxNode *node
	inline  bool // some (param ...) or (result ...) was written
	ft      frontend.FuncType
	names   []string
}

// typeUse consumes "(type x)? (param ...)* (result ...)*" (spec: typeuse) and resolves
// it. namedParams says whether parameters may carry identifiers, as they may in functions
// but not in call_indirect or block types. off is the offset of the item, for an appended
// type.
func (p *moduleParser) typeUse(c *cursor, namedParams bool, off int) sig {
	return p.resolveTypeUse(p.parseTypeUse(c, namedParams), off)
}

func (p *moduleParser) parseTypeUse(c *cursor, namedParams bool) rawTypeUse {
	var r rawTypeUse
	if n := c.peek(); p.head(n) == "type" {
		c.next()
		r.idxNode, r.hasIdx = n, true
		tc := elems(n, 1)
		r.idx = p.index(tc, spaceType)
		p.expectEnd(tc)
	}
	for n := c.peek(); p.head(n) == "param" && p.err == nil; n = c.peek() {
		c.next()
		r.inline = true
		pc := elems(n, 1)
		if id, idn := p.optID(pc); idn != nil {
			if !namedParams {
				p.unexpected(idn)
				return r
			}
			for _, prev := range r.names {
				if prev == id {
					p.failAt(idn, "duplicate local %s", id)
				}
			}
			r.names = append(r.names, id)
			r.ft.Params = append(r.ft.Params, p.valType(pc))
			p.expectEnd(pc)
			continue
		}
		for !pc.done() && p.err == nil {
			r.names = append(r.names, "")
			r.ft.Params = append(r.ft.Params, p.valType(pc))
		}
	}
	for n := c.peek(); p.head(n) == "result" && p.err == nil; n = c.peek() {
		c.next()
		r.inline = true
		rc := elems(n, 1)
		for !rc.done() && p.err == nil {
			r.ft.Results = append(r.ft.Results, p.valType(rc))
		}
	}
	if n := c.peek(); p.err == nil && (p.head(n) == "param" || p.head(n) == "type") {
		p.unexpected(n) // out of order: (result ...) (param ...)
	}
	return r
}

// resolveTypeUse picks the index of a type use. With only inline declarations it is the
// first type with the same signature, appending one when there is none (spec §6.6.5,
// abbreviations); with both, they must agree.
func (p *moduleParser) resolveTypeUse(r rawTypeUse, off int) sig {
	s := sig{idx: r.idx, names: r.names}
	if p.err != nil {
		return s
	}
	if !r.hasIdx {
		s.ft, s.known = r.ft, true
		s.idx = p.implicitType(r.ft, off)
		return s
	}
	if int(r.idx) >= len(p.m.Types) {
		if len(r.ft.Params)+len(r.ft.Results) > 0 {
			p.failAt(r.idxNode, "unknown type %d", r.idx)
		}
		return s
	}
	s.known = true
	s.ft = p.m.Types[r.idx]
	// Empty inline declarations say nothing, as in the reference interpreter.
	if !r.inline || len(r.ft.Params)+len(r.ft.Results) == 0 {
		s.names = make([]string, len(s.ft.Params))
		return s
	}
	if !r.ft.Equal(s.ft) {
		p.failAt(r.idxNode, "inline function type %s does not match type %d %s", r.ft, r.idx, s.ft)
	}
	return s
}

// implicitType returns the index of the first type equal to ft, appending ft as a new
// type when there is none.
func (p *moduleParser) implicitType(ft frontend.FuncType, off int) uint32 {
	for i := range p.m.Types {
		if p.m.Types[i].Equal(ft) {
			return uint32(i)
		}
	}
	ft.Offset = int64(off)
	p.m.Types = append(p.m.Types, ft)
	return uint32(len(p.m.Types) - 1)
}

// funcTypeDef parses the body of a "(type $id? (func ...))" field.
func (p *moduleParser) funcTypeDef(n *node) frontend.FuncType {
	c := elems(n, 1)
	p.optID(c)
	fn := c.next()
	if p.head(fn) != "func" {
		p.expected(c, fn, "(func ...)")
		return frontend.FuncType{}
	}
	p.expectEnd(c)
	fc := elems(fn, 1)
	ft := frontend.FuncType{Offset: int64(n.tok.pos)}
	for m := fc.peek(); p.head(m) == "param" && p.err == nil; m = fc.peek() {
		fc.next()
		pc := elems(m, 1)
		if _, idn := p.optID(pc); idn != nil {
			ft.Params = append(ft.Params, p.valType(pc))
			p.expectEnd(pc)
			continue
		}
		for !pc.done() && p.err == nil {
			ft.Params = append(ft.Params, p.valType(pc))
		}
	}
	for m := fc.peek(); p.head(m) == "result" && p.err == nil; m = fc.peek() {
		fc.next()
		rc := elems(m, 1)
		for !rc.done() && p.err == nil {
			ft.Results = append(ft.Results, p.valType(rc))
		}
	}
	p.expectEnd(fc)
	return ft
}
