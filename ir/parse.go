package ir

import (
	"math"
	"strconv"
	"strings"
)

// maxID bounds the value and block numbers the parser accepts, so that a stray v4000000000
// is an error rather than a giant allocation.
const maxID = 1 << 20

// Parse parses a module in the text form doc.go defines. It stops at the first problem
// and returns it as a *SyntaxError. It checks only what it needs to build the IR (syntax,
// names, single definitions, ops and their text operands); the rest is [VerifyModule]'s.
func Parse(src string) (*Module, error) { return parse(src, maxID) }

// parse is Parse with a bound on value and block numbers; the fuzz test lowers it to
// keep each input cheap.
func parse(src string, maxID uint32) (m *Module, err error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, m: &Module{}, funcs: map[string]uint32{}, globals: map[string]uint32{}, maxID: maxID}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			m, err = nil, b.err
		}
	}()
	p.module()
	return p.m, nil
}

// bailout carries a SyntaxError from deep in the parser up to Parse.
type bailout struct{ err *SyntaxError }

type parser struct {
	toks  []token
	pos   int
	m     *Module
	maxID uint32

	funcs   map[string]uint32 // function name → index
	globals map[string]uint32 // global name → index
	fixups  []fixup           // references to names, resolved when the module is read

	// The function being read.
	f         *Func
	cur       BlockID
	defined   []bool // blocks with a header so far, by BlockID
	pendingV  []pending
	pendingB  []pending
	indirects []InstrID
}

// fixup is a $name whose index is known only once the whole module has been read.
type fixup struct {
	global bool
	tok    token
	set    func(uint32)
}

// pending is a use of a value or block number before its definition.
type pending struct {
	id  uint32
	tok token
}

func (p *parser) fail(t token, msg string) {
	panic(bailout{&SyntaxError{Line: t.line, Col: t.col, Msg: msg}})
}

func (p *parser) failErr(t token, msg string, err error) {
	panic(bailout{&SyntaxError{Line: t.line, Col: t.col, Msg: msg, Err: err}})
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tPunct && t.text == s
}

func (p *parser) expect(s string) token {
	t := p.next()
	if t.kind != tPunct || t.text != s {
		p.fail(t, "expected "+strconv.Quote(s)+", found "+t.String())
	}
	return t
}

func (p *parser) word() token {
	t := p.next()
	if t.kind != tWord {
		p.fail(t, "expected a word, found "+t.String())
	}
	return t
}

func (p *parser) keyword(kw string) {
	t := p.next()
	if t.kind != tWord || t.text != kw {
		p.fail(t, "expected "+kw+", found "+t.String())
	}
}

func (p *parser) endLine() {
	t := p.next()
	if t.kind != tNewline && t.kind != tEOF {
		p.fail(t, "expected end of line, found "+t.String())
	}
}

func (p *parser) skipNewlines() {
	for p.peek().kind == tNewline {
		p.next()
	}
}

func (p *parser) str() string {
	t := p.next()
	if t.kind != tString {
		p.fail(t, "expected a string, found "+t.String())
	}
	return t.text
}

func (p *parser) name() token {
	t := p.next()
	if t.kind != tName {
		p.fail(t, "expected a $name, found "+t.String())
	}
	if t.text == "" {
		p.fail(t, "empty name")
	}
	return t
}

func (p *parser) typ() Type {
	t := p.next()
	ty, ok := typeByName(t.text)
	if t.kind != tWord || !ok {
		p.fail(t, "expected a type, found "+t.String())
	}
	return ty
}

// numbered parses prefix followed by a decimal number (mem0, b12) from t.
func numbered(t token, prefix string) (uint32, bool) {
	if t.kind != tWord || !strings.HasPrefix(t.text, prefix) {
		return 0, false
	}
	s := t.text[len(prefix):]
	if s == "" || len(s) > 10 || s[0] == '0' && len(s) > 1 {
		return 0, false
	}
	n := uint64(0)
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + uint64(s[i]-'0')
	}
	if n > math.MaxUint32 {
		return 0, false
	}
	return uint32(n), true
}

