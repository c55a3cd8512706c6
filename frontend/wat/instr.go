package wat

import (
	"math/bits"
	"strings"

	"github.com/wasmc/wasmc/frontend"
)

// opByName maps instruction names to opcodes. It is built from frontend's opcode table, the
// single list of instructions; "select" keeps the untyped 0x1B, and the parser switches to
// 0x1C when result types follow.
var opByName = func() map[string]frontend.Opcode {
	m := map[string]frontend.Opcode{}
	frontend.ForEachOp(func(op frontend.Opcode, info *frontend.OpInfo) {
		if _, dup := m[info.Name]; !dup {
			m[info.Name] = op
		}
	})
	return m
}()

// keywords are the keywords of the text and script formats besides instruction names,
// value types and shapes, so that any other keyword can be called an unknown operator.
var keywords = map[string]bool{
	"module": true, "type": true, "func": true, "param": true, "result": true, "local": true,
	"global": true, "table": true, "memory": true, "elem": true, "data": true, "import": true,
	"export": true, "start": true, "offset": true, "item": true, "declare": true, "mut": true,
	"then": true, "extern": true, "binary": true, "quote": true, "register": true,
	"invoke": true, "get": true, "assert_return": true, "assert_trap": true,
	"assert_exhaustion": true, "assert_malformed": true, "assert_invalid": true,
	"assert_unlinkable": true, "assert_uninstantiable": true, "ref.extern": true,
	"nan:canonical": true, "nan:arithmetic": true, "inf": true, "nan": true,
}

// isKnownKeyword reports whether kw is a keyword of the text format.
func isKnownKeyword(kw string) bool {
	if _, ok := opByName[kw]; ok || keywords[kw] {
		return true
	}
	if _, ok := valTypes[kw]; ok {
		return true
	}
	if _, ok := shapeByName[kw]; ok {
		return true
	}
	return strings.HasPrefix(kw, "offset=") || strings.HasPrefix(kw, "align=") || strings.HasPrefix(kw, "nan:0x")
}

// body encodes a function body or a constant expression into the binary instruction
// format, with a source location per instruction.
type body struct {
	p      *moduleParser
	code   []byte
	srcmap []frontend.SrcLoc
	locals map[string]uint32
	labels []string // enclosing block labels, innermost last; "" for unnamed
	imm    []byte   // scratch for immediates
}

func newBody(p *moduleParser) *body {
	return &body{p: p, locals: map[string]uint32{}}
}

// emit appends op with the given immediates, recording pos as its source.
func (b *body) emit(op frontend.Opcode, pos int, imm []byte) {
	b.srcmap = append(b.srcmap, frontend.SrcLoc{Body: uint32(len(b.code)), Src: int64(pos)})
	b.code = append(appendOp(b.code, op), imm...)
}

func (b *body) emitEnd(pos int) { b.emit(frontend.OpEnd, pos, nil) }

// instrs parses instructions until c is exhausted.
func (b *body) instrs(c *cursor) {
	if term := b.seq(c); term != nil && b.p.err == nil {
		b.p.unexpected(term)
	}
}

// seq parses instructions, flat or folded, until the end of c or a flat "end" or "else",
// which it returns without consuming: the enclosing flat block decides whether it fits.
func (b *body) seq(c *cursor) *node {
	p := b.p
	for !c.done() && p.err == nil {
		n := c.next()
		if n.isList() {
			b.folded(n)
			continue
		}
		kw := p.keyword(n)
		switch kw {
		case "end", "else":
			c.i--
			return n
		case "":
			p.unexpected(n)
		case "block", "loop", "if":
			b.flatBlock(n, kw, c)
		default:
			b.plain(n, kw, c)
		}
	}
	return nil
}

// op looks up an instruction name.
func (b *body) op(n *node, kw string) (frontend.Opcode, *frontend.OpInfo) {
	op, ok := opByName[kw]
	if !ok || kw == "else" || kw == "end" {
		if isKnownKeyword(kw) {
			b.p.unexpected(n)
		} else if f := frontend.ProposalInstr(kw); f != nil {
			b.p.failAt(n, "%v", f)
		} else {
			b.p.failAt(n, "unknown operator %s", kw)
		}
		return 0, nil
	}
	info, _ := frontend.Info(op)
	return op, info
}

