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
starts with a NUL byte (as the magic "\0asm" does) and as text otherwise.

Shell completion: "wasmc completion bash" (or zsh, fish, powershell) prints a script
for your shell; "wasmc completion bash --help" says where to put it.`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("wasmc {{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newBuildCmd(), newRunCmd(), newCacheCmd(), newTargetsCmd(), newValidateCmd(), newInspectCmd(), newWastCmd(), newVersionCmd())
	return root
}
