package driver

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// Input is one module of a program.
type Input struct {
	// Path names the module in errors. Data is its contents, in the binary or the text
	// format ([IsText]).
	Path string
	Data []byte
	// Module, when not nil, is the module already loaded and lowered by [Lower], and Data
	// is not read: the .wast executor lowers each module once, to plan its commands with.
	// Build may change it.
	Module *ir.Module
	// Name is the module name by which the other inputs import this one's exports (a .wast
	// script's register), or "".
	Name string
}

// Options say what [Build] makes and how.
type Options struct {
	// ISA generates the machine code and the process entry; OS is the operating system
	// the executable is for.
	ISA backend.ISA
	OS  backend.OS
	// Level is the optimization level, 0, 1 or 2 ([ir.Passes]).
	Level int
	// BoundsChecks chooses how memory accesses are kept in bounds: explicit compares (the
	// zero value, which any host runs) or guard pages, which reserve 6 GiB of address
	// space per 32-bit memory and leave most accesses unchecked (backend/guard.go).
	BoundsChecks backend.BoundsChecks
	// CPU is the processor level the code may use and the executable checks at start-up
	// (--cpu; the zero value is the architecture's baseline, backend.ParseCPU).
	CPU backend.CPU

	// By default the executable is a WASI command built from one input: it instantiates
	// the module and calls its export "_start", if it has one.
	//
	// Invoke makes it call this export instead (after "_initialize", if exported, as WASI
	// reactors want) with arguments from its command line, and print the results.
	Invoke string
	// RequireEntry refuses a command that would do nothing when run: one whose module
	// has no export "_start", no start function and no Invoke, a library (a WASI
	// reactor). The error names its function exports. The CLI sets it; a test building
	// a library for its code does not.
	RequireEntry bool
	// TrapUnknownImports gives each function import that nothing provides a body that
	// traps when called, instead of failing the build.
	TrapUnknownImports bool
	// WASIConfig is the encoded [rtlib.Config], the capabilities baked into the
	// executable; nil grants none.
	WASIConfig []byte
	// Script, if not nil, makes the executable a .wast script's instead, built from any
	// number of inputs.
	Script *Script
	// NoOSSandbox leaves out the second wall (DESIGN.md decision 13, rtlib.Wall): by
	// default a Linux executable, once started and before any guest code runs, limits
	// itself with Landlock to its preopened directories and with a seccomp filter to the
	// system calls its runtime makes. (--no-os-sandbox.)
	NoOSSandbox bool
	// WallProbe is for tests of the wall: a command's entry calls the runtime's
	// wasmc_wall_probe after the wall is up, which does what its command line's first
	// argument says the wall must forbid (rtlib/c/wall.c).
	WallProbe bool

	// MaxMemory is the most bytes a memory of the program may hold, a multiple of 64 KiB
	// (0: backend.DefaultMaxMemory, 4 GiB), and MaxTableElems the most elements its
	// tables may hold, each and all of an input's together (0:
	// backend.DefaultMaxTableElems). Growth past them fails (memory.grow and table.grow
	// return -1); an input that declares more fails to instantiate (limits.go).
	MaxMemory     uint64
	MaxTableElems uint64

	// Regalloc chooses the register allocator; the zero value chooses by Level.
	Regalloc Regalloc

	// Verify runs the IR verifier on every function before the passes and after each one
	// (ir.Config.Verify), turning a broken invariant into an error naming the pass.
	Verify bool
	// CheckAllocations runs regalloc.Check on every function's allocation.
	CheckAllocations bool
	// Dump, if not nil, prints the code of some functions after some phases (--dump).
	Dump *Dump
	// Timings, if not nil, is called as each phase of the build ends (-v).
	Timings func(Phase)
	// Progress, if not nil, is told how far the build is, for a report on a terminal: the
	// name of each phase as it starts (done and total 0), and during "codegen" each time
	// a function is compiled, with the number done of the total. Codegen's workers call
	// it concurrently.
	Progress func(phase string, done, total int)
}

// Regalloc is a choice of register allocator ([Options.Regalloc]).
type Regalloc uint8

const (
	// RegallocByLevel is the fast local allocator at -O0 ([regalloc.RunFast]: -O0 is the
	// fast tier, DESIGN.md decision 14) and linear scan ([regalloc.Run]) above.
	RegallocByLevel Regalloc = iota
	// RegallocFast and RegallocLinearScan choose one whatever the level, so that the two
	// can be compared (wasmc's hidden --regalloc).
	RegallocFast
	RegallocLinearScan
)

// fastRegalloc reports whether o builds with regalloc.RunFast.
func (o *Options) fastRegalloc() bool {
	return o.Regalloc == RegallocFast || o.Regalloc == RegallocByLevel && o.Level == 0
}

