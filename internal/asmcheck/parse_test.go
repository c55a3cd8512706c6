package asmcheck

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := `;; A file whose comments say: things. (func $not_this)
(module
  (type $t (func (param i32)))           ;; a func type, not a function
  (import "m" "f" (func $imported))      ;; an import, not a function
  (memory 1)
  (data (i32.const 0) "(func $in_a_string)")
  (; (func $in_a_block_comment) (; nested ;) ;)

  ;; Above the function: attaches to the next (func $name).
  ;; amd64: "^lea " -"^imul ",  2 ` + "`cmp r11, \\[x\\]`" + `
  ;; arm64: "add"
  (func $above (export "above") (param i32) (result i32)
    ;; Note: an ordinary comment, even with a colon.
    ;; amd64: "inside"
    (local.get 0))
  ( func
      $spaced
    ;; amd64: "\\[rsp\\]"
    (nop))
)
`
	checks, err := Parse("t.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		line       int
		arch, fn   string
		src, regex string
		want       int
	}
	want := []row{
		{10, "amd64", "$above", `"^lea "`, `^lea `, AtLeastOne},
		{10, "amd64", "$above", `-"^imul "`, `^imul `, 0},
		{10, "amd64", "$above", "2 `cmp r11, \\[x\\]`", `cmp r11, \[x\]`, 2},
		{11, "arm64", "$above", `"add"`, `add`, AtLeastOne},
		{14, "amd64", "$above", `"inside"`, `inside`, AtLeastOne},
		{18, "amd64", "$spaced", `"\\[rsp\\]"`, `\[rsp\]`, AtLeastOne},
	}
	if len(checks) != len(want) {
		t.Fatalf("got %d checks, want %d: %+v", len(checks), len(want), checks)
	}
	for i, w := range want {
		c := checks[i]
		got := row{c.Line, c.Arch, c.Func, c.Src, c.Re.String(), c.Want}
		if got != w || c.File != "t.wat" {
			t.Errorf("check %d: got %+v in %s, want %+v", i, got, c.File, w)
		}
	}
}

// TestParseHead: head before a pattern, after - or a count, limits the check to loop heads;
// a pattern that merely mentions head does not.
func TestParseHead(t *testing.T) {
	checks := parse(t, `(func $f ;; amd64: head "a", -head "b" 2 head `+"`c`"+` "head"
)`)
	type row struct {
		src, regex string
		want       int
		head       bool
	}
	want := []row{
		{`head "a"`, "a", AtLeastOne, true},
		{`-head "b"`, "b", 0, true},
		{"2 head `c`", "c", 2, true},
		{`"head"`, "head", AtLeastOne, false},
	}
	if len(checks) != len(want) {
		t.Fatalf("got %d checks, want %d: %+v", len(checks), len(want), checks)
	}
	for i, w := range want {
		c := checks[i]
		if got := (row{c.Src, c.Re.String(), c.Want, c.Head}); got != w {
			t.Errorf("check %d: got %+v, want %+v", i, got, w)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"misspelt arch", ";; amd46: \"lea\"\n(func $f)", `t.wat:1: unknown architecture "amd46"`},
		{"misspelt arch, negative", ";; amd46: -\"lea\"\n(func $f)", `t.wat:1: unknown architecture "amd46"`},
		{"bad regexp", "(func $f\n;; amd64: \"(lea\"\n)", "t.wat:2: amd64: \"(lea\": error parsing regexp"},
		{"bad escape", `(func $f ;; amd64: "\[lea"` + "\n)", `t.wat:1: amd64: "\[lea": not a Go string literal (write a backslash as \\, or use` + " `…`)"},
		{"unterminated", "(func $f ;; amd64: `lea\n)", "t.wat:1: amd64: `lea: unterminated string"},
		{"no pattern", "(func $f ;; amd64: 2\n)", `t.wat:1: amd64: 2: want a pattern`},
		{"negative count", "(func $f ;; amd64: -2 \"x\"\n)", `t.wat:1: amd64: -2 "x": want a pattern`},
		{"head without pattern", "(func $f ;; amd64: -head\n)", `t.wat:1: amd64: -head: want a pattern`},
		{"head glued to pattern", "(func $f ;; amd64: head\"x\"\n)", `t.wat:1: amd64: head"x": want a pattern`},
		{"no checks", "(func $f ;; amd64: ,\n)", "t.wat:1: amd64: no checks"},
		{"junk after", "(func $f ;; amd64: \"x\"y\n)", `t.wat:1: amd64: "x": want a space or comma after it`},
		{"no following func", "(module (func $f)\n;; amd64: \"x\"\n)", "t.wat:2: check line with no (func $name …) after it"},
		{"func without name", ";; amd64: \"x\"\n(func (export \"f\"))", "t.wat:1: check for a func with no $name"},
		{"inside unnamed func", "(func\n;; amd64: \"x\"\n)", "t.wat:2: check for a func with no $name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.wat", []byte(tt.src))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SyntaxError", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got  %s\nwant %s…", err, tt.want)
			}
		})
	}
}

// TestParseAllErrors: every malformed line is reported, not only the first.
func TestParseAllErrors(t *testing.T) {
	_, err := Parse("t.wat", []byte("(func $f\n;; amd64: \"(\"\n;; amd64: 3\n)"))
	if err == nil || !strings.Contains(err.Error(), "t.wat:2:") || !strings.Contains(err.Error(), "t.wat:3:") {
		t.Errorf("got %v, want errors at lines 2 and 3", err)
	}
}
