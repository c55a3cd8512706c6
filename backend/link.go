package backend

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/wasmc/wasmc/ir"
)

// Runtime is what a linked program needs beyond its compiled functions: the runtime routines
// ([RuntimeRoutine]), the process entry point, and the functions bound to the module's
// function imports. It is one blob of machine code with its own relocations, placed at the
// start of text, so that whoever writes it (a test's hand-written assembly today) needs
// nothing from the linker but symbol resolution.
//
// This is the smallest interface that serves until the C runtime of DESIGN.md decision 6
// exists: then the routines and the imported functions become ordinary functions of the
// linked ir.Module, and Runtime shrinks to the few per-target routines that cannot be C
// (process entry, the syscall instruction, the fault handler).
type Runtime struct {
	// Code is the machine code. Its relocations may name any symbol of the program: the
	// entry calls a wasm function with RefFunc and sets the word at RefStackLimit, a
	// routine reaches a memory's descriptor with RefMemory, and so on.
	Code
	// Routines is the offset in Code.Bytes of each runtime routine.
	Routines [NumRuntimeRoutines]uint32
	// Entry is the offset in Code.Bytes of the first instruction the process runs. It must
	// set the stack limit before it calls wasm code.
	Entry uint32
	// Import, if not nil, binds a function import: the offset in Code.Bytes of the code
	// that implements it with the ISA's convention, or false if the runtime has none. An
	// unbound import is an error only if something refers to it.
	Import func(name ir.ImportName) (off uint32, ok bool)
	// Symbols name ranges of Code for tools; Off counts from the start of Code.Bytes.
	Symbols []Symbol
	// SystemImports become [Image.Imports] (darwin only): RefImport i is SystemImports[i].
	SystemImports []Import
	// RoutineFunc binds routine r to function RoutineFunc[r]-1 of the linked module when it
	// is not zero: the runtime's C export (DESIGN.md decision 6), which has the routine's
	// convention because wasm functions do. Routines[r] is used otherwise.
	RoutineFunc [NumRuntimeRoutines]uint32
	// DataSize is how many bytes of zeroed, writable data the runtime's code keeps for
	// itself (a .wast driver's unwinding state), reached with RefRuntimeData.
	DataSize uint64
	// MapMemories leaves every memory's and table's base in its descriptor zero for process
	// entry to fill in: entry reserves max bytes of address space per memory and commits
	// the first size (rtlib/doc.go, the reservation contract), and maps each table's
	// capacity read-write, so neither costs file space and both can grow to their
	// maximum. Active segments are then an error: they must have become code
	// (ir.SplitInit). Without it, memories and tables live in the data segment and
	// MemoryReserve and TableReserve apply.
	MapMemories bool
	// MemoryReserve is how many 64 KiB pages the linker reserves statically for each
	// memory, at least its minimum and at most its maximum; memory.grow can reach it.
	// TableReserve is the same for tables, in elements. Until the runtime maps memory
	// itself, memory lives in the data segment (its zero tail as BSS).
	MemoryReserve, TableReserve uint64
}

// linker holds the state of one [Link].
type linker struct {
	p   *Program
	m   *ir.Module
	rt  *Runtime
	img *Image

	rtOff   uint64   // text offset of the runtime's code: 0, first in text
	funcOff []uint64 // text offset of each function's code; for imports, of its binding
	bound   []bool   // whether funcOff[i] is valid
	memDesc uint64   // data offsets of the descriptor arrays
	tabDesc uint64
	// tabBudget is the word that counts what the tables may still grow by, together
	// (ir.TableDescSize).
	tabBudget uint64
	dataDesc  uint64
	elemDesc  uint64
	globals   []uint64
	refs      uint64 // rodata offset of the funcref descriptors
	functab   uint64 // rodata offset of the function table
	rtData    uint64 // data offset of the runtime's own words
	fixes     []absFix
	serial    bool   // fill with fillSerial only, as tests check fill against
	moves     []move // rodata's and data's bytes, for fill to copy into the file (elfFile)
}