// plain parses a plain instruction whose keyword n has been consumed from c.
func (b *body) plain(n *node, kw string, c *cursor) {
	op, info := b.op(n, kw)
	if info == nil {
		return
	}
	op, imm := b.immediates(op, info, c, n.tok.pos)
	if b.p.err == nil {
		b.emit(op, n.tok.pos, imm)
	}
}

// folded parses a folded instruction: "(block ...)", "(loop ...)", "(if ...)" or
// "(plaininstr folded*)", whose operands are encoded before the instruction itself.
func (b *body) folded(n *node) {
	p := b.p
	if len(n.list) == 0 || n.list[0].tok.kind != tokKeyword {
		p.unexpected(n)
		return
	}
	kwNode := n.list[0]
	kw := p.keyword(kwNode)
	c := elems(n, 1)
	switch kw {
	case "block", "loop":
		b.openBlock(kwNode, kw, c)
		b.instrs(c)
		b.closeBlock(endPos(n))
		return
	case "if":
		b.foldedIf(n, kwNode, c)
		return
	}
	op, info := b.op(kwNode, kw)
	if info == nil {
		return
	}
	op, imm := b.immediates(op, info, c, kwNode.tok.pos)
	imm = append([]byte(nil), imm...) // operands reuse the scratch buffer
	for !c.done() && p.err == nil {
		o := c.next()
		if !o.isList() {
			p.unexpected(o)
			return
		}
		b.folded(o)
	}
	if p.err == nil {
		b.emit(op, kwNode.tok.pos, imm)
	}
}

// openBlock parses "label? blocktype" after block, loop or if, emits the opcode and
// pushes the label.
func (b *body) openBlock(kwNode *node, kw string, c *cursor) string {
	label, _ := b.p.optID(c)
	bt := b.blockType(c, kwNode.tok.pos)
	if b.p.err == nil {
		b.emit(opByName[kw], kwNode.tok.pos, bt)
	}
	if len(b.labels) >= maxDepth {
		b.p.failAt(kwNode, "blocks nested deeper than %d", maxDepth)
	}
	b.labels = append(b.labels, label)
	return label
}

func (b *body) closeBlock(pos int) {
	b.emitEnd(pos)
	b.labels = b.labels[:len(b.labels)-1]
}

// flatBlock parses "block|loop|if label? blocktype instr* (else id? instr*)? end id?".
func (b *body) flatBlock(n *node, kw string, c *cursor) {
	p := b.p
	label := b.openBlock(n, kw, c)
	term := b.seq(c)
	if p.err != nil {
		return
	}
	if kw == "if" && p.keyword(term) == "else" {
		c.next()
		b.closingLabel(c, label)
		mark := b.mark()
		b.emit(frontend.OpElse, term.tok.pos, nil)
		term = b.seq(c)
		if p.err != nil {
			return
		}
		b.dropEmptyElse(mark)
	}
	if p.keyword(term) != "end" {
		p.expected(c, term, "end")
		return
	}
	c.next()
	b.closingLabel(c, label)
	b.closeBlock(term.tok.pos)
}

// codeMark is a position in the code and its source map.
type codeMark struct{ code, srcmap int }

func (b *body) mark() codeMark { return codeMark{len(b.code), len(b.srcmap)} }

// dropEmptyElse removes an else emitted at m when no instruction followed it: an empty
// else branch means the same as none, and the reference interpreter and wat2wasm both
// leave it out of the binary.
func (b *body) dropEmptyElse(m codeMark) {
	if len(b.code) == m.code+1 {
		b.code, b.srcmap = b.code[:m.code], b.srcmap[:m.srcmap]
	}
}

// closingLabel checks the optional identifier after else or end, which must repeat the
// block's label.
func (b *body) closingLabel(c *cursor, label string) {
	if id, n := b.p.optID(c); n != nil && id != label {
		b.p.failAt(n, "mismatching label %s", id)
	}
}

