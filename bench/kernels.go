package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// kernel is one benchmark program: its C source (for the native build) and
// the committed .wasm built from it (for the WebAssembly runners).
type kernel struct {
	name string
	c    string
	wasm string
}

// helloName is the start-up program in kernels/; it does no work worth timing
// as a kernel, so the default kernel list leaves it out.
const helloName = "hello"

// selectKernels lists dir/*.c that have a .wasm beside them, or the ones list
// names; "none" selects no kernel. With simd the WebAssembly runners get the
// kernels built with -msimd128 (NAME.simd.wasm).
func selectKernels(dir, list string, simd bool) ([]kernel, error) {
	if list == "none" {
		return nil, nil
	}
	srcs, err := filepath.Glob(filepath.Join(dir, "*.c"))
	if err != nil {
		return nil, err
	}
	var all []kernel
	for _, c := range srcs {
		name := strings.TrimSuffix(filepath.Base(c), ".c")
		wasm := strings.TrimSuffix(c, ".c") + ".wasm"
		if simd {
			wasm = strings.TrimSuffix(c, ".c") + ".simd.wasm"
		}
		all = append(all, kernel{name: name, c: c, wasm: wasm})
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no kernels in %s (run from the bench directory)", dir)
	}
	var out []kernel
	if list == "" {
		for _, k := range all {
			if k.name != helloName {
				out = append(out, k)
			}
		}
	} else {
		for name := range strings.SplitSeq(list, ",") {
			i := slices.IndexFunc(all, func(k kernel) bool { return k.name == strings.TrimSpace(name) })
			if i < 0 {
				return nil, fmt.Errorf("unknown kernel %q in -kernels", name)
			}
			out = append(out, all[i])
		}
	}
	for _, k := range out {
		if _, err := os.Stat(k.wasm); err != nil {
			return nil, fmt.Errorf("%s has no .wasm (run kernels/build.sh): %w", k.c, err)
		}
	}
	return out, nil
}