// absFix is an absolute 8-byte address written into rodata or data once the layout is known:
// sym's plus add, or with no sym the address of offset add in segment to.
type absFix struct {
	seg SegKind
	off uint64
	sym SymRef
	to  SegKind
	add int64
}

// Link places the compiled program and rt into an [Image] for t, then resolves every
// relocation with the addresses the target's layout gives. Text holds rt's code and then each
// defined function in index order, 16-byte aligned; rodata the funcref descriptors
// {code, type id}, passive data bytes and element arrays; data the stack-limit word, the
// memory, table, data and element descriptors, the globals, table elements and memories.
// Every absolute address stored in rodata or data is listed in Image.Pointers, so that the
// Mach-O writer can have dyld slide it.
//
// The layout depends only on p and rt, so linking is deterministic (DESIGN.md decision 9).
func Link(p *Program, t Target, rt *Runtime) (*Image, error) { return link(p, t, rt, false) }

// link is [Link], copying and relocating the code one function after another if serial.
func link(p *Program, t Target, rt *Runtime, serial bool) (*Image, error) {
	if !t.valid() || t.Arch != p.Arch {
		return nil, fmt.Errorf("link: target %v for a program compiled for %v", t, p.Arch)
	}
	if rt == nil || len(rt.Bytes) == 0 {
		return nil, fmt.Errorf("link: no runtime code (routines and entry point)")
	}
	k := &linker{p: p, m: p.Module, rt: rt, img: &Image{Target: t}, serial: serial}
	k.img.Text.Align, k.img.Rodata.Align, k.img.Data.Align = 16, 16, 64
	k.img.Imports = rt.SystemImports
	k.funcOff, k.bound = make([]uint64, len(k.m.Funcs)), make([]bool, len(k.m.Funcs))
	for i, f := range k.m.Funcs {
		if f.IsImport() && rt.Import != nil {
			if off, ok := rt.Import(*f.Import); ok && uint64(off) < uint64(len(rt.Bytes)) {
				k.funcOff[i], k.bound[i] = k.rtOff+uint64(off), true
			}
		}
	}
	if err := k.state(); err != nil {
		return nil, err
	}
	if err := k.text(); err != nil {
		return nil, err
	}
	var l *Layout
	var err error
	if t.OS == OSDarwin {
		l, err = LayoutMachO(k.img)
	} else {
		l, err = LayoutELF(k.img)
	}
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	if err := k.patch(l); err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	return k.img, nil
}

// Write lays out img for its target and writes the executable file.
func Write(img *Image) ([]byte, error) {
	if img.Target.OS == OSDarwin {
		l, err := LayoutMachO(img)
		if err != nil {
			return nil, err
		}
		return WriteMachO(img, l)
	}
	l, err := LayoutELF(img)
	if err != nil {
		return nil, err
	}
	return writeELF(img, l), nil
}

func (k *linker) data(n, align uint64) uint64 {
	d := &k.img.Data
	off := alignUp(uint64(len(d.Data)), align)
	d.Data = append(d.Data, make([]byte, off+n-uint64(len(d.Data)))...)
	return off
}

func (k *linker) rodata(b []byte, align uint64) uint64 {
	r := &k.img.Rodata
	off := alignUp(uint64(len(r.Data)), align)
	r.Data = append(r.Data, make([]byte, off-uint64(len(r.Data)))...)
	r.Data = append(r.Data, b...)
	return off
}

func (k *linker) put64(seg SegKind, off, v uint64) {
	binary.LittleEndian.PutUint64(k.img.Segment(seg).Data[off:], v)
}

func (k *linker) object(name string, seg SegKind, off, size uint64) {
	if size > 0 {
		k.img.Symbols = append(k.img.Symbols, Symbol{Name: name, Seg: seg, Off: off, Size: size, Kind: SymObject})
	}
}

