package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// wastScripts expands wast's arguments: a directory stands for the .wast files directly
// in it, in name order, as the spec suite's directory is what people point it at; any
// other argument is a script as given, so that a missing one is reported by the run like
// any unreadable script. A directory without .wast files is an error: running nothing
// and printing "0 passed" would look like success.
func wastScripts(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if fi, err := os.Stat(a); err != nil || !fi.IsDir() {
			out = append(out, a)
			continue
		}
		files, err := filepath.Glob(filepath.Join(a, "*.wast"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("wast: %s: a directory with no .wast files in it", a)
		}
		sort.Strings(files)
		out = append(out, files...)
	}
	return out, nil
}
