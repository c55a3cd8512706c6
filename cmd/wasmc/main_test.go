package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
)

// runCLI runs wasmc in-process and returns its output and exit status.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateExample(t *testing.T) {
	out, errs, code := runCLI(t, "validate", filepath.Join("..", "..", "testdata", "fac.wat"))
	if code != 0 || out != "" || errs != "" {
		t.Fatalf("validate fac.wat: code %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		want       string // substring of stderr
	}{
		{"bad magic", "bad.wasm", []byte("\x00asX\x01\x00\x00\x00"), "bad.wasm:0x"},
		{"truncated", "trunc.wasm", []byte("\x00asm\x01\x00\x00\x00\x01\x05\x01\x60"), "trunc.wasm:0x"},
		{"text syntax", "syntax.wat", []byte("(module\n  (func (i32.bogus)))"), "syntax.wat:2:"},
		{"text invalid", "invalid.wat", []byte("(module\n  (func (result i32)\n    (i64.const 1)))"), "invalid.wat:"},
		{"binary invalid", "invalid.wasm", []byte("\x00asm\x01\x00\x00\x00" +
			"\x01\x05\x01\x60\x00\x01\x7f" + // type () -> i32
			"\x03\x02\x01\x00" + // one function
			"\x0a\x06\x01\x04\x00\x42\x01\x0b"), "invalid.wasm:0x"}, // body: i64.const 1
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.file, tt.data)
			_, errs, code := runCLI(t, "validate", p)
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			if !strings.Contains(errs, tt.want) || strings.Contains(errs, "panic") {
				t.Errorf("stderr %q does not contain %q", errs, tt.want)
			}
			if n := strings.Count(errs, "\n"); n != 1 {
				t.Errorf("stderr has %d lines, want 1: %q", n, errs)
			}
		})
	}
}

func TestMissingFileAndBadFlag(t *testing.T) {
	_, errs, code := runCLI(t, "validate", "no-such-file.wasm")
	if code != 1 || !strings.Contains(errs, "no-such-file.wasm") {
		t.Errorf("missing file: code %d, stderr %q", code, errs)
	}
	_, errs, code = runCLI(t, "inspect", "--no-such-flag", "x.wasm")
	if code != 1 || !strings.Contains(errs, "no-such-flag") {
		t.Errorf("bad flag: code %d, stderr %q", code, errs)
	}
}

func TestInspect(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "fac.wat")
	out, errs, code := runCLI(t, "inspect", p)
	if code != 0 {
		t.Fatalf("inspect: code %d, stderr %q", code, errs)
	}
	for _, want := range []string{"$fac_rec", "$fac_iter", `"fac_iter": func 1`, "memories (1)", "data (1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, "inspect", "--json", p)
	if code != 0 || !strings.Contains(out, `"name": "fac_rec"`) {
		t.Errorf("inspect --json: code %d, output:\n%s", code, out)
	}
}

