package main

import (
	"fmt"

	"github.com/wasmc/wasmc/ir"
)

// --invoke (DESIGN.md decision 11, for users): the executable calls one export with
// arguments parsed from its command line and prints each result on a line of its own.
// The parsing and printing are the runtime's (rtlib/c/invoke.c); this file generates the
// function that ties them to the export.

// The runtime's exports for --invoke.
const (
	rtArgsInit      = "wasmc_args_init"
	rtInvokeArgc    = "wasmc_invoke_argc"
	rtInvokeUsage   = "wasmc_invoke_usage"
	rtInvokeArg     = "wasmc_invoke_arg"
	rtInvokeResult  = "wasmc_invoke_result"
	invokeFuncName  = "wasmc.invoke"
	reactorInitName = "_initialize"
)

var invokeExports = []string{rtArgsInit, rtInvokeArgc, rtInvokeUsage, rtInvokeArg, rtInvokeResult}

// invokeTypeCode is the runtime's code for a value type (invoke.c), or -1 if a command
// line cannot spell it.
func invokeTypeCode(t ir.Type) int {
	switch t {
	case ir.I32:
		return 0
	case ir.I64:
		return 1
	case ir.F32:
		return 2
	case ir.F64:
		return 3
	}
	return -1
}

// addInvoke adds to p the function that calls export name with the command line's
// arguments and prints its results, and returns its index.
func addInvoke(p *program, name string) (uint32, error) {
	m := p.m
	fn, err := p.exportedFunc(name)
	if err != nil {
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
		if rt[e], err = p.exportedFunc(rtPrefix + e); err != nil {
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
		t := sig.Results[i]
		var bits ir.Value
		switch t {
		case ir.I32:
			bits = b.Convert(ir.OpZExt, ir.I64, r)
		case ir.I64:
			bits = r
		case ir.F32:
			bits = b.Convert(ir.OpZExt, ir.I64, b.Convert(ir.OpBitcast, ir.I32, r))
		case ir.F64:
			bits = b.Convert(ir.OpBitcast, ir.I64, r)
		}
		b.Call(rt[rtInvokeResult], b.IConst(ir.I32, uint64(invokeTypeCode(t))), bits)
	}
	b.Return()
	return idx, nil
}

// uniqueFuncName returns name, or name with underscores appended, unused in m.
func uniqueFuncName(m *ir.Module, name string) string {
	taken := map[string]bool{}
	for _, f := range m.Funcs {
		taken[f.Name] = true
	}
	for taken[name] {
		name += "_"
	}
	return name
}
