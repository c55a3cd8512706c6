// Command wasmc compiles WebAssembly modules ahead of time into standalone native
// executables, and inspects, validates and tests modules on the way.
//
// Exit status: 0 on success, 1 when the input is bad (a malformed or invalid module, a
// failed spec assertion) or a flag is wrong, 2 when wasmc itself fails.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and picks the exit status; only main exits.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := newRootCmd()
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.Execute()
	if err == nil {
		return 0
	}
	var ex *exitError
	if errors.As(err, &ex) {
		return ex.code
	}
	fmt.Fprintf(stderr, "wasmc: %v\n", err)
	if msg := err.Error(); strings.Contains(msg, "internal error") || strings.Contains(msg, "internal compiler error") {
		return 2
	}
	return 1
}

// exitError ends a command with a status after it has already reported what went wrong.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }
