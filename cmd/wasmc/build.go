package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/driver"
)

const buildLong = `build compiles a WebAssembly module (.wasm or .wat) into a standalone native
executable: a static ELF for Linux, with no interpreter, no libc and no runtime to
install.

The executable instantiates the module (data and element segments, then its start
function) and then calls its export "_start", as WASI commands define. A module
with neither (a library, or WASI reactor) would do nothing: it is refused, naming
its exports, unless --invoke says which to call. The executable passes its whole
command line to the program (argv[0] included), and the program's exit status
(proc_exit) becomes the process's. -o onto the module itself is refused.

WASI preview1 (wasi_snapshot_preview1) is provided in full, behind the capabilities
given here and baked into the executable: the executable takes no flags of its own,
so what it may reach is fixed when it is built. A --dir must name a directory when
the executable is built; its path is stored absolute.

` + capsHelp + `

` + wallHelp + `

With --invoke NAME the executable instead calls export NAME (after "_initialize", if
the module exports it, as WASI reactors want) with arguments from its command line,
one per parameter, and prints each result on a line of its own:
  wasmc build --invoke fac_iter testdata/fac.wat -o fac && ./fac 20
prints 2432902008176640000. Integers are decimal or 0x hex (i32 takes -2147483648 to
4294967295); floats are decimal, inf, nan or nan:0xPAYLOAD, correctly rounded; floats
print as the shortest decimal that reads back exactly. A wrong argument count or an
argument that does not parse exits with status 2.

Exit status: the program's own, from proc_exit(n) or _start's return (0), for
every n from 0 to 255 as a native program's (a status above 255 prints why and
exits 1); 134 for a trap, which prints its kind and a backtrace of wasm functions
with their offsets to stderr; 1, with a line naming the executable and why, when a
--dir cannot be opened any more or a --tcplisten address cannot be bound before
the program starts, or when (as under Wasmtime) a WASI call is given a pointer
outside linear memory (or misaligned) or an argument that is not a value of its
type, having touched nothing.

Imports other than WASI's and wasmc's runtime are an error that names each one,
unless --trap-unknown-imports turns each function import into a function that traps
(unreachable) when called.

Looking inside the compiler (printed to stderr):
  --verify          run the IR verifier after every pass and the register allocation
                    checker on every function; a broken invariant is an internal
                    compiler error naming the function and the pass
  --dump=PHASES     print the code after each phase named (comma-separated, or all):
                    the IR after "lower" and after each -O pass, in the IR's text form;
                    the machine code after "select" (virtual registers) and after
                    "regalloc" (registers, frame, prologue). --dump=help lists the
                    phases of the -O level given
  --func=NAME       dump only function NAME ($NAME also works), as the linked program
                    names it (trap reports print the same names)
  -v                print each phase with its time and the process's peak memory
  --cpuprofile F    write a CPU profile of the build to F (go tool pprof)
  --memprofile F    write an allocation profile of the build to F`

// lookInside are build's flags for looking inside the compiler.
type lookInside struct {
	verbose, verify        bool
	dump, dumpFunc         string
	cpuProfile, memProfile string
}

func newBuildCmd() *cobra.Command {
	var out string
	var o buildOptions
	var l lookInside
	cmd := &cobra.Command{
		Use:   "build MODULE -o OUTPUT [flags]",
		Short: "Compile a module into a standalone executable",
		Long:  buildLong,
		Args: func(cmd *cobra.Command, args []string) error {
			if l.dump == "help" {
				return cobra.MaximumNArgs(1)(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			stderr := cmd.ErrOrStderr()
			if l.dump == "help" {
				level, err := o.level.level("build")
				if err != nil {
					return err
				}
				return dumpHelp(cmd.OutOrStdout(), level)
			}
			if out == "" {
				return errors.New("build: -o OUTPUT is required")
			}
			if err := checkOutput(args[0], out); err != nil {
				return err
			}
			o.warn = cmd.ErrOrStderr()
			opts, err := o.options("build")
			if err != nil {
				return err
			}
			if err := l.apply(&opts, stderr); err != nil {
				return err
			}
			var v *phaseLog
			if l.verbose {
				v = newPhaseLog(stderr)
				opts.Timings = v.phase
			}
			stop, err := l.startProfile()
			if err != nil {
				return err
			}
			if fi, err := os.Stat(args[0]); err == nil {
				limitMemory(int(fi.Size()))
			}
			report := startProgress(stderr, o.quiet)
			opts.Progress = report.callback()
			exe, err := buildFile(args[0], opts)
			report.end()
			if perr := stop(); err == nil {
				err = perr
			}
			if err != nil {
				return err
			}
			start := time.Now()
			if err := writeOutput(out, exe); err != nil {
				return err
			}
			if v != nil {
				v.phase(driver.Phase{Name: "write", Time: time.Since(start)})
				v.total()
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "the executable `FILE` to write")
	f.BoolVarP(&l.verbose, "verbose", "v", false, "print each phase with its time and the peak memory to stderr")
	f.BoolVar(&l.verify, "verify", false, "verify the IR after every pass and check every register allocation")
	f.StringVar(&l.dump, "dump", "", "print code after these `PHASES` to stderr (comma-separated; all; help lists them)")
	f.StringVar(&l.dumpFunc, "func", "", "dump only the function of this `NAME`")
	f.StringVar(&l.cpuProfile, "cpuprofile", "", "write a CPU profile of the build to `FILE`")
	f.StringVar(&l.memProfile, "memprofile", "", "write an allocation profile of the build to `FILE`")
	o.register(f)
	return cmd
}

// apply adds the checks and dumps to opts; dumps go to w.
func (l *lookInside) apply(opts *driver.Options, w io.Writer) error {
	opts.Verify, opts.CheckAllocations = l.verify, l.verify
	if l.dumpFunc != "" && l.dump == "" {
		return errors.New("build: --func selects what --dump prints: give --dump=PHASES too")
	}
	if l.dump != "" {
		opts.Dump = &driver.Dump{Phases: strings.Split(l.dump, ","), Func: l.dumpFunc, W: w}
	}
	return nil
}

// dumpHelp lists the phases --dump knows at level.
func dumpHelp(w io.Writer, level int) error {
	fmt.Fprintf(w, "--dump phases at -O%d, in the order they run (or all):\n", level)
	for _, p := range driver.DumpPhases(level) {
		fmt.Fprintf(w, "  %s\n", p)
	}
	return nil
}

// startProfile starts the CPU profile if one is asked for; stop ends it and writes the
// allocation profile.
func (l *lookInside) startProfile() (stop func() error, err error) {
	var cpu *os.File
	if l.cpuProfile != "" {
		if cpu, err = os.Create(l.cpuProfile); err != nil {
			return nil, fmt.Errorf("build: --cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("build: --cpuprofile: %w", err)
		}
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return fmt.Errorf("build: --cpuprofile: %w", err)
			}
		}
		if l.memProfile == "" {
			return nil
		}
		f, err := os.Create(l.memProfile)
		if err != nil {
			return fmt.Errorf("build: --memprofile: %w", err)
		}
		runtime.GC() // the profile's in-use figures are as of the last collection
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("build: --memprofile: %w", err)
		}
		return nil
	}, nil
}
