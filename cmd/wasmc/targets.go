package main

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/arm64"
	"github.com/wasmc/wasmc/backend"
)

// targets are the targets wasmc builds for, in `wasmc targets` order. This table is the one
// place that maps a target to its ISA package, as Go's cmd/compile maps GOARCH to an arch
// package: the driver is handed a backend.ISA and never names one.
var targets = []target{
	{"linux/amd64", backend.Target{OS: backend.OSLinux, Arch: backend.ArchAMD64}, amd64.New},
	{"linux/arm64", backend.Target{OS: backend.OSLinux, Arch: backend.ArchARM64}, arm64.New},
	{"darwin/arm64", backend.Target{OS: backend.OSDarwin, Arch: backend.ArchARM64}, nil},
	{"darwin/amd64", backend.Target{OS: backend.OSDarwin, Arch: backend.ArchAMD64}, nil},
}

// target is one OS/ARCH pair.
type target struct {
	name string
	backend.Target
	isa func() backend.ISA // nil while its code generation is not implemented
}

// hostTarget is the target `wasmc build` uses when --target is not given.
func hostTarget() string { return runtime.GOOS + "/" + runtime.GOARCH }

// parseTarget checks a --target value.
func parseTarget(s string) (target, error) {
	var names []string
	for _, t := range targets {
		if t.name == s {
			if t.isa == nil {
				return target{}, fmt.Errorf("target %s is not implemented yet (see `wasmc targets`)", s)
			}
			return t, nil
		}
		names = append(names, t.name)
	}
	return target{}, fmt.Errorf("unknown target %q (known: %s)", s, strings.Join(names, ", "))
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
				if t.isa == nil {
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
