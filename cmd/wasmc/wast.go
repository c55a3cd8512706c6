package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/wast"
)

func newWastCmd() *cobra.Command {
	var verbose, interp, validateOnly, verify bool
	var level levelFlag
	var target, bounds, cpu, regalloc string
	cmd := &cobra.Command{
		Use:   "wast FILE...",
		Short: "Run WebAssembly spec test scripts",
		Long: `wast runs .wast scripts, the format of the official WebAssembly spec test suite.

Every module must decode (or parse) and validate, assert_malformed modules must be
rejected by the decoder or the text parser, and assert_invalid modules by the
validator.

By default every other command is executed natively: the script becomes one
executable for --target (the host by default), in which each module is an instance
linked to the spectest module and to the modules the script registers, and a
generated driver runs the commands in order; a trap unwinds to the driver, which goes
on with the next command. The results are compared with the script's expectations bit
for bit (NaN classes included). The other Linux architecture's executables run under
qemu-user, and darwin's (experimental) through wasmc's test loader, which needs gcc
(and, for darwin/arm64, aarch64-linux-gnu-gcc and qemu).

With --interp the commands run in the IR interpreter instead, and with --validate
they are not run at all: invoke, get, register, assert_return, assert_trap,
assert_exhaustion, assert_unlinkable and assert_uninstantiable are then counted as
skipped, never as passed; a module inside such an assertion must still decode and
validate. -O sets the optimization level (0, 1 or 2; -O2 by default, as for build, so
that the suite tests the code users run).

A directory argument runs the .wast files directly in it, in name order. Each failure
prints one line naming FILE:LINE. The last line is
"N passed, N failed, N skipped"; the exit status is 1 when anything failed.
--verify runs the IR verifier after every pass, and natively also the register
allocation checker on every function.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			lv, err := level.level("wast")
			if err != nil {
				return err
			}
			if interp && validateOnly {
				return fmt.Errorf("wast: --interp and --validate exclude each other")
			}
			b, err := parseBoundsChecks(bounds)
			if err != nil {
				return fmt.Errorf("wast: %w", err)
			}
			ra, err := parseRegalloc(regalloc)
			if err != nil {
				return fmt.Errorf("wast: %w", err)
			}
			cfg := wast.Config{Mode: wast.Validate, Options: driver.Options{Level: lv, Verify: verify, CheckAllocations: verify, BoundsChecks: b, Regalloc: ra}}
			switch {
			case interp:
				cfg.Mode = wast.Interp
			case !validateOnly:
				t, isa, err := parseTarget(target, cmd.ErrOrStderr())
				if err != nil {
					return fmt.Errorf("wast: %w", err)
				}
				tmp, err := os.MkdirTemp("", "wasmc-wast")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				// Said once up front rather than as a failure of every command; darwin
				// executables run through a loader built here, once (internal/runexe).
				if _, err := runexe.ForOS(t.OS.String(), t.Arch.String(), tmp); err != nil {
					return fmt.Errorf("wast: %w", err)
				}
				cfg.Mode, cfg.Dir = wast.Native, tmp
				cfg.Options.ISA, cfg.Options.OS = isa, t.OS
				if cfg.Options.CPU, err = backend.ParseCPU(t.Arch, cpu); err != nil {
					return fmt.Errorf("wast: %w", err)
				}
			}
			scripts, err := wastScripts(args)
			if err != nil {
				return err
			}
			var total wast.Tally
			for _, path := range scripts {
				t := wast.Run(path, cfg, func(line string) { fmt.Fprintln(out, line) })
				if verbose {
					fmt.Fprintf(out, "%s: %v\n", path, t)
				}
				total.Add(t)
			}
			fmt.Fprintln(out, total)
			if total.Failed > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the counts of each file")
	cmd.Flags().BoolVar(&interp, "interp", false, "execute assertions in the IR interpreter")
	cmd.Flags().BoolVar(&validateOnly, "validate", false, "only decode and validate; count executed commands as skipped")
	cmd.Flags().BoolVar(&verify, "verify", false, "verify the IR after every pass and check every register allocation")
	cmd.Flags().StringVar(&target, "target", hostTarget(), "the `OS/ARCH` of the native executables (wasmc targets lists them); darwin's (experimental) run through a loader built with gcc")
	level.register(cmd.Flags(), 2)
	registerRegalloc(cmd.Flags(), &regalloc)
	cmd.Flags().StringVar(&cpu, "cpu", "", cpuHelp)
	cmd.Flags().StringVar(&bounds, "bounds-checks", "guard", "keep the native executables' memory accesses in bounds by `MODE`: guard or explicit (see wasmc build --help)")
	return cmd
}
