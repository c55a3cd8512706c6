package driver

import (
	"fmt"

	"github.com/wasmc/wasmc/ir"
)

// --invoke (DESIGN.md decision 11, for users): the executable calls one export with
// arguments parsed from its command line and prints each result on a line of its own.
// The parsing and printing are the runtime's (rtlib/c/invoke.c); this file generates the
// function that ties them to the export.

// invokeFuncName names the function addInvoke generates.
const invokeFuncName = "wasmc.invoke"

// invokeTypes are the value types a command line can pass and print, indexed by the code
// the runtime knows each by (WASMC_INVOKE_* in rtlib/c/wasmc.h; TestInvokeTypeCodes holds
// the two together).
var invokeTypes = [...]ir.Type{ir.I32, ir.I64, ir.F32, ir.F64}

// invokeTypeCode is the runtime's code for a value type, or -1 if a command line cannot
// spell it.
func invokeTypeCode(t ir.Type) int {
	for code, u := range invokeTypes {
		if u == t {
			return code
		}
	}
	return -1
}

// addInvoke adds to linked module m the function that calls export name with the command
// line's arguments and prints its results, and returns its index.
func addInvoke(m *ir.Module, name string) (uint32, error) {
	fn, ok := m.Export(guestPrefix+name, ir.ExternFunc)
	if !ok {
		return 0, fmt.Errorf("--invoke: the module exports no function %q", name)
	}
	sig := m.Funcs[fn].Sig
	for _, t := range append(append([]ir.Type(nil), sig.Params...), sig.Results...) {
		if invokeTypeCode(t) < 0 {
			return 0, fmt.Errorf("--invoke %s: its type %v has a %v, which a command line cannot pass or print (only i32, i64, f32 and f64)", name, sig, t)
		}
	}
	rt := map[string]uint32{}
	for _, e := range invokeExports {
		var err error
		if rt[e], err = exportedFunc(m, rtPrefix+e); err != nil {
			return 0, err
		}
	}
	idx := m.AddFunc(ir.NewFunc(uniqueFuncName(m, invokeFuncName), ir.Signature{}))
	b := ir.NewBuilder(m.Funcs[idx])
	b.NewEntry()
	want := b.IConst(ir.I32, uint64(len(sig.Params)))
	bad, good := b.NewBlock(), b.NewBlock()
	b.BrIf(b.ICmp(ir.CondNe, b.Call(rt[rtInvokeArgc])[0], want), bad, nil, good, nil)
	b.SetBlock(bad)
	b.Call(rt[rtInvokeUsage], want)
	b.Trap(ir.TrapUnreachable) // usage exits
	b.SetBlock(good)
	args := make([]ir.Value, len(sig.Params))
	for i, t := range sig.Params {
		bits := b.Call(rt[rtInvokeArg], b.IConst(ir.I32, uint64(i)), b.IConst(ir.I32, uint64(invokeTypeCode(t))))[0]
		switch t {
		case ir.I32:
			args[i] = b.Convert(ir.OpWrap, ir.I32, bits)
		case ir.I64:
			args[i] = bits
		case ir.F32:
			args[i] = b.Convert(ir.OpBitcast, ir.F32, b.Convert(ir.OpWrap, ir.I32, bits))
		case ir.F64:
			args[i] = b.Convert(ir.OpBitcast, ir.F64, bits)
		}
	}
	for i, r := range b.Call(fn, args...) {
		code := b.IConst(ir.I32, uint64(invokeTypeCode(sig.Results[i])))
		b.Call(rt[rtInvokeResult], code, valueBits(b, r))
	}
	b.Return()
	return idx, nil
}