// foldedIf parses "(if label? blocktype folded* (then instr*) (else instr*)?)". The
// condition is evaluated outside the block, so it is parsed before the label is pushed.
func (b *body) foldedIf(n, kwNode *node, c *cursor) {
	p := b.p
	label, _ := p.optID(c)
	bt := b.blockType(c, kwNode.tok.pos)
	for m := c.peek(); m != nil && m.isList() && p.head(m) != "then" && p.err == nil; m = c.peek() {
		c.next()
		b.folded(m)
	}
	if p.err != nil {
		return
	}
	if len(b.labels) >= maxDepth {
		p.failAt(kwNode, "blocks nested deeper than %d", maxDepth)
		return
	}
	b.emit(frontend.OpIf, kwNode.tok.pos, bt)
	b.labels = append(b.labels, label)
	then := c.next()
	if p.head(then) != "then" {
		p.expected(c, then, "(then ...)")
		return
	}
	b.instrs(elems(then, 1))
	if els := c.peek(); p.head(els) == "else" {
		c.next()
		mark := b.mark()
		b.emit(frontend.OpElse, els.tok.pos, nil)
		b.instrs(elems(els, 1))
		b.dropEmptyElse(mark)
	}
	p.expectEnd(c)
	b.closeBlock(endPos(n))
}

// blockType parses a block type and returns its encoding: 0x40, a value type, or a type
// index for the forms that need one (parameters, several results, an explicit type use).
func (b *body) blockType(c *cursor, off int) []byte {
	r := b.p.parseTypeUse(c, false)
	if !r.hasIdx && len(r.ft.Params) == 0 && len(r.ft.Results) <= 1 {
		if len(r.ft.Results) == 0 {
			return []byte{byte(frontend.BlockEmpty & 0x7F)}
		}
		return []byte{byte(r.ft.Results[0])}
	}
	s := b.p.resolveTypeUse(r, off)
	return appendSLEB(nil, int64(s.idx))
}

// label consumes a label: a depth, or an identifier resolved to the depth of the
// innermost enclosing block with that label.
func (b *body) label(c *cursor) uint32 {
	n := c.peek()
	if n != nil && n.tok.kind == tokID {
		c.next()
		id := b.p.tokText(n)
		for i := len(b.labels) - 1; i >= 0; i-- {
			if b.labels[i] == id {
				return uint32(len(b.labels) - 1 - i)
			}
		}
		b.p.failAt(n, "unknown label %s", id)
		return 0
	}
	return b.p.u32(c, "label")
}

// local consumes a local index or identifier.
func (b *body) local(c *cursor) uint32 {
	n := c.peek()
	if n != nil && n.tok.kind == tokID {
		c.next()
		idx, ok := b.locals[b.p.tokText(n)]
		if !ok {
			b.p.failAt(n, "unknown local %s", b.p.tokText(n))
		}
		return idx
	}
	return b.p.u32(c, "local index")
}

