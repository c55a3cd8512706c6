package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/targets"
)

// hostTarget is the target `wasmc build` uses when --target is not given.
func hostTarget() string { return targets.Host() }

// parseTarget checks a --target value and returns the target with its ISA. The table
// itself is internal/targets, which the tests share.
func parseTarget(s string) (targets.Target, backend.ISA, error) {
	t, err := targets.Lookup(s)
	if err != nil {
		return t, nil, err
	}
	isa, err := t.ISA()
	if err != nil {
		return t, nil, fmt.Errorf("target %s is not implemented yet (see `wasmc targets`)", s)
	}
	return t, isa, nil
}

func newTargetsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "targets",
		Short: "List the targets wasmc builds for",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			for _, t := range targets.All() {
				state := "ready"
				if !t.Ready() {
					state = "not implemented yet"
				}
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
