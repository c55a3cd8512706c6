package wast

import (
	endian "encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// interp executes a script's commands in the IR interpreter, in order: each module is
// lowered, optimized at the chosen level and instantiated; instances link to each other
// through register and to the spectest host module.
type interp struct {
	r          *runner
	cfg        ir.Config
	byID       map[string]*instance // by the module's $id
	registered map[string]*instance // by register name
	current    *instance
	spectest   map[string]ir.Extern
}

// instance is a script module's instance. A module that lowering does not support (more
// than 2^24 locals in a function) has no inst, and the commands that use it are skipped;
// one that should have instantiated but did not is broken, and the commands that use it
// fail.
type instance struct {
	inst        *ir.Instance
	unsupported string
	broken      string
}

func newInterp(r *runner, o driver.Options) *interp {
	return &interp{
		r:          r,
		cfg:        ir.Config{Level: o.Level, Verify: o.Verify},
		byID:       map[string]*instance{},
		registered: map[string]*instance{},
		spectest:   spectestExterns(),
	}
}

// run executes the commands and returns what each showed.
func (x *interp) run(cmds []wat.Command) []result {
	res := make([]result, len(cmds))
	for i := range cmds {
		res[i] = x.command(&cmds[i])
	}
	return res
}

func (x *interp) command(c *wat.Command) result {
	switch c.Kind {
	case wat.CmdModule:
		fm, err := x.r.load(c.Module)
		if err != nil {
			x.define(c.Module.ID, &instance{broken: err.Error()})
			return result{err: err}
		}
		in, err := x.instantiate(fm)
		if err != nil {
			// Commands on this module fail too: a broken module is never a skip.
			x.define(c.Module.ID, &instance{broken: describe(err)})
			return result{err: &instantiationError{err}}
		}
		x.define(c.Module.ID, in)
		if in.inst == nil {
			return result{err: &unsupported{in.unsupported}}
		}
		return result{}
	case wat.CmdRegister:
		in, err := x.lookup(c.ModuleID)
		if err != nil {
			return result{err: err}
		}
		x.registered[c.Register] = in
		if in.broken != "" {
			return result{err: errors.New("module did not instantiate")}
		}
		if in.inst == nil {
			return result{err: &unsupported{in.unsupported}}
		}
		return result{}
	case wat.CmdAction, wat.CmdAssertReturn, wat.CmdAssertTrap, wat.CmdAssertExhaustion:
		if c.Action == nil { // assert_trap of a module's instantiation
			return result{err: x.instantiateOnly(c.Module)}
		}
		vals, err := x.act(c.Action)
		return result{values: vals, err: err}
	case wat.CmdAssertUninstantiable, wat.CmdAssertUnlinkable:
		return result{err: x.instantiateOnly(c.Module)}
	}
	return result{}
}

// spectestExterns builds the host module every spec script may import, as the reference
// interpreter defines it.
func spectestExterns() map[string]ir.Extern {
	fn := func(params ...ir.Type) ir.Extern {
		return ir.Extern{Kind: ir.ExternFunc, Func: ir.NewHostFunc(params, nil, func([]ir.Val) ([]ir.Val, error) { return nil, nil })}
	}
	glob := func(t ir.Type, bits uint64) ir.Extern {
		return ir.Extern{Kind: ir.ExternGlobal, Global: ir.NewGlobal(t, false, ir.Val{Type: t, Bits: bits})}
	}
	return map[string]ir.Extern{
		"print":         fn(),
		"print_i32":     fn(ir.I32),
		"print_i64":     fn(ir.I64),
		"print_f32":     fn(ir.F32),
		"print_f64":     fn(ir.F64),
		"print_i32_f32": fn(ir.I32, ir.F32),
		"print_f64_f64": fn(ir.F64, ir.F64),
		"global_i32":    glob(ir.I32, 666),
		"global_i64":    glob(ir.I64, 666),
		"global_f32":    glob(ir.F32, uint64(math.Float32bits(666.6))),
		"global_f64":    glob(ir.F64, math.Float64bits(666.6)),
		"table":         {Kind: ir.ExternTable, Table: ir.NewTable(ir.FuncRef, 10, 20, true)},
		"memory":        {Kind: ir.ExternMemory, Memory: ir.NewMemory(1, 2, true)},
	}
}

// resolve finds an import among the registered instances and spectest.
func (x *interp) resolve(module, name string) (ir.Extern, bool) {
	if module == "spectest" {
		e, ok := x.spectest[name]
		return e, ok
	}
	in := x.registered[module]
	if in == nil || in.inst == nil {
		return ir.Extern{}, false
	}
	return in.inst.Export(name)
}

// instantiate lowers, optimizes and instantiates a loaded module.
func (x *interp) instantiate(m *frontend.Module) (*instance, error) {
	im, err := frontend.Lower(m)
	if err != nil {
		var ue *frontend.UnsupportedError
		if errors.As(err, &ue) {
			return &instance{unsupported: err.Error()}, nil
		}
		return nil, fmt.Errorf("lowering: %w", err)
	}
	if err := ir.RunModule(im, x.cfg); err != nil {
		return nil, err
	}
	inst, err := ir.Instantiate(im, x.resolve, ir.InterpConfig{})
	if err != nil {
		return nil, err
	}
	return &instance{inst: inst}, nil
}

// instantiateOnly loads and instantiates a module that an assertion expects to fail; a
// module that instantiates anyway becomes no script-visible instance, but its effects on
// shared imports stay, as the spec says.
func (x *interp) instantiateOnly(d *wat.ModuleDef) error {
	m, err := x.r.load(d)
	if err != nil {
		return err
	}
	in, err := x.instantiate(m)
	if err != nil {
		return err
	}
	if in.inst == nil {
		return &unsupported{in.unsupported}
	}
	return nil
}

// define records a new current instance.
func (x *interp) define(id string, in *instance) {
	x.current = in
	if id != "" {
		x.byID[id] = in
	}
}

// lookup finds the instance an action or register names.
func (x *interp) lookup(id string) (*instance, error) {
	if id == "" {
		if x.current == nil {
			return nil, errors.New("no module defined yet")
		}
		return x.current, nil
	}
	in := x.byID[id]
	if in == nil {
		return nil, fmt.Errorf("unknown module %s", id)
	}
	return in, nil
}

// act performs an invoke or get.
func (x *interp) act(a *wat.Action) ([]ir.Val, error) {
	in, err := x.lookup(a.ModuleID)
	if err != nil {
		return nil, err
	}
	if in.broken != "" {
		return nil, fmt.Errorf("module did not instantiate: %s", in.broken)
	}
	if in.inst == nil {
		return nil, &unsupported{in.unsupported}
	}
	if a.Kind == wat.Get {
		e, ok := in.inst.Export(a.Name)
		if !ok || e.Kind != ir.ExternGlobal {
			return nil, fmt.Errorf("no exported global %q", a.Name)
		}
		return []ir.Val{e.Global.Get()}, nil
	}
	args := make([]ir.Val, len(a.Args))
	for i, v := range a.Args {
		args[i] = ir.Val{Type: irType(v.Type), Bits: v.Bits}
		if v.Type == frontend.V128 {
			args[i].Bits = endian.LittleEndian.Uint64(v.V128[:8])
			args[i].Hi = endian.LittleEndian.Uint64(v.V128[8:])
		}
		if v.Type == frontend.ExternRef && !v.Null {
			args[i].Ref = hostRef(v.Ref)
		}
	}
	return in.inst.Invoke(a.Name, args)
}
