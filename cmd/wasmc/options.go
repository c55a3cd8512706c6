package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
)

// buildOptions are what `wasmc build` and `wasmc run` compile a module with.
type buildOptions struct {
	target      string
	level       levelFlag
	invoke      string
	trapUnknown bool
	bounds      string
	cpu         string
	quiet       bool
	noWall      bool
	wallProbe   bool   // hidden: driver.Options.WallProbe, for the wall's tests
	regalloc    string // hidden: driver.Options.Regalloc, to compare the allocators
	caps        capabilities
	limits      limitFlags
	// warn receives the warning of an experimental target; nil says nothing.
	warn io.Writer
}

const wallHelp = `The second wall: on Linux the executable, once started and before any of the
module's code runs, confines itself with Landlock to the --dir directories (where the
kernel has Landlock, ABI 2, Linux 5.19, or later) and with a seccomp filter to the
system calls its runtime makes (no files outside --dir, no executable memory, no
processes, no new sockets or outgoing connections, no signals to other processes);
anything else kills the process with SIGSYS. It holds if a bug in wasmc ever let a program escape the runtime's own
sandbox. Under qemu-user, which implements neither, the executable runs without it, and
darwin executables have none (macOS has neither). --no-os-sandbox leaves it out.`

func (o *buildOptions) register(f *pflag.FlagSet) {
	f.StringVar(&o.invoke, "invoke", "", "call export `NAME` with the command line's arguments and print its results")
	f.StringVar(&o.target, "target", hostTarget(), "the `OS/ARCH` to build for (wasmc targets lists them; darwin/amd64 and darwin/arm64 are experimental)")
	o.level.register(f, 2)
	f.StringVar(&o.bounds, "bounds-checks", "guard", "keep memory accesses in bounds by `MODE`: guard (guard pages; each memory reserves 6 GiB of address space and most accesses need no compare) or explicit (a compare per access, for hosts that limit address space)")
	f.StringVar(&o.cpu, "cpu", "", cpuHelp)
	f.BoolVar(&o.trapUnknown, "trap-unknown-imports", false, "make function imports that nothing provides trap when called, instead of failing the build")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no progress report (one is shown on a terminal for builds over a second)")
	f.BoolVar(&o.noWall, "no-os-sandbox", false, "leave out the second wall (Landlock and seccomp around the running executable)")
	f.BoolVar(&o.wallProbe, "os-sandbox-probe", false, "make the runtime do what the wall forbids, as argv[1] says (for tests)")
	f.MarkHidden("os-sandbox-probe")
	registerRegalloc(f, &o.regalloc)
	o.caps.register(f)
	o.limits.register(f)
}

// options turns the flags into the driver's options; the caller adds what looks inside.
// cmd, "build" or "run", prefixes the errors.
func (o *buildOptions) options(cmd string) (driver.Options, error) {
	level, err := o.level.level(cmd)
	if err != nil {
		return driver.Options{}, err
	}
	t, isa, err := parseTarget(o.target, o.warn)
	if err != nil {
		return driver.Options{}, fmt.Errorf("%s: %w", cmd, err)
	}
	bounds, err := parseBoundsChecks(o.bounds)
	if err != nil {
		return driver.Options{}, fmt.Errorf("%s: %w", cmd, err)
	}
	cpu, err := backend.ParseCPU(t.Arch, o.cpu)
	if err != nil {
		return driver.Options{}, fmt.Errorf("%s: %w", cmd, err)
	}
	config, err := o.caps.config(t.OS.String(), t.Arch.String())
	if err != nil {
		return driver.Options{}, fmt.Errorf("%s: %w", cmd, err)
	}
	ra, err := parseRegalloc(o.regalloc)
	if err != nil {
		return driver.Options{}, fmt.Errorf("%s: %w", cmd, err)
	}
	maxMemory, maxTables, err := o.limits.values()
	if err != nil {
		return driver.Options{}, fmt.Errorf("%s: %w", cmd, err)
	}
	return driver.Options{
		ISA:                isa,
		OS:                 t.OS,
		Level:              level,
		BoundsChecks:       bounds,
		CPU:                cpu,
		Invoke:             o.invoke,
		TrapUnknownImports: o.trapUnknown,
		RequireEntry:       true,
		WASIConfig:         config,
		MaxMemory:          maxMemory,
		MaxTableElems:      maxTables,
		NoOSSandbox:        o.noWall,
		WallProbe:          o.wallProbe,
		Regalloc:           ra,
	}, nil
}

// cpuHelp describes --cpu, which build, run and wast share.
const cpuHelp = "generate code for processor `LEVEL` and refuse to start on a lower one: on amd64 x86-64-v2 (the default; SSE4.2, POPCNT) " +
	"or x86-64-v3 (adds AVX2, BMI1, BMI2, LZCNT: lzcnt, tzcnt, shlx, rorx, andn); on arm64 armv8.0-a (the only level). " +
	"The code depends on the flag, never on the build host"

// buildFile compiles the module at path with opts.
func buildFile(path string, opts driver.Options) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return driver.Build([]driver.Input{{Path: path, Data: data}}, opts)
}

// registerRegalloc adds the hidden --regalloc to f.
func registerRegalloc(f *pflag.FlagSet, s *string) {
	f.StringVar(s, "regalloc", "", "allocate registers with `ALLOCATOR`: fast (the local allocator, -O0's) or linear-scan (-O1's and -O2's); by level if empty")
	f.MarkHidden("regalloc")
}

// parseRegalloc reads --regalloc.
func parseRegalloc(s string) (driver.Regalloc, error) {
	switch s {
	case "":
		return driver.RegallocByLevel, nil
	case "fast":
		return driver.RegallocFast, nil
	case "linear-scan":
		return driver.RegallocLinearScan, nil
	}
	return 0, fmt.Errorf("--regalloc %q: the allocators are fast and linear-scan", s)
}

// parseBoundsChecks reads --bounds-checks.
func parseBoundsChecks(s string) (backend.BoundsChecks, error) {
	switch s {
	case "guard", "": // the flag's default
		return backend.BoundsGuard, nil
	case "explicit":
		return backend.BoundsExplicit, nil
	}
	return 0, fmt.Errorf("--bounds-checks %q: the modes are guard and explicit", s)
}
