package ir

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// This file merges several modules into one program at the IR level (DESIGN.md,
// decisions 6 and 11): the user's module with the runtime rt.wasm, or every module of a
// .wast script. Linking here rather than in the backend lets the optimizer see across
// the boundary (a runtime routine can be inlined into the guest) and lets the runtime's
// unused routines disappear before any code is generated.

// LinkInput is one module given to [Link].
type LinkInput struct {
	// Name is what other inputs import this one by: "wasi_snapshot_preview1" for the
	// runtime, a .wast register name. Empty when nothing imports it; it also prefixes
	// the input's function and global names when they collide with another input's.
	Name string
	// Module is the module; it must pass [VerifyModule]. Link does not modify it; the
	// output shares its data segments' bytes.
	Module *Module
	// ExportAs, when not empty, prefixes the names under which the output exports this
	// input's exports (if it is an entry): "a:" turns export "f" into "a:f". A .wast
	// driver links many modules whose export names collide and still finds each one's.
	// It changes only the output's names: other inputs import this one's exports by
	// Name and the original export names.
	ExportAs string
}

// LinkConfig says what [Link] keeps of its inputs.
type LinkConfig struct {
	// Entries are the positions in the inputs of the program's entry modules: only
	// their exports are exported by the output, and they are the roots of dead-function
	// elimination together with start functions and element segments. Nil keeps no
	// exports (a program run only for its start function).
	Entries []int
	// RequireResolved makes an import that no input satisfies an error, unless its
	// module is one of ExternModules. Otherwise it stays an import of the output.
	RequireResolved bool
	// ExternModules are the import modules the output may keep importing from under
	// RequireResolved: the runtime's intrinsics ("wasmc"), which lowering turns into ops.
	ExternModules []string
	// KeepAll turns dead-function elimination off, for debugging a link.
	KeepAll bool
	// DeferMinimums leaves out the check of an imported memory's or table's minimum
	// against the exporter's declared one. The spec checks the current size, which a
	// program may have grown before the importer instantiates (a .wast script does), so
	// the caller checks it when the importer instantiates, at run time.
	DeferMinimums bool
}

// Link merges mods into one module. An import whose module names an input (the
// nearest earlier input of that name, else the first later one, so that a .wast
// register shadows an older one for the modules after it) and whose field names one of
// that input's exports resolves to what the export names, following chains of
// re-exported imports; the importer's declared type must match: equal function
// signatures, equal global type and mutability, equal memory64-ness and table element
// type, and limits that satisfy the spec's import subtyping against the exporter's
// declared limits. Imports no input satisfies stay imports of the output, identical
// ones merged into one. Errors are *[LinkError]s, joined, ordered by input, kind and
// index.
//
// The output's index spaces hold each input's definitions and kept imports in input
// order: memories, tables, data and element segments all kept, so an importer's mem0
// becomes the exporter's memory and the runtime's own memory sits beside the guest's.
// Globals are ordered the same way except that a global whose initialiser reads another
// comes after it, as constant expressions require. Functions are kept only if reachable
// from the entries' exports, start functions and element segments, through call,
// callimport, reffunc and global initialisers; the order of the survivors is kept.
//
// Exports: the output exports what the entries export, in entry order, each under its
// input's ExportAs followed by its own name; two exports of one name are an error.
//
// Names: a function or global keeps its name when no other kept one of the output has
// it; otherwise it becomes input.name (m3.name for an unnamed fourth input), with .2,
// .3 … appended while that is still taken. Start: a single start function stays the
// start; several are called in input order by a synthesized function, appended after
// all others and made the start, named $start or, when an input's function has that
// name, $link.start (never renaming the input's).
func Link(mods []LinkInput, cfg LinkConfig) (*Module, error) {
	l := &linker{mods: mods, cfg: cfg, out: &Module{}, unresolved: map[string]ref{}}
	for k := range numExternKinds {
		l.canon[k] = make([][]ref, len(mods))
		l.state[k] = make([][]uint8, len(mods))
		for i := range mods {
			n := l.count(k, i)
			l.canon[k][i] = make([]ref, n)
			l.state[k][i] = make([]uint8, n)
		}
	}
	for i := range mods {
		for k := range numExternKinds {
			for j := range l.count(k, i) {
				l.resolve(k, ref{i, uint32(j)})
			}
		}
	}
	for _, e := range cfg.Entries {
		if e < 0 || e >= len(mods) {
			l.errorf(len(mods), 0, 0, fmt.Errorf("link: entry %d is not one of the %d inputs", e, len(mods)))
		}
	}
	if len(l.errs) > 0 {
		return nil, l.joinErrs()
	}
	l.number()
	l.reach()
	if len(l.errs) > 0 {
		return nil, l.joinErrs()
	}
	if err := l.orderGlobals(); err != nil {
		return nil, err
	}
	if err := l.emit(); err != nil {
		return nil, err
	}
	return l.out, nil
}

