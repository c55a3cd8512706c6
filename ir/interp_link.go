package ir

import "fmt"

// Instantiate links m against imports and instantiates it, in the order of the
// WebAssembly 2.0 spec: every import is resolved and checked first, so a *[LinkError]
// leaves everything untouched; then the globals are initialised in order, the element
// segments' references evaluated, the active element segments copied into their tables
// and dropped (declarative ones just dropped), the active data segments copied into
// their memories and dropped, and the start function run. A segment that does not fit
// traps (a *[Trap] is returned) and the segments before it stay written, which other
// instances sharing the table or memory can see; so do the start function's effects
// when it traps. m must pass [VerifyModule].
func Instantiate(m *Module, imports Resolver, cfg InterpConfig) (*Instance, error) {
	in := &Instance{module: m, cfg: cfg, exports: map[string]Extern{}}
	if err := in.link(imports); err != nil {
		return nil, err
	}
	if err := in.allocate(); err != nil {
		return nil, err
	}
	in.mach = newMachine(cfg)

	for i := range m.Elems {
		seg := &m.Elems[i]
		if seg.Mode != Active {
			if seg.Mode == Declarative {
				in.elems[i] = nil
			}
			continue
		}
		off, _, _, err := in.constValue(seg.Offset, I32)
		if err != nil {
			return nil, err
		}
		t, refs := in.tables[seg.Table], in.elems[i]
		if !fits(t.Size(), uint64(uint32(off)), uint64(len(refs))) {
			return nil, &Trap{Code: TrapOutOfBoundsTable}
		}
		copy(t.elems[uint32(off):], refs)
		in.elems[i] = nil
	}
	for i := range m.Data {
		seg := &m.Data[i]
		if seg.Mode != Active {
			continue
		}
		mem := in.mems[seg.Memory]
		off, _, _, err := in.constValue(seg.Offset, m.Memories[seg.Memory].AddrType())
		if err != nil {
			return nil, err
		}
		if !fits(uint64(len(mem.data)), off, uint64(len(seg.Bytes))) {
			return nil, &Trap{Code: TrapOutOfBoundsMemory}
		}
		copy(mem.data[off:], seg.Bytes)
		in.datas[i] = nil
	}
	if m.HasStart {
		if _, err := in.funcs[m.Start].Call(nil); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// link resolves every import and checks its type, before anything is created.
func (in *Instance) link(imports Resolver) error {
	m := in.module
	in.funcs = make([]*FuncInst, len(m.Funcs))
	in.mems = make([]*MemoryInst, len(m.Memories))
	in.tables = make([]*TableInst, len(m.Tables))
	in.globals = make([]*GlobalInst, len(m.Globals))
	for i, f := range m.Funcs {
		if f.Import == nil {
			continue
		}
		e, err := resolve(imports, f.Import, ExternFunc)
		if err != nil {
			return err
		}
		if !e.Func.sig.Equal(f.Sig) {
			return incompatible(f.Import, "function %v, want %v", e.Func.sig, f.Sig)
		}
		in.funcs[i] = e.Func
	}
	for i := range m.Tables {
		t := &m.Tables[i]
		if t.Import == nil {
			continue
		}
		e, err := resolve(imports, t.Import, ExternTable)
		if err != nil {
			return err
		}
		got := e.Table
		if got.elem != t.Elem {
			return incompatible(t.Import, "table of %v, want %v", got.elem, t.Elem)
		}
		if err := matchLimits(t.Import, got.Size(), got.max, got.hasMax, t.Limits); err != nil {
			return err
		}
		in.tables[i] = got
	}
	for i := range m.Memories {
		mem := &m.Memories[i]
		if mem.Import == nil {
			continue
		}
		e, err := resolve(imports, mem.Import, ExternMemory)
		if err != nil {
			return err
		}
		got := e.Memory
		if got.is64 != mem.Is64 {
			return incompatible(mem.Import, "memory64 %v, want %v", got.is64, mem.Is64)
		}
		if err := matchLimits(mem.Import, got.Size(), got.max, got.hasMax, mem.Limits); err != nil {
			return err
		}
		in.mems[i] = got
	}
	for i := range m.Globals {
		g := &m.Globals[i]
		if g.Import == nil {
			continue
		}
		e, err := resolve(imports, g.Import, ExternGlobal)
		if err != nil {
			return err
		}
		got := e.Global
		if got.typ != g.Type || got.mutable != g.Mutable {
			return incompatible(g.Import, "global %s, want %s", globalType(got.typ, got.mutable), globalType(g.Type, g.Mutable))
		}
		in.globals[i] = got
	}
	return nil
}

func globalType(t Type, mutable bool) string {
	if mutable {
		return "mut " + t.String()
	}
	return t.String()
}

// resolve looks an import up and checks its kind.
func resolve(imports Resolver, name *ImportName, k ExternKind) (Extern, error) {
	var e Extern
	ok := false
	if imports != nil {
		e, ok = imports(name.Module, name.Name)
	}
	if !ok {
		return e, &LinkError{Module: name.Module, Name: name.Name, Msg: "unknown import"}
	}
	present := e.Kind == k && (k == ExternFunc && e.Func != nil || k == ExternTable && e.Table != nil ||
		k == ExternMemory && e.Memory != nil || k == ExternGlobal && e.Global != nil)
	if !present {
		return e, incompatible(name, "%v, want %v", e.Kind, k)
	}
	return e, nil
}

func incompatible(name *ImportName, format string, args ...any) error {
	return &LinkError{Module: name.Module, Name: name.Name, Msg: "incompatible import type", Detail: fmt.Sprintf(format, args...)}
}

// matchLimits checks the spec's limits subtyping: the import's current size is at
// least the declared minimum, and if a maximum is declared the import has one no larger.
func matchLimits(name *ImportName, size, max uint64, hasMax bool, want Limits) error {
	if size < want.Min {
		return incompatible(name, "size %d, want at least %d", size, want.Min)
	}
	if want.HasMax && (!hasMax || max > want.Max) {
		if !hasMax {
			return incompatible(name, "no maximum, want at most %d", want.Max)
		}
		return incompatible(name, "maximum %d, want at most %d", max, want.Max)
	}
	return nil
}

// allocate creates the defined functions, memories, tables and globals, evaluates the
// segments' contents and fills the export map.
func (in *Instance) allocate() error {
	m := in.module
	for i, f := range m.Funcs {
		if f.Import == nil {
			in.funcs[i] = &FuncInst{sig: f.Sig, name: f.Name, inst: in, fn: f}
		}
	}
	for i := range m.Memories {
		mem := &m.Memories[i]
		if mem.Import != nil {
			continue
		}
		most := memoryMaxPages(mem)
		limit := min(most, 1<<16) // a memory64 larger than 4 GiB is not worth allocating here
		if mem.Limits.HasMax {
			most = mem.Limits.Max
			limit = min(limit, most)
		}
		if in.cfg.MaxMemoryPages > 0 {
			limit = min(limit, in.cfg.MaxMemoryPages)
		}
		if mem.Limits.Min > limit {
			return &Trap{Code: TrapMemoryLimit}
		}
		in.mems[i] = &MemoryInst{data: make([]byte, mem.Limits.Min*pageSize), max: most,
			hasMax: mem.Limits.HasMax, limit: limit, is64: mem.Is64}
	}
	maxElems := in.cfg.MaxTableElems
	if maxElems == 0 {
		maxElems = DefaultMaxTableElems
	}
	total := uint64(0) // the defined tables' minimums together, which may not pass the limit
	for i := range m.Tables {
		t := &m.Tables[i]
		if t.Import == nil {
			if total += t.Limits.Min; total > maxElems || t.Limits.Min > maxElems {
				return &Trap{Code: TrapTableLimit}
			}
			in.tables[i] = newTable(t.Elem, t.Limits.Min, t.Limits.Max, t.Limits.HasMax, maxElems)
		}
	}
	for i := range m.Globals {
		g := &m.Globals[i]
		if g.Import != nil {
			continue
		}
		bits, hi, ref, err := in.constValue(g.Init, g.Type)
		if err != nil {
			return fmt.Errorf("global $%s: %w", g.Name, err)
		}
		in.globals[i] = &GlobalInst{typ: g.Type, mutable: g.Mutable, bits: bits, hi: hi, ref: ref}
	}

	in.datas = make([][]byte, len(m.Data))
	for i := range m.Data {
		in.datas[i] = m.Data[i].Bytes
	}
	in.elems = make([][]any, len(m.Elems))
	for i := range m.Elems {
		seg := &m.Elems[i]
		refs := make([]any, seg.Len())
		for j := range refs {
			_, _, ref, err := in.constValue(seg.Elem(j), seg.Type)
			if err != nil {
				return fmt.Errorf("elem%d: %w", i, err)
			}
			refs[j] = ref
		}
		in.elems[i] = refs
	}

	for _, e := range m.Exports {
		x := Extern{Kind: e.Kind}
		switch e.Kind {
		case ExternFunc:
			x.Func = in.funcs[e.Index]
		case ExternTable:
			x.Table = in.tables[e.Index]
		case ExternMemory:
			x.Memory = in.mems[e.Index]
		case ExternGlobal:
			x.Global = in.globals[e.Index]
		}
		in.exports[e.Name] = x
	}
	return nil
}

// constValue evaluates a constant expression of type t: its bits (a v128's low half),
// a v128's high half, or its reference.
func (in *Instance) constValue(c ConstExpr, t Type) (bits, hi uint64, ref any, err error) {
	switch c.Op {
	case OpIConst, OpF32Const, OpF64Const:
		return mask(t, c.Imm), 0, nil, nil
	case OpV128Const:
		return c.Imm, c.Imm2, nil, nil
	case OpRefNull:
		return 0, 0, nil, nil
	case OpRefFunc:
		return 0, 0, in.funcs[c.Index], nil
	case OpGlobalGet:
		g := in.globals[c.Index]
		return g.bits, g.hi, g.ref, nil
	}
	return 0, 0, nil, fmt.Errorf("%v is not a constant expression", c.Op)
}
