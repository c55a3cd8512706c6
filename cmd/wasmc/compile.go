package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// The pipeline from linked IR to an executable (DESIGN.md decision 6): every input module
// has its instantiation turned into code (ir.SplitInit) and exported under initExport; the
// inputs and the runtime link into one module; the runtime's intrinsics become host ops;
// the passes of the -O level run; the backend compiles, and links the code with the
// target's process entry into an executable.

// initExport names each input's instantiation function in its exports. A wasm export name
// may be any string, so a module could export it too: linkInput refuses that.
const initExport = "wasmc:init"

// rtPrefix prefixes the runtime's exports in the linked module.
const rtPrefix = "rt:"

// The runtime exports the backend binds to routines.
var routineExports = [backend.NumRuntimeRoutines]string{
	backend.RtTrap:       "",
	backend.RtMemoryGrow: "wasmc_memory_grow",
	backend.RtMemoryFill: "wasmc_memory_fill",
	backend.RtMemoryCopy: "wasmc_memory_copy",
	backend.RtMemoryInit: "wasmc_memory_init",
	backend.RtTableGrow:  "wasmc_table_grow",
	backend.RtTableFill:  "wasmc_table_fill",
	backend.RtTableCopy:  "wasmc_table_copy",
	backend.RtTableInit:  "wasmc_table_init",
}

// Runtime exports besides the routines.
const (
	rtTrap        = "wasmc_trap"
	rtDriverValue = "wasmc_driver_value"
	rtDriverDone  = "wasmc_driver_done"
	rtDriverTrap  = "wasmc_driver_trap"
)

// targets are the targets wasmc can build for, in `wasmc targets` order.
var targets = []struct {
	name   string
	target backend.Target
	ready  bool // code generation exists
}{
	{"linux/amd64", backend.Target{OS: backend.OSLinux, Arch: backend.ArchAMD64}, true},
	{"linux/arm64", backend.Target{OS: backend.OSLinux, Arch: backend.ArchARM64}, false},
	{"darwin/arm64", backend.Target{OS: backend.OSDarwin, Arch: backend.ArchARM64}, false},
	{"darwin/amd64", backend.Target{OS: backend.OSDarwin, Arch: backend.ArchAMD64}, false},
}

// hostTarget is the target `wasmc build` uses when --target is not given.
func hostTarget() string { return runtime.GOOS + "/" + runtime.GOARCH }

// parseTarget checks a --target value.
func parseTarget(s string) (backend.Target, error) {
	var names []string
	for _, t := range targets {
		if t.name == s {
			if !t.ready {
				return backend.Target{}, fmt.Errorf("target %s is not implemented yet (see `wasmc targets`)", s)
			}
			return t.target, nil
		}
		names = append(names, t.name)
	}
	return backend.Target{}, fmt.Errorf("unknown target %q (known: %s)", s, strings.Join(names, ", "))
}

// checkAllocations makes every compile run regalloc.Check on each allocation; tests set it.
var checkAllocations = false

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

// phases records the time of each phase for -v.
type phases struct {
	names []string
	times []time.Duration
	start time.Time
}

func (p *phases) begin() { p.start = time.Now() }

func (p *phases) end(name string) {
	p.names = append(p.names, name)
	p.times = append(p.times, time.Since(p.start))
	p.start = time.Now()
}

func (p *phases) print(w io.Writer) {
	var total time.Duration
	for i, n := range p.names {
		fmt.Fprintf(w, "%-10s %8.1f ms\n", n, float64(p.times[i].Microseconds())/1000)
		total += p.times[i]
	}
	fmt.Fprintf(w, "%-10s %8.1f ms\n", "total", float64(total.Microseconds())/1000)
}

// lowerModule lowers a validated user module to IR and turns its instantiation into code
// exported as initExport.
// With lazy, bodies are lowered on demand as the backend reaches them (frontend.LowerLazy),
// and an error in one (SIMD) comes from compiling.
func lowerModule(fm *frontend.Module, lazy bool) (*ir.Module, error) {
	lower := frontend.Lower
	if lazy {
		lower = frontend.LowerLazy
	}
	m, err := lower(fm)
	if err != nil {
		return nil, err
	}
	for _, f := range m.Funcs {
		if f.Import != nil && f.Import.Module == rtlib.Module {
			return nil, fmt.Errorf("import %s.%s: the module name %q is reserved for wasmc's runtime", f.Import.Module, f.Import.Name, rtlib.Module)
		}
		if f.Import != nil && f.Import.Module == rtlib.WASIModule && rtlib.IsInternal(f.Import.Name) {
			return nil, fmt.Errorf("import %s.%s: names starting with \"wasmc\" are reserved for wasmc's runtime", f.Import.Module, f.Import.Name)
		}
	}
	return splitInit(m)
}

// splitInit turns m's instantiation into a function exported as initExport.
func splitInit(m *ir.Module) (*ir.Module, error) {
	if slices.ContainsFunc(m.Exports, func(x ir.Export) bool { return x.Name == initExport }) {
		return nil, fmt.Errorf("the export name %q is reserved by wasmc", initExport)
	}
	init := ir.SplitInit(m)
	m.Exports = append(m.Exports, ir.Export{Name: initExport, Kind: ir.ExternFunc, Index: init})
	return m, nil
}