// ref names an entity of one input: a function, table, memory or global by kind.
type ref struct {
	in  int
	idx uint32
}

const unmapped = ^uint32(0) // the index of a function pruned as unreachable

type linker struct {
	mods []LinkInput
	cfg  LinkConfig
	out  *Module

	// canon is, per kind, input and index, the entity that stands for it in the output:
	// itself for a definition or kept import, else what the import resolves to.
	canon [numExternKinds][][]ref
	state [numExternKinds][][]uint8 // 0 unvisited, 1 resolving, 2 done
	// unresolved maps kind, import name and type to the first such kept import.
	unresolved map[string]ref
	errs       []linkErr

	// pre numbers the kept entities of each kind in input order; kept lists them.
	pre  [numExternKinds][][]uint32
	kept [numExternKinds][]ref
	// live marks the kept functions reachable from the roots; funcOut gives each kept
	// function's output index, unmapped if pruned.
	live    []bool
	funcOut []uint32
	// globalOut gives each kept global's output index; globalOrder lists them in output order.
	globalOut   []uint32
	globalOrder []uint32
	dataBase    []uint32 // per input, its first data segment's output index
	elemBase    []uint32 // per input, its first element segment's output index
	// typeOut, per input with bodies on demand, maps its type indices to the output's,
	// interned before any such body is built: bodies are built in parallel and must
	// not write the output module.
	typeOut [][]uint32
}

type linkErr struct {
	in   int
	kind ExternKind
	idx  uint32
	err  error
}

func (l *linker) errorf(in int, k ExternKind, idx uint32, err error) {
	l.errs = append(l.errs, linkErr{in, k, idx, err})
}

func (l *linker) joinErrs() error {
	slices.SortStableFunc(l.errs, func(a, b linkErr) int {
		if a.in != b.in {
			return a.in - b.in
		}
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return int(a.idx) - int(b.idx)
	})
	errs := make([]error, len(l.errs))
	for i, e := range l.errs {
		errs[i] = e.err
	}
	return errors.Join(errs...)
}

func (l *linker) count(k ExternKind, i int) int {
	m := l.mods[i].Module
	switch k {
	case ExternFunc:
		return len(m.Funcs)
	case ExternTable:
		return len(m.Tables)
	case ExternMemory:
		return len(m.Memories)
	}
	return len(m.Globals)
}

func (l *linker) importOf(k ExternKind, r ref) *ImportName {
	m := l.mods[r.in].Module
	switch k {
	case ExternFunc:
		return m.Funcs[r.idx].Import
	case ExternTable:
		return m.Tables[r.idx].Import
	case ExternMemory:
		return m.Memories[r.idx].Import
	}
	return m.Globals[r.idx].Import
}

// typeString spells an entity's type, to merge identical unresolved imports and to
// explain mismatches.
func (l *linker) typeString(k ExternKind, r ref) string {
	m := l.mods[r.in].Module
	switch k {
	case ExternFunc:
		return m.Funcs[r.idx].Sig.String()
	case ExternTable:
		t := &m.Tables[r.idx]
		return fmt.Sprintf("%v %+v", t.Elem, t.Limits)
	case ExternMemory:
		mem := &m.Memories[r.idx]
		return fmt.Sprintf("%v %+v", mem.Is64, mem.Limits)
	}
	return globalType(m.Globals[r.idx].Type, m.Globals[r.idx].Mutable)
}

