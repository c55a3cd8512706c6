package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check that modules are well formed and valid",
		Long: `validate decodes (or parses) each module and validates it by the WebAssembly 2.0 rules.

It prints nothing and exits 0 when every module is valid. Otherwise it prints one line
per bad module, FILE:0xOFFSET: message for binaries and FILE:LINE:COL: message for
text, and exits 1.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				src, err := readSource(path)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "%v\n", err)
					bad++
					continue
				}
				if _, err := src.load(); err != nil {
					fmt.Fprintln(cmd.ErrOrStderr(), src.describe(err))
					bad++
				}
			}
			if bad > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
}
