package main

import (
	"fmt"
	"os"
)

// checkOutput refuses an output that is the input module itself, as gcc and `go build`
// do: writing the executable there would destroy the module. The paths may differ and
// still name one file (a symlink, a hard link, "./m.wasm" and "m.wasm"), so the files are
// compared, not the names. An output that does not exist yet is never the input.
func checkOutput(input, output string) error {
	in, err := os.Stat(input)
	if err != nil {
		return nil // the build reports the missing input
	}
	out, err := os.Stat(output)
	if err != nil {
		return nil
	}
	if os.SameFile(in, out) {
		return fmt.Errorf("build: -o %s is the input module %s: refusing to overwrite it", output, input)
	}
	return nil
}
