package main

import (
	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "wasmc",
		Short: "Ahead-of-time WebAssembly compiler",
		Long: `wasmc compiles WebAssembly modules ahead of time into standalone native executables.

Every command that takes a module accepts the binary format (.wasm) and the text
format (.wat). The extension decides; a file with neither is read as binary when it
starts with a NUL byte (as the magic "\0asm" does) and as text otherwise.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = true
	root.AddCommand(newBuildCmd(), newRunCmd(), newTargetsCmd(), newValidateCmd(), newInspectCmd(), newWastCmd(), newVersionCmd())
	return root
}