func (p *parser) index(prefix string) uint32 {
	t := p.next()
	n, ok := numbered(t, prefix)
	if !ok {
		p.fail(t, "expected "+prefix+"N, found "+t.String())
	}
	return n
}

func (p *parser) ref(global bool, set func(uint32)) {
	p.fixups = append(p.fixups, fixup{global: global, tok: p.name(), set: set})
}

func (p *parser) module() {
	for {
		p.skipNewlines()
		t := p.next()
		if t.kind == tEOF {
			break
		}
		if t.kind != tWord {
			p.fail(t, "expected a declaration, found "+t.String())
		}
		switch t.text {
		case "import":
			k := p.word()
			switch k.text {
			case "func":
				p.funcDecl(true)
			case "memory":
				p.memoryDecl(true)
			case "table":
				p.tableDecl(true)
			case "global":
				p.globalDecl(true)
			default:
				p.fail(k, "expected func, memory, table or global, found "+k.String())
			}
		case "func":
			p.funcDecl(false)
		case "memory":
			p.memoryDecl(false)
		case "table":
			p.tableDecl(false)
		case "global":
			p.globalDecl(false)
		case "data":
			p.dataDecl()
		case "elem":
			p.elemDecl()
		case "export":
			p.exportDecl()
		case "start":
			m := p.m
			if m.HasStart {
				p.fail(t, "second start function")
			}
			m.HasStart = true
			p.ref(false, func(i uint32) { m.Start = i })
			p.endLine()
		default:
			p.fail(t, "unknown declaration "+t.String())
		}
	}
	for _, fx := range p.fixups {
		names, kind := p.funcs, "function"
		if fx.global {
			names, kind = p.globals, "global"
		}
		i, ok := names[fx.tok.text]
		if !ok {
			p.fail(fx.tok, "undefined "+kind+" "+fx.tok.String())
		}
		fx.set(i)
	}
}

func (p *parser) importFrom(imp bool) *ImportName {
	if !imp {
		return nil
	}
	p.keyword("from")
	mod := p.str()
	return &ImportName{Module: mod, Name: p.str()}
}

func (p *parser) declIndex(prefix string, want int) {
	t := p.peek()
	if n := p.index(prefix); int(n) != want {
		p.fail(t, "declared as "+prefix+strconv.FormatUint(uint64(n), 10)+", but it is "+prefix+strconv.Itoa(want))
	}
}

func (p *parser) limits() Limits {
	var l Limits
	p.keyword("min")
	l.Min = p.uint(p.word())
	if t := p.peek(); t.kind == tWord && t.text == "max" {
		p.next()
		l.Max, l.HasMax = p.uint(p.word()), true
	}
	return l
}

func (p *parser) memoryDecl(imp bool) {
	var mem Memory
	p.declIndex("mem", len(p.m.Memories))
	if t := p.peek(); t.kind == tWord && t.text == "i64" {
		p.next()
		mem.Is64 = true
	}
	mem.Limits = p.limits()
	mem.Import = p.importFrom(imp)
	p.endLine()
	p.m.Memories = append(p.m.Memories, mem)
}

func (p *parser) tableDecl(imp bool) {
	var t Table
	p.declIndex("table", len(p.m.Tables))
	t.Elem = p.typ()
	t.Limits = p.limits()
	t.Import = p.importFrom(imp)
	p.endLine()
	p.m.Tables = append(p.m.Tables, t)
}

func (p *parser) globalDecl(imp bool) {
	var g Global
	nt := p.name()
	if _, dup := p.globals[nt.text]; dup {
		p.fail(nt, "global "+nt.String()+" defined twice")
	}
	g.Name = nt.text
	if t := p.peek(); t.kind == tWord && t.text == "mut" {
		p.next()
		g.Mutable = true
	}
	g.Type = p.typ()
	idx := len(p.m.Globals)
	if imp {
		g.Import = p.importFrom(true)
	} else {
		p.expect("=")
		m := p.m
		g.Init = p.constExpr(g.Type, func(i uint32) { m.Globals[idx].Init.Index = i })
	}
	p.endLine()
	p.globals[g.Name] = uint32(idx)
	p.m.Globals = append(p.m.Globals, g)
}

