package ir

import (
	"math"
	"strconv"
	"strings"
)

func (p *parser) funcDecl(imp bool) {
	nt := p.name()
	if _, dup := p.funcs[nt.text]; dup {
		p.fail(nt, "function "+nt.String()+" defined twice")
	}
	f := &Func{Name: nt.text, Sig: p.signature(), Module: p.m}
	p.funcs[f.Name] = uint32(len(p.m.Funcs))
	p.m.Funcs = append(p.m.Funcs, f)
	if imp {
		f.Import = p.importFrom(true)
		p.endLine()
		return
	}
	p.expect("{")
	p.endLine()
	p.f, p.cur, p.defined, p.pendingV, p.pendingB, p.indirects = f, NoBlock, nil, nil, nil, nil
	p.body()
	p.f = nil
}

func (p *parser) body() {
	f := p.f
	for {
		p.skipNewlines()
		t := p.peek()
		switch {
		case t.kind == tEOF:
			p.fail(t, "missing } at the end of function "+token{kind: tName, text: f.Name}.String())
		case t.kind == tPunct && t.text == "}":
			p.next()
			p.endLine()
			p.finishFunc()
			return
		case t.kind == tWord && strings.HasPrefix(t.text, "b") && p.peekAt(1).kind == tPunct && (p.peekAt(1).text == ":" || p.peekAt(1).text == "("):
			p.blockHeader()
		default:
			if p.cur == NoBlock {
				p.fail(t, "instruction outside a block")
			}
			p.instr()
		}
	}
}

func (p *parser) blockHeader() {
	f := p.f
	t := p.next()
	n, ok := numbered(t, "b")
	if !ok || n >= p.maxID {
		p.fail(t, "bad block name "+t.String())
	}
	b := BlockID(n)
	p.growBlocks(b)
	if p.defined[b] {
		p.fail(t, "block "+t.text+" defined twice")
	}
	p.defined[b] = true
	f.Layout = append(f.Layout, b)
	if p.isPunct("(") {
		p.next()
		for !p.isPunct(")") {
			if len(f.Blocks[b].Params) > 0 {
				p.expect(",")
			}
			v, ty, vt := p.valueDef()
			p.define(v, vt, ValueData{Type: ty, Kind: DefParam, Block: b, Index: uint32(len(f.Blocks[b].Params))})
			f.Blocks[b].Params = append(f.Blocks[b].Params, v)
		}
		p.expect(")")
	}
	p.expect(":")
	p.endLine()
	p.cur = b
}

func (p *parser) growBlocks(b BlockID) {
	for int(b) >= len(p.f.Blocks) {
		p.f.Blocks = append(p.f.Blocks, Block{})
		p.defined = append(p.defined, false)
	}
}

func (p *parser) valueNum() (Value, token) {
	t := p.next()
	n, ok := numbered(t, "v")
	if !ok {
		p.fail(t, "expected a value, found "+t.String())
	}
	if n >= p.maxID {
		p.fail(t, "value number too large")
	}
	for int(n) >= len(p.f.Values) {
		p.f.Values = append(p.f.Values, ValueData{})
	}
	return Value(n), t
}

// valueDef parses "vN:type".
func (p *parser) valueDef() (Value, Type, token) {
	v, t := p.valueNum()
	p.expect(":")
	return v, p.typ(), t
}

func (p *parser) define(v Value, t token, d ValueData) {
	if p.f.Values[v].Kind != DefNone {
		p.fail(t, v.String()+" defined twice")
	}
	p.f.Values[v] = d
}

// use parses a value operand.
func (p *parser) use() Value {
	v, t := p.valueNum()
	if p.f.Values[v].Kind == DefNone {
		p.pendingV = append(p.pendingV, pending{uint32(v), t})
	}
	return v
}

func (p *parser) isValueNext() bool {
	_, ok := numbered(p.peek(), "v")
	return ok
}

func (p *parser) blockCall() BlockCall {
	t := p.next()
	n, ok := numbered(t, "b")
	if !ok || n >= p.maxID {
		p.fail(t, "expected a block, found "+t.String())
	}
	b := BlockID(n)
	p.growBlocks(b)
	if !p.defined[b] {
		p.pendingB = append(p.pendingB, pending{n, t})
	}
	bc := BlockCall{Block: b}
	if p.isPunct("(") {
		bc.Args = p.valueList()
	}
	return bc
}

func (p *parser) valueList() []Value {
	p.expect("(")
	var vs []Value
	for !p.isPunct(")") {
		if len(vs) > 0 {
			p.expect(",")
		}
		vs = append(vs, p.use())
	}
	p.expect(")")
	return vs
}