// immediates parses the immediates of op from c and returns the (possibly refined)
// opcode and their encoding, which lives in b's scratch buffer until the next call. pos is
// the instruction's offset, for a type that call_indirect's type use appends.
func (b *body) immediates(op frontend.Opcode, info *frontend.OpInfo, c *cursor, pos int) (frontend.Opcode, []byte) {
	p := b.p
	imm := b.imm[:0]
	idx := func(sp space) { imm = appendULEB(imm, uint64(p.index(c, sp))) }
	optIdx := func(sp space) {
		if isIndex(c.peek()) {
			idx(sp)
		} else {
			imm = append(imm, 0)
		}
	}
	switch info.Imm {
	case frontend.ImmNone:
		if op == frontend.OpSelect && p.head(c.peek()) == "result" {
			op, imm = frontend.OpSelectT, b.selectTypes(c, imm)
		}
	case frontend.ImmLabel:
		imm = appendULEB(imm, uint64(b.label(c)))
	case frontend.ImmBrTable:
		var labels []uint32
		labels = append(labels, b.label(c))
		for isIndex(c.peek()) && p.err == nil {
			labels = append(labels, b.label(c))
		}
		imm = appendULEB(imm, uint64(len(labels)-1))
		for _, l := range labels {
			imm = appendULEB(imm, uint64(l))
		}
	case frontend.ImmFunc:
		idx(spaceFunc)
	case frontend.ImmCallIndirect:
		table := uint32(0)
		if isIndex(c.peek()) {
			table = p.index(c, spaceTable)
		}
		s := p.typeUse(c, false, pos)
		imm = appendULEB(appendULEB(imm, uint64(s.idx)), uint64(table))
	case frontend.ImmLocal:
		imm = appendULEB(imm, uint64(b.local(c)))
	case frontend.ImmGlobal:
		idx(spaceGlobal)
	case frontend.ImmTable:
		optIdx(spaceTable)
	case frontend.ImmMemArg:
		imm = b.memarg(c, info, imm)
	case frontend.ImmMem:
		imm = append(imm, 0)
	case frontend.ImmMemMem:
		imm = append(imm, 0, 0)
	case frontend.ImmDataMem:
		p.usesData = true
		idx(spaceData)
		imm = append(imm, 0)
	case frontend.ImmData:
		p.usesData = true
		idx(spaceData)
	case frontend.ImmElemTable:
		table := uint32(0)
		if isIndex(c.peek()) && c.i+1 < len(c.nodes) && isIndex(c.nodes[c.i+1]) {
			table = p.index(c, spaceTable)
		}
		idx(spaceElem)
		imm = appendULEB(imm, uint64(table))
	case frontend.ImmElem:
		idx(spaceElem)
	case frontend.ImmTableTable:
		if isIndex(c.peek()) {
			idx(spaceTable)
			idx(spaceTable)
		} else {
			imm = append(imm, 0, 0)
		}
	case frontend.ImmI32:
		imm = appendSLEB(imm, int64(int32(b.p.intLit(c, 32))))
	case frontend.ImmI64:
		imm = appendSLEB(imm, int64(b.p.intLit(c, 64)))
	case frontend.ImmF32:
		imm = appendLE(imm, b.p.floatLit(c, formatF32), 4)
	case frontend.ImmF64:
		imm = appendLE(imm, b.p.floatLit(c, formatF64), 8)
	case frontend.ImmRefType:
		n := c.next()
		switch p.keyword(n) {
		case "func":
			imm = append(imm, byte(frontend.FuncRef))
		case "extern":
			imm = append(imm, byte(frontend.ExternRef))
		default:
			p.expected(c, n, "func or extern")
		}
	case frontend.ImmV128:
		imm = b.v128Const(c, imm)
	case frontend.ImmLane:
		imm = append(imm, b.laneIdx(c))
	case frontend.ImmMemArgLane:
		imm = b.memarg(c, info, imm)
		imm = append(imm, b.laneIdx(c))
	case frontend.ImmShuffle:
		imm = b.shuffle(c, imm)
	default:
		p.failf(c.end, "internal error: no text form for immediates of %s", info.Name)
	}
	b.imm = imm
	return op, imm
}

// selectTypes parses the "(result t*)*" of a typed select.
func (b *body) selectTypes(c *cursor, imm []byte) []byte {
	var types []frontend.ValType
	for n := c.peek(); b.p.head(n) == "result" && b.p.err == nil; n = c.peek() {
		c.next()
		rc := elems(n, 1)
		for !rc.done() && b.p.err == nil {
			types = append(types, b.p.valType(rc))
		}
	}
	imm = appendULEB(imm, uint64(len(types)))
	for _, t := range types {
		imm = append(imm, byte(t))
	}
	return imm
}

// memarg parses "offset=n? align=n?". The alignment is written in bytes and must be a
// power of two; the binary holds its logarithm, defaulting to the natural alignment.
func (b *body) memarg(c *cursor, info *frontend.OpInfo, imm []byte) []byte {
	p := b.p
	var offset uint64
	align := uint64(info.Align)
	if n := c.peek(); strings.HasPrefix(p.keyword(n), "offset=") {
		c.next()
		offset = b.memargValue(n, "offset=")
	}
	if n := c.peek(); strings.HasPrefix(p.keyword(n), "align=") {
		c.next()
		a := b.memargValue(n, "align=")
		if p.err == nil && (a == 0 || a&(a-1) != 0) {
			p.failAt(n, "alignment must be a power of two: %d", a)
		}
		align = uint64(bits.TrailingZeros64(a))
	}
	return appendULEB(appendULEB(imm, align), offset)
}

// memargValue parses the u32 after "offset=" or "align=".
func (b *body) memargValue(n *node, prefix string) uint64 {
	text := b.p.tokText(n)[len(prefix):]
	v, e := parseUint(text, 32)
	switch e {
	case litSyntax:
		b.p.failAt(n, "unknown operator %s", b.p.tokText(n))
	case litRange:
		b.p.failAt(n, "i32 constant out of range: %s", b.p.tokText(n))
	}
	return v
}
