package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/driver"
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
				data, err := os.ReadFile(path)
				if err == nil {
					_, err = driver.Load(path, data)
				}
				if err != nil {
					fmt.Fprintln(cmd.ErrOrStderr(), err)
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
