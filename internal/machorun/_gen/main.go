// Command _gen writes darwin.h, the Darwin constants of the loader's shim, from Go's darwin
// tables in GOROOT (see machorun.DarwinHeader). It runs from internal/machorun through
// `go generate ./internal/machorun` and is not part of any build.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/wasmc/wasmc/internal/machorun"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "internal/machorun/_gen:", err)
		os.Exit(1)
	}
}

func run() error {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %v", err)
	}
	h, err := machorun.DarwinHeader(strings.TrimSpace(string(goroot)))
	if err != nil {
		return err
	}
	return os.WriteFile("c/darwin.h", h, 0o644)
}
