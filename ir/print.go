package ir

import (
	"io"
	"math"
	"strconv"
)

// Print writes the module in the text form doc.go defines. The output is canonical:
// parsing it and printing again gives the same bytes.
func Print(w io.Writer, m *Module) error {
	p := &printer{m: m}
	p.module()
	_, err := w.Write(p.buf)
	return err
}

// printer appends the text form to buf. It never fails and never panics, whatever the
// IR: indices out of range print as names the parser will reject, which is what the
// verifier's messages need.
type printer struct {
	m   *Module
	buf []byte
}

func (p *printer) str(s string)    { p.buf = append(p.buf, s...) }
func (p *printer) byte(c byte)     { p.buf = append(p.buf, c) }
func (p *printer) uint(n uint64)   { p.buf = strconv.AppendUint(p.buf, n, 10) }
func (p *printer) value(v Value)   { p.str(v.String()) }
func (p *printer) block(b BlockID) { p.str(b.String()) }

func (p *printer) module() {
	m := p.m
	prevBody := false
	item := func(body bool) {
		if len(p.buf) > 0 && (body || prevBody) {
			p.byte('\n')
		}
		prevBody = body
	}
	for i := range m.Memories {
		item(false)
		p.memory(uint32(i), &m.Memories[i])
	}
	for i := range m.Tables {
		item(false)
		p.table(uint32(i), &m.Tables[i])
	}
	for i := range m.Globals {
		item(false)
		p.global(&m.Globals[i])
	}
	for _, f := range m.Funcs {
		if f == nil {
			continue
		}
		item(!f.IsImport())
		p.fn(f)
	}
	for i := range m.Data {
		item(false)
		p.data(uint32(i), &m.Data[i])
	}
	for i := range m.Elems {
		item(false)
		p.elem(uint32(i), &m.Elems[i])
	}
	for _, e := range m.Exports {
		item(false)
		p.str("export ")
		p.quote(e.Name)
		p.byte(' ')
		p.str(e.Kind.String())
		p.byte(' ')
		switch e.Kind {
		case ExternFunc:
			p.funcRef(e.Index)
		case ExternTable:
			p.indexed("table", e.Index)
		case ExternMemory:
			p.indexed("mem", e.Index)
		case ExternGlobal:
			p.globalRef(e.Index)
		}
		p.byte('\n')
	}
	if m.HasStart {
		item(false)
		p.str("start ")
		p.funcRef(m.Start)
		p.byte('\n')
	}
}

func (p *printer) importPrefix(imp *ImportName) {
	if imp != nil {
		p.str("import ")
	}
}

func (p *printer) importSuffix(imp *ImportName) {
	if imp != nil {
		p.str(" from ")
		p.quote(imp.Module)
		p.byte(' ')
		p.quote(imp.Name)
	}
}

func (p *printer) limits(l Limits) {
	p.str(" min ")
	p.uint(l.Min)
	if l.HasMax {
		p.str(" max ")
		p.uint(l.Max)
	}
}

func (p *printer) memory(i uint32, mem *Memory) {
	p.importPrefix(mem.Import)
	p.str("memory ")
	p.indexed("mem", i)
	if mem.Is64 {
		p.str(" i64")
	}
	p.limits(mem.Limits)
	p.importSuffix(mem.Import)
	p.byte('\n')
}

func (p *printer) table(i uint32, t *Table) {
	p.importPrefix(t.Import)
	p.str("table ")
	p.indexed("table", i)
	p.byte(' ')
	p.str(t.Elem.String())
	p.limits(t.Limits)
	p.importSuffix(t.Import)
	p.byte('\n')
}

func (p *printer) global(g *Global) {
	p.importPrefix(g.Import)
	p.str("global ")
	p.name(g.Name)
	if g.Mutable {
		p.str(" mut")
	}
	p.byte(' ')
	p.str(g.Type.String())
	if g.Import == nil {
		p.str(" = ")
		p.constExpr(g.Init, g.Type)
	}
	p.importSuffix(g.Import)
	p.byte('\n')
}

func (p *printer) data(i uint32, d *DataSegment) {
	p.str("data ")
	p.indexed("data", i)
	p.byte(' ')
	p.str(d.Mode.String())
	if d.Mode == Active {
		p.byte(' ')
		p.indexed("mem", d.Memory)
		p.str(" at ")
		t := I32
		if p.m != nil && int(d.Memory) < len(p.m.Memories) {
			t = p.m.Memories[d.Memory].AddrType()
		}
		p.constExpr(d.Offset, t)
	}
	p.byte(' ')
	p.quote(string(d.Bytes))
	p.byte('\n')
}

func (p *printer) elem(i uint32, e *ElemSegment) {
	p.str("elem ")
	p.indexed("elem", i)
	p.byte(' ')
	p.str(e.Mode.String())
	if e.Mode == Active {
		p.byte(' ')
		p.indexed("table", e.Table)
		p.str(" at ")
		p.constExpr(e.Offset, I32)
	}
	p.byte(' ')
	p.str(e.Type.String())
	p.str(" [")
	for j := range e.Len() {
		if j > 0 {
			p.str(", ")
		}
		p.constExpr(e.Elem(j), e.Type)
	}
	p.str("]\n")
}