func (l *linker) label(i int) string {
	if l.mods[i].Name != "" {
		return l.mods[i].Name
	}
	return "m" + strconv.Itoa(i)
}

// exporter returns the input an import of module name from input importer refers to.
func (l *linker) exporter(name string, importer int) (int, bool) {
	for i := importer - 1; i >= 0; i-- {
		if l.mods[i].Name == name {
			return i, true
		}
	}
	for i := importer + 1; i < len(l.mods); i++ {
		if l.mods[i].Name == name {
			return i, true
		}
	}
	return 0, false
}

// resolve computes canon for r, following imports through the inputs' exports.
func (l *linker) resolve(k ExternKind, r ref) ref {
	switch l.state[k][r.in][r.idx] {
	case 2:
		return l.canon[k][r.in][r.idx]
	case 1:
		imp := l.importOf(k, r)
		l.errorf(r.in, k, r.idx, &LinkError{Module: imp.Module, Name: imp.Name, Msg: "unknown import",
			Detail: "imports form a cycle through " + l.label(r.in)})
		return r
	}
	l.state[k][r.in][r.idx] = 1
	c := l.resolveImport(k, r)
	l.canon[k][r.in][r.idx] = c
	l.state[k][r.in][r.idx] = 2
	return c
}

func (l *linker) resolveImport(k ExternKind, r ref) ref {
	imp := l.importOf(k, r)
	if imp == nil {
		return r
	}
	fail := func(msg, format string, args ...any) ref {
		l.errorf(r.in, k, r.idx, &LinkError{Module: imp.Module, Name: imp.Name, Msg: msg,
			Detail: fmt.Sprintf("imported by %s: ", l.label(r.in)) + fmt.Sprintf(format, args...)})
		return r
	}
	e, ok := l.exporter(imp.Module, r.in)
	if !ok {
		if l.cfg.RequireResolved && !slices.Contains(l.cfg.ExternModules, imp.Module) {
			return fail("unknown import", "no input is named %q", imp.Module)
		}
		key := fmt.Sprintf("%d\x00%s\x00%s\x00%s", k, imp.Module, imp.Name, l.typeString(k, r))
		if first, ok := l.unresolved[key]; ok {
			return first
		}
		l.unresolved[key] = r
		return r
	}
	em := l.mods[e].Module
	i := slices.IndexFunc(em.Exports, func(x Export) bool { return x.Name == imp.Name })
	if i < 0 {
		return fail("unknown import", "%s exports no %q", l.label(e), imp.Name)
	}
	x := em.Exports[i]
	if x.Kind != k {
		return fail("incompatible import type", "%s exports a %v, want a %v", l.label(e), x.Kind, k)
	}
	target := ref{e, x.Index}
	if detail := l.mismatch(k, r, target); detail != "" {
		return fail("incompatible import type", "%s", detail)
	}
	return l.resolve(k, target)
}

// mismatch checks an import r against the entity x it names, as instantiation would.
func (l *linker) mismatch(k ExternKind, r, x ref) string {
	m, xm := l.mods[r.in].Module, l.mods[x.in].Module
	limits := func(got, want Limits) string {
		if l.cfg.DeferMinimums {
			want.Min = 0
		}
		if err := matchLimits(&ImportName{}, got.Min, got.Max, got.HasMax, want); err != nil {
			return err.(*LinkError).Detail
		}
		return ""
	}
	switch k {
	case ExternFunc:
		if got, want := xm.Funcs[x.idx].Sig, m.Funcs[r.idx].Sig; !got.Equal(want) {
			return fmt.Sprintf("function %v, want %v", got, want)
		}
	case ExternTable:
		got, want := &xm.Tables[x.idx], &m.Tables[r.idx]
		if got.Elem != want.Elem {
			return fmt.Sprintf("table of %v, want %v", got.Elem, want.Elem)
		}
		return limits(got.Limits, want.Limits)
	case ExternMemory:
		got, want := &xm.Memories[x.idx], &m.Memories[r.idx]
		if got.Is64 != want.Is64 {
			return fmt.Sprintf("memory64 %v, want %v", got.Is64, want.Is64)
		}
		return limits(got.Limits, want.Limits)
	case ExternGlobal:
		got, want := &xm.Globals[x.idx], &m.Globals[r.idx]
		if got.Type != want.Type || got.Mutable != want.Mutable {
			return fmt.Sprintf("global %s, want %s", globalType(got.Type, got.Mutable), globalType(want.Type, want.Mutable))
		}
	}
	return ""
}