// state lays out rodata and data: everything but code.
func (k *linker) state() error {
	m := k.m
	for i, mem := range m.Memories {
		if mem.Import != nil {
			return fmt.Errorf("link: memory %d is imported from %s.%s, which nothing binds", i, mem.Import.Module, mem.Import.Name)
		}
	}
	for i, tab := range m.Tables {
		if tab.Import != nil {
			return fmt.Errorf("link: table %d is imported from %s.%s, which nothing binds", i, tab.Import.Module, tab.Import.Name)
		}
	}
	k.reserve()
	k.object("wasmc.stack_limit", SegData, k.data(8, 8), 8)
	if k.rt.DataSize > 0 {
		k.rtData = k.data(k.rt.DataSize, 8)
		k.object("wasmc.runtime_data", SegData, k.rtData, k.rt.DataSize)
	}
	k.memDesc = k.data(MemoryDescSize*uint64(len(m.Memories)), 8)
	k.object("wasmc.memories", SegData, k.memDesc, MemoryDescSize*uint64(len(m.Memories)))
	k.tabDesc = k.data(ir.TableDescSize*uint64(len(m.Tables)), 8)
	k.object("wasmc.tables", SegData, k.tabDesc, ir.TableDescSize*uint64(len(m.Tables)))
	k.tabBudget = k.data(8, 8)
	k.object("wasmc.table_budget", SegData, k.tabBudget, 8)
	total := uint64(0)
	for _, tab := range m.Tables[:max(0, len(m.Tables)-k.p.Limits.RuntimeTables)] {
		total += min(tab.Limits.Min, k.p.Limits.TableElems())
	}
	k.put64(SegData, k.tabBudget, k.p.Limits.TableElems()-min(total, k.p.Limits.TableElems()))
	k.dataDesc = k.data(16*uint64(len(m.Data)), 8)
	k.object("wasmc.data_segments", SegData, k.dataDesc, 16*uint64(len(m.Data)))
	k.elemDesc = k.data(ElemDescSize*uint64(len(m.Elems)), 8)
	k.object("wasmc.elem_segments", SegData, k.elemDesc, ElemDescSize*uint64(len(m.Elems)))
	k.globals = make([]uint64, len(m.Globals))
	for i, g := range m.Globals {
		if g.Import != nil {
			return fmt.Errorf("link: global $%s is imported from %s.%s, which nothing binds", g.Name, g.Import.Module, g.Import.Name)
		}
		size := uint64(max(8, g.Type.Size()))
		k.globals[i] = k.data(size, size)
		k.object("$"+g.Name, SegData, k.globals[i], size)
		if err := k.constant(g.Init, SegData, k.globals[i]); err != nil {
			return fmt.Errorf("link: global $%s: %w", g.Name, err)
		}
	}

	// Funcref descriptors {code, type id}; the code addresses are fixed up after layout.
	k.refs = k.rodata(make([]byte, 16*len(m.Funcs)), 16)
	k.object("wasmc.funcrefs", SegRodata, k.refs, 16*uint64(len(m.Funcs)))
	for i, f := range m.Funcs {
		off := k.refs + 16*uint64(i)
		binary.LittleEndian.PutUint64(k.img.Rodata.Data[off+8:], uint64(k.p.FuncTypeIDs[i]))
		if f.IsImport() && !k.bound[i] {
			continue // zero: nothing can call it, as nothing refers to it (patch checks)
		}
		k.fixes = append(k.fixes, absFix{seg: SegRodata, off: off, sym: SymRef{Kind: RefFunc, Index: uint32(i)}})
	}
	for i, seg := range m.Data {
		off := k.rodata(seg.Bytes, 1)
		d := k.dataDesc + 16*uint64(i)
		k.fixes = append(k.fixes, absFix{seg: SegData, off: d, to: SegRodata, add: int64(off)})
		if seg.Mode == ir.Passive {
			k.put64(SegData, d+8, uint64(len(seg.Bytes))) // an active segment is dropped
		}
	}
	for i := range m.Elems {
		if err := k.elemSegment(i); err != nil {
			return fmt.Errorf("link: elem%d: %w", i, err)
		}
	}
	k.funcTable()
	if k.rt.MapMemories {
		if err := k.mappedTables(); err != nil {
			return err
		}
		return k.mappedMemories()
	}
	if k.p.Env != nil && k.p.Env.BoundsChecks == BoundsGuard {
		return fmt.Errorf("link: guard pages need a runtime that maps memories")
	}
	if err := k.tables(); err != nil {
		return err
	}
	return k.memories()
}

