package main

import (
	"fmt"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// driverGen adds the functions of a .wast executable's steps to its linked module. Each
// step function runs one command and reports it: every result's bits through
// wasmc_driver_value, then wasmc_driver_done, which writes the line "ok …". A trap never
// gets that far; the entry's trap routine unwinds and reports it instead.
type driverGen struct {
	p     *program
	rt    map[string]uint32 // runtime driver routines by export name
	names map[string]bool   // function names taken
}

func newDriverGen(p *program) *driverGen {
	d := &driverGen{p: p, rt: map[string]uint32{}, names: map[string]bool{}}
	for _, f := range p.m.Funcs {
		d.names[f.Name] = true
	}
	return d
}

// stepFunc adds the function of step i and returns its index.
func (d *driverGen) stepFunc(i int, s step) (uint32, error) {
	m := d.p.m
	name := fmt.Sprintf("wast.step%d", i)
	for d.names[name] {
		name += "_"
	}
	d.names[name] = true
	idx := m.AddFunc(ir.NewFunc(name, ir.Signature{}))
	b := ir.NewBuilder(m.Funcs[idx])
	b.NewEntry()
	if s.check != "" {
		chk, err := d.p.exportedFunc(s.check)
		if err != nil {
			return 0, err
		}
		ok := b.Call(chk)[0]
		if s.kind == stepLinkCheck {
			d.report(b, ok)
			b.Call(d.rt[rtDriverDone])
			b.Return()
			return idx, nil
		}
		// A module too big for its imports reports "ok 0" and is not instantiated.
		linked, unlinked := b.NewBlock(), b.NewBlock()
		b.BrIf(ok, linked, nil, unlinked, nil)
		b.SetBlock(unlinked)
		d.report(b, b.IConst(ir.I32, 0))
		b.Call(d.rt[rtDriverDone])
		b.Return()
		b.SetBlock(linked)
	}
	switch s.kind {
	case stepInit, stepInvoke:
		fn, err := d.p.exportedFunc(s.export)
		if err != nil {
			return 0, err
		}
		args := make([]ir.Value, len(s.args))
		for j, a := range s.args {
			args[j] = constant(b, a)
		}
		for _, r := range b.Call(fn, args...) {
			d.report(b, r)
		}
	case stepGet:
		g, ok := exportedGlobal(m, s.export)
		if !ok {
			return 0, fmt.Errorf("internal error: the linked program exports no global %q", s.export)
		}
		d.report(b, b.GlobalGet(g, m.Globals[g].Type))
	}
	b.Call(d.rt[rtDriverDone])
	b.Return()
	return idx, nil
}

func exportedGlobal(m *ir.Module, name string) (uint32, bool) {
	for _, x := range m.Exports {
		if x.Name == name && x.Kind == ir.ExternGlobal {
			return x.Index, true
		}
	}
	return 0, false
}

// report passes v's bits to wasmc_driver_value.
func (d *driverGen) report(b *ir.Builder, v ir.Value) {
	var bits ir.Value
	switch t := b.Func().TypeOf(v); t {
	case ir.I32:
		bits = b.Convert(ir.OpZExt, ir.I64, v)
	case ir.I64:
		bits = v
	case ir.F32:
		bits = b.Convert(ir.OpZExt, ir.I64, b.Convert(ir.OpBitcast, ir.I32, v))
	case ir.F64:
		bits = b.Convert(ir.OpBitcast, ir.I64, v)
	default: // references
		bits = b.Convert(ir.OpRefBits, ir.I64, v)
	}
	b.Call(d.rt[rtDriverValue], bits)
}

// constant emits a script argument: externref N as the native bits N+1, 0 being null.
func constant(b *ir.Builder, a wat.Value) ir.Value {
	t := irType(a.Type)
	switch a.Type {
	case frontend.I32, frontend.I64:
		return b.IConst(t, a.Bits)
	case frontend.F32:
		return b.F32Const(uint32(a.Bits))
	case frontend.F64:
		return b.F64Const(a.Bits)
	}
	if a.Null {
		return b.Func().Instrs[b.Emit(ir.Instr{Op: ir.OpRefNull}, t)].Results[0]
	}
	return b.Convert(ir.OpHostRef, t, b.IConst(ir.I64, uint64(a.Ref)+1))
}

// linkCheckExport names the function addLinkCheck adds.
const linkCheckExport = "wasmc:linkcheck"

// addLinkCheck gives a module that imports memories or tables a function, exported as
// linkCheckExport, that returns 1 if each one's current size is at least the minimum
// the module declares for it, else 0: the part of import matching that only run time can
// decide (ir.LinkConfig.DeferMinimums). It reports whether it added one.
func addLinkCheck(m *ir.Module) bool {
	var mems, tabs []uint32
	for i, mem := range m.Memories {
		if mem.Import != nil && mem.Limits.Min > 0 {
			mems = append(mems, uint32(i))
		}
	}
	for i, t := range m.Tables {
		if t.Import != nil && t.Limits.Min > 0 {
			tabs = append(tabs, uint32(i))
		}
	}
	if len(mems)+len(tabs) == 0 {
		return false
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
	for _, i := range mems {
		check(ir.OpMemSize, i, m.Memories[i].AddrType(), m.Memories[i].Limits.Min)
	}
	for _, i := range tabs {
		check(ir.OpTableSize, i, ir.I32, m.Tables[i].Limits.Min)
	}
	b.Return(b.IConst(ir.I32, 1))
	b.SetBlock(fail)
	b.Return(b.IConst(ir.I32, 0))
	m.Exports = append(m.Exports, ir.Export{Name: linkCheckExport, Kind: ir.ExternFunc, Index: idx})
	return true
}
