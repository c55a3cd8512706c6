package main

// A minimal encoder of the WebAssembly binary format, enough for the hostile part's
// generated modules. The bench module does not import wasmc's packages (it measures
// wasmc from outside, as any user would), so it writes the bytes itself.

// Value and block types, and the opcodes the generators use.
const (
	wI32      = 0x7f
	wI64      = 0x7e
	wFuncRef  = 0x70
	wEmpty    = 0x40
	opBlock   = 0x02
	opLoop    = 0x03
	opIf      = 0x04
	opEnd     = 0x0b
	opBr      = 0x0c
	opBrIf    = 0x0d
	opBrTable = 0x0e
	opCall    = 0x10
	opDrop    = 0x1a
	opGet     = 0x20
	opSet     = 0x21
	opGGet    = 0x23
	opGSet    = 0x24
	opI32Load = 0x28
	opI32Cst  = 0x41
	opI32Add  = 0x6a
)

// wbuf accumulates bytes.
type wbuf []byte

func (b *wbuf) byte(c ...byte) { *b = append(*b, c...) }

func (b *wbuf) u32(v uint32) {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			*b = append(*b, c)
			return
		}
		*b = append(*b, c|0x80)
	}
}

func (b *wbuf) s32(v int32) {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			*b = append(*b, c)
			return
		}
		*b = append(*b, c|0x80)
	}
}

// op appends an opcode and its unsigned immediates.
func (b *wbuf) op(op byte, imms ...uint32) {
	b.byte(op)
	for _, v := range imms {
		b.u32(v)
	}
}

func (b *wbuf) i32(v int32) { b.byte(opI32Cst); b.s32(v) }

// load appends i32.load offset=off from address 0.
func (b *wbuf) load(off uint32) { b.i32(0); b.op(opI32Load, 2, off) }

func (b *wbuf) vec(items [][]byte) {
	b.u32(uint32(len(items)))
	for _, it := range items {
		b.byte(it...)
	}
}

// wfunc is a function: its type index, its local declarations (count, type) and its
// body (without the final end).
type wfunc struct {
	typ    uint32
	locals [][2]uint32
	body   wbuf
}

// wmodule holds the sections the generators need, in their binary order.
type wmodule struct {
	types   [][]byte // encoded func types
	funcs   []*wfunc
	table   []byte // table section contents, or nil
	memory  bool   // one memory of one page
	globals [][]byte
	exports [][]byte
	elems   [][]byte
	datas   [][]byte
}

// functype returns the index of the type params -> results, adding it.
func (m *wmodule) functype(params, results []byte) uint32 {
	var b wbuf
	b.byte(0x60)
	b.u32(uint32(len(params)))
	b.byte(params...)
	b.u32(uint32(len(results)))
	b.byte(results...)
	m.types = append(m.types, b)
	return uint32(len(m.types) - 1)
}

// export exports function fn as name.
func (m *wmodule) export(name string, fn uint32) {
	var b wbuf
	b.u32(uint32(len(name)))
	b.byte([]byte(name)...)
	b.byte(0)
	b.u32(fn)
	m.exports = append(m.exports, b)
}

// mutGlobal adds a mutable i32 global initialised to 0 and returns its index.
func (m *wmodule) mutGlobal() uint32 {
	m.globals = append(m.globals, []byte{wI32, 1, opI32Cst, 0, opEnd})
	return uint32(len(m.globals) - 1)
}

func (m *wmodule) encode() []byte {
	out := wbuf("\x00asm\x01\x00\x00\x00")
	section := func(id byte, body wbuf) {
		out.byte(id)
		out.u32(uint32(len(body)))
		out.byte(body...)
	}
	var b wbuf
	b.vec(m.types)
	section(1, b)
	b = nil
	b.u32(uint32(len(m.funcs)))
	for _, f := range m.funcs {
		b.u32(f.typ)
	}
	section(3, b)
	if m.table != nil {
		section(4, m.table)
	}
	if m.memory {
		section(5, wbuf{1, 0, 1})
	}
	if len(m.globals) > 0 {
		b = nil
		b.vec(m.globals)
		section(6, b)
	}
	b = nil
	b.vec(m.exports)
	section(7, b)
	if len(m.elems) > 0 {
		b = nil
		b.vec(m.elems)
		section(9, b)
	}
	b = nil
	b.u32(uint32(len(m.funcs)))
	for _, f := range m.funcs {
		var c wbuf
		c.u32(uint32(len(f.locals)))
		for _, l := range f.locals {
			c.u32(l[0])
			c.byte(byte(l[1]))
		}
		c.byte(f.body...)
		c.byte(opEnd)
		b.u32(uint32(len(c)))
		b.byte(c...)
	}
	section(10, b)
	if len(m.datas) > 0 {
		b = nil
		b.vec(m.datas)
		section(11, b)
	}
	return out
}
