package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/ir"
)

func newBuildCmd() *cobra.Command {
	var out, target, invoke string
	var level int
	var verbose, trapUnknown bool
	cmd := &cobra.Command{
		Use:   "build MODULE -o OUTPUT [--invoke NAME]",
		Short: "Compile a module into a standalone executable",
		Long: `build compiles a WebAssembly module (.wasm or .wat) into a standalone native
executable: a static ELF for Linux, with no interpreter, no libc and no runtime to
install.

The executable instantiates the module (data and element segments, then its start
function) and then calls its export "_start" if it has one, as WASI commands
define.

With --invoke NAME the executable instead calls export NAME (after "_initialize", if
the module exports it, as WASI reactors want) with arguments from its command line,
one per parameter, and prints each result on a line of its own:
  wasmc build --invoke fac_iter testdata/fac.wat -o fac && ./fac 20
prints 2432902008176640000. Integers are decimal or 0x hex (i32 takes -2147483648 to
4294967295); floats are decimal, inf, nan or nan:0xPAYLOAD, correctly rounded; floats
print as the shortest decimal that reads back exactly. A wrong argument count or an
argument that does not parse exits with status 2.

A trap prints its kind and the wasm function with its offset to stderr and
exits with status 134.

The runtime linked into every executable is wasmc's own (rtlib): it provides what the
module imports from wasmc's runtime. Every other import is an error that names it,
unless --trap-unknown-imports turns each function import into a function that traps
(unreachable) when called. (WASI preview1 comes next.)`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("build: -o OUTPUT is required")
			}
			if level < 0 || level > 2 {
				return fmt.Errorf("build: -O%d: the levels are 0, 1 and 2", level)
			}
			t, err := parseTarget(target)
			if err != nil {
				return fmt.Errorf("build: %w", err)
			}
			ph := &phases{}
			ph.begin()
			src, err := readSource(args[0])
			if err != nil {
				return err
			}
			fm, err := src.load()
			if err != nil {
				return errors.New(src.describe(err))
			}
			ph.end("load")
			m, err := lowerModule(fm)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			if trapUnknown {
				trapImports(m, func(ir.ImportName) bool { return false })
			}
			var keep []string
			if invoke != "" {
				keep = invokeExports
			}
			rt, err := runtimeModule(runtimeKeep(keep...))
			if err != nil {
				return err
			}
			ph.end("lower")
			guest := -1
			if len(m.Memories) > 0 {
				guest = 0
			}
			linked, err := link([]ir.LinkInput{{Module: m}, {Name: "wasmc_rt", Module: rt, ExportAs: rtPrefix}}, t, guest)
			if err != nil {
				return importErrors(args[0], err)
			}
			ph.end("link-ir")
			p := &program{m: linked, target: t, level: level}
			var entry amd64.EntryConfig
			for _, name := range []string{rtPrefix + initExport, initExport} {
				f, err := p.exportedFunc(name)
				if err != nil {
					return err
				}
				entry.Steps = append(entry.Steps, f)
			}
			main := "_start"
			if invoke != "" {
				main = reactorInitName
			}
			if f, err := p.exportedFunc(main); err == nil {
				if sig := linked.Funcs[f].Sig; len(sig.Params) > 0 || len(sig.Results) > 0 {
					return fmt.Errorf("%s: export %s has type %v, want () -> ()", args[0], main, sig)
				}
				entry.Steps = append(entry.Steps, f)
			}
			if invoke != "" {
				f, err := addInvoke(p, invoke)
				if err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				entry.Steps = append(entry.Steps, f)
				init, err := p.exportedFunc(rtPrefix + rtArgsInit)
				if err != nil {
					return err
				}
				entry.ArgsInit = init + 1
			}
			exe, err := compileProgram(p, entry, ph)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
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
	cmd.Flags().StringVar(&invoke, "invoke", "", "call this export with the command line's arguments and print its results")
	cmd.Flags().StringVar(&target, "target", hostTarget(), "the target OS/ARCH (see `wasmc targets`)")
	cmd.Flags().IntVarP(&level, "opt", "O", 2, "optimization level: 0, 1 or 2")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the time of each phase to stderr")
	cmd.Flags().BoolVar(&trapUnknown, "trap-unknown-imports", false, "make function imports that nothing provides trap when called, instead of failing the build")
	return cmd
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