// number gives the kept entities of each kind their position in input order and
// maps every entity to its canonical one's.
func (l *linker) number() {
	for k := range numExternKinds {
		l.pre[k] = make([][]uint32, len(l.mods))
		for i := range l.mods {
			l.pre[k][i] = make([]uint32, len(l.canon[k][i]))
			for j, c := range l.canon[k][i] {
				if c == (ref{i, uint32(j)}) {
					l.pre[k][i][j] = uint32(len(l.kept[k]))
					l.kept[k] = append(l.kept[k], c)
				}
			}
		}
		for i := range l.mods {
			for j, c := range l.canon[k][i] {
				l.pre[k][i][j] = l.pre[k][c.in][c.idx]
			}
		}
	}
	l.dataBase = make([]uint32, len(l.mods))
	l.elemBase = make([]uint32, len(l.mods))
	var nd, ne uint32
	for i, in := range l.mods {
		l.dataBase[i], l.elemBase[i] = nd, ne
		nd += uint32(len(in.Module.Data))
		ne += uint32(len(in.Module.Elems))
	}
}

// reach marks the functions reachable from the roots and numbers the survivors.
func (l *linker) reach() {
	funcs := l.kept[ExternFunc]
	l.live = make([]bool, len(funcs))
	var work []uint32
	mark := func(in int, f uint32) {
		if p := l.pre[ExternFunc][in][f]; !l.live[p] {
			l.live[p] = true
			work = append(work, p)
		}
	}
	markConst := func(in int, c ConstExpr) {
		if c.Op == OpRefFunc {
			mark(in, c.Index)
		}
	}
	for _, e := range l.cfg.Entries {
		for _, x := range l.mods[e].Module.Exports {
			if x.Kind == ExternFunc {
				mark(e, x.Index)
			}
		}
	}
	for i, in := range l.mods {
		m := in.Module
		if m.HasStart {
			mark(i, m.Start)
		}
		for _, g := range m.Globals {
			markConst(i, g.Init)
		}
		for _, s := range m.Elems {
			for _, c := range s.Elems {
				markConst(i, c)
			}
			for _, f := range s.Funcs {
				if f != NullFunc {
					mark(i, f)
				}
			}
		}
	}
	if l.cfg.KeepAll {
		for p := range l.live {
			l.live[p] = true
		}
		work = work[:0]
	}
	for len(work) > 0 {
		p := work[len(work)-1]
		work = work[:len(work)-1]
		r := funcs[p]
		f := l.mods[r.in].Module.Funcs[r.idx]
		if err := f.Refs(func(idx uint32) { mark(r.in, idx) }); err != nil {
			l.errorf(r.in, ExternFunc, r.idx, fmt.Errorf("link: $%s: %w", f.Name, err))
		}
	}
	l.funcOut = make([]uint32, len(funcs))
	n := uint32(0)
	for p, ok := range l.live {
		l.funcOut[p] = unmapped
		if ok {
			l.funcOut[p] = n
			n++
		}
	}
}

// orderGlobals places every global after the globals its initialiser reads.
func (l *linker) orderGlobals() error {
	globals := l.kept[ExternGlobal]
	l.globalOut = make([]uint32, len(globals))
	state := make([]uint8, len(globals))
	var visit func(p uint32) error
	visit = func(p uint32) error {
		switch state[p] {
		case 1:
			g := globals[p]
			return fmt.Errorf("link: global initialisers form a cycle through $%s of %s",
				l.mods[g.in].Module.Globals[g.idx].Name, l.label(g.in))
		case 2:
			return nil
		}
		state[p] = 1
		g := globals[p]
		if init := l.mods[g.in].Module.Globals[g.idx].Init; init.Op == OpGlobalGet {
			if err := visit(l.pre[ExternGlobal][g.in][init.Index]); err != nil {
				return err
			}
		}
		state[p] = 2
		l.globalOut[p] = uint32(len(l.globalOrder))
		l.globalOrder = append(l.globalOrder, p)
		return nil
	}
	for p := range globals {
		if err := visit(uint32(p)); err != nil {
			return err
		}
	}
	return nil
}

