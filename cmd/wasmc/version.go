package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is the compiler's version; release builds set it with -ldflags "-X main.version=…".
var version = "devel"

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print wasmc's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "wasmc", versionString())
			return nil
		},
	}
}

// versionString is what `wasmc version` and `wasmc --version` print after "wasmc": the
// release, or "devel" and the commit the binary was built from.
func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "devel" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				v += " " + s.Value
			}
		}
	}
	return v
}
