package wat

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmc/wasmc/frontend"
)

// fuzzSeeds are small texts touching every part of the grammar; the fuzzer mutates them.
var fuzzSeeds = []string{
	`(module $m (func $f (param $x i32) (result i32) (i32.add (local.get $x) (i32.const 1))))`,
	`(type $t (func (param i32) (result i64))) (func (type $t) (i64.extend_i32_u (local.get 0)))`,
	`(func block $b (result i32) i32.const 1 br_if $b end drop loop $l br $l end)`,
	`(func (if (result f32) (i32.const 0) (then (f32.const 0x1.8p3)) (else (f32.const -nan:0x123))))`,
	`(func (param i32) (br_table 0 1 0 (local.get 0)) (block (block)))`,
	`(table $t 2 funcref) (elem (table $t) (offset (i32.const 0)) func $a $b) (func $a) (func $b)`,
	`(table funcref (elem $f)) (func $f) (elem declare func $f) (elem funcref (ref.null func) (item ref.func $f))`,
	`(memory (data "\00\ff\u{1F600}" "x")) (data $d "a") (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d))`,
	`(memory 1 2) (func (i32.store offset=4 align=2 (i32.const 0) (i32.load8_u offset=0x10 (i32.const 1))))`,
	`(import "m" "f" (func $i (param f64))) (global $g (mut i64) (i64.const -0x8000_0000_0000_0000)) (export "g" (global $g))`,
	`(func (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (v128.const i16x8 -1 2 3 4 5 6 7 65535) (v128.const f64x2 inf -0x1p-1074)))`,
	`(func (param v128) (result i32) (i32x4.extract_lane 3 (v128.load32_lane 1 (i32.const 0) (local.get 0))))`,
	`(func (call_indirect (type 0) (param i32) (i32.const 0) (i32.const 1)) (select (result i32) (i32.const 1) (i32.const 2) (i32.const 3)) drop) (type (func (param i32)))`,
	`(module binary "\00asm" "\01\00\00\00")`,
	`(module quote "(func $f" " (nop))") (register "m") (assert_return (invoke "f" (i32.const 1) (f32.const nan)) (f64.const nan:canonical) (v128.const f32x4 1 nan:arithmetic 2 3) (ref.extern) (ref.null func))`,
	`(assert_trap (module (func (unreachable)) (start 0)) "unreachable") (assert_malformed (module quote "(func") "unexpected end") (assert_invalid (module (func (result i32))) "type mismatch")`,
	`(; nested (; comment ;) ;) (func ;; line comment
	nop)`,
}

// FuzzWat checks that the text parsers never panic, fail only with *SyntaxError, and
// produce modules whose encoding the decoder accepts.
func FuzzWat(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	// Commands of a few suite scripts, one seed each: small inputs mutate and minimize
	// fast, where whole scripts would not.
	for _, name := range []string{"token.wast", "comments.wast", "int_literals.wast", "float_literals.wast",
		"elem.wast", "data.wast", "br_table.wast", "block.wast", "if.wast", "simd_lane.wast", "imports.wast"} {
		src, err := os.ReadFile(filepath.Join(suiteDir, name))
		if err != nil {
			continue
		}
		nodes, _ := newSource(name, src).readTree()
		for i, n := range nodes {
			if i%4 == 0 && n.tok.end-n.tok.pos < 2000 {
				f.Add(src[n.tok.pos:n.tok.end])
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := ParseModule("fuzz.wat", src)
		checkResult(t, src, m, err)
		sc, err := ParseScript("fuzz.wast", src)
		if err != nil {
			checkSyntaxError(t, src, err)
			return
		}
		for _, cmd := range sc.Commands {
			if d := cmd.Module; d != nil && d.Kind != ModuleBinary {
				m, err := d.Load()
				checkResult(t, src, m, err)
			}
		}
	})
}

// checkResult checks the outcome of parsing one module.
func checkResult(t *testing.T, src []byte, m *frontend.Module, err error) {
	t.Helper()
	if err != nil {
		checkSyntaxError(t, src, err)
		return
	}
	if m == nil {
		t.Fatal("nil module without error")
	}
	if _, err := frontend.Decode(frontend.Encode(m)); err != nil {
		t.Fatalf("the encoding of a parsed module does not decode: %v", err)
	}
}

// checkSyntaxError checks that err is a *SyntaxError with a position inside src.
func checkSyntaxError(t *testing.T, src []byte, err error) {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %T, want *SyntaxError: %v", err, err)
	}
	if se.Offset < 0 || se.Offset > int64(len(src)) || se.Line < 1 || se.Col < 1 {
		t.Fatalf("error position out of range: offset %d, %d:%d in %d bytes: %v", se.Offset, se.Line, se.Col, len(src), err)
	}
}
