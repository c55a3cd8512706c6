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

// writeOutput writes executable exe to path as GNU ld does: a regular file already there is
// removed and a new one created, mode 0755 less the umask, rather than truncated and
// rewritten. So an executable that is running can be rebuilt, where truncating it fails
// with ETXTBSY; and ext4 does not write the file back at close, which it does for one
// truncated to nothing and rewritten (auto_da_alloc): 36 MB took 15-100 ms to write that
// way against 8-12 new. Anything else at path, such as a symlink, is written through as
// before, and so is a file that cannot be removed. A failed write removes what it wrote.
func writeOutput(path string, exe []byte) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
		os.Remove(path) // if it fails, the file is truncated instead
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	_, err = f.Write(exe)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if fi, serr := os.Lstat(path); serr == nil && fi.Mode().IsRegular() {
			os.Remove(path)
		}
		return err
	}
	return nil
}
