package asmcheck

import (
	"errors"
	"strings"
	"testing"
)

// disasm is a hand-written disassembly of two functions.
var disasm = Disasm{
	"$f": {
		{0x1000, "push rbp"},
		{0x1001, "lea eax, [rdi+0xc]"},
		{0x1005, "cmp r11, qword ptr [wasmc.memories+8]"},
		{0x100c, "ja 0x1020"},
		{0x100e, "cmp r11, qword ptr [wasmc.memories+8]"},
		{0x1015, "ret"},
	},
	"$g": {{0x1020, "ret"}},
}

func parse(t *testing.T, src string) []Check {
	t.Helper()
	checks, err := Parse("t.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return checks
}

func TestRunPasses(t *testing.T) {
	checks := parse(t, `
;; amd64: "^lea e\\w+, \\[rdi\\+0xc\\]$" -"^imul" 2 "^cmp r11" 0 "^add" "^ret$"
;; arm64: "this arm64 line is skipped on amd64"
(func $f)
(func $g ;; amd64: 1 "ret"
)`)
	if errs := Run(checks, "amd64", disasm); len(errs) != 0 {
		t.Fatal(errors.Join(errs...))
	}
}

// TestRunFails: a violated check names file:line, the function, the architecture and the
// check as written, shows what matched, and lists the function's disassembly once.
func TestRunFails(t *testing.T) {
	checks := parse(t, `
(func $f
  ;; amd64: "^imul" -"^lea"
  ;; amd64: 1 "^cmp r11" "^push"
)
;; amd64: -"ret"
(func $g)`)
	errs := Run(checks, "amd64", disasm)
	if len(errs) != 2 {
		t.Fatalf("got %d errors, want 2 (one per function): %v", len(errs), errors.Join(errs...))
	}
	want := `t.wat:3: $f: amd64: "^imul" matched no instruction
t.wat:3: $f: amd64: -"^lea" matched 1 instruction, want 0:
	1001	lea eax, [rdi+0xc]
t.wat:4: $f: amd64: 1 "^cmp r11" matched 2 instructions, want 1:
	1005	cmp r11, qword ptr [wasmc.memories+8]
	100e	cmp r11, qword ptr [wasmc.memories+8]
$f disassembly (amd64):
	1000	push rbp
	1001	lea eax, [rdi+0xc]
	1005	cmp r11, qword ptr [wasmc.memories+8]
	100c	ja 0x1020
	100e	cmp r11, qword ptr [wasmc.memories+8]
	1015	ret`
	if got := errs[0].Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var fe *FuncError
	if !errors.As(errs[1], &fe) || fe.Func != "$g" || !strings.HasPrefix(fe.Error(), "t.wat:6: $g: amd64: -\"ret\" matched 1 instruction") {
		t.Errorf("second error: %v", errs[1])
	}
}

// TestRunMissingFunc: a function the executable lacks (removed as dead, or misnamed) fails
// every check on it rather than passing vacuously, negative ones included.
func TestRunMissingFunc(t *testing.T) {
	errs := Run(parse(t, `(func $gone ;; amd64: -"x"
)`), "amd64", disasm)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "t.wat:1: $gone: amd64: -\"x\": the executable has no such function") {
		t.Errorf("got %v", errors.Join(errs...))
	}
}

// TestRunOtherArch: checks for another architecture are not run.
func TestRunOtherArch(t *testing.T) {
	checks := parse(t, `(func $f ;; arm64: "^no such instruction"
)`)
	if errs := Run(checks, "amd64", disasm); len(errs) != 0 {
		t.Errorf("amd64 ran an arm64 check: %v", errors.Join(errs...))
	}
	if errs := Run(checks, "arm64", disasm); len(errs) != 1 {
		t.Errorf("arm64: got %d errors, want 1", len(errs))
	}
}
