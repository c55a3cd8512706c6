package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend/wat"
)

func newWastCmd() *cobra.Command {
	var verbose, interp, validateOnly bool
	var level int
	var target string
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
for bit (NaN classes included). Only the host target can be run.

With --interp the commands run in the IR interpreter instead, and with --validate
they are not run at all: invoke, get, register, assert_return, assert_trap,
assert_exhaustion, assert_unlinkable and assert_uninstantiable are then counted as
skipped, never as passed; a module inside such an assertion must still decode and
validate. -O sets the optimization level of the IR (0, 1 or 2). What lowering does not
support yet (SIMD) is counted as skipped.

Each failure prints one line naming FILE:LINE. The last line is
"N passed, N failed, N skipped"; the exit status is 1 when anything failed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var total wastTally
			out := cmd.OutOrStdout()
			if level < 0 || level > 2 {
				return fmt.Errorf("wast: -O%d: the levels are 0, 1 and 2", level)
			}
			if interp && validateOnly {
				return fmt.Errorf("wast: --interp and --validate exclude each other")
			}
			var native *nativeConfig
			if !interp && !validateOnly {
				t, err := parseTarget(target)
				if err != nil {
					return fmt.Errorf("wast: %w", err)
				}
				if target != hostTarget() {
					return fmt.Errorf("wast: target %s cannot run on this %s host", target, hostTarget())
				}
				tmp, err := os.MkdirTemp("", "wasmc-wast")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				native = &nativeConfig{target: t, level: level, tmp: tmp}
			}
			for _, path := range args {
				var exec *interpExec
				if interp {
					exec = newInterpExec(level)
				}
				t := runWastFile(path, exec, native, func(line string) { fmt.Fprintln(out, line) })
				if verbose {
					fmt.Fprintf(out, "%s: %d passed, %d failed, %d skipped\n", path, t.passed, t.failed, t.skipped)
				}
				total.add(t)
			}
			fmt.Fprintf(out, "%d passed, %d failed, %d skipped\n", total.passed, total.failed, total.skipped)
			if total.failed > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the counts of each file")
	cmd.Flags().BoolVar(&interp, "interp", false, "execute assertions in the IR interpreter")
	cmd.Flags().BoolVar(&validateOnly, "validate", false, "only decode and validate; count executed commands as skipped")
	cmd.Flags().StringVar(&target, "target", hostTarget(), "the target OS/ARCH of the native executables")
	cmd.Flags().IntVarP(&level, "opt", "O", 0, "optimization level of the IR before execution (0, 1 or 2)")
	return cmd
}

// nativeConfig is how scripts run natively.
type nativeConfig struct {
	target backend.Target
	level  int
	tmp    string
}

// wastTally counts the outcomes of a script's commands.
type wastTally struct{ passed, failed, skipped int }

func (t *wastTally) add(o wastTally) {
	t.passed += o.passed
	t.failed += o.failed
	t.skipped += o.skipped
}

// runWastFile runs one script and reports each failure through fail.
func runWastFile(path string, exec *interpExec, native *nativeConfig, fail func(string)) wastTally {
	var t wastTally
	src, err := os.ReadFile(path)
	if err != nil {
		fail(err.Error())
		t.failed++
		return t
	}
	script, err := wat.ParseScript(path, src)
	if err != nil {
		fail(describeErr(path, src, true, err))
		t.failed++
		return t
	}
	r := &wastRunner{path: path, src: src, fail: fail, exec: exec}
	if native != nil {
		n := &nativeWast{r: r, target: native.target, level: native.level, tmp: native.tmp}
		n.run(script, &t)
		return t
	}
	for i := range script.Commands {
		r.run(&script.Commands[i], &t)
	}
	return t
}