func (p *parser) instr() {
	f := p.f
	id := InstrID(len(f.Instrs))
	in := Instr{Block: p.cur}
	if p.isValueNext() {
		for {
			v, ty, vt := p.valueDef()
			p.define(v, vt, ValueData{Type: ty, Kind: DefResult, Instr: id, Index: uint32(len(in.Results))})
			in.Results = append(in.Results, v)
			if !p.isPunct(",") {
				break
			}
			p.next()
		}
		p.expect("=")
	}
	ot := p.word()
	name, suffix, dotted := strings.Cut(ot.text, ".")
	op, ok := opByName[name]
	if !ok {
		p.fail(ot, "unknown op "+ot.String())
	}
	in.Op = op
	info := &opTable[op]
	resType := NoType
	if len(in.Results) > 0 {
		resType = f.Values[in.Results[0]].Type
	}
	first := true
	for _, pt := range info.parts {
		switch pt {
		case pWidth:
			p.widthSuffix(&in, ot, suffix, dotted, resType)
			continue
		case pCond:
			ct := p.word()
			c, ok := condByName(ct.text)
			if !ok {
				p.fail(ct, "unknown condition "+ct.String())
			}
			in.Cond = c
			continue
		case pShape:
			st := p.word()
			sh, ok := shapeByName(st.text)
			if !ok {
				p.fail(st, "unknown shape "+st.String())
			}
			in.Shape = sh
			continue
		case pSign:
			if !dotted || suffix != "s" && suffix != "u" {
				p.fail(ot, ot.String()+" needs .s or .u")
			}
			in.Signed = suffix == "s"
			continue
		case pSignOpt:
			if dotted && suffix != "s" {
				p.fail(ot, "unknown op "+ot.String())
			}
			in.Signed = dotted
			continue
		case pCallArgs:
			in.Args = append(in.Args, p.valueList()...)
			continue
		case pArgs:
			if first && !p.isValueNext() {
				continue
			}
			if first {
				in.Args = append(in.Args, p.use())
				first = false
			}
			for p.isPunct(",") {
				p.next()
				in.Args = append(in.Args, p.use())
			}
			continue
		}
		if !first {
			p.expect(",")
		}
		first = false
		switch pt {
		case pArg:
			in.Args = append(in.Args, p.use())
		case pCallee:
			in.Args = append(in.Args, p.use())
			in.Args = append(in.Args, p.valueList()...)
		case pIConst:
			if !resType.IsInt() {
				p.fail(ot, "iconst needs one integer result")
			}
			in.Imm = p.intLit(p.word(), resType)
		case pF32:
			in.Imm = uint64(p.f32Lit())
		case pF64:
			in.Imm = p.f64Lit()
		case pV128:
			in.Imm, in.Imm2 = p.v128Lit()
		case pMemAddr:
			in.Index = p.index("mem")
			p.expect("[")
			in.Args = append(in.Args, p.use())
			if t := p.peek(); t.kind == tWord && strings.HasPrefix(t.text, "+") {
				p.next() // "v3+8" lexes as v3 and +8
				t.text = t.text[1:]
				in.Imm = p.uint(t)
			} else {
				p.expect("+")
				in.Imm = p.uint(p.word())
			}
			p.expect("]")
		case pMem:
			in.Index = p.index("mem")
		case pMem2:
			in.Index2 = p.index("mem")
		case pTable:
			in.Index = p.index("table")
		case pTable2:
			in.Index2 = p.index("table")
		case pData:
			in.Index = p.index("data")
		case pData2:
			in.Index2 = p.index("data")
		case pElem:
			in.Index = p.index("elem")
		case pElem2:
			in.Index2 = p.index("elem")
		case pGlobal:
			p.ref(true, func(i uint32) { f.Instrs[id].Index = i })
		case pFunc:
			p.ref(false, func(i uint32) { f.Instrs[id].Index = i })
		case pSize:
			in.Imm = p.uint(p.word())
		case pLane:
			in.Imm2 = p.uint(p.word())
		case pTrap:
			tt := p.word()
			c, ok := trapByName(tt.text)
			if !ok {
				p.fail(tt, "unknown trap code "+tt.String())
			}
			in.Trap = c
		case pTarget:
			in.Targets = append(in.Targets, p.blockCall())
		case pTargetList:
			p.expect("[")
			for n := 0; !p.isPunct("]"); n++ {
				if n > 0 {
					p.expect(",")
				}
				in.Targets = append(in.Targets, p.blockCall())
			}
			p.expect("]")
		case pDefault:
			p.keyword("default")
			in.Targets = append(in.Targets, p.blockCall())
		}
	}
	if dotted && !hasPart(info.parts, pWidth) && !hasPart(info.parts, pSign) && !hasPart(info.parts, pSignOpt) {
		p.fail(ot, "unknown op "+ot.String())
	}
	p.endLine()
	if op == OpCallIndirect {
		p.indirects = append(p.indirects, id)
	}
	f.Instrs = append(f.Instrs, in)
	f.Blocks[p.cur].Instrs = append(f.Blocks[p.cur].Instrs, id)
}

func hasPart(parts []part, x part) bool {
	for _, pt := range parts {
		if pt == x {
			return true
		}
	}
	return false
}