// constExpr prints a constant expression whose type, from its context, is t.
func (p *printer) constExpr(c ConstExpr, t Type) {
	p.str(c.Op.String())
	switch c.Op {
	case OpIConst:
		p.byte(' ')
		p.iconst(c.Imm, t)
	case OpF32Const:
		p.byte(' ')
		p.str(formatF32(uint32(c.Imm)))
	case OpF64Const:
		p.byte(' ')
		p.str(formatF64(c.Imm))
	case OpV128Const:
		p.byte(' ')
		p.v128(c.Imm, c.Imm2)
	case OpRefFunc:
		p.byte(' ')
		p.funcRef(c.Index)
	case OpGlobalGet:
		p.byte(' ')
		p.globalRef(c.Index)
	}
}

func (p *printer) sig(s Signature) {
	p.byte('(')
	for i, t := range s.Params {
		if i > 0 {
			p.str(", ")
		}
		p.str(t.String())
	}
	p.byte(')')
	if len(s.Results) > 0 {
		p.str(" -> ")
		for i, t := range s.Results {
			if i > 0 {
				p.str(", ")
			}
			p.str(t.String())
		}
	}
}

func (p *printer) fn(f *Func) {
	if f.IsImport() {
		p.str("import func ")
		p.name(f.Name)
		p.sig(f.Sig)
		p.importSuffix(f.Import)
		p.byte('\n')
		return
	}
	p.str("func ")
	p.name(f.Name)
	p.sig(f.Sig)
	p.str(" {\n")
	for _, b := range f.Layout {
		p.block(b)
		if int(b) < len(f.Blocks) {
			blk := &f.Blocks[b]
			if len(blk.Params) > 0 {
				p.byte('(')
				for i, v := range blk.Params {
					if i > 0 {
						p.str(", ")
					}
					p.def(f, v)
				}
				p.byte(')')
			}
			p.str(":\n")
			for _, id := range blk.Instrs {
				p.str("    ")
				if int(id) < len(f.Instrs) {
					p.instr(f, &f.Instrs[id])
				} else {
					p.str("; missing instruction ")
					p.str(id.String())
				}
				p.byte('\n')
			}
		} else {
			p.str(":\n")
		}
	}
	p.str("}\n")
}

// def prints a value where it is defined, with its type: v3:i32.
func (p *printer) def(f *Func, v Value) {
	p.value(v)
	p.byte(':')
	p.str(f.TypeOf(v).String())
}

func (p *printer) instr(f *Func, in *Instr) {
	for i, r := range in.Results {
		if i > 0 {
			p.str(", ")
		}
		p.def(f, r)
	}
	if len(in.Results) > 0 {
		p.str(" = ")
	}
	p.str(in.Op.String())
	if in.Op >= numOps {
		return
	}
	ai, ti := 0, 0
	arg := func() Value {
		if ai >= len(in.Args) {
			return NoValue
		}
		ai++
		return in.Args[ai-1]
	}
	target := func() {
		if ti >= len(in.Targets) {
			p.str("b?")
			return
		}
		p.blockCall(in.Targets[ti])
		ti++
	}
	sep := " "
	next := func() { p.str(sep); sep = ", " }
	for _, pt := range opTable[in.Op].parts {
		switch pt {
		case pWidth:
			p.widthSuffix(f, in)
		case pCond:
			p.byte(' ')
			p.str(in.Cond.String())
		case pShape:
			p.byte(' ')
			p.str(in.Shape.String())
		case pSign:
			if in.Signed {
				p.str(".s")
			} else {
				p.str(".u")
			}
		case pSignOpt:
			if in.Signed {
				p.str(".s")
			}
		case pLane:
			next()
			p.uint(in.Imm2)
		case pArg:
			next()
			p.value(arg())
		case pArgs:
			for ai < len(in.Args) {
				next()
				p.value(arg())
			}
		case pCallArgs:
			p.valueList(in.Args[min(ai, len(in.Args)):])
			ai = len(in.Args)
		case pCallee:
			next()
			p.value(arg())
			p.valueList(in.Args[min(ai, len(in.Args)):])
			ai = len(in.Args)
		case pIConst:
			next()
			t := I64
			if len(in.Results) > 0 {
				t = f.TypeOf(in.Results[0])
			}
			p.iconst(in.Imm, t)
		case pF32:
			next()
			p.str(formatF32(uint32(in.Imm)))
		case pF64:
			next()
			p.str(formatF64(in.Imm))
		case pV128:
			next()
			p.v128(in.Imm, in.Imm2)
		case pMemAddr:
			next()
			p.indexed("mem", in.Index)
			p.byte('[')
			p.value(arg())
			p.str(" + ")
			p.uint(in.Imm)
			p.byte(']')
		case pMem:
			next()
			p.indexed("mem", in.Index)
		case pMem2:
			next()
			p.indexed("mem", in.Index2)
		case pTable:
			next()
			p.indexed("table", in.Index)
		case pTable2:
			next()
			p.indexed("table", in.Index2)
		case pData:
			next()
			p.indexed("data", in.Index)
		case pData2:
			next()
			p.indexed("data", in.Index2)
		case pElem:
			next()
			p.indexed("elem", in.Index)
		case pElem2:
			next()
			p.indexed("elem", in.Index2)
		case pGlobal:
			next()
			p.globalRef(in.Index)
		case pFunc:
			next()
			p.funcRef(in.Index)
		case pSize:
			next()
			p.uint(in.Imm)
		case pTrap:
			next()
			p.str(in.Trap.String())
		case pTarget:
			next()
			target()
		case pTargetList:
			next()
			p.byte('[')
			for i := 0; ti < len(in.Targets)-1; i++ {
				if i > 0 {
					p.str(", ")
				}
				target()
			}
			p.byte(']')
		case pDefault:
			next()
			p.str("default ")
			target()
		}
	}
}