// ElemDescSize is the size of an element segment's descriptor {base, length, funcrefs}.
const ElemDescSize = 24

// elemSegment places element segment i in rodata as an array of 32-bit function indices,
// ^0 for null, which table.init expands into references (rtlib/c/table.c): funcrefs +
// 16*index, or 0. Four bytes an element and no relocation, where an array of references
// would take eight and a fix-up each, and a module may list millions of elements at a
// byte each (issue 19, finding 4). Its descriptor is {base, length, funcrefs}, the length
// 0 for a segment that is not passive (an active one is dropped once applied).
func (k *linker) elemSegment(i int) error {
	seg := &k.m.Elems[i]
	n := seg.Len()
	r := &k.img.Rodata // grown in place: a temporary as large would double the cost
	off := alignUp(uint64(len(r.Data)), 8)
	r.Data = append(r.Data, make([]byte, off+uint64(4*n+7)&^7-uint64(len(r.Data)))...) // whole words: table.init reads them
	k.object(fmt.Sprintf("wasmc.elem%d", i), SegRodata, off, 4*uint64(n))
	b := k.img.Rodata.Data[off:]
	for j := range n {
		f, err := k.elemFunc(seg, j)
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint32(b[4*j:], f)
	}
	d := k.elemDesc + ElemDescSize*uint64(i)
	k.fixes = append(k.fixes,
		absFix{seg: SegData, off: d, to: SegRodata, add: int64(off)},
		absFix{seg: SegData, off: d + 16, to: SegRodata, add: int64(k.refs)})
	if seg.Mode == ir.Passive {
		k.put64(SegData, d+8, uint64(n))
	}
	return nil
}

// elemFunc is element j of seg as a function index, or ir.NullFunc.
func (k *linker) elemFunc(seg *ir.ElemSegment, j int) (uint32, error) {
	if seg.Funcs != nil {
		f := seg.Funcs[j]
		if f != ir.NullFunc && int64(f) >= int64(len(k.m.Funcs)) {
			return 0, fmt.Errorf("function %d out of range", f)
		}
		return f, nil
	}
	c := seg.Elems[j]
	for depth := 0; c.Op == ir.OpGlobalGet; depth++ {
		if int(c.Index) >= len(k.m.Globals) || depth > len(k.m.Globals) {
			return 0, fmt.Errorf("global %d out of range", c.Index)
		}
		c = k.m.Globals[c.Index].Init
	}
	switch c.Op {
	case ir.OpRefNull:
		return ir.NullFunc, nil
	case ir.OpRefFunc:
		if int64(c.Index) < int64(len(k.m.Funcs)) {
			return c.Index, nil
		}
	}
	return 0, fmt.Errorf("element %d: constant expression %v", j, c.Op)
}

// funcTable lays out the function table of rtlib/doc.go in rodata: {count, end}, then
// {start, name address, name length} for each defined function, in text order (index
// order, which text() keeps), with the names after it.
func (k *linker) funcTable() {
	count, size := 0, 0
	for i, c := range k.p.Code {
		if c != nil {
			count++
			size += len(k.m.Funcs[i].Name)
		}
	}
	names, nameOff := make([]byte, 0, size), make([]uint64, 0, count)
	k.functab = k.rodata(make([]byte, 16+24*count), 8)
	k.object("wasmc.functab", SegRodata, k.functab, uint64(16+24*count))
	k.put64(SegRodata, k.functab, uint64(count))
	for i, c := range k.p.Code {
		if c == nil {
			continue
		}
		nameOff = append(nameOff, uint64(len(names)))
		names = append(names, k.m.Funcs[i].Name...)
	}
	base := k.rodata(names, 1)
	e := k.functab + 16
	j := 0
	for i, c := range k.p.Code {
		if c == nil {
			continue
		}
		k.fixes = append(k.fixes,
			absFix{seg: SegRodata, off: e, sym: SymRef{Kind: RefFunc, Index: uint32(i)}},
			absFix{seg: SegRodata, off: e + 8, to: SegRodata, add: int64(base + nameOff[j])})
		k.put64(SegRodata, e+16, uint64(len(k.m.Funcs[i].Name)))
		e += 24
		j++
	}
}

