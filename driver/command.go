package driver

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// A command: one module, linked with the runtime, which provides its WASI imports. Entry
// runs the runtime's initialisation (and its WASI start-up when the module imports WASI),
// the module's, and then its _start, or --invoke's function.

// reactorInit is what a WASI reactor exports to be initialised before its other exports
// are called.
const reactorInit = "_initialize"

// guestPrefix prefixes a command's module's exports in the linked program, as rtPrefix
// does the runtime's.
const guestPrefix = "guest:"

// linkCommand links module m of the input at path with the runtime.
func linkCommand(m *ir.Module, path string, o *Options, t backend.Target) (*ir.Module, error) {
	keep := append([]string{rtArgsInit}, wasiImports(m)...)
	if len(keep) > 1 {
		keep = append(keep, rtWASIInit)
	}
	if o.Invoke != "" {
		keep = append(keep, invokeExports...)
	}
	if o.WallProbe {
		keep = append(keep, rtWallProbe)
	}
	if o.TrapUnknownImports {
		wasi := rtlib.WASIFunctions()
		trapImports(m, func(n ir.ImportName) bool {
			_, ok := wasi[n.Name]
			return n.Module == rtlib.WASIModule && ok
		})
	}
	rt, err := runtimeModule(t.OS, runtimeKeep(keep...))
	if err != nil {
		return nil, err
	}
	guest := -1
	if len(m.Memories) > 0 {
		guest = 0
	}
	// Both inputs' exports are prefixed, so that no export of the module, whatever its
	// name, can collide with the runtime's.
	inputs := []ir.LinkInput{{Module: m, ExportAs: guestPrefix}, {Name: rtlib.WASIModule, Module: rt, ExportAs: rtPrefix}}
	linked, err := link(inputs, t, guest, o.WASIConfig, o)
	if err != nil {
		return nil, importErrors(path, m, err)
	}
	return linked, nil
}

// commandEntry returns what a command's entry calls in linked module m, adding --invoke's
// function when there is one.
func commandEntry(m *ir.Module, o *Options) (backend.EntryConfig, error) {
	var e backend.EntryConfig
	steps := []string{rtPrefix + initExport}
	if _, ok := m.Export(rtPrefix+rtWASIInit, ir.ExternFunc); ok {
		steps = append(steps, rtPrefix+rtWASIInit)
	}
	// The wall goes up once start-up is done and before the module's instantiation,
	// whose start function is guest code. (Without it, wasmc_wall returns at once.)
	steps = append(steps, rtPrefix+rtWall)
	if o.WallProbe {
		steps = append(steps, rtPrefix+rtWallProbe)
	}
	for _, name := range append(steps, guestPrefix+initExport) {
		f, err := exportedFunc(m, name)
		if err != nil {
			return e, err
		}
		e.Steps = append(e.Steps, f)
	}
	main := "_start"
	if o.Invoke != "" {
		main = reactorInit
	}
	if f, ok := m.Export(guestPrefix+main, ir.ExternFunc); ok {
		if sig := m.Funcs[f].Sig; len(sig.Params) > 0 || len(sig.Results) > 0 {
			return e, fmt.Errorf("export %s has type %v, want () -> ()", main, sig)
		}
		e.Steps = append(e.Steps, f)
	}
	if o.Invoke != "" {
		f, err := addInvoke(m, o.Invoke)
		if err != nil {
			return e, err
		}
		e.Steps = append(e.Steps, f)
	}
	init, err := exportedFunc(m, rtPrefix+rtArgsInit)
	if err != nil {
		return e, err
	}
	e.ArgsInit = init + 1
	return e, nil
}

// wasiImports lists the WASI functions m imports, which the runtime must keep.
func wasiImports(m *ir.Module) []string {
	wasi := rtlib.WASIFunctions()
	var names []string
	for _, f := range m.Funcs {
		if f.Import == nil || f.Import.Module != rtlib.WASIModule {
			continue
		}
		if _, ok := wasi[f.Import.Name]; ok && !slices.Contains(names, f.Import.Name) {
			names = append(names, f.Import.Name)
		}
	}
	return names
}

// trapImports gives every function import of m that no program input provides a body that
// traps with unreachable when called (--trap-unknown-imports). provided says whether an
// import is provided.
func trapImports(m *ir.Module, provided func(ir.ImportName) bool) {
	for _, f := range m.Funcs {
		if f.Import == nil || provided(*f.Import) {
			continue
		}
		f.Import = nil
		b := ir.NewBuilder(f)
		b.NewEntry()
		b.Trap(ir.TrapUnreachable)
	}
	m.RetargetCalls()
}

// importErrors reports link errors of module m one per line, each naming the file and
// the import. Only a function import can be made to trap (--trap-unknown-imports), so
// only its line says so.
func importErrors(path string, m *ir.Module, err error) error {
	var lines []string
	for _, err := range leafErrors(err) {
		var le *ir.LinkError
		if errors.As(err, &le) {
			hint := "wasmc provides only WASI's functions: the module must define it"
			if importsFunc(m, le.Module, le.Name) {
				hint = "--trap-unknown-imports makes it trap when called"
			}
			lines = append(lines, fmt.Sprintf("%s: %s %q %q: nothing provides it (%s)", path, le.Msg, le.Module, le.Name, hint))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s: %v", path, err))
	}
	return errors.New(strings.Join(lines, "\n"))
}

// importsFunc reports whether m imports a function as module.name.
func importsFunc(m *ir.Module, module, name string) bool {
	return slices.ContainsFunc(m.Funcs, func(f *ir.Func) bool {
		return f.Import != nil && f.Import.Module == module && f.Import.Name == name
	})
}

// leafErrors flattens errors.Join's trees into their leaves, in order.
func leafErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}
