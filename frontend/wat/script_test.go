package wat

import (
	"errors"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/frontend"
)

const sampleScript = `;; a sample of every command
(module $M1 (func (export "f") (param i32) (result i32) (local.get 0)))
(register "m1" $M1)
(module binary "\00asm" "\01\00\00\00")
(module $Q quote "(func (export \"g\")" " (result f64) (f64.const 1))")
(invoke "f" (i32.const -1))
(get $M1 "g")
(assert_return (invoke $M1 "f" (i32.const 7) (i64.const -1) (f32.const -0x1p-149) (f64.const nan:0x1)
                  (v128.const i16x8 1 2 3 4 5 6 7 -1) (ref.null extern) (ref.extern 3))
  (i32.const 7) (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -inf)
  (v128.const f32x4 1 nan:canonical -0 nan:arithmetic) (v128.const i64x2 1 2)
  (ref.extern) (ref.func) (ref.null func) (ref.extern 4))
(assert_trap (invoke "f" (i32.const 0)) "unreachable")
(assert_trap (module (func $start unreachable) (start $start)) "unreachable")
(assert_exhaustion (invoke "f") "call stack exhausted")
(assert_malformed (module quote "(func (i32.const 0x1_0000_0000))") "constant out of range")
(assert_malformed (module binary "\00asm") "unexpected end")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_unlinkable (module (import "m1" "nope" (func))) "unknown import")
(assert_uninstantiable (module (memory 0) (data (i32.const 1) "x")) "out of bounds memory access")
(module (func $broken (i32.const)))
`

func TestScript(t *testing.T) {
	sc, err := ParseScript("sample.wast", []byte(sampleScript))
	if err != nil {
		t.Fatal(err)
	}
	kinds := []CommandKind{CmdModule, CmdRegister, CmdModule, CmdModule, CmdAction, CmdAction, CmdAssertReturn,
		CmdAssertTrap, CmdAssertTrap, CmdAssertExhaustion, CmdAssertMalformed, CmdAssertMalformed,
		CmdAssertInvalid, CmdAssertUnlinkable, CmdAssertUninstantiable, CmdModule}
	if len(sc.Commands) != len(kinds) {
		t.Fatalf("%d commands, want %d", len(sc.Commands), len(kinds))
	}
	for i, k := range kinds {
		if sc.Commands[i].Kind != k {
			t.Errorf("command %d is %v, want %v", i, sc.Commands[i].Kind, k)
		}
	}
	cmd := func(i int) *Command { return &sc.Commands[i] }

	if d := cmd(0).Module; d.Kind != ModuleText || d.ID != "$M1" || d.Line != 2 || d.Col != 1 || cmd(0).Line != 2 {
		t.Errorf("module: %+v", d)
	}
	if c := cmd(1); c.Register != "m1" || c.ModuleID != "$M1" {
		t.Errorf("register: %+v", c)
	}
	if d := cmd(2).Module; d.Kind != ModuleBinary || string(d.Binary) != "\x00asm\x01\x00\x00\x00" {
		t.Errorf("binary module: %+v", d)
	} else if m, err := d.Load(); err != nil || m == nil {
		t.Errorf("binary module: %v", err)
	}
	if d := cmd(3).Module; d.Kind != ModuleQuote || d.ID != "$Q" || string(d.Quote) != `(func (export "g") (result f64) (f64.const 1))` {
		t.Errorf("quote module: %+v", d)
	} else if m, err := d.Load(); err != nil || len(m.Exports) != 1 || m.Exports[0].Name != "g" {
		t.Errorf("quote module: %v", err)
	}
	if a := cmd(4).Action; a.Kind != Invoke || a.ModuleID != "" || a.Name != "f" || len(a.Args) != 1 ||
		a.Args[0] != (Value{Type: frontend.I32, Bits: 0xFFFFFFFF}) {
		t.Errorf("invoke: %+v", a)
	}
	if a := cmd(5).Action; a.Kind != Get || a.ModuleID != "$M1" || a.Name != "g" || cmd(5).ModuleID != "$M1" {
		t.Errorf("get: %+v", a)
	}

	c := cmd(6)
	wantArgs := []Value{
		{Type: frontend.I32, Bits: 7},
		{Type: frontend.I64, Bits: 0xFFFFFFFFFFFFFFFF},
		{Type: frontend.F32, Bits: 0x80000001},
		{Type: frontend.F64, Bits: 0x7FF0000000000001},
		{Type: frontend.V128, V128: [16]byte{1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0xFF, 0xFF}},
		{Type: frontend.ExternRef, Null: true},
		{Type: frontend.ExternRef, Ref: 3},
	}
	if c.Action.ModuleID != "$M1" || len(c.Action.Args) != len(wantArgs) {
		t.Fatalf("assert_return action: %+v", c.Action)
	}
	for i, v := range wantArgs {
		if c.Action.Args[i] != v {
			t.Errorf("arg %d = %+v, want %+v", i, c.Action.Args[i], v)
		}
	}
	exp := c.Expected
	if len(exp) != 10 {
		t.Fatalf("%d expected results, want 10", len(exp))
	}
	if exp[0].Value != (Value{Type: frontend.I32, Bits: 7}) || exp[0].NaN != NaNNone {
		t.Errorf("expected 0: %+v", exp[0])
	}
	if exp[1].Type != frontend.F32 || exp[1].NaN != NaNCanonical || exp[2].Type != frontend.F64 || exp[2].NaN != NaNArithmetic {
		t.Errorf("expected NaN patterns: %+v %+v", exp[1], exp[2])
	}
	if exp[3].Bits != 0xFF800000 || exp[3].NaN != NaNNone {
		t.Errorf("expected -inf: %+v", exp[3])
	}
	v := exp[4]
	if v.Type != frontend.V128 || v.Shape != F32x4 || v.Shape.Lanes() != 4 || v.Shape.LaneBytes() != 4 ||
		len(v.LaneNaN) != 4 || v.LaneNaN[0] != NaNNone || v.LaneNaN[1] != NaNCanonical || v.LaneNaN[3] != NaNArithmetic ||
		v.V128 != [16]byte{0, 0, 0x80, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0} {
		t.Errorf("expected f32x4 with patterns: %+v", v)
	}
	if v := exp[5]; v.Shape != I64x2 || v.LaneNaN != nil || v.V128[8] != 2 {
		t.Errorf("expected i64x2: %+v", v)
	}
	if !exp[6].AnyRef || exp[6].Type != frontend.ExternRef || !exp[7].AnyRef || exp[7].Type != frontend.FuncRef {
		t.Errorf("expected any refs: %+v %+v", exp[6], exp[7])
	}
	if !exp[8].Null || exp[8].Type != frontend.FuncRef || exp[9].Ref != 4 || exp[9].AnyRef {
		t.Errorf("expected refs: %+v %+v", exp[8], exp[9])
	}

	if c := cmd(7); c.Action == nil || c.Module != nil || c.Text != "unreachable" {
		t.Errorf("assert_trap action: %+v", c)
	}
	if c := cmd(8); c.Module == nil || c.Action != nil || c.Text != "unreachable" {
		t.Errorf("assert_trap module: %+v", c)
	}
	if c := cmd(9); c.Action == nil || c.Text != "call stack exhausted" {
		t.Errorf("assert_exhaustion: %+v", c)
	}
	for _, i := range []int{12, 13, 14} {
		if c := cmd(i); c.Module == nil || c.Text == "" {
			t.Errorf("%v: %+v", c.Kind, c)
		} else if _, err := c.Module.Load(); err != nil {
			t.Errorf("%v: %v", c.Kind, err)
		}
	}
	if _, err := cmd(11).Module.Load(); err == nil {
		t.Error("truncated binary module loaded")
	}

	// A malformed text module fails its own Load, not the script, and says where.
	var se *SyntaxError
	if _, err := cmd(15).Module.Load(); !errors.As(err, &se) || se.Line != 21 || se.Col != 33 {
		t.Errorf("broken module: %v, want sample.wast:21:33", err)
	}
}

