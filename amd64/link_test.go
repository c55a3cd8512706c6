package amd64

import (
	"encoding/binary"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// A test-only linker: just enough to run compiled IR functions as a static Linux executable.
// It places the program state the execution model describes (backend/doc.go), a hand-written
// _start that calls one function with constant arguments and writes its results to stdout,
// and hand-written runtime routines: RtTrap writes one letter, 'A' + the trap code, and exits
// with 134; RtMemoryGrow grows within a fixed reservation; the others exit with 99.

const (
	stackBudget  = 1 << 20 // bytes of stack below _start's rsp that wasm code may use
	reservePages = 4       // pages reserved per memory, for memgrow
	tableReserve = 64      // elements reserved per table
	exitMissing  = 99      // a runtime routine the test linker does not implement
)

// absFix is an absolute 8-byte address written into rodata or data once the layout is known:
// sym's, or with no sym the address of offset add in segment to.
type absFix struct {
	seg backend.SegKind
	off uint64
	sym backend.SymRef
	to  backend.SegKind
	add int64
}

type linker struct {
	t   testing.TB
	m   *ir.Module
	img backend.Image

	funcOff  []uint64 // text offset of each defined function
	funcs    []compiled
	rtOff    [backend.NumRuntimeRoutines]uint64
	memDesc  uint64 // data offsets of the descriptor arrays
	tabDesc  uint64
	dataDesc uint64
	elemDesc uint64
	globals  []uint64
	fixes    []absFix
	rtRelocs []backend.Reloc // of _start and the runtime routines
	callRef  Ref             // _start's call
	entry    uint32
}

func (k *linker) data(n int) uint64 {
	off := uint64(len(k.img.Data.Data))
	k.img.Data.Data = append(k.img.Data.Data, make([]byte, n)...)
	return off
}

func (k *linker) put64(seg backend.SegKind, off, v uint64) {
	binary.LittleEndian.PutUint64(k.img.Segment(seg).Data[off:], v)
}

// linkProgram compiles m and builds an executable that calls export name with args.
func linkProgram(t testing.TB, m *ir.Module, name string, args []ir.Val) []byte {
	t.Helper()
	return link(t, m, compileModule(t, m), name, args)
}

// link builds an executable from m's compiled functions that calls export name with args.
func link(t testing.TB, m *ir.Module, funcs []compiled, name string, args []ir.Val) []byte {
	t.Helper()
	k := &linker{t: t, m: m, funcs: funcs}
	k.img.Target = backend.Target{Arch: backend.ArchAMD64, OS: backend.OSLinux}
	k.img.Text.Align, k.img.Data.Align, k.img.Rodata.Align = 16, 16, 16
	entry := -1
	for _, e := range m.Exports {
		if e.Name == name && e.Kind == ir.ExternFunc {
			entry = int(e.Index)
		}
	}
	if entry < 0 {
		t.Fatalf("no exported function %q", name)
	}
	k.entry = uint32(entry)
	k.state()
	k.text(args)
	l, err := backend.LayoutELF(&k.img)
	if err != nil {
		t.Fatal(err)
	}
	k.patch(l)
	b, err := backend.WriteELF(&k.img, l)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// state lays out the data segment: the stack limit, descriptors, globals, table elements
// and memories, and the rodata segment: funcref descriptors and passive data.
func (k *linker) state() {
	m := k.m
	k.data(8) // the stack limit, set by _start
	k.memDesc = k.data(24 * len(m.Memories))
	k.tabDesc = k.data(24 * len(m.Tables))
	k.dataDesc = k.data(16 * len(m.Data))
	k.elemDesc = k.data(16 * len(m.Elems))
	for i := range m.Globals {
		k.globals = append(k.globals, k.data(8))
		k.global(m.Globals[i].Init, k.globals[i])
	}
	// Funcref descriptors {code, type id} in rodata.
	k.img.Rodata.Data = make([]byte, 16*len(m.Funcs))
	for i, f := range m.Funcs {
		if f.IsImport() {
			continue
		}
		k.fixes = append(k.fixes, absFix{seg: backend.SegRodata, off: uint64(16 * i), sym: backend.SymRef{Kind: backend.RefFunc, Index: uint32(i)}})
		binary.LittleEndian.PutUint64(k.img.Rodata.Data[16*i+8:], uint64(m.InternType(f.Sig)))
	}
	for i, tab := range m.Tables {
		elems := k.data(8 * tableReserve)
		d := k.tabDesc + 24*uint64(i)
		k.fixes = append(k.fixes, absFix{seg: backend.SegData, off: d, to: backend.SegData, add: int64(elems)})
		k.put64(backend.SegData, d+8, tab.Limits.Min)
		k.put64(backend.SegData, d+16, tableReserve)
		if tab.Limits.Min > tableReserve {
			k.t.Fatalf("table%d is larger than the test linker reserves", i)
		}
	}
	for i, seg := range m.Elems {
		arr := k.data(8 * len(seg.Elems))
		for j, c := range seg.Elems {
			k.global(c, arr+8*uint64(j))
		}
		d := k.elemDesc + 16*uint64(i)
		k.fixes = append(k.fixes, absFix{seg: backend.SegData, off: d, to: backend.SegData, add: int64(arr)})
		if seg.Mode == ir.Passive {
			k.put64(backend.SegData, d+8, uint64(len(seg.Elems)))
			continue
		}
		if seg.Mode == ir.Active {
			var off uint64
			if seg.Offset.Op == ir.OpIConst {
				off = seg.Offset.Imm
			}
			for j, c := range seg.Elems {
				k.elemAt(seg.Table, off+uint64(j), c)
			}
		}
	}
	for i, mem := range m.Memories {
		if mem.Limits.Min > reservePages {
			k.t.Fatalf("mem%d is larger than the test linker reserves", i)
		}
		buf := k.data(reservePages * 65536)
		d := k.memDesc + 24*uint64(i)
		k.fixes = append(k.fixes, absFix{seg: backend.SegData, off: d, to: backend.SegData, add: int64(buf)})
		k.put64(backend.SegData, d+8, mem.Limits.Min*65536)
		maxPages := uint64(reservePages)
		if mem.Limits.HasMax {
			maxPages = min(maxPages, mem.Limits.Max)
		}
		k.put64(backend.SegData, d+16, maxPages*65536)
		for _, seg := range m.Data {
			if seg.Mode == ir.Active && seg.Memory == uint32(i) {
				copy(k.img.Data.Data[buf+seg.Offset.Imm:], seg.Bytes)
			}
		}
	}
	for i, seg := range m.Data {
		off := uint64(len(k.img.Rodata.Data))
		k.img.Rodata.Data = append(k.img.Rodata.Data, seg.Bytes...)
		d := k.dataDesc + 16*uint64(i)
		k.fixes = append(k.fixes, absFix{seg: backend.SegData, off: d, to: backend.SegRodata, add: int64(off)})
		if seg.Mode == ir.Passive {
			k.put64(backend.SegData, d+8, uint64(len(seg.Bytes)))
		}
	}
}

// elemAt records that element i of table n holds the reference c; the table's elements
// follow its descriptor's fix-up.
func (k *linker) elemAt(n uint32, i uint64, c ir.ConstExpr) {
	for _, fx := range k.fixes {
		if fx.seg == backend.SegData && fx.off == k.tabDesc+24*uint64(n) {
			k.global(c, uint64(fx.add)+8*i)
			return
		}
	}
	k.t.Fatalf("table%d has no elements", n)
}

// global writes the constant c at data offset off.
func (k *linker) global(c ir.ConstExpr, off uint64) {
	switch c.Op {
	case ir.OpIConst, ir.OpF32Const, ir.OpF64Const:
		k.put64(backend.SegData, off, c.Imm)
	case ir.OpRefFunc:
		k.fixes = append(k.fixes, absFix{seg: backend.SegData, off: off, sym: backend.SymRef{Kind: backend.RefFuncRef, Index: c.Index}})
	case ir.OpGlobalGet:
		k.global(k.m.Globals[c.Index].Init, off)
	}
}

// text assembles _start and the runtime routines, then places the functions.
func (k *linker) text(args []ir.Val) {
	var a Asm
	f := k.m.Funcs[k.entry]
	conv := convOf(f.Sig)
	// _start: rsp is 16-byte aligned at the entry point.
	a.Emit(Lea(W64, RAX, Mem{Base: RSP, Disp: -stackBudget}))
	k.fixRIP(&a, MovMR(W64, RIPRel(0), RAX), backend.SymRef{Kind: backend.RefStackLimit}, 0)
	out := (8*conv.stackWords() + 15) &^ 15
	if out > 0 {
		a.Emit(SubRI(W64, RSP, out))
	}
	for i, v := range args {
		loc := conv.params[i]
		switch {
		case loc.reg == NoReg:
			a.Emit(MovConst(R11, v.Bits))
			a.Emit(MovMR(W64, Mem{Base: RSP, Disp: 8 * loc.slot}, R11))
		case loc.reg.IsXMM():
			a.Emit(MovConst(R11, v.Bits))
			a.Emit(MovdXR(W64, loc.reg, R11))
		default:
			a.Emit(MovConst(loc.reg, v.Bits))
		}
	}
	k.callRef = a.EmitRef(CallRel32(0))
	// Results to a buffer below the outgoing area, then write(1, buf, n) and exit_group(0).
	n := int32(len(f.Sig.Results))
	buf := (8*n + 15) &^ 15
	if buf > 0 {
		a.Emit(SubRI(W64, RSP, buf))
	}
	for j, loc := range conv.results {
		dst := Mem{Base: RSP, Disp: 8 * int32(j)}
		switch {
		case loc.reg == NoReg:
			a.Emit(MovRM(W64, R11, Mem{Base: RSP, Disp: buf + 8*loc.slot}))
			a.Emit(MovMR(W64, dst, R11))
		case loc.reg.IsXMM():
			a.Emit(MovsdMR(dst, loc.reg))
		default:
			a.Emit(MovMR(W64, dst, loc.reg))
		}
	}
	a.Emit(MovRI(W32, RAX, 1))
	a.Emit(MovRI(W32, RDI, 1))
	a.Emit(MovRR(W64, RSI, RSP))
	a.Emit(MovRI(W32, RDX, 8*n))
	a.Emit(Syscall())
	a.Emit(MovRI(W32, RAX, 231))
	a.Emit(XorRR(W32, RDI, RDI))
	a.Emit(Syscall())

	for rt := range k.rtOff {
		a.Align(16)
		k.rtOff[rt] = uint64(a.Len())
		k.routine(&a, backend.RuntimeRoutine(rt))
	}
	k.funcOff = make([]uint64, len(k.m.Funcs))
	for _, c := range k.funcs {
		a.Align(16)
		k.funcOff[c.index] = uint64(a.Len())
		k.img.Symbols = append(k.img.Symbols, backend.Symbol{Name: "$" + c.f.Name, Seg: backend.SegText, Off: uint64(a.Len()), Size: uint64(len(c.code.Bytes))})
		for _, b := range c.code.Bytes {
			a.buf = append(a.buf, b)
		}
	}
	a.PatchRef(k.callRef, int(k.funcOff[k.entry]))
	code, err := a.Finish()
	if err != nil {
		k.t.Fatal(err)
	}
	k.img.Text.Data = code
}

// fixRIP emits i, whose RIP-relative field is relocated to sym+add.
func (k *linker) fixRIP(a *Asm, i Inst, sym backend.SymRef, add int64) {
	r := a.EmitRef(i)
	k.rtRelocs = append(k.rtRelocs, backend.Reloc{Offset: uint32(r.Off), Kind: backend.RelocPC32, Sym: sym, Addend: add + int64(r.Off-r.End)})
}

// routine assembles runtime routine rt.
func (k *linker) routine(a *Asm, rt backend.RuntimeRoutine) {
	switch rt {
	case backend.RtTrap:
		a.Emit(Lea(W32, RAX, Mem{Base: RDI, Disp: 'A'}))
		a.Emit(Push(RAX))
		a.Emit(MovRI(W32, RAX, 1))
		a.Emit(MovRI(W32, RDI, 1))
		a.Emit(MovRR(W64, RSI, RSP))
		a.Emit(MovRI(W32, RDX, 1))
		a.Emit(Syscall())
		a.Emit(MovRI(W32, RAX, 231))
		a.Emit(MovRI(W32, RDI, 134))
		a.Emit(Syscall())
	case backend.RtMemoryGrow:
		// (mem, delta pages) -> old pages, or -1 (as an i32) past the reservation or max.
		fail := a.NewLabel()
		k.fixRIP(a, Lea(W64, RCX, RIPRel(0)), backend.SymRef{Kind: backend.RefMemory}, 0)
		a.Emit(ImulRRI(W64, RDI, RDI, 24))
		a.Emit(AddRR(W64, RCX, RDI))
		a.Emit(MovRM(W64, RAX, Mem{Base: RCX, Disp: 8}))
		a.Emit(MovRR(W32, RDX, RSI))
		a.Emit(ShlRI(W64, RDX, 16))
		a.Emit(AddRR(W64, RDX, RAX))
		a.Emit(CmpRM(W64, RDX, Mem{Base: RCX, Disp: 16}))
		a.JccShort(CondA, fail)
		a.Emit(MovMR(W64, Mem{Base: RCX, Disp: 8}, RDX))
		a.Emit(ShrRI(W64, RAX, 16))
		a.Emit(Ret())
		a.Bind(fail)
		a.Emit(MovRI(W32, RAX, -1))
		a.Emit(Ret())
	default:
		a.Emit(MovRI(W32, RAX, 231))
		a.Emit(MovRI(W32, RDI, exitMissing))
		a.Emit(Syscall())
	}
}

// symAddr is the address of s in layout l.
func (k *linker) symAddr(l *backend.Layout, s backend.SymRef) uint64 {
	switch s.Kind {
	case backend.RefFunc:
		if k.m.Funcs[s.Index].IsImport() {
			k.t.Fatalf("the test linker binds no imports ($%s)", k.m.Funcs[s.Index].Name)
		}
		return l.Addr(backend.SegText, k.funcOff[s.Index])
	case backend.RefFuncRef:
		return l.Addr(backend.SegRodata, 16*uint64(s.Index))
	case backend.RefGlobal:
		return l.Addr(backend.SegData, k.globals[s.Index])
	case backend.RefMemory:
		return l.Addr(backend.SegData, k.memDesc+24*uint64(s.Index))
	case backend.RefTable:
		return l.Addr(backend.SegData, k.tabDesc+24*uint64(s.Index))
	case backend.RefData:
		return l.Addr(backend.SegData, k.dataDesc+16*uint64(s.Index))
	case backend.RefElem:
		return l.Addr(backend.SegData, k.elemDesc+16*uint64(s.Index))
	case backend.RefStackLimit:
		return l.Addr(backend.SegData, 0)
	case backend.RefRuntime:
		return l.Addr(backend.SegText, k.rtOff[s.Index])
	}
	k.t.Fatalf("unknown symbol %v", s)
	return 0
}

// patch applies every relocation and absolute fix-up with the layout's addresses.
func (k *linker) patch(l *backend.Layout) {
	apply := func(base uint64, r backend.Reloc) {
		p := l.Addr(backend.SegText, base+uint64(r.Offset))
		v := int64(k.symAddr(l, r.Sym)) + r.Addend - int64(p)
		if r.Kind != backend.RelocPC32 || v != int64(int32(v)) {
			k.t.Fatalf("relocation %+v: kind %d, value %#x", r, r.Kind, v)
		}
		binary.LittleEndian.PutUint32(k.img.Text.Data[base+uint64(r.Offset):], uint32(v))
	}
	for _, r := range k.rtRelocs {
		apply(0, r)
	}
	for _, c := range k.funcs {
		for _, r := range c.code.Relocs {
			apply(k.funcOff[c.index], r)
		}
	}
	for _, fx := range k.fixes {
		if fx.sym.Kind == 0 {
			k.put64(fx.seg, fx.off, l.Addr(fx.to, uint64(fx.add)))
			continue
		}
		k.put64(fx.seg, fx.off, k.symAddr(l, fx.sym)+uint64(fx.add))
	}
}
