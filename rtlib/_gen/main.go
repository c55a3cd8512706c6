// Command _gen builds rtlib/rt.wasm, and rtlib/rt_darwin.wasm with WASMC_DARWIN defined,
// from rtlib/c/*.c with clang-19 (DESIGN.md decision 6).
// It runs from rtlib through `go generate ./rtlib` and is not part of any build.
//
// The output must be byte-for-byte reproducible, because rt.wasm is committed and CI
// rebuilds it and compares: sources are passed by relative path in sorted order, there is
// no debug info, the checkout's path is mapped away (-ffile-prefix-map), and the custom sections that name the compiler's exact version
// ("producers") or restate the command line ("target_features") are removed. The name
// section stays: trap reports name runtime functions through it.
package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
)

// flags pins everything clang would otherwise choose: the wasm features (MVP plus the two
// that every engine has; no bulk memory, so that clang never emits memory.fill on the
// runtime's own memory, which would call the runtime), the stack at the start of memory
// so that an overflow traps instead of corrupting data, and no entry point.
var flags = []string{
	"--target=wasm32", "-mcpu=mvp", "-mmutable-globals", "-msign-ext",
	"-std=c11", "-O2", "-ffreestanding", "-nostdlib", "-fvisibility=hidden",
	"-Wall", "-Wextra", "-Werror", "-g0",
	"-Wl,--no-entry", "-Wl,--stack-first", "-Wl,-z,stack-size=16384",
}

// dropped are the custom sections removed from clang's output.
var dropped = []string{"producers", "target_features"}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "rtlib/_gen:", err)
		os.Exit(1)
	}
}

func run() error {
	srcs, err := filepath.Glob("c/*.c")
	if err != nil {
		return err
	}
	if len(srcs) == 0 {
		return fmt.Errorf("no C sources in c/: run from rtlib")
	}
	slices.Sort(srcs)
	tmp, err := os.MkdirTemp("", "rtlib")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	clang := os.Getenv("WASMC_CLANG")
	if clang == "" {
		clang = "clang-19"
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	// Linux's runtime, and darwin's from the same sources (rtlib.WasmFor).
	for _, v := range []struct{ out, define string }{{"rt.wasm", ""}, {"rt_darwin.wasm", "-DWASMC_DARWIN"}} {
		out := filepath.Join(tmp, v.out)
		args := append(slices.Clone(flags), "-ffile-prefix-map="+wd+"=rtlib")
		if v.define != "" {
			args = append(args, v.define)
		}
		cmd := exec.Command(clang, append(append(args, srcs...), "-o", out)...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", clang, err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		b, err = strip(b, dropped)
		if err != nil {
			return err
		}
		if err := os.WriteFile(v.out, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// strip returns the module without the custom sections named in names.
func strip(b []byte, names []string) ([]byte, error) {
	if len(b) < 8 || !bytes.Equal(b[:4], []byte("\x00asm")) {
		return nil, fmt.Errorf("clang's output is not a wasm module")
	}
	out := slices.Clone(b[:8])
	for p := 8; p < len(b); {
		id := b[p]
		size, n := uleb(b[p+1:])
		body := p + 1 + n
		if n == 0 || uint64(len(b)-body) < size {
			return nil, fmt.Errorf("section at 0x%x: bad size", p)
		}
		end := body + int(size)
		keep := true
		if id == 0 {
			nl, m := uleb(b[body:end])
			if m == 0 || uint64(end-body-m) < nl {
				return nil, fmt.Errorf("custom section at 0x%x: bad name", p)
			}
			keep = !slices.Contains(names, string(b[body+m:body+m+int(nl)]))
		}
		if keep {
			out = append(out, b[p:end]...)
		}
		p = end
	}
	return out, nil
}

// uleb decodes an unsigned LEB128 number; n is 0 if b does not hold one.
func uleb(b []byte) (v uint64, n int) {
	for i, c := range b {
		if i == 10 {
			break
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}
