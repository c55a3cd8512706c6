package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/frontend/wat"
)

func newWastCmd() *cobra.Command {
	var verbose, interp bool
	var level int
	cmd := &cobra.Command{
		Use:   "wast FILE...",
		Short: "Run WebAssembly spec test scripts",
		Long: `wast runs .wast scripts, the format of the official WebAssembly spec test suite.

By default it decides what needs no execution: every module must decode (or parse)
and validate, assert_malformed modules must be rejected by the decoder or the text
parser, and assert_invalid modules by the validator. Commands that need execution
(invoke, get, register, assert_return, assert_trap, assert_exhaustion,
assert_unlinkable, assert_uninstantiable) are then counted as skipped, never as
passed; a module inside such an assertion must still decode and validate.

With --interp every command is executed: each module is lowered to IR, optimised at
-O0, -O1 or -O2, and instantiated in the IR interpreter, linked to the spectest host
module and to the modules the script registers. What lowering does not support yet
(SIMD) is counted as skipped.

Each failure prints one line naming FILE:LINE. The last line is
"N passed, N failed, N skipped"; the exit status is 1 when anything failed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var total wastTally
			out := cmd.OutOrStdout()
			for _, path := range args {
				var exec *interpExec
				if interp {
					exec = newInterpExec(level)
				}
				t := runWastFile(path, exec, func(line string) { fmt.Fprintln(out, line) })
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
	cmd.Flags().IntVarP(&level, "opt", "O", 0, "optimization level of the IR before execution (0, 1 or 2)")
	return cmd
}

// wastTally counts the outcomes of a script's commands.
type wastTally struct{ passed, failed, skipped int }

func (t *wastTally) add(o wastTally) {
	t.passed += o.passed
	t.failed += o.failed
	t.skipped += o.skipped
}

// runWastFile runs one script and reports each failure through fail.
func runWastFile(path string, exec *interpExec, fail func(string)) wastTally {
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
	for i := range script.Commands {
		r.run(&script.Commands[i], &t)
	}
	return t
}