// mappedTables writes each table's descriptor for process entry to map: {0, min, capacity},
// the capacity its max or the limit (Program.Limits), in elements of 8 bytes. A table
// whose minimum is over the limit gets the limit: its instance does not instantiate.
func (k *linker) mappedTables() error {
	for i, tab := range k.m.Tables {
		for j, seg := range k.m.Elems {
			if seg.Mode == ir.Active && seg.Table == uint32(i) {
				return fmt.Errorf("link: elem%d is active; with mapped tables segments are applied by code", j)
			}
		}
		limit := k.p.Limits.TableElems()
		if tab.Limits.HasMax {
			limit = min(limit, tab.Limits.Max)
		}
		d := k.tabDesc + ir.TableDescSize*uint64(i)
		k.put64(SegData, d+8, min(tab.Limits.Min, limit))
		k.put64(SegData, d+16, limit)
		k.fixes = append(k.fixes, absFix{seg: SegData, off: d + 24, to: SegData, add: int64(k.tabBudget)})
	}
	return nil
}

// mappedMemories writes each memory's descriptor for process entry to map (MapMemories):
// its max is its own or the limit (Program.Limits), and one whose minimum is over that
// gets the limit, as its instance does not instantiate.
func (k *linker) mappedMemories() error {
	const maxPages = 1 << 16 // 4 GiB: what a 32-bit memory can address

	active := make([]int, len(k.m.Memories)) // 1 + each memory's first active segment, or 0
	for j, seg := range k.m.Data {
		if seg.Mode == ir.Active && uint64(seg.Memory) < uint64(len(active)) && active[seg.Memory] == 0 {
			active[seg.Memory] = j + 1
		}
	}
	for i, mem := range k.m.Memories {
		if j := active[i]; j != 0 {
			return fmt.Errorf("link: data%d is active; with mapped memories segments are applied by code", j-1)
		}
		limit := uint64(maxPages)
		if i < len(k.m.Memories)-k.p.Limits.RuntimeMemories {
			limit = min(limit, k.p.Limits.MemoryPages())
		}
		if mem.Limits.HasMax {
			limit = min(limit, mem.Limits.Max)
		}
		d := k.memDesc + MemoryDescSize*uint64(i)
		k.put64(SegData, d+8, min(mem.Limits.Min, limit)*65536)
		k.put64(SegData, d+16, limit*65536)
		reserve := limit * 65536
		if k.p.Env != nil && k.p.Env.Guarded(uint32(i)) {
			reserve = GuardedReserve
		}
		k.put64(SegData, d+24, reserve)
	}
	return nil
}

// tables places each table's elements and applies the active element segments.
func (k *linker) tables() error {
	m := k.m
	base := make([]uint64, len(m.Tables))
	for i, tab := range m.Tables {
		n := reserve(tab.Limits, k.rt.TableReserve)
		base[i] = k.data(8*n, 8)
		k.object(fmt.Sprintf("wasmc.table%d", i), SegData, base[i], 8*n)
		d := k.tabDesc + ir.TableDescSize*uint64(i)
		k.fixes = append(k.fixes, absFix{seg: SegData, off: d, to: SegData, add: int64(base[i])})
		k.put64(SegData, d+8, tab.Limits.Min)
		k.put64(SegData, d+16, n)
		k.fixes = append(k.fixes, absFix{seg: SegData, off: d + 24, to: SegData, add: int64(k.tabBudget)})
	}
	// Segments apply in order, so a slot holds the last element written to it: written
	// once, lest a pointer be listed twice or a ref.func outlive a later null.
	type write struct {
		seg, elem int
		off       uint64 // in data
	}
	var writes []write
	last := map[uint64]int{} // data offset -> index in writes of its last write
	for i, seg := range m.Elems {
		if seg.Mode != ir.Active {
			continue
		}
		off, err := k.offset(seg.Offset)
		if err != nil {
			return fmt.Errorf("link: elem%d: %w", i, err)
		}
		if n := uint64(seg.Len()); int(seg.Table) >= len(m.Tables) || off+n > m.Tables[seg.Table].Limits.Min || off+n < off {
			return fmt.Errorf("link: elem%d does not fit in table%d", i, seg.Table)
		}
		for j := range seg.Len() {
			at := base[seg.Table] + 8*(off+uint64(j))
			last[at] = len(writes)
			writes = append(writes, write{i, j, at})
		}
	}
	for w, e := range writes {
		if last[e.off] != w {
			continue
		}
		if err := k.constant(m.Elems[e.seg].Elem(e.elem), SegData, e.off); err != nil {
			return fmt.Errorf("link: elem%d: %w", e.seg, err)
		}
	}
	return nil
}

