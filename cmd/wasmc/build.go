package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// buildOptions are what `wasmc build` and `wasmc run` compile a module with.
type buildOptions struct {
	target      string
	level       int
	invoke      string
	trapUnknown bool
	caps        capabilities
}

func (o *buildOptions) register(f *pflag.FlagSet) {
	f.StringVar(&o.invoke, "invoke", "", "call this export with the command line's arguments and print its results")
	f.StringVar(&o.target, "target", hostTarget(), "the target OS/ARCH (see `wasmc targets`)")
	f.IntVarP(&o.level, "opt", "O", 2, "optimization level: 0, 1 or 2")
	f.BoolVar(&o.trapUnknown, "trap-unknown-imports", false, "make function imports that nothing provides trap when called, instead of failing the build")
	o.caps.register(f)
}

const buildLong = `build compiles a WebAssembly module (.wasm or .wat) into a standalone native
executable: a static ELF for Linux, with no interpreter, no libc and no runtime to
install.

The executable instantiates the module (data and element segments, then its start
function) and then calls its export "_start" if it has one, as WASI commands
define. It passes its whole command line to the program (argv[0] included), and
the program's exit status (proc_exit) becomes the process's.

WASI preview1 (wasi_snapshot_preview1) is provided in full, behind the capabilities
given here and baked into the executable: the executable takes no flags of its own,
so what it may reach is fixed when it is built. Relative --dir paths are resolved
against the working directory the executable runs in.

` + capsHelp + `

With --invoke NAME the executable instead calls export NAME (after "_initialize", if
the module exports it, as WASI reactors want) with arguments from its command line,
one per parameter, and prints each result on a line of its own:
  wasmc build --invoke fac_iter testdata/fac.wat -o fac && ./fac 20
prints 2432902008176640000. Integers are decimal or 0x hex (i32 takes -2147483648 to
4294967295); floats are decimal, inf, nan or nan:0xPAYLOAD, correctly rounded; floats
print as the shortest decimal that reads back exactly. A wrong argument count or an
argument that does not parse exits with status 2.

A trap prints its kind and the wasm function with its offset to stderr and
exits with status 134. A --dir that cannot be opened or a --tcplisten address that
cannot be bound prints why and exits with status 1 before the program starts. As
under Wasmtime, a WASI call given a pointer outside linear memory (or misaligned)
or an argument that is not a value of its type, and proc_exit with a status of 126
or more, print why and exit with status 1, having touched nothing.

Imports other than WASI's and wasmc's runtime are an error that names each one,
unless --trap-unknown-imports turns each function import into a function that traps
(unreachable) when called.`

func newBuildCmd() *cobra.Command {
	var out string
	var verbose bool
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "build MODULE -o OUTPUT [flags]",
		Short: "Compile a module into a standalone executable",
		Long:  buildLong,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("build: -o OUTPUT is required")
			}
			if fi, err := os.Stat(args[0]); err == nil {
				limitMemory(int(fi.Size()))
			}
			ph := &phases{}
			ph.begin()
			exe, err := buildExecutable(args[0], &o, ph)
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, exe, 0o755); err != nil {
				return err
			}
			ph.end("write")
			if verbose {
				ph.print(cmd.ErrOrStderr())
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the executable to write")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the time of each phase to stderr")
	o.register(cmd.Flags())
	return cmd
}

// The runtime's WASI start-up (rtlib/c/wasi_init.c).
const rtWASIInit = "wasmc_wasi_init"

// buildExecutable compiles the module at path into an executable's bytes.
func buildExecutable(path string, o *buildOptions, ph *phases) ([]byte, error) {
	if o.level < 0 || o.level > 2 {
		return nil, fmt.Errorf("build: -O%d: the levels are 0, 1 and 2", o.level)
	}
	t, err := parseTarget(o.target)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	config, err := o.caps.config(t.Arch.String())
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	src, err := readSource(path)
	if err != nil {
		return nil, err
	}
	fm, err := src.load()
	if err != nil {
		return nil, errors.New(src.describe(err))
	}
	ph.end("load")
	m, err := lowerModule(fm, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	keep := append([]string{rtArgsInit}, wasiImports(m)...)
	usesWASI := len(keep) > 1
	if usesWASI {
		keep = append(keep, rtWASIInit)
	}
	if o.invoke != "" {
		keep = append(keep, invokeExports...)
	}
	if o.trapUnknown {
		wasi := rtlib.WASIFunctions()
		trapImports(m, func(n ir.ImportName) bool {
			_, ok := wasi[n.Name]
			return n.Module == rtlib.WASIModule && ok
		})
	}
	rt, err := runtimeModule(runtimeKeep(keep...))
	if err != nil {
		return nil, err
	}
	ph.end("lower")
	guest := -1
	if len(m.Memories) > 0 {
		guest = 0
	}
	linked, err := link([]ir.LinkInput{{Module: m}, {Name: rtlib.WASIModule, Module: rt, ExportAs: rtPrefix}}, t, guest, config)
	if err != nil {
		return nil, importErrors(path, err)
	}
	ph.end("link-ir")
	p := &program{m: linked, target: t, level: o.level}
	var entry amd64.EntryConfig
	steps := []string{rtPrefix + initExport}
	if usesWASI {
		steps = append(steps, rtPrefix+rtWASIInit)
	}
	for _, name := range append(steps, initExport) {
		f, err := p.exportedFunc(name)
		if err != nil {
			return nil, err
		}
		entry.Steps = append(entry.Steps, f)
	}
	main := "_start"
	if o.invoke != "" {
		main = reactorInitName
	}
	if f, err := p.exportedFunc(main); err == nil {
		if sig := linked.Funcs[f].Sig; len(sig.Params) > 0 || len(sig.Results) > 0 {
			return nil, fmt.Errorf("%s: export %s has type %v, want () -> ()", path, main, sig)
		}
		entry.Steps = append(entry.Steps, f)
	}
	if o.invoke != "" {
		f, err := addInvoke(p, o.invoke)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		entry.Steps = append(entry.Steps, f)
	}
	init, err := p.exportedFunc(rtPrefix + rtArgsInit)
	if err != nil {
		return nil, err
	}
	entry.ArgsInit = init + 1
	exe, err := compileProgram(p, entry, ph)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return exe, nil
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

// importErrors reports link errors one per line, each naming the file and the import.
func importErrors(path string, err error) error {
	var lines []string
	var visit func(error)
	visit = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				visit(e)
			}
			return
		}
		var le *ir.LinkError
		if errors.As(err, &le) {
			lines = append(lines, fmt.Sprintf("%s: %s %q %q: nothing provides it (--trap-unknown-imports makes it trap when called)", path, le.Msg, le.Module, le.Name))
			return
		}
		lines = append(lines, fmt.Sprintf("%s: %v", path, err))
	}
	visit(err)
	return errors.New(strings.Join(lines, "\n"))
}

func newTargetsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "targets",
		Short: "List the targets wasmc builds for",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			for _, t := range targets {
				state := "ready"
				if !t.ready {
					state = "not implemented yet"
				}
				mark := ""
				if t.name == hostTarget() {
					mark = " (host)"
				}
				fmt.Fprintf(w, "%-14s %s%s\n", t.name, state, mark)
			}
			return nil
		},
	}
}