// Dump says which functions to print after which phases, in the text forms the filetests
// use: ir's printer for IR, [backend.MachineFunc.Format] for machine code. Each piece
// starts with a line "; $NAME after PHASE"; functions come in index order, so the output
// does not depend on scheduling.
type Dump struct {
	// Phases are names from [DumpPhases], or "all".
	Phases []string
	// Func selects the functions of this name ("fac" or "$fac", as the linked program
	// names them); "" selects all.
	Func string
	// W receives the text.
	W io.Writer
}

// Phase is one step of a build, as [Options.Timings] reports it.
type Phase struct {
	Name string
	Time time.Duration
	// Detail breaks the phase down, when there is more to say: codegen's stages, each
	// summed over the workers.
	Detail string
}

// Script is a .wast script as one executable (DESIGN.md decision 11). Every input is an
// instance in one process, linked to the others by [Input.Name]; process entry runs Steps
// in order, and each reports on a line of its own (rtlib/c/driver.c): "ok" followed by the
// bits of its results in hex, or "trap CODE" (an [ir.TrapCode]) when a trap unwound it.
// A trap never ends the process. Before Steps, entry runs the runtime's own
// initialisation, which reports the first line.
type Script struct {
	Steps []Step
}

// StepKind says what a [Step] does.
type StepKind uint8

const (
	// StepInit instantiates Input. If the memories and tables it imports are smaller than
	// the minimums it declares ([NeedsLinkCheck]), it reports "ok 0" and does nothing more;
	// otherwise it runs the input's initialisation and start function, and reports "ok".
	StepInit StepKind = iota + 1
	// StepInvoke calls Input's function export Export with Args and reports its results.
	StepInvoke
	// StepGet reports the value of Input's global export Export.
	StepGet
	// StepLinkCheck reports whether Input's imports are big enough, "ok 1" or "ok 0",
	// without instantiating it; Input must need the check ([NeedsLinkCheck]).
	StepLinkCheck
)

// Step is one command of a .wast executable.
type Step struct {
	Kind StepKind
	// Input is the index of the input the step acts on.
	Input int
	// Export names a function (StepInvoke) or a global (StepGet) among Input's exports.
	Export string
	// Args are StepInvoke's arguments, of the function's parameter types. A reference is
	// given by its bits in the executable: 0 for null, N+1 for the host reference N.
	Args []ir.Val
}

// Dump phases besides the passes of ir.Pipeline.
const (
	dumpLower    = "lower"    // the IR as lowering and linking leave it, before the passes
	dumpSelect   = "select"   // machine code over virtual registers
	dumpRegalloc = "regalloc" // machine code after allocation, with its frame
)

// DumpPhases lists the phases [Dump] can print after at an optimization level, in the
// order they run: "lower", the passes of [ir.Pipeline] for level ("inline" at -O2, which
// Build always plans), "select" and "regalloc".
func DumpPhases(level int) []string {
	phases := []string{dumpLower}
	for _, p := range ir.Pipeline(ir.Config{Level: level, Inline: &ir.Inliner{}}) {
		phases = append(phases, p.Name)
	}
	return append(phases, dumpSelect, dumpRegalloc)
}

// check reports what is wrong with o for a program of n inputs.
func (o *Options) check(n int) error {
	switch {
	case o.ISA == nil || o.OS == 0:
		return errors.New("internal error: driver: no ISA or OS")
	case o.Dump != nil && o.Dump.W == nil:
		return errors.New("internal error: driver: a dump without a writer")
	case o.Regalloc > RegallocLinearScan:
		return fmt.Errorf("internal error: driver: register allocator %d", o.Regalloc)
	case int(o.CPU) >= len(backend.CPUNames(o.ISA.Arch())):
		return fmt.Errorf("--cpu: level %d is not one of %v's", o.CPU, o.ISA.Arch())
	case o.Level < 0 || o.Level > 2:
		return fmt.Errorf("-O%d: the levels are 0, 1 and 2", o.Level)
	case o.Script == nil && n != 1:
		return fmt.Errorf("internal error: driver: a command is built from one module, not %d", n)
	case o.MaxMemory%65536 != 0 || o.MaxMemory > backend.DefaultMaxMemory:
		return fmt.Errorf("--max-memory: %d bytes is not a whole number of 64 KiB pages up to 4 GiB", o.MaxMemory)
	case o.MaxTableElems > 1<<32-1:
		return fmt.Errorf("--max-table-elements: %d is more than a table can hold (2^32-1)", o.MaxTableElems)
	case o.Script != nil && (o.Invoke != "" || o.TrapUnknownImports || o.WASIConfig != nil || o.WallProbe):
		return errors.New("internal error: driver: a .wast executable takes no --invoke, --trap-unknown-imports, capabilities or wall probe")
	}
	if o.Dump != nil {
		known := DumpPhases(o.Level)
		for _, p := range o.Dump.Phases {
			if p != "all" && !slices.Contains(known, p) {
				return fmt.Errorf("--dump: no phase %q at -O%d (phases: %s)", p, o.Level, strings.Join(known, ", "))
			}
		}
	}
	return nil
}