func (l *linker) funcIndex(in int, f uint32) uint32 {
	return l.funcOut[l.pre[ExternFunc][in][f]]
}

func (l *linker) globalIndex(in int, g uint32) uint32 {
	return l.globalOut[l.pre[ExternGlobal][in][g]]
}

func (l *linker) constExpr(in int, c ConstExpr) ConstExpr {
	switch c.Op {
	case OpRefFunc:
		c.Index = l.funcIndex(in, c.Index)
	case OpGlobalGet:
		c.Index = l.globalIndex(in, c.Index)
	}
	return c
}

func cloneImport(imp *ImportName) *ImportName {
	if imp == nil {
		return nil
	}
	c := *imp
	return &c
}

func cloneSig(s Signature) Signature {
	return Signature{Params: slices.Clone(s.Params), Results: slices.Clone(s.Results)}
}

// emit builds the output module from the numbering.
func (l *linker) emit() error {
	out := l.out
	for _, r := range l.kept[ExternMemory] {
		mem := l.mods[r.in].Module.Memories[r.idx]
		mem.Import = cloneImport(mem.Import)
		out.Memories = append(out.Memories, mem)
	}
	for _, r := range l.kept[ExternTable] {
		t := l.mods[r.in].Module.Tables[r.idx]
		t.Import = cloneImport(t.Import)
		out.Tables = append(out.Tables, t)
	}

	globals := l.kept[ExternGlobal]
	var gnames, gowners []string
	for _, p := range l.globalOrder {
		r := globals[p]
		g := l.mods[r.in].Module.Globals[r.idx]
		g.Import = cloneImport(g.Import)
		g.Init = l.constExpr(r.in, g.Init)
		out.Globals = append(out.Globals, g)
		gnames, gowners = append(gnames, g.Name), append(gowners, l.label(r.in))
	}
	for i, name := range uniqueNames(gnames, gowners, nil) {
		out.Globals[i].Name = name
	}

	var starts []uint32
	for i, in := range l.mods {
		if in.Module.HasStart {
			starts = append(starts, l.funcIndex(i, in.Module.Start))
		}
	}
	var fnames, fowners []string
	for p, r := range l.kept[ExternFunc] {
		if !l.live[p] {
			continue
		}
		src := l.mods[r.in].Module.Funcs[r.idx]
		var f *Func
		if src.Import != nil {
			f = &Func{Name: src.Name, Sig: cloneSig(src.Sig), Import: cloneImport(src.Import)}
		} else {
			f = l.cloneFunc(r.in, src)
		}
		out.AddFunc(f)
		fnames, fowners = append(fnames, f.Name), append(fowners, l.label(r.in))
	}
	l.internLazyTypes()
	used := make(map[string]bool, len(fnames)+1)
	for i, name := range uniqueNames(fnames, fowners, used) {
		out.Funcs[i].Name = name
	}
	switch len(starts) {
	case 0:
	case 1:
		out.Start, out.HasStart = starts[0], true
	default:
		f := l.startFunc(starts)
		f.Name = freshName("start", "link", used)
		out.Start, out.HasStart = out.AddFunc(f), true
	}

	// Sized once: a Go program has 100 000 data segments, which growing by doubling
	// copied over and over.
	nd, ne := len(out.Data), len(out.Elems)
	for _, in := range l.mods {
		nd, ne = nd+len(in.Module.Data), ne+len(in.Module.Elems)
	}
	out.Data, out.Elems = slices.Grow(out.Data, nd-len(out.Data)), slices.Grow(out.Elems, ne-len(out.Elems))
	for i, in := range l.mods {
		// Copied whole, then the active ones renumbered: one copy of the slice rather
		// than an append with a write barrier each.
		at := len(out.Data)
		out.Data = append(out.Data, in.Module.Data...)
		for j := at; j < len(out.Data); j++ {
			if d := &out.Data[j]; d.Mode == Active { // a passive segment's memory field means nothing
				d.Memory = l.pre[ExternMemory][i][d.Memory]
				d.Offset = l.constExpr(i, d.Offset)
			}
		}
		for _, e := range in.Module.Elems {
			if e.Mode == Active {
				e.Table = l.pre[ExternTable][i][e.Table]
				e.Offset = l.constExpr(i, e.Offset)
			}
			if e.Funcs != nil { // a new slice: the input's may be shared (frontend.Lower)
				funcs := make([]uint32, len(e.Funcs))
				for j, f := range e.Funcs {
					funcs[j] = NullFunc
					if f != NullFunc {
						funcs[j] = l.funcIndex(i, f)
					}
				}
				e.Funcs = funcs
			}
			items := make([]ConstExpr, len(e.Elems))
			for j, c := range e.Elems {
				items[j] = l.constExpr(i, c)
			}
			e.Elems = items
			out.Elems = append(out.Elems, e)
		}
	}

	exported := map[string]int{}
	for _, i := range l.cfg.Entries {
		for _, x := range l.mods[i].Module.Exports {
			x.Name = l.mods[i].ExportAs + x.Name
			if prev, ok := exported[x.Name]; ok {
				return fmt.Errorf("link: export %q is in both %s and %s", x.Name, l.label(prev), l.label(i))
			}
			exported[x.Name] = i
			switch x.Kind {
			case ExternFunc:
				x.Index = l.funcIndex(i, x.Index)
			case ExternGlobal:
				x.Index = l.globalIndex(i, x.Index)
			default:
				x.Index = l.pre[x.Kind][i][x.Index]
			}
			out.Exports = append(out.Exports, x)
		}
	}
	return nil
}