// memories places each memory with its active data segments last in data, so that the last
// one's zeros past its initialized bytes cost no file space.
func (k *linker) memories() error {
	m := k.m
	for i, mem := range m.Memories {
		pages := reserve(mem.Limits, k.rt.MemoryReserve)
		size := pages * 65536
		if pages > maxSpan/65536 {
			return fmt.Errorf("link: memory %d of %d pages is larger than an image may be", i, pages)
		}
		init := uint64(0) // bytes with file contents: up to the end of the last active segment
		for j, seg := range m.Data {
			if seg.Mode != ir.Active || seg.Memory != uint32(i) {
				continue
			}
			off, err := k.offset(seg.Offset)
			if err != nil {
				return fmt.Errorf("link: data%d: %w", j, err)
			}
			end := off + uint64(len(seg.Bytes))
			if end < off || end > mem.Limits.Min*65536 {
				return fmt.Errorf("link: data%d does not fit in memory %d", j, i)
			}
			init = max(init, end)
		}
		if i < len(m.Memories)-1 {
			init = size
		}
		base := k.data(init, 64)
		k.img.Data.BSS = 0
		if i == len(m.Memories)-1 {
			k.img.Data.BSS = size - init
		}
		k.object(fmt.Sprintf("wasmc.memory%d", i), SegData, base, size)
		for _, seg := range m.Data {
			if seg.Mode == ir.Active && seg.Memory == uint32(i) {
				off, _ := k.offset(seg.Offset)
				copy(k.img.Data.Data[base+off:], seg.Bytes)
			}
		}
		d := k.memDesc + MemoryDescSize*uint64(i)
		k.fixes = append(k.fixes, absFix{seg: SegData, off: d, to: SegData, add: int64(base)})
		k.put64(SegData, d+8, mem.Limits.Min*65536)
		k.put64(SegData, d+16, size)
		k.put64(SegData, d+24, size)
	}
	return nil
}

// reserve is how many units (pages or elements) to reserve for limits: want, but at least
// the minimum and at most the maximum.
func reserve(l ir.Limits, want uint64) uint64 {
	n := max(l.Min, want)
	if l.HasMax {
		n = min(n, max(l.Max, l.Min))
	}
	return n
}

// offset evaluates a segment's offset expression.
func (k *linker) offset(c ir.ConstExpr) (uint64, error) {
	switch c.Op {
	case ir.OpIConst:
		return c.Imm, nil
	case ir.OpGlobalGet:
		if int(c.Index) < len(k.m.Globals) {
			return k.offset(k.m.Globals[c.Index].Init)
		}
	}
	return 0, fmt.Errorf("offset %v is not a constant the linker can evaluate", c.Op)
}

// constant writes the value of c at off in seg: bits now, or a fix-up for a reference.
func (k *linker) constant(c ir.ConstExpr, seg SegKind, off uint64) error {
	switch c.Op {
	case ir.OpIConst, ir.OpF32Const, ir.OpF64Const:
		k.put64(seg, off, c.Imm)
	case ir.OpV128Const:
		k.put64(seg, off, c.Imm)
		k.put64(seg, off+8, c.Imm2)
	case ir.OpRefNull:
	case ir.OpRefFunc:
		k.fixes = append(k.fixes, absFix{seg: seg, off: off, sym: SymRef{Kind: RefFuncRef, Index: c.Index}})
	case ir.OpGlobalGet:
		if int(c.Index) >= len(k.m.Globals) {
			return fmt.Errorf("global %d out of range", c.Index)
		}
		return k.constant(k.m.Globals[c.Index].Init, seg, off)
	default:
		return fmt.Errorf("constant expression %v", c.Op)
	}
	return nil
}

