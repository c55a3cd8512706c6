package driver

import (
	"fmt"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// A .wast script's executable (DESIGN.md decision 11, [Script]). Each input is an instance
// whose exports the linked module holds under the prefix "mN:"; each step becomes a
// generated function that runs one command and reports it: every result's bits through
// wasmc_driver_value (a v128's as two values, its low then its high 64 bits), then
// wasmc_driver_done, which writes the line "ok …". A trap never
// gets that far: the entry's trap routine unwinds to the entry, which reports it through
// wasmc_driver_trap and goes on with the next step.

// inputPrefix is the prefix of input i's exports in a script's linked module.
func inputPrefix(i int) string { return fmt.Sprintf("m%d:", i) }

// linkCheckExport names the function addLinkCheck adds.
const linkCheckExport = "wasmc:linkcheck"

// linkScript links a script's inputs with the runtime. Each input that needs it gets its
// link check first.
func linkScript(mods []*ir.Module, inputs []Input, t backend.Target, o *Options) (*ir.Module, error) {
	var in []ir.LinkInput
	for i, m := range mods {
		addLinkCheck(m)
		in = append(in, ir.LinkInput{Name: inputs[i].Name, Module: m, ExportAs: inputPrefix(i)})
	}
	rt, err := runtimeModule(t.OS, runtimeKeep(driverExports...))
	if err != nil {
		return nil, err
	}
	in = append(in, ir.LinkInput{Name: "wasmc_rt", Module: rt, ExportAs: rtPrefix})
	return link(in, t, -1, nil, o)
}

// scriptEntry adds the step functions to linked module m: the runtime's initialisation
// and the second wall first, then the script's steps. It returns what entry calls.
func scriptEntry(m *ir.Module, s *Script) (backend.EntryConfig, error) {
	e := backend.EntryConfig{Driver: true}
	d := &stepGen{m: m, rt: map[string]uint32{}, names: map[string]bool{}}
	for _, f := range m.Funcs {
		d.names[f.Name] = true
	}
	for _, name := range driverExports {
		var err error
		if d.rt[name], err = exportedFunc(m, rtPrefix+name); err != nil {
			return e, err
		}
	}
	e.DriverTrap = d.rt[rtDriverTrap]
	init, err := exportedFunc(m, rtPrefix+initExport)
	if err != nil {
		return e, err
	}
	wall, err := exportedFunc(m, rtPrefix+rtWall)
	if err != nil {
		return e, err
	}
	e.Steps = append(e.Steps, d.call(0, init, wall))
	for i, s := range s.Steps {
		f, err := d.step(i+1, s)
		if err != nil {
			return e, err
		}
		e.Steps = append(e.Steps, f)
	}
	return e, nil
}

// stepGen adds the step functions of a .wast executable to its linked module.
type stepGen struct {
	m     *ir.Module
	rt    map[string]uint32 // the runtime's driver routines by export name
	names map[string]bool   // function names taken
}

// begin adds the function of step i and returns its index and a builder in its entry.
func (d *stepGen) begin(i int) (uint32, *ir.Builder) {
	name := fmt.Sprintf("wast.step%d", i)
	for d.names[name] {
		name += "_"
	}
	d.names[name] = true
	idx := d.m.AddFunc(ir.NewFunc(name, ir.Signature{}))
	b := ir.NewBuilder(d.m.Funcs[idx])
	b.NewEntry()
	return idx, b
}

// done ends a step function: the report's line, then return.
func (d *stepGen) done(b *ir.Builder) {
	b.Call(d.rt[rtDriverDone])
	b.Return()
}

// call adds step i, which calls functions fs of type () -> () in order and reports "ok".
func (d *stepGen) call(i int, fs ...uint32) uint32 {
	idx, b := d.begin(i)
	for _, f := range fs {
		b.Call(f)
	}
	d.done(b)
	return idx
}

// step adds the function of step i and returns its index.
func (d *stepGen) step(i int, s Step) (uint32, error) {
	m := d.m
	prefix := inputPrefix(s.Input)
	idx, b := d.begin(i)
	check, hasCheck := m.Export(prefix+linkCheckExport, ir.ExternFunc)
	if s.Kind == StepLinkCheck && !hasCheck {
		return 0, fmt.Errorf("internal error: step %d: input %d needs no link check", i, s.Input)
	}
	if (s.Kind == StepInit || s.Kind == StepLinkCheck) && hasCheck {
		ok := b.Call(check)[0]
		if s.Kind == StepLinkCheck {
			d.report(b, ok)
			d.done(b)
			return idx, nil
		}
		// A module too big for its imports reports "ok 0" and is not instantiated.
		linked, unlinked := b.NewBlock(), b.NewBlock()
		b.BrIf(ok, linked, nil, unlinked, nil)
		b.SetBlock(unlinked)
		d.report(b, b.IConst(ir.I32, 0))
		d.done(b)
		b.SetBlock(linked)
	}
	switch s.Kind {
	case StepInit, StepInvoke:
		name := prefix + s.Export
		if s.Kind == StepInit {
			name = prefix + initExport
		}
		fn, err := exportedFunc(m, name)
		if err != nil {
			return 0, err
		}
		args := make([]ir.Value, len(s.Args))
		for j, a := range s.Args {
			args[j] = constant(b, a)
		}
		for _, r := range b.Call(fn, args...) {
			d.report(b, r)
		}
	case StepGet:
		g, ok := m.Export(prefix+s.Export, ir.ExternGlobal)
		if !ok {
			return 0, fmt.Errorf("internal error: the linked program exports no global %q", prefix+s.Export)
		}
		d.report(b, b.GlobalGet(g, m.Globals[g].Type))
	default:
		return 0, fmt.Errorf("internal error: step %d: kind %d", i, s.Kind)
	}
	d.done(b)
	return idx, nil
}

// report passes v's bits to wasmc_driver_value, a v128's in two calls.
func (d *stepGen) report(b *ir.Builder, v ir.Value) {
	if b.Func().TypeOf(v) == ir.V128 {
		for lane := range uint64(2) {
			half := b.Emit(ir.Instr{Op: ir.OpVExtract, Shape: ir.I64x2, Imm2: lane, Args: []ir.Value{v}}, ir.I64)
			b.Call(d.rt[rtDriverValue], b.Func().Instrs[half].Results[0])
		}
		return
	}
	b.Call(d.rt[rtDriverValue], valueBits(b, v))
}

// valueBits emits v's bit pattern as an i64, as the runtime's printers take every value:
// zero-extended for i32 and f32, a reference's bits for references.
func valueBits(b *ir.Builder, v ir.Value) ir.Value {
	switch b.Func().TypeOf(v) {
	case ir.I32:
		return b.Convert(ir.OpZExt, ir.I64, v)
	case ir.I64:
		return v
	case ir.F32:
		return b.Convert(ir.OpZExt, ir.I64, b.Convert(ir.OpBitcast, ir.I32, v))
	case ir.F64:
		return b.Convert(ir.OpBitcast, ir.I64, v)
	}
	return b.Convert(ir.OpRefBits, ir.I64, v)
}

// constant emits a step's argument; a reference's bits are 0 for null, N+1 for host
// reference N.
func constant(b *ir.Builder, a ir.Val) ir.Value {
	switch a.Type {
	case ir.I32, ir.I64:
		return b.IConst(a.Type, a.Bits)
	case ir.F32:
		return b.F32Const(uint32(a.Bits))
	case ir.F64:
		return b.F64Const(a.Bits)
	case ir.V128:
		return b.Func().Instrs[b.Emit(ir.Instr{Op: ir.OpV128Const, Imm: a.Bits, Imm2: a.Hi}, ir.V128)].Results[0]
	}
	if a.Bits == 0 {
		return b.Func().Instrs[b.Emit(ir.Instr{Op: ir.OpRefNull}, a.Type)].Results[0]
	}
	return b.Convert(ir.OpHostRef, a.Type, b.IConst(ir.I64, a.Bits))
}

// NeedsLinkCheck reports whether module m (lowered by [Lower]) imports a memory or a table
// with a minimum size, which only run time can compare with what the importer exports
// (ir.LinkConfig.DeferMinimums): its [StepInit] then checks first, and [StepLinkCheck]
// applies to it.
func NeedsLinkCheck(m *ir.Module) bool {
	for _, mem := range m.Memories {
		if mem.Import != nil && mem.Limits.Min > 0 {
			return true
		}
	}
	for _, t := range m.Tables {
		if t.Import != nil && t.Limits.Min > 0 {
			return true
		}
	}
	return false
}

// addLinkCheck gives a module that NeedsLinkCheck a function, exported as linkCheckExport,
// that returns 1 if each imported memory's and table's current size is at least the
// minimum the module declares for it, else 0.
func addLinkCheck(m *ir.Module) {
	if !NeedsLinkCheck(m) {
		return
	}
	idx := m.AddFunc(ir.NewFunc(uniqueFuncName(m, "wasmc.linkcheck"), ir.Signature{Results: []ir.Type{ir.I32}}))
	b := ir.NewBuilder(m.Funcs[idx])
	b.NewEntry()
	fail := b.NewBlock()
	check := func(op ir.Op, index uint32, t ir.Type, min uint64) {
		size := b.Func().Instrs[b.Emit(ir.Instr{Op: op, Index: index}, t)].Results[0]
		next := b.NewBlock()
		b.BrIf(b.ICmp(ir.CondULT, size, b.IConst(t, min)), fail, nil, next, nil)
		b.SetBlock(next)
	}
	for i, mem := range m.Memories {
		if mem.Import != nil && mem.Limits.Min > 0 {
			check(ir.OpMemSize, uint32(i), mem.AddrType(), mem.Limits.Min)
		}
	}
	for i, t := range m.Tables {
		if t.Import != nil && t.Limits.Min > 0 {
			check(ir.OpTableSize, uint32(i), ir.I32, t.Limits.Min)
		}
	}
	b.Return(b.IConst(ir.I32, 1))
	b.SetBlock(fail)
	b.Return(b.IConst(ir.I32, 0))
	m.Exports = append(m.Exports, ir.Export{Name: linkCheckExport, Kind: ir.ExternFunc, Index: idx})
}