// startFunc returns a function that calls the output functions starts in order.
func (l *linker) startFunc(starts []uint32) *Func {
	f := &Func{Name: "start", Blocks: []Block{{}}, Layout: []BlockID{0}}
	for _, s := range starts {
		op := OpCall
		if l.out.Funcs[s].IsImport() {
			op = OpCallImport
		}
		f.Instrs = append(f.Instrs, Instr{Op: op, Index: s, Block: 0})
	}
	f.Instrs = append(f.Instrs, Instr{Op: OpReturn, Block: 0})
	for id := range f.Instrs {
		f.Blocks[0].Instrs = append(f.Blocks[0].Instrs, InstrID(id))
	}
	return f
}

// cloneFunc copies a defined function of input in, rewriting every index its
// instructions hold into the output's index spaces. call and callimport follow what the
// callee became: an import resolved to a definition is now called directly.
func (l *linker) cloneFunc(in int, src *Func) *Func {
	f := &Func{Name: src.Name, Sig: cloneSig(src.Sig)}
	if src.Lazy() {
		f.Source = &linkedBody{l: l, in: in, src: src}
		return f
	}
	f.Values = slices.Clone(src.Values)
	f.Layout = slices.Clone(src.Layout)
	f.Blocks = make([]Block, len(src.Blocks))
	for b := range src.Blocks {
		f.Blocks[b] = Block{Params: slices.Clone(src.Blocks[b].Params), Instrs: slices.Clone(src.Blocks[b].Instrs)}
	}
	srcTypes := l.mods[in].Module.Types
	f.Instrs = make([]Instr, len(src.Instrs))
	for id := range src.Instrs {
		x := src.Instrs[id]
		x.Args = slices.Clone(x.Args)
		x.Results = slices.Clone(x.Results)
		if x.Targets != nil {
			x.Targets = slices.Clone(x.Targets)
			for t := range x.Targets {
				x.Targets[t].Args = slices.Clone(x.Targets[t].Args)
			}
		}
		f.Instrs[id] = x
	}
	l.relink(in, f.Instrs, srcTypes)
	return f
}

// relink renumbers in place every index that instrs, a body of input in, hold. A load
// or store, the only common instruction with an index, is renumbered here; a rarer one
// goes through rewrite.
func (l *linker) relink(in int, instrs []Instr, srcTypes []Signature) {
	mems := l.pre[ExternMemory][in]
	for id := range instrs {
		x := &instrs[id]
		if x.Op >= numOps {
			continue
		}
		switch linkKind[x.Op] {
		case linkMem:
			x.Index = mems[x.Index]
		case linkOther:
			l.rewrite(in, x, srcTypes)
		}
	}
}

