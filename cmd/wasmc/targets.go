package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/targets"
)

// hostTarget is the target `wasmc build` uses when --target is not given.
func hostTarget() string { return targets.Host() }

// parseTarget checks a --target value and returns the target with its ISA. The table
// itself is internal/targets, which the tests share. An experimental target is accepted
// with a warning on stderr (warn).
func parseTarget(s string, warn io.Writer) (targets.Target, backend.ISA, error) {
	t, err := targets.Lookup(s)
	if err != nil {
		return t, nil, err
	}
	isa, err := t.ExperimentalISA()
	if err != nil {
		return t, nil, fmt.Errorf("target %s is not implemented yet (see `wasmc targets`)", s)
	}
	if t.Experimental() && warn != nil {
		fmt.Fprintf(warn, "wasmc: warning: target %s is experimental: %s\n", s, experimentalNote)
	}
	return t, isa, nil
}

// experimentalNote is what an experimental target lacks, as the warning says it.
const experimentalNote = "its executables have run only through wasmc's test loader, never on a Mac"

func newTargetsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "targets",
		Short: "List the targets wasmc builds for",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			for _, t := range targets.All() {
				state := t.State()
				mark := ""
				if t.Name == hostTarget() {
					mark = " (host)"
				}
				fmt.Fprintf(w, "%-14s %s%s\n", t.Name, state, mark)
			}
			return nil
		},
	}
}