// text places the runtime's code and then every defined function, 16-byte aligned, with a
// symbol for each. It only decides where they go: the bytes are copied by fill, once the
// layout is known, straight into the memory they are written from (elfFile).
func (k *linker) text() error {
	size := uint64(len(k.rt.Bytes))
	k.img.Entry = uint64(k.rt.Entry)
	for _, s := range k.rt.Symbols {
		s.Seg, s.Off = SegText, s.Off+k.rtOff
		k.img.Symbols = append(k.img.Symbols, s)
	}
	for _, off := range k.rt.Routines {
		if uint64(off) >= uint64(len(k.rt.Bytes)) {
			return fmt.Errorf("link: runtime routine at %#x outside the runtime's %#x bytes", off, len(k.rt.Bytes))
		}
	}
	for i, c := range k.p.Code {
		if c == nil {
			continue
		}
		size = alignUp(size, 16)
		k.funcOff[i], k.bound[i] = size, true
		size += uint64(len(c.Bytes))
		k.img.Symbols = append(k.img.Symbols, Symbol{Name: "$" + k.m.Funcs[i].Name, Seg: SegText, Off: k.funcOff[i], Size: uint64(len(c.Bytes)), Kind: SymFunc})
	}
	// The function table's end: the first address after the last function's code.
	k.fixes = append(k.fixes, absFix{seg: SegRodata, off: k.functab + 8, to: SegText, add: int64(size)})
	if k.img.Target.OS == OSLinux {
		k.img.file, k.moves = elfFile(k.img, size)
	} else {
		k.img.Text.Data = make([]byte, size)
	}
	return nil
}

// symAddr is the address of s in layout l.
func (k *linker) symAddr(l *Layout, s SymRef) (uint64, error) {
	i := uint64(s.Index)
	in := func(n int) bool { return i < uint64(n) }
	switch s.Kind {
	case RefFunc:
		if in(len(k.m.Funcs)) && k.bound[i] {
			return l.Addr(SegText, k.funcOff[i]), nil
		}
		if in(len(k.m.Funcs)) && k.m.Funcs[i].Import != nil {
			imp := k.m.Funcs[i].Import
			return 0, fmt.Errorf("$%s is imported from %s.%s, which the runtime does not bind", k.m.Funcs[i].Name, imp.Module, imp.Name)
		}
	case RefFuncRef:
		if in(len(k.m.Funcs)) {
			if !k.bound[i] {
				return k.symAddr(l, SymRef{Kind: RefFunc, Index: s.Index}) // the error
			}
			return l.Addr(SegRodata, k.refs+16*i), nil
		}
	case RefGlobal:
		if in(len(k.globals)) {
			return l.Addr(SegData, k.globals[i]), nil
		}
	case RefMemory:
		if in(len(k.m.Memories)) {
			return l.Addr(SegData, k.memDesc+MemoryDescSize*i), nil
		}
	case RefTable:
		if in(len(k.m.Tables)) {
			return l.Addr(SegData, k.tabDesc+ir.TableDescSize*i), nil
		}
	case RefData:
		if in(len(k.m.Data)) {
			return l.Addr(SegData, k.dataDesc+16*i), nil
		}
	case RefElem:
		if in(len(k.m.Elems)) {
			return l.Addr(SegData, k.elemDesc+ElemDescSize*i), nil
		}
	case RefStackLimit:
		return l.Addr(SegData, 0), nil
	case RefRuntime:
		if in(int(NumRuntimeRoutines)) {
			if f := k.rt.RoutineFunc[i]; f != 0 {
				return k.symAddr(l, SymRef{Kind: RefFunc, Index: f - 1})
			}
			return l.Addr(SegText, k.rtOff+uint64(k.rt.Routines[i])), nil
		}
	case RefFunctab:
		return l.Addr(SegRodata, k.functab), nil
	case RefRuntimeData:
		if i < k.rt.DataSize {
			return l.Addr(SegData, k.rtData+i), nil
		}
	case RefImport:
		if in(len(k.img.Imports)) {
			return l.ImportAddr(int(i)), nil
		}
	}
	return 0, fmt.Errorf("symbol %d of kind %d does not exist", s.Index, s.Kind)
}