// widthSuffix prints a load's or store's width when it is narrower than the type.
func (p *printer) widthSuffix(f *Func, in *Instr) {
	var t Type
	switch {
	case in.Op == OpLoad && len(in.Results) > 0:
		t = f.TypeOf(in.Results[0])
	case in.Op == OpStore && len(in.Args) > 1:
		t = f.TypeOf(in.Args[1])
	}
	if int(in.Width) == t.Size() {
		return
	}
	p.byte('.')
	if in.Op == OpLoad {
		if in.Signed {
			p.byte('s')
		} else {
			p.byte('u')
		}
	}
	p.uint(uint64(in.Width) * 8)
}

func (p *printer) valueList(vs []Value) {
	p.byte('(')
	for i, v := range vs {
		if i > 0 {
			p.str(", ")
		}
		p.value(v)
	}
	p.byte(')')
}

func (p *printer) blockCall(bc BlockCall) {
	p.block(bc.Block)
	if len(bc.Args) > 0 {
		p.valueList(bc.Args)
	}
}

func (p *printer) indexed(prefix string, i uint32) {
	p.str(prefix)
	p.uint(uint64(i))
}

// iconst prints integer bits as a signed decimal of type t's width.
func (p *printer) iconst(bits uint64, t Type) {
	if t == I32 {
		p.buf = strconv.AppendInt(p.buf, int64(int32(uint32(bits))), 10)
		return
	}
	p.buf = strconv.AppendInt(p.buf, int64(bits), 10)
}

func (p *printer) v128(lo, hi uint64) {
	p.str("0x")
	p.hex(hi, 16)
	p.hex(lo, 16)
}

func (p *printer) hex(x uint64, digits int) {
	for i := digits - 1; i >= 0; i-- {
		p.byte("0123456789abcdef"[(x>>(4*i))&15])
	}
}

func (p *printer) funcRef(i uint32) {
	if p.m != nil && int(i) < len(p.m.Funcs) && p.m.Funcs[i] != nil {
		p.name(p.m.Funcs[i].Name)
		return
	}
	p.name("?func" + strconv.FormatUint(uint64(i), 10))
}

func (p *printer) globalRef(i uint32) {
	if p.m != nil && int(i) < len(p.m.Globals) {
		p.name(p.m.Globals[i].Name)
		return
	}
	p.name("?global" + strconv.FormatUint(uint64(i), 10))
}

// name prints $name, quoting names that are not all letters, digits, '_' and '.'.
func (p *printer) name(s string) {
	p.byte('$')
	if s != "" && isPlainName(s) {
		p.str(s)
		return
	}
	p.quote(s)
}

func isPlainName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return true
}

// quote prints s as a string literal: printable ASCII as itself except '"' and '\',
// every other byte as \hh, as in the wasm text format.
func (p *printer) quote(s string) {
	p.byte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			p.byte(c)
			continue
		}
		p.byte('\\')
		p.hex(uint64(c), 2)
	}
	p.byte('"')
}

// formatF32 prints an f32 so that parsing gives back the same bits: the shortest decimal
// that round-trips, inf, -inf, or nan:0xBITS with the full bit pattern for NaNs.
func formatF32(bits uint32) string {
	x := math.Float32frombits(bits)
	if x != x {
		b := make([]byte, 0, 14)
		b = append(b, "nan:0x"...)
		for i := 7; i >= 0; i-- {
			b = append(b, "0123456789abcdef"[(bits>>(4*i))&15])
		}
		return string(b)
	}
	return formatFloat(float64(x), 32)
}

// formatF64 is formatF32 for f64.
func formatF64(bits uint64) string {
	x := math.Float64frombits(bits)
	if x != x {
		p := &printer{}
		p.str("nan:0x")
		p.hex(bits, 16)
		return string(p.buf)
	}
	return formatFloat(x, 64)
}

func formatFloat(x float64, size int) string {
	switch {
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	// Positional notation where it is short, as JavaScript prints numbers; exponent
	// notation beyond. Either way the shortest digits that round-trip.
	if a := math.Abs(x); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(x, 'f', -1, size)
	}
	return strconv.FormatFloat(x, 'e', -1, size)
}