// TestWast runs the wast command at each level on a small script: the failures one line
// each, the tally line last, exit status 1 on a failure and 0 without; bad flags are one
// clear line.
func TestWast(t *testing.T) {
	bad := writeFile(t, "broken.wast", []byte(`
(module (import "nowhere" "f" (func)) (func (export "g") (result i32) (i32.const 1)))
(assert_return (invoke "g") (i32.const 1))
(register "m")
(module (func (export "h") (result i32) (i32.const 2)))
(assert_return (invoke "h") (i32.const 2))
(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
`))
	good := writeFile(t, "good.wast", []byte(`
(module (func (export "h") (result i32) (i32.const 2)))
(assert_return (invoke "h") (i32.const 2))
`))
	for _, tc := range []struct {
		args []string
		out  string // the last line
		code int
	}{
		{[]string{"--interp", bad}, "3 passed, 3 failed, 0 skipped\n", 1},
		{[]string{"--validate", bad}, "3 passed, 0 failed, 3 skipped\n", 0},
		{[]string{"--interp", "-O2", "--verify", good}, "2 passed, 0 failed, 0 skipped\n", 0},
		{[]string{"-v", "--validate", good, good}, good + ": 1 passed, 0 failed, 1 skipped\n2 passed, 0 failed, 2 skipped\n", 0},
		{[]string{"-v", "--validate", filepath.Dir(good)}, good + ": 1 passed, 0 failed, 1 skipped\n1 passed, 0 failed, 1 skipped\n", 0},
	} {
		out, errs, code := runCLI(t, append([]string{"wast"}, tc.args...)...)
		if code != tc.code || !strings.HasSuffix(out, tc.out) || errs != "" {
			t.Errorf("wast %v: exit %d, stdout %q, stderr %q; want %d, %q", tc.args, code, out, errs, tc.code, tc.out)
		}
		if code == 1 && !strings.Contains(out, "broken.wast:2: module: instantiation: unknown import") {
			t.Errorf("wast %v: no failure line in %q", tc.args, out)
		}
	}
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--interp", "--validate", good}, "wasmc: wast: --interp and --validate exclude each other\n"},
		{[]string{"-O7", good}, "wasmc: wast: -O7: the levels are 0, 1 and 2 (-O3 and -Os mean -O2)\n"},
		{[]string{"--validate", empty}, "wasmc: wast: " + empty + ": a directory with no .wast files in it\n"},
	} {
		_, errs, code := runCLI(t, append([]string{"wast"}, tc.args...)...)
		if code != 1 || errs != tc.want {
			t.Errorf("wast %v: exit %d, stderr %q; want 1, %q", tc.args, code, errs, tc.want)
		}
	}
	for _, tg := range targets.All() {
		if !tg.Ready() && !tg.Experimental() { // an experimental one: darwin_test.go
			want := "wasmc: wast: target " + tg.Name + " is not implemented yet (see `wasmc targets`)\n"
			if _, errs, code := runCLI(t, "wast", "--target", tg.Name, good); code != 1 || errs != want {
				t.Errorf("wast --target %s: exit %d, stderr %q; want 1, %q", tg.Name, code, errs, want)
			}
		}
	}
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		out, errs, code := runCLI(t, "wast", "--target", x.Name, "--verify", good)
		if code != 0 || out != "2 passed, 0 failed, 0 skipped\n" {
			t.Errorf("wast --target %s --verify (native): exit %d, stdout %q, stderr %q", x.Name, code, out, errs)
		}
	})
}

// TestForeignTargetWithoutEmulator: `wasmc wast` and `wasmc run` for a target of another
// architecture say, in one line and before building anything, that its emulator is not on
// PATH.
func TestForeignTargetWithoutEmulator(t *testing.T) {
	good := writeFile(t, "good.wast", []byte(`(module (func (export "h") (result i32) (i32.const 2)))`))
	wat := writeFile(t, "m.wat", []byte(`(module)`))
	for _, tg := range targettest.Linux() {
		if tg.Arch.String() == runtime.GOARCH {
			continue
		}
		t.Run(tg.Name, func(t *testing.T) {
			targettest.NeedISA(t, tg)
			t.Setenv("PATH", t.TempDir())
			t.Setenv(cacheEnv, t.TempDir())
			tool := runexe.Emulator(tg.Arch.String())
			for _, args := range [][]string{{"wast", "--target", tg.Name, good}, {"run", "--target", tg.Name, wat}} {
				_, errs, code := runCLI(t, args...)
				if code != 1 || !strings.HasPrefix(errs, "wasmc: "+args[0]+": running "+tg.Name+" executables") || !strings.Contains(errs, tool) || strings.Count(errs, "\n") != 1 {
					t.Errorf("%v: exit %d, stderr %q; want 1 and one line naming %s", args, code, errs, tool)
				}
			}
			if entries, _ := os.ReadDir(os.Getenv(cacheEnv)); len(entries) != 0 {
				t.Errorf("run built %d files before finding no emulator", len(entries))
			}
		})
	}
}