// linkParts holds, per op, the parts of its op table row that name an index the linker
// renumbers, nil for an op that names none, so that rewrite skips the other parts.
var linkParts = func() (t [numOps][]part) {
	for op := range t {
		for _, p := range opTable[op].parts {
			switch p {
			case pMemAddr, pMem, pMem2, pTable, pTable2, pData, pData2, pElem, pElem2, pGlobal, pFunc, pCallee:
				t[op] = append(t[op], p)
			}
		}
	}
	return t
}()

// Link kinds, per op in linkKind: how relink renumbers an instruction of the op.
const (
	linkNone  uint8 = iota // it names no index (most ops)
	linkMem                // it names one memory, in Index, and nothing else
	linkOther              // rewrite renumbers what linkParts lists
)

// linkKind holds each op's link kind, so that relink decides with one lookup.
var linkKind = func() (t [numOps]uint8) {
	for op, parts := range linkParts {
		switch {
		case len(parts) == 0:
			t[op] = linkNone
		case len(parts) == 1 && (parts[0] == pMemAddr || parts[0] == pMem):
			t[op] = linkMem
		default:
			t[op] = linkOther
		}
	}
	return t
}()

// rewrite maps the indices of one instruction, reading which field names what from the
// op table, so that a new op with an index is handled without touching the linker.
func (l *linker) rewrite(in int, x *Instr, srcTypes []Signature) {
	for _, p := range linkParts[x.Op] {
		switch p {
		case pMemAddr, pMem:
			x.Index = l.pre[ExternMemory][in][x.Index]
		case pMem2:
			x.Index2 = l.pre[ExternMemory][in][x.Index2]
		case pTable:
			x.Index = l.pre[ExternTable][in][x.Index]
		case pTable2:
			x.Index2 = l.pre[ExternTable][in][x.Index2]
		case pData:
			x.Index += l.dataBase[in]
		case pData2:
			x.Index2 += l.dataBase[in]
		case pElem:
			x.Index += l.elemBase[in]
		case pElem2:
			x.Index2 += l.elemBase[in]
		case pGlobal:
			x.Index = l.globalIndex(in, x.Index)
		case pFunc:
			src := x.Index
			x.Index = l.funcIndex(in, src)
			if x.Op == OpCall || x.Op == OpCallImport {
				x.Op = OpCall
				if c := l.canon[ExternFunc][in][src]; l.mods[c.in].Module.Funcs[c.idx].IsImport() {
					x.Op = OpCallImport
				}
			}
		case pCallee:
			if int(x.Index2) < len(srcTypes) {
				if l.typeOut != nil && l.typeOut[in] != nil {
					x.Index2 = l.typeOut[in][x.Index2]
				} else {
					x.Index2 = l.out.InternType(cloneSig(srcTypes[x.Index2]))
				}
			}
		}
	}
}

// uniqueNames keeps each name that occurs once and renames the others owner.name,
// suffixed .2, .3 … while that is taken, in order. It records the names it returns in
// used, when given, so that a name made up later can avoid them.
func uniqueNames(names, owners []string, used map[string]bool) []string {
	count := make(map[string]int, len(names)) // sized once: a module has thousands
	for _, n := range names {
		count[n]++
	}
	if used == nil {
		used = make(map[string]bool, len(names))
	}
	for n, c := range count {
		if c == 1 {
			used[n] = true
		}
	}
	res := make([]string, len(names))
	for i, n := range names {
		if count[n] == 1 {
			res[i] = n
			continue
		}
		res[i] = freshName(owners[i]+"."+n, "", used)
	}
	return res
}

// freshName returns name if it is not used, else owner.name (when owner is set) if
// that is not, else the first of those suffixed .2, .3 … that is not; it marks the
// result used. A name the linker makes up takes this route so that it never renames a
// function of the inputs.
func freshName(name, owner string, used map[string]bool) string {
	cand := name
	if used[cand] && owner != "" {
		name = owner + "." + name
		cand = name
	}
	for s := 2; used[cand]; s++ {
		cand = name + "." + strconv.Itoa(s)
	}
	used[cand] = true
	return cand
}
