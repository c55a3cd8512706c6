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
	// A loop whose head (0x2004 to the jae) a backward jmp and a backward jne reach; the
	// edges at 0x2011 and 0x201a go around it, the store at 0x2000 comes before it.
	"$loop": {
		{0x2000, "mov qword ptr [rbp-0x8], rax"},
		{0x2004, "mov qword ptr [rbp-0x10], rsi"},
		{0x2008, "call $g"},
		{0x200d, "cmp edi, 0x2f"},
		{0x200f, "jae 0x2030"},
		{0x2011, "mov qword ptr [rbp-0x10], rdx"},
		{0x2015, "jmp 0x2004"},
		{0x201a, "mov rsi, qword ptr [rbp-0x10]"},
		{0x201e, "jne 0x2008"},
		{0x2020, "ret"},
	},
	// The same on arm64, with a conditional branch at the end of the loop.
	"$loop64": {
		{0x3000, "str x1, [x29, #-16]"},
		{0x3004, "add x0, x0, #0x1"},
		{0x3008, "cbz x0, 0x3014"},
		{0x300c, "str x2, [x29, #-16]"},
		{0x3010, "b.ne 0x3004"},
		{0x3014, "ret"},
	},
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

// TestRunHead: a head check sees only the straight-line code at the targets of backward
// branches, through the first branch after each (a call does not end it), and fails like
// any other check.
func TestRunHead(t *testing.T) {
	checks := parse(t, `
;; amd64: 1 head "^mov qword ptr" -head "rdx" head "^call " head "^cmp edi" 2 head "^(cmp|jae) " -head "^jmp"
(func $loop)
;; arm64: -head "^str " 1 head "^add " 1 head "^cbz "
(func $loop64)`)
	if errs := Run(checks, "amd64", disasm); len(errs) != 0 {
		t.Fatal(errors.Join(errs...))
	}
	if errs := Run(checks, "arm64", disasm); len(errs) != 0 {
		t.Fatal(errors.Join(errs...))
	}
	errs := Run(parse(t, "(func $loop ;; amd64: -head `^mov qword ptr \\[rbp-0x10\\]`\n)"), "amd64", disasm)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "t.wat:1: $loop: amd64: -head `^mov qword ptr \\[rbp-0x10\\]` matched 1 instruction, want 0:\n\t2004\tmov qword ptr [rbp-0x10], rsi\n") {
		t.Errorf("got %v", errors.Join(errs...))
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
