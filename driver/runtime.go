package driver

import (
	"fmt"
	"slices"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// Linking with the runtime (DESIGN.md decision 6): rt.wasm is lowered like any input, keeps
// only the exports the program calls (so that dead-function elimination drops the rest),
// and links last, its exports prefixed with rtPrefix. The runtime routines machine code
// calls are bound by backend's table ([backend.RuntimeRoutine.Export]); the runtime's
// other exports that the driver calls are named here, once.

// rtPrefix prefixes the runtime's exports in the linked module.
const rtPrefix = "rt:"

// The runtime's exports besides the routines, by what calls them.
const (
	// Process entry: the trap report and the start-up of a command.
	rtTrap      = "wasmc_trap"       // trap.c, EntryConfig.Trap
	rtArgsInit  = "wasmc_args_init"  // invoke.c, EntryConfig.ArgsInit
	rtWASIInit  = "wasmc_wasi_init"  // wasi_init.c, for programs that import WASI
	rtWall      = "wasmc_wall"       // wall.c, after start-up, before any guest code
	rtWallProbe = "wasmc_wall_probe" // wall.c, Options.WallProbe

	// The function --invoke generates (invoke.go).
	rtInvokeArgc   = "wasmc_invoke_argc"
	rtInvokeUsage  = "wasmc_invoke_usage"
	rtInvokeArg    = "wasmc_invoke_arg"
	rtInvokeResult = "wasmc_invoke_result"

	// The step functions of a .wast executable (script.go) and its trap unwinding.
	rtDriverValue = "wasmc_driver_value"
	rtDriverDone  = "wasmc_driver_done"
	rtDriverTrap  = "wasmc_driver_trap" // EntryConfig.DriverTrap
)

var (
	invokeExports = []string{rtInvokeArgc, rtInvokeUsage, rtInvokeArg, rtInvokeResult}
	driverExports = []string{rtDriverValue, rtDriverDone, rtDriverTrap}
)

// runtimeKeep lists the runtime exports every program keeps, plus extra.
func runtimeKeep(extra ...string) []string {
	keep := append([]string{rtTrap, rtWall}, extra...)
	for r := range backend.NumRuntimeRoutines {
		if name := r.Export(); name != "" {
			keep = append(keep, name)
		}
	}
	return keep
}

// runtimeModule lowers the runtime of OS os (rtlib.WasmFor) for linking: its
// instantiation becomes code like every input's, and it exports only what the program
// calls (keep).
func runtimeModule(os backend.OS, keep []string) (*ir.Module, error) {
	fm, err := frontend.Decode(rtlib.WasmFor(os.String()))
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

// link links inputs, the runtime last, and lowers the runtime's intrinsics for target t.
// guestMemory is the memory guest_read and guest_write reach, or -1; config is the WASI
// configuration (rtlib.Config), or nil. The second wall is up unless o says otherwise.
func link(inputs []ir.LinkInput, t backend.Target, guestMemory int, config []byte, o *Options) (*ir.Module, error) {
	sys, err := rtlib.SyscallNumbers(t.OS.String(), t.Arch.String())
	if err != nil {
		return nil, err
	}
	var wall []byte
	if !o.NoOSSandbox && t.OS == backend.OSLinux {
		if wall, err = rtlib.Wall(t.Arch.String()); err != nil {
			return nil, fmt.Errorf("internal error: %w", err)
		}
	}
	entries := make([]int, len(inputs))
	for i := range entries {
		entries[i] = i
	}
	// Minimum sizes of imported memories and tables are the caller's to check at run time
	// (a .wast executable's link checks); no other program imports them.
	m, err := ir.Link(inputs, ir.LinkConfig{Entries: entries, RequireResolved: true, ExternModules: []string{rtlib.Module}, DeferMinimums: true})
	if err != nil {
		return nil, err
	}
	// The runtime links last and has one memory, so it is the last memory.
	err = rtlib.LowerIntrinsics(m, rtlib.Layout{RuntimeMemory: uint32(len(m.Memories) - 1), GuestMemory: guestMemory, Syscalls: sys, Config: config, Wall: wall})
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	return m, nil
}

// exportedFunc returns the index of the linked module's function exported as name.
func exportedFunc(m *ir.Module, name string) (uint32, error) {
	if f, ok := m.Export(name, ir.ExternFunc); ok {
		return f, nil
	}
	return 0, fmt.Errorf("internal error: the linked program exports no function %q", name)
}

// bindRuntime fills in what entry needs of the runtime in linked module m: the trap report
// and the routines the runtime's C implements.
func bindRuntime(m *ir.Module, e *backend.EntryConfig) error {
	var err error
	if e.Trap, err = exportedFunc(m, rtPrefix+rtTrap); err != nil {
		return err
	}
	for r := range backend.NumRuntimeRoutines {
		if name := r.Export(); name != "" {
			f, err := exportedFunc(m, rtPrefix+name)
			if err != nil {
				return err
			}
			e.RoutineFunc[r] = f + 1
		}
	}
	return nil
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