// runtimeModule lowers rt.wasm for linking: its instantiation becomes code like every
// input's, and it exports only what the program calls (keep), so that dead-function
// elimination drops the rest.
func runtimeModule(keep []string) (*ir.Module, error) {
	fm, err := frontend.Decode(rtlib.Wasm())
	if err == nil {
		err = frontend.Validate(fm)
	}
	if err != nil {
		return nil, fmt.Errorf("internal error: rt.wasm: %w", err)
	}
	m, err := frontend.LowerLazy(fm)
	if err == nil {
		m, err = splitInit(m)
	}
	if err != nil {
		return nil, fmt.Errorf("internal error: rt.wasm: %w", err)
	}
	var exports []ir.Export
	for _, x := range m.Exports {
		if x.Kind == ir.ExternFunc && (x.Name == initExport || slices.Contains(keep, x.Name)) {
			exports = append(exports, x)
		}
	}
	m.Exports = exports
	return m, nil
}

// runtimeKeep lists the runtime exports every program keeps, plus extra.
func runtimeKeep(extra ...string) []string {
	keep := append([]string{rtTrap}, extra...)
	for _, name := range routineExports {
		if name != "" {
			keep = append(keep, name)
		}
	}
	return keep
}

// program is a linked module ready for the backend.
type program struct {
	m      *ir.Module
	target backend.Target
	level  int
}

// exportedFunc returns the index of the linked module's function exported as name.
func (p *program) exportedFunc(name string) (uint32, error) {
	for _, x := range p.m.Exports {
		if x.Name == name && x.Kind == ir.ExternFunc {
			return x.Index, nil
		}
	}
	return 0, fmt.Errorf("internal error: the linked program exports no function %q", name)
}

// link links inputs, the runtime last, and lowers the runtime's intrinsics for target t.
// guestMemory is the memory guest_read and guest_write reach, or -1.
// config is the WASI configuration (rtlib.Config), or nil.
func link(inputs []ir.LinkInput, t backend.Target, guestMemory int, config []byte) (*ir.Module, error) {
	sys, err := rtlib.SyscallNumbers(t.OS.String(), t.Arch.String())
	if err != nil {
		return nil, err
	}
	entries := make([]int, len(inputs))
	for i := range entries {
		entries[i] = i
	}
	// Minimum sizes of imported memories and tables are the caller's to check at run time
	// (the .wast driver's link checks); no other program imports them.
	m, err := ir.Link(inputs, ir.LinkConfig{Entries: entries, RequireResolved: true, ExternModules: []string{rtlib.Module}, DeferMinimums: true})
	if err != nil {
		return nil, err
	}
	// The runtime links last and has one memory, so it is the last memory.
	err = rtlib.LowerIntrinsics(m, rtlib.Layout{RuntimeMemory: uint32(len(m.Memories) - 1), GuestMemory: guestMemory, Syscalls: sys, Config: config})
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	return m, nil
}

// compileProgram runs the passes and the backend over p and returns the executable, whose
// entry calls steps (after the runtime's own initialisation, which the caller includes).
func compileProgram(p *program, entry amd64.EntryConfig, ph *phases) ([]byte, error) {
	if p.target.Arch != backend.ArchAMD64 || p.target.OS != backend.OSLinux {
		return nil, fmt.Errorf("target %v is not implemented yet", p.target)
	}
	// Each function is built, optimized, compiled and released in a worker of its own,
	// so that only the functions being compiled exist as IR.
	prepare := func(f *ir.Func) error {
		if err := f.Load(); err != nil {
			return err
		}
		return ir.RunPipeline(f, ir.Config{Level: p.level})
	}
	prog, err := backend.Compile(p.m, amd64.New(), backend.Config{Check: checkAllocations, Prepare: prepare})
	if err != nil {
		return nil, firstUnsupported(err)
	}
	ph.end("codegen")
	trap, err := p.exportedFunc(rtPrefix + rtTrap)
	if err != nil {
		return nil, err
	}
	entry.Trap = trap
	for r, name := range routineExports {
		if name == "" {
			continue
		}
		f, err := p.exportedFunc(rtPrefix + name)
		if err != nil {
			return nil, err
		}
		entry.RoutineFunc[r] = f + 1
	}
	rt, err := amd64.NewRuntime(p.m, entry)
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	img, err := backend.Link(prog, p.target, rt)
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	b, err := backend.Write(img)
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	ph.end("link")
	return b, nil
}

// isUnsupported reports whether err is lowering's refusal of a feature not implemented.
func isUnsupported(err error) bool {
	var ue *frontend.UnsupportedError
	return errors.As(err, &ue)
}

// firstUnsupported reduces err to the first lowering refusal in it, if it has one: a
// module with a thousand SIMD functions gets one line, as a module lowered whole does.
func firstUnsupported(err error) error {
	var first error
	var visit func(error)
	visit = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				visit(e)
			}
			return
		}
		var ue *frontend.UnsupportedError
		if first == nil && errors.As(err, &ue) {
			first = err
		}
	}
	visit(err)
	if first != nil {
		return first
	}
	return err
}