func (p *parser) dataDecl() {
	var d DataSegment
	idx := len(p.m.Data)
	p.declIndex("data", idx)
	switch t := p.word(); t.text {
	case "active":
		d.Mode = Active
		mt := p.peek()
		d.Memory = p.index("mem")
		if int(d.Memory) >= len(p.m.Memories) {
			p.fail(mt, "data segment in undeclared memory "+mt.text)
		}
		p.keyword("at")
		m := p.m
		d.Offset = p.constExpr(m.Memories[d.Memory].AddrType(), func(i uint32) { m.Data[idx].Offset.Index = i })
	case "passive":
		d.Mode = Passive
	default:
		p.fail(t, "expected active or passive, found "+t.String())
	}
	d.Bytes = []byte(p.str())
	p.endLine()
	p.m.Data = append(p.m.Data, d)
}

func (p *parser) elemDecl() {
	var e ElemSegment
	idx := len(p.m.Elems)
	p.declIndex("elem", idx)
	m := p.m
	switch t := p.word(); t.text {
	case "active":
		e.Mode = Active
		e.Table = p.index("table")
		p.keyword("at")
		e.Offset = p.constExpr(I32, func(i uint32) { m.Elems[idx].Offset.Index = i })
	case "passive":
		e.Mode = Passive
	case "declare":
		e.Mode = Declarative
	default:
		p.fail(t, "expected active, passive or declare, found "+t.String())
	}
	e.Type = p.typ()
	p.expect("[")
	for !p.isPunct("]") {
		if len(e.Elems) > 0 {
			p.expect(",")
		}
		j := len(e.Elems)
		e.Elems = append(e.Elems, p.constExpr(e.Type, func(i uint32) { m.Elems[idx].Elems[j].Index = i }))
	}
	p.expect("]")
	p.endLine()
	m.Elems = append(m.Elems, e)
}

func (p *parser) exportDecl() {
	e := Export{Name: p.str()}
	m, idx := p.m, len(p.m.Exports)
	set := func(i uint32) { m.Exports[idx].Index = i }
	switch k := p.word(); k.text {
	case "func":
		e.Kind = ExternFunc
		p.ref(false, set)
	case "global":
		e.Kind = ExternGlobal
		p.ref(true, set)
	case "memory":
		e.Kind, e.Index = ExternMemory, p.index("mem")
	case "table":
		e.Kind, e.Index = ExternTable, p.index("table")
	default:
		p.fail(k, "expected func, table, memory or global, found "+k.String())
	}
	p.endLine()
	m.Exports = append(m.Exports, e)
}

// constExpr parses a constant expression of type t; set receives a reffunc's function or
// a globalget's global once names are resolved.
func (p *parser) constExpr(t Type, set func(uint32)) ConstExpr {
	ot := p.word()
	op, ok := opByName[ot.text]
	c := ConstExpr{Op: op}
	if !ok {
		p.fail(ot, "expected a constant expression, found "+ot.String())
	}
	switch op {
	case OpIConst:
		c.Imm = p.intLit(p.word(), t)
	case OpF32Const:
		c.Imm = uint64(p.f32Lit())
	case OpF64Const:
		c.Imm = p.f64Lit()
	case OpV128Const:
		c.Imm, c.Imm2 = p.v128Lit()
	case OpRefNull:
	case OpRefFunc:
		p.ref(false, set)
	case OpGlobalGet:
		p.ref(true, set)
	default:
		p.fail(ot, ot.text+" is not a constant expression")
	}
	return c
}

func (p *parser) signature() Signature {
	var s Signature
	p.expect("(")
	for !p.isPunct(")") {
		if len(s.Params) > 0 {
			p.expect(",")
		}
		s.Params = append(s.Params, p.typ())
	}
	p.expect(")")
	if p.isPunct("->") {
		p.next()
		s.Results = append(s.Results, p.typ())
		for p.isPunct(",") {
			p.next()
			s.Results = append(s.Results, p.typ())
		}
	}
	return s
}