// widthSuffix sets a load's or store's Width (and Signed) from the op name's suffix. A
// store without a suffix gets its width once its operand's type is known (finishFunc).
func (p *parser) widthSuffix(in *Instr, ot token, suffix string, dotted bool, resType Type) {
	if !dotted {
		if in.Op == OpLoad {
			in.Width = uint8(resType.Size())
		}
		return
	}
	if in.Op == OpLoad {
		if suffix == "" || suffix[0] != 's' && suffix[0] != 'u' {
			p.fail(ot, "bad load width "+ot.String())
		}
		in.Signed = suffix[0] == 's'
		suffix = suffix[1:]
	}
	switch suffix {
	case "8":
		in.Width = 1
	case "16":
		in.Width = 2
	case "32":
		in.Width = 4
	default:
		p.fail(ot, "bad width "+ot.String())
	}
}

// finishFunc checks that every value and block used was defined, then fills in what
// needed the whole body: full store widths and callindirect's type index.
func (p *parser) finishFunc() {
	f := p.f
	for _, u := range p.pendingV {
		if f.Values[u.id].Kind == DefNone {
			p.fail(u.tok, "undefined value "+u.tok.text)
		}
	}
	for _, u := range p.pendingB {
		if !p.defined[u.id] {
			p.fail(u.tok, "undefined block "+u.tok.text)
		}
	}
	for i := range f.Instrs {
		in := &f.Instrs[i]
		if in.Op == OpStore && in.Width == 0 && len(in.Args) == 2 {
			in.Width = uint8(f.TypeOf(in.Args[1]).Size())
		}
	}
	for _, id := range p.indirects {
		in := &f.Instrs[id]
		var sig Signature
		for _, a := range in.Args[1:] {
			sig.Params = append(sig.Params, f.TypeOf(a))
		}
		for _, r := range in.Results {
			sig.Results = append(sig.Results, f.TypeOf(r))
		}
		in.Index2 = p.m.InternType(sig)
	}
}

// uint parses an unsigned decimal or 0x-hex literal.
func (p *parser) uint(t token) uint64 {
	s, base := t.text, 10
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		s, base = s[2:], 16
	}
	if s == "" || s[0] == '+' || s[0] == '-' || s[0] == '_' || strings.Contains(s, "_") {
		p.fail(t, "expected an unsigned number, found "+t.String())
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		p.failErr(t, "bad number "+t.String(), err)
	}
	return n
}

// intLit parses a signed or unsigned integer literal that must fit type t, returning its
// bits zero-extended from t's width.
func (p *parser) intLit(tok token, t Type) uint64 {
	s := tok.text
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mag := p.uint(token{tWord, s, tok.line, tok.col})
	bits := 64
	if t == I32 {
		bits = 32
	}
	limit := uint64(math.MaxUint64) >> (64 - bits)
	if neg {
		limit = 1 << (bits - 1)
	}
	if mag > limit {
		p.fail(tok, tok.text+" does not fit "+t.String())
	}
	v := mag
	if neg {
		v = -mag
	}
	return v & (uint64(math.MaxUint64) >> (64 - bits))
}

// floatLit parses a float literal of the given size: a decimal or hex float, inf, -inf,
// nan, -nan, or nan:0xBITS (the full bit pattern of a NaN).
func (p *parser) floatLit(size int) uint64 {
	t := p.word()
	text := t.text
	if text == "nan" && p.isPunct(":") {
		p.next()
		bt := p.word()
		bits := p.uint(bt)
		isNaN := size == 32 && bits>>32 == 0 && math.IsNaN(float64(math.Float32frombits(uint32(bits)))) ||
			size == 64 && math.IsNaN(math.Float64frombits(bits))
		if !strings.HasPrefix(bt.text, "0x") || !isNaN {
			p.fail(bt, "nan:"+bt.text+" is not the bits of an f"+strconv.Itoa(size)+" NaN")
		}
		return bits
	}
	sign := uint64(0)
	switch text {
	case "nan", "+nan", "-nan":
		if text[0] == '-' {
			sign = 1
		}
		if size == 32 {
			return sign<<31 | 0x7fc00000
		}
		return sign<<63 | 0x7ff8000000000000
	}
	if strings.ContainsAny(text, "_nN") && !strings.HasSuffix(strings.ToLower(text), "inf") {
		p.fail(t, "bad float "+t.String())
	}
	x, err := strconv.ParseFloat(text, size)
	if err != nil {
		p.failErr(t, "bad float "+t.String(), err)
	}
	if size == 32 {
		return uint64(math.Float32bits(float32(x)))
	}
	return math.Float64bits(x)
}

func (p *parser) f32Lit() uint32 { return uint32(p.floatLit(32)) }
func (p *parser) f64Lit() uint64 { return p.floatLit(64) }

// v128Lit parses 0x followed by 1 to 32 hex digits.
func (p *parser) v128Lit() (lo, hi uint64) {
	t := p.word()
	s, ok := strings.CutPrefix(t.text, "0x")
	if !ok || s == "" || len(s) > 32 {
		p.fail(t, "expected 0x and up to 32 hex digits, found "+t.String())
	}
	for i := 0; i < len(s); i++ {
		d, ok := unhex(s[i])
		if !ok {
			p.fail(t, "bad hex digit in "+t.String())
		}
		hi = hi<<4 | lo>>60
		lo = lo<<4 | uint64(d)
	}
	return lo, hi
}