// TestQuotePositions checks that errors in quoted text point into the script, through
// escapes and across the strings of the quote.
func TestQuotePositions(t *testing.T) {
	src := "(module quote\n  \"(func (export \\\"\\u{e9}\\\"))\"\n  \"(func (i32.const\" \" 0x1_0000_0000))\")"
	sc, err := ParseScript("q.wast", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d := sc.Commands[0].Module
	_, err = d.Load()
	var se *SyntaxError
	if !errors.As(err, &se) || se.File != "q.wast" || se.Line != 3 || se.Col != 24 || !strings.Contains(se.Msg, "constant out of range") {
		t.Fatalf("got %v, want q.wast:3:24: constant out of range", err)
	}
	// The quotes around é, an escape sequence of six bytes standing for two.
	open := strings.IndexByte(string(d.Quote), '"')
	for _, q := range []int{open, open + 3} {
		if off := d.ScriptOffset(int64(q)); src[off:off+2] != "\\\"" {
			t.Errorf("quote offset %d maps to %q", q, src[off:])
		}
	}
	if off := d.ScriptOffset(int64(open + 1)); !strings.HasPrefix(src[off:], "\\u{e9}") {
		t.Errorf("quote offset of é maps to %q", src[off:])
	}
}

func TestInlineModuleScript(t *testing.T) {
	sc, err := ParseScript("inline.wast", []byte("(func) (memory 0) (func (export \"f\"))"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Commands) != 1 || sc.Commands[0].Kind != CmdModule {
		t.Fatalf("commands %+v", sc.Commands)
	}
	m, err := sc.Commands[0].Module.Load()
	if err != nil || len(m.Funcs) != 2 || len(m.Mems) != 1 {
		t.Fatalf("inline module: %v", err)
	}
}

func TestScriptErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"(assert_return (invoke \"f\" (i32.const 0x1_0000_0000)))", 1, 39, "constant out of range"},
		{"(assert_return (invoke \"f\") (i32.const nan:canonical))", 1, 40, "unexpected token nan:canonical"},
		{"(invoke \"f\" (ref.extern))", 1, 24, "unexpected token )"},
		{"(assert_trap (nop) \"x\")", 1, 14, "expected (invoke ...)"},
		{"(assert_invalid (invoke \"f\") \"x\")", 1, 17, "expected (module ...)"},
		{"(frobnicate)", 1, 1, "unknown command frobnicate"},
		{"(module)\n(module", 2, 8, "unexpected end of input"},
		{"(register)", 1, 10, "expected registered name"},
		{"(assert_return (invoke \"f\") (v128.const f32x4 1 2 3))", 1, 52, "wrong number of lane literals"},
	}
	for _, tt := range tests {
		_, err := ParseScript("s.wast", []byte(tt.src))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line != tt.line || se.Col != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("%s:\n  got  %v\n  want s.wast:%d:%d: ...%s...", tt.src, err, tt.line, tt.col, tt.msg)
		}
	}
}
