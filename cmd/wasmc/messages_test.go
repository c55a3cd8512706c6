package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// notYet is the one form of every "not supported yet": FILE:0xOFFSET (or FILE:LINE:COL
// for text), what, and the proposal it belongs to.
var notYet = regexp.MustCompile(`^wasmc: [^:]+:(0x[0-9a-f]+|\d+:\d+): .+ is not supported yet \([a-z-]+ proposal\)\n$`)

// TestNotSupportedYet: a tail call (binary and text), an atomic and the
// exception-handling tag section are each one line of the same form, where they used to
// be "illegal opcode 0x12". SIMD, once refused the same way for a target that selected no
// vector ops, builds for both targets (TestSIMDBuilds).
func TestNotSupportedYet(t *testing.T) {
	header := "\x00asm\x01\x00\x00\x00"
	types := "\x01\x04\x01\x60\x00\x00"
	funcs := "\x03\x02\x01\x00"
	exportStart := "\x07\x0a\x01\x06_start\x00\x00"
	body := func(code string) string { // one function's code section
		b := "\x00" + code + "\x0b"
		return "\x0a" + string(rune(len(b)+2)) + "\x01" + string(rune(len(b))) + b
	}
	for _, tc := range []struct {
		name, file, src, want string
	}{
		{"tail call", "tail.wasm", header + types + funcs + exportStart + body("\x12\x00"), "tail.wasm:0x23: return_call is not supported yet (tail-call proposal)"},
		{"tail call text", "tail.wat", "(module\n  (func $f (export \"_start\")\n    (return_call $f)))", "tail.wat:3:6: return_call is not supported yet (tail-call proposal)"},
		{"atomic", "atomic.wasm", header + types + funcs + exportStart + body("\xfe\x03"), "atomic instruction (0xfe prefix) is not supported yet (threads proposal)"},
		{"tag section", "tag.wasm", header + "\x0d\x00", "tag.wasm:0x8: the tag section is not supported yet (exception-handling proposal)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, tc.file, []byte(tc.src))
			_, stderr, code := runCLI(t, "build", p, "-o", filepath.Join(t.TempDir(), "x"))
			if code != 1 || !notYet.MatchString(stderr) || !strings.Contains(stderr, tc.want) {
				t.Errorf("build: exit %d, stderr %q; want 1 and one line with %q", code, stderr, tc.want)
			}
		})
	}
}

// TestSIMDBuilds: a program using SIMD builds for linux/arm64, which selects every vector
// op (it was refused with "v128.const is not supported yet (simd proposal)"), and for
// linux/amd64.
func TestSIMDBuilds(t *testing.T) {
	p := writeFile(t, "simd.wat", []byte("(module\n  (func (export \"_start\")\n    (drop (i32x4.add (v128.const i64x2 1 2) (v128.const i64x2 3 4)))))"))
	for _, target := range []string{"linux/arm64", "linux/amd64"} {
		_, stderr, code := runCLI(t, "build", p, "-o", filepath.Join(t.TempDir(), "x"), "--target", target)
		if code != 0 {
			t.Errorf("%s: exit %d, stderr %q", target, code, stderr)
		}
	}
}

// TestInspectNative: inspect (and every command taking a module) says a native
// executable is one, rather than reading it as text.
func TestInspectNative(t *testing.T) {
	exe := build(t, filepath.Join("..", "..", "testdata", "fac.wat"), "--invoke", "fac_iter")
	for _, cmd := range []string{"inspect", "validate"} {
		_, stderr, code := runCLI(t, cmd, exe)
		want := exe + ": a native executable (ELF), not a WebAssembly module\n"
		if code != 1 || !strings.HasSuffix(stderr, want) {
			t.Errorf("%s on an executable: exit %d, stderr %q; want 1 and %q", cmd, code, stderr, want)
		}
	}
}

// TestReactorRefused: a module without _start or a start function, built without
// --invoke, would do nothing: the build is refused, naming the function exports.
func TestReactorRefused(t *testing.T) {
	src := writeFile(t, "lib.wat", []byte(`(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "_initialize"))
  (memory (export "memory") 1))`))
	out := filepath.Join(t.TempDir(), "x")
	_, stderr, code := runCLI(t, "build", src, "-o", out)
	if code != 1 || !strings.Contains(stderr, "no _start") || !strings.Contains(stderr, "--invoke") || !strings.HasSuffix(stderr, ": add\n") {
		t.Errorf("reactor without --invoke: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := runCLI(t, "build", src, "-o", out, "--invoke", "add"); code != 0 {
		t.Errorf("reactor with --invoke: exit %d, %s", code, stderr)
	}
	start := writeFile(t, "start.wat", []byte(`(module (func $s) (start $s))`))
	if _, stderr, code := runCLI(t, "build", start, "-o", out); code != 0 {
		t.Errorf("a module with a start function: exit %d, %s", code, stderr)
	}
}

// TestUnknownImportHint: the hint to use --trap-unknown-imports is given for function
// imports only, which it can stub.
func TestUnknownImportHint(t *testing.T) {
	src := writeFile(t, "imp.wat", []byte(`(module (import "env" "mem" (memory 1)) (import "env" "g" (global i32)) (import "env" "f" (func)))`))
	_, stderr, _ := runCLI(t, "build", src, "-o", filepath.Join(t.TempDir(), "x"))
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		fn := strings.Contains(line, `"env" "f"`)
		if hint := strings.Contains(line, "--trap-unknown-imports"); hint != fn {
			t.Errorf("line %q: mentions --trap-unknown-imports %v, for a function import %v", line, hint, fn)
		}
	}
	if strings.Count(stderr, "\n") != 3 {
		t.Errorf("want 3 lines, got %q", stderr)
	}
}
