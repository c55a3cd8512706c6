package main

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// interpExec executes a script's modules in the IR interpreter: each module is lowered,
// optimised at the chosen level and instantiated; instances link to each other through
// register and to the spectest host module.
type interpExec struct {
	level      int
	byID       map[string]*instance // by the module's $id
	registered map[string]*instance // by register name
	current    *instance
	spectest   map[string]ir.Extern
}

// instance is a script module's instance. A module that lowering does not support yet
// (SIMD) has no inst, and the commands that use it are skipped; one that should have
// instantiated but did not is broken, and the commands that use it fail.
type instance struct {
	inst        *ir.Instance
	unsupported string
	broken      string
}

func newInterpExec(level int) *interpExec {
	return &interpExec{
		level:      level,
		byID:       map[string]*instance{},
		registered: map[string]*instance{},
		spectest:   spectestExterns(),
	}
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
func (x *interpExec) resolve(module, name string) (ir.Extern, bool) {
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

// errUnsupported marks a module or command this level cannot run yet; it is skipped.
type errUnsupported struct{ why string }

func (e *errUnsupported) Error() string { return e.why }

// compile lowers and optimises a decoded, validated module.
func (x *interpExec) compile(m *frontend.Module) (*ir.Module, error) {
	im, err := frontend.Lower(m)
	if err != nil {
		var ue *frontend.UnsupportedError
		if errors.As(err, &ue) {
			return nil, &errUnsupported{why: err.Error()}
		}
		return nil, fmt.Errorf("lowering: %w", err)
	}
	if err := ir.RunModule(im, ir.Config{Level: x.level}); err != nil {
		return nil, err
	}
	return im, nil
}

// instantiate compiles and instantiates a module definition.
func (x *interpExec) instantiate(m *frontend.Module) (*instance, error) {
	im, err := x.compile(m)
	if err != nil {
		var ue *errUnsupported
		if errors.As(err, &ue) {
			return &instance{unsupported: ue.why}, nil
		}
		return nil, err
	}
	inst, err := ir.Instantiate(im, x.resolve, ir.InterpConfig{})
	if err != nil {
		return nil, err
	}
	return &instance{inst: inst}, nil
}

// define records a new current instance.
func (x *interpExec) define(id string, in *instance) {
	x.current = in
	if id != "" {
		x.byID[id] = in
	}
}

// lookup finds the instance an action or register names.
func (x *interpExec) lookup(id string) (*instance, error) {
	if id == "" {
		if x.current == nil {
			return nil, errors.New("no module defined")
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
func (x *interpExec) act(a *wat.Action) ([]ir.Val, error) {
	in, err := x.lookup(a.ModuleID)
	if err != nil {
		return nil, err
	}
	if in.broken != "" {
		return nil, fmt.Errorf("module did not instantiate: %s", in.broken)
	}
	if in.inst == nil {
		return nil, &errUnsupported{why: in.unsupported}
	}
	for _, v := range a.Args {
		if v.Type == frontend.V128 {
			return nil, &errUnsupported{why: "v128 arguments need SIMD"}
		}
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
		args[i] = toIRValue(v)
	}
	return in.inst.Invoke(a.Name, args)
}

// hostRef is the host value of (ref.extern N).
type hostRef uint32

func irType(t frontend.ValType) ir.Type {
	switch t {
	case frontend.I32:
		return ir.I32
	case frontend.I64:
		return ir.I64
	case frontend.F32:
		return ir.F32
	case frontend.F64:
		return ir.F64
	case frontend.V128:
		return ir.V128
	case frontend.FuncRef:
		return ir.FuncRef
	}
	return ir.ExternRef
}

func toIRValue(v wat.Value) ir.Val {
	out := ir.Val{Type: irType(v.Type), Bits: v.Bits}
	if v.Type == frontend.ExternRef && !v.Null {
		out.Ref = hostRef(v.Ref)
	}
	return out
}

// match compares a result with an expectation bit for bit, NaN patterns aside.
func match(got ir.Val, want wat.Expected) bool {
	switch want.Type {
	case frontend.I32, frontend.F32:
		if want.Type == frontend.F32 && want.NaN != wat.NaNNone {
			return nanMatches(got.Bits&0xFFFFFFFF, want.NaN, 32)
		}
		return uint32(got.Bits) == uint32(want.Bits)
	case frontend.I64, frontend.F64:
		if want.Type == frontend.F64 && want.NaN != wat.NaNNone {
			return nanMatches(got.Bits, want.NaN, 64)
		}
		return got.Bits == want.Bits
	case frontend.FuncRef, frontend.ExternRef:
		null := isNullRef(got.Ref)
		switch {
		case want.Null:
			return null
		case want.AnyRef || want.Type == frontend.FuncRef:
			return !null
		}
		r, ok := got.Ref.(hostRef)
		return ok && uint32(r) == want.Ref
	}
	return false
}

func isNullRef(r any) bool {
	if r == nil {
		return true
	}
	if f, ok := r.(*ir.FuncInst); ok {
		return f == nil
	}
	return false
}

// nanMatches checks a float's bits against nan:canonical (only the top payload bit set) or
// nan:arithmetic (the top payload bit set, anything else free).
func nanMatches(bits uint64, k wat.NaNKind, size int) bool {
	var exp, quiet, payload uint64
	if size == 32 {
		exp, quiet, payload = 0x7F800000, 0x00400000, 0x007FFFFF
	} else {
		exp, quiet, payload = 0x7FF0000000000000, 0x0008000000000000, 0x000FFFFFFFFFFFFF
	}
	if bits&exp != exp || bits&quiet == 0 {
		return false
	}
	if k == wat.NaNCanonical {
		return bits&payload == quiet
	}
	return true
}

func formatValues(vs []ir.Val) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = formatValue(v)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func formatValue(v ir.Val) string {
	switch v.Type {
	case ir.I32:
		return fmt.Sprintf("i32:%d", int32(v.Bits))
	case ir.I64:
		return fmt.Sprintf("i64:%d", int64(v.Bits))
	case ir.F32:
		return fmt.Sprintf("f32:%v(0x%08x)", math.Float32frombits(uint32(v.Bits)), uint32(v.Bits))
	case ir.F64:
		return fmt.Sprintf("f64:%v(0x%016x)", math.Float64frombits(v.Bits), v.Bits)
	}
	if isNullRef(v.Ref) {
		return v.Type.String() + ":null"
	}
	return fmt.Sprintf("%s:%v", v.Type, v.Ref)
}

func formatExpected(es []wat.Expected) string {
	s := make([]string, len(es))
	for i, e := range es {
		switch {
		case e.NaN != wat.NaNNone:
			s[i] = e.Type.String() + ":" + e.NaN.String()
		case e.Type == frontend.V128:
			s[i] = "v128"
		case e.Type.IsRef():
			if e.Null {
				s[i] = e.Type.String() + ":null"
			} else {
				s[i] = fmt.Sprintf("%s:%d", e.Type, e.Ref)
			}
		default:
			s[i] = formatValue(ir.Val{Type: irType(e.Type), Bits: e.Bits})
		}
	}
	return "[" + strings.Join(s, " ") + "]"
}