// patch copies the code into text (fill) and applies every relocation and absolute fix-up
// with the layout's addresses.
func (k *linker) patch(l *Layout) error {
	if err := k.fill(l); err != nil {
		return err
	}
	k.img.Pointers = slices.Grow(k.img.Pointers, len(k.fixes))
	for _, fx := range k.fixes {
		v := l.Addr(fx.to, uint64(fx.add))
		if fx.sym.Kind != 0 {
			s, err := k.symAddr(l, fx.sym)
			if err != nil {
				return err
			}
			v = s + uint64(fx.add)
		}
		k.put64(fx.seg, fx.off, v)
		k.img.Pointers = append(k.img.Pointers, Pointer{Seg: fx.seg, Off: fx.off})
	}
	return nil
}

// relocate applies the relocations of the code at text offset base, whose fields must lie
// within text, a prefix of the text segment.
func (k *linker) relocate(l *Layout, text []byte, base uint64, rs []Reloc) error {
	for _, r := range rs {
		s, err := k.symAddr(l, r.Sym)
		if err != nil {
			return err
		}
		off := base + uint64(r.Offset)
		p := l.Addr(SegText, off)
		v := int64(s) + r.Addend
		field := func(n uint64) ([]byte, error) {
			if off+n > uint64(len(text)) || off+n < off {
				return nil, fmt.Errorf("relocation at %#x outside the code", r.Offset)
			}
			return text[off : off+n], nil
		}
		// Built only on failure: a large program has millions of relocations.
		rangeErr := func() error { return fmt.Errorf("relocation %+v: %#x out of range", r, v) }
		switch r.Kind {
		case RelocPC32:
			f, err := field(4)
			if err != nil {
				return err
			}
			if d := v - int64(p); d == int64(int32(d)) {
				binary.LittleEndian.PutUint32(f, uint32(int32(d)))
				continue
			}
			return rangeErr()
		case RelocAbs64:
			if k.img.Target.OS == OSDarwin {
				return fmt.Errorf("relocation %+v: an absolute address in code cannot slide", r)
			}
			f, err := field(8)
			if err != nil {
				return err
			}
			binary.LittleEndian.PutUint64(f, uint64(v))
			continue
		}
		f, err := field(4)
		if err != nil {
			return err
		}
		insn := binary.LittleEndian.Uint32(f)
		switch r.Kind {
		case RelocARM64Call26:
			d := v - int64(p)
			if d&3 != 0 || d < -(1<<27) || d >= 1<<27 {
				return rangeErr()
			}
			insn = insn&^(1<<26-1) | uint32(d>>2)&(1<<26-1)
		case RelocARM64AdrpPage21:
			d := v>>12 - int64(p)>>12
			if d < -(1<<20) || d >= 1<<20 {
				return rangeErr()
			}
			insn = insn&^(3<<29|(1<<19-1)<<5) | uint32(d&3)<<29 | uint32(d>>2)&(1<<19-1)<<5
		case RelocARM64AddLo12:
			insn = insn&^(0xfff<<10) | uint32(v&0xfff)<<10
		case RelocARM64Ldst64Lo12:
			if v&7 != 0 {
				return fmt.Errorf("relocation %+v: %#x is not 8-byte aligned", r, v)
			}
			insn = insn&^(0xfff<<10) | uint32(v&0xfff>>3)<<10
		default:
			return fmt.Errorf("relocation %+v: unknown kind", r)
		}
		binary.LittleEndian.PutUint32(f, insn)
	}
	return nil
}
