package wat

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/frontend"
)

// encode parses a module and returns its binary without the name section, so that texts
// differing only in identifiers compare equal.
func encode(t *testing.T, src string) []byte {
	t.Helper()
	m, err := ParseModule("t.wat", []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	m.Names = nil
	return frontend.Encode(m)
}

// TestAbbreviations checks that each abbreviation of the text format means the same
// module as its expansion (spec §6.4–6.6, "Abbreviations").
func TestAbbreviations(t *testing.T) {
	tests := []struct{ name, short, long string }{
		{"inline export", `(func (export "f") (param i32))`,
			`(type (func (param i32))) (func (type 0)) (export "f" (func 0))`},
		{"inline import", `(func $f (import "m" "f") (param i32) (result i64))`,
			`(import "m" "f" (func $f (param i32) (result i64)))`},
		{"inline import and exports", `(global (export "a") (export "b") (import "m" "g") (mut i32))`,
			`(import "m" "g" (global (mut i32))) (export "a" (global 0)) (export "b" (global 0))`},
		{"table inline import", `(table $t (import "m" "t") 1 2 externref)`,
			`(import "m" "t" (table 1 2 externref))`},
		{"memory inline import", `(memory (import "m" "mem") 1)`, `(import "m" "mem" (memory 1))`},
		{"table inline elem", `(table funcref (elem $f $g)) (func $f) (func $g)`,
			`(table 2 2 funcref) (elem (table 0) (offset (i32.const 0)) func $f $g) (func $f) (func $g)`},
		{"table inline elem exprs", `(table funcref (elem (ref.func 0) (item ref.func 0))) (func)`,
			`(table 2 2 funcref) (elem (table 0) (i32.const 0) funcref (ref.func 0) (ref.func 0)) (func)`},
		{"memory inline data", `(memory (data "ab" "c"))`,
			`(memory 1 1) (data (memory 0) (offset (i32.const 0)) "abc")`},
		{"empty inline data", `(memory (data))`, `(memory 0 0) (data (i32.const 0))`},
		{"elem offset", `(table 1 funcref) (elem (i32.const 0) $f) (func $f)`,
			`(table 1 funcref) (elem (table 0) (offset (i32.const 0)) func $f) (func $f)`},
		{"elem item", `(elem funcref (ref.func $f) (ref.null func)) (func $f)`,
			`(elem funcref (item (ref.func $f)) (item ref.null func)) (func $f)`},
		{"elem func list", `(elem declare funcref (ref.func $f)) (func $f)`, `(elem declare func $f) (func $f)`},
		{"1.0 segment syntax", `(table 1 funcref) (memory 1) (elem 0 (i32.const 0) $f) (data 0 (i32.const 0) "x") (func $f)`,
			`(table 1 funcref) (memory 1) (elem (table 0) (i32.const 0) func $f) (data (memory 0) (i32.const 0) "x") (func $f)`},
		{"data offset", `(memory 1) (data (i32.const 1) "x")`,
			`(memory 1) (data (memory 0) (offset (i32.const 1)) "x")`},
		{"type use reuses types", `(type $t (func (param i32))) (func (param i32))`,
			`(type (func (param i32))) (func (type 0))`},
		{"module form", `(module $m (func))`, `(func)`},
		{"named locals", `(func (param $a i32) (local $b i64) (local.set $b (i64.extend_i32_u (local.get $a))))`,
			`(func (param i32) (local i64) local.get 0 i64.extend_i32_u local.set 1)`},
		{"folded", `(func (result i32) (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3))))`,
			`(func (result i32) i32.const 1 i32.const 2 i32.const 3 i32.mul i32.add)`},
		{"folded if", `(func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))`,
			`(func (param i32) (result i32) local.get 0 if (result i32) i32.const 1 else i32.const 2 end)`},
		{"labels", `(func block $a block $b br $a br $b br 1 end $b end $a)`,
			`(func block block br 1 br 0 br 1 end end)`},
		{"shadowed labels", `(func (block $l (block $l (br $l))) (loop $l (br $l)))`,
			`(func (block (block (br 0))) (loop (br 0)))`},
		{"br_table", `(func (block $a (block $b (br_table $a $b 0 (i32.const 0)))))`,
			`(func block block i32.const 0 br_table 1 0 0 end end)`},
		{"block params", `(func (i32.const 1) (block (param i32) (result i32)) (drop))`,
			`(type (func)) (type (func (param i32) (result i32))) (func (type 0) i32.const 1 block (type 1) end drop)`},
		{"call_indirect type use", `(table 1 funcref) (func (call_indirect (param i32) (i32.const 0) (i32.const 0)))`,
			`(type (func)) (type (func (param i32))) (table 1 funcref) (func (type 0) i32.const 0 i32.const 0 call_indirect 0 (type 1))`},
		{"memarg defaults", `(memory 1) (func (drop (i32.load (i32.const 0))))`,
			`(memory 1) (func (drop (i32.load offset=0 align=4 (i32.const 0))))`},
		{"v128 shapes", `(func (result v128) (v128.const i8x16 1 0 0 0 2 0 0 0 3 0 0 0 -1 -1 -1 -1))`,
			`(func (result v128) (v128.const i32x4 1 2 3 0xffffffff))`},
		{"v128 float shape", `(func (result v128) (v128.const f32x4 1 -0 inf nan))`,
			`(func (result v128) (v128.const i32x4 0x3f800000 0x80000000 0x7f800000 0x7fc00000))`},
		{"table ops default to table 0", `(table 1 funcref) (elem funcref) (func (drop (table.size)) (table.init 0 (i32.const 0) (i32.const 0) (i32.const 0)) (table.copy (i32.const 0) (i32.const 0) (i32.const 0)))`,
			`(table 1 funcref) (elem funcref) (func (drop (table.size 0)) (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0)) (table.copy 0 0 (i32.const 0) (i32.const 0) (i32.const 0)))`},
		{"empty else", `(func (if (i32.const 0) (then (nop)) (else)))`, `(func (if (i32.const 0) (then (nop))))`},
		{"empty inline types", `(type $t (func (param i32))) (func (type $t) (param) (result))`, `(type $t (func (param i32))) (func (type $t))`},
	}
	for _, tt := range tests {
		if got, want := encode(t, tt.short), encode(t, tt.long); !bytes.Equal(got, want) {
			t.Errorf("%s:\n  %s\n  = %x\n  %s\n  = %x", tt.name, tt.short, got, tt.long, want)
		}
	}
}

// TestImplicitTypes checks where type uses without (type x) land: the first equal type,
// explicit ones included even when defined later, else a new type at the end.
func TestImplicitTypes(t *testing.T) {
	m, err := ParseModule("t.wat", []byte(`(func (param i64)) (type (func (param i32))) (func (param i32)) (func (param i64)) (func (result f32))`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"[i32] -> []", "[i64] -> []", "[] -> [f32]"}
	if len(m.Types) != len(want) {
		t.Fatalf("types %v, want %v", m.Types, want)
	}
	for i, ft := range m.Types {
		if ft.String() != want[i] {
			t.Errorf("type %d = %s, want %s", i, ft, want[i])
		}
	}
	for i, wantIdx := range []uint32{1, 0, 1, 2} {
		if m.Funcs[i].Type != wantIdx {
			t.Errorf("func %d has type %d, want %d", i, m.Funcs[i].Type, wantIdx)
		}
	}
}

func TestNamesAndDataCount(t *testing.T) {
	m, err := ParseModule("t.wat", []byte(`(module $mod
  (import "m" "f" (func $imp (param $x i32)))
  (func $f (param $a i32) (param i64) (local $l f32)
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)))
  (func)
  (memory 1)
  (data $d "abc"))`))
	if err != nil {
		t.Fatal(err)
	}
	n := m.Names
	if n == nil || n.Module != "mod" || n.FuncName(0) != "imp" || n.FuncName(1) != "f" || n.FuncName(2) != "" {
		t.Fatalf("names %+v", n)
	}
	if len(n.Locals) != 2 || n.Locals[0].Func != 0 || n.Locals[1].Func != 1 ||
		len(n.Locals[1].Names) != 2 || n.Locals[1].Names[1] != (frontend.NameAssoc{Index: 2, Name: "l"}) {
		t.Errorf("local names %+v", n.Locals)
	}
	if m.DataCount == nil || *m.DataCount != 1 {
		t.Errorf("data count %v, want 1", m.DataCount)
	}
	if len(m.Customs) != 0 {
		t.Errorf("customs %v: names belong in Module.Names", m.Customs)
	}
	if m, _ := ParseModule("t.wat", []byte(`(func) (memory 1) (data "x")`)); m.DataCount != nil || m.Names != nil {
		t.Errorf("no data count or names expected: %v %v", m.DataCount, m.Names)
	}
}

// TestOffsets checks that items and instructions point at their source text.
func TestOffsets(t *testing.T) {
	src := "(module\n  (type $t (func))\n  (func $f (export \"f\") (param i32)\n    local.get 0\n    (drop (i32.const 1))))"
	m, err := ParseModule("t.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	at := func(off int64) string { return src[off:min(int(off)+8, len(src))] }
	if got := at(m.Types[0].Offset); got != "(type $t" {
		t.Errorf("type offset at %q", got)
	}
	if got := at(m.Funcs[0].Offset); got != "(func $f" {
		t.Errorf("func offset at %q", got)
	}
	if got := at(m.Exports[0].Offset); got != "(export " {
		t.Errorf("export offset at %q", got)
	}
	c := &m.Codes[0]
	var texts []string
	for off := 0; off < len(c.Body); {
		var in frontend.Instr
		next, err := frontend.ReadInstr(c.Body, off, 0, &in)
		if err != nil {
			t.Fatal(err)
		}
		s := src[c.Source(off):]
		texts = append(texts, s[:strings.IndexAny(s, " \n)")+1])
		off = next
	}
	want := []string{"local.get ", "i32.const ", "drop ", ")"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("instructions map to %q, want %q", texts, want)
	}
	line, col := Position([]byte(src), c.Source(len(c.Body)-1))
	if line != 5 || col != 25 {
		t.Errorf("final end at %d:%d, want 5:25", line, col)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"(module\n  (func (drop (i32.const 0x1_0000_0000))))", 2, 26, "constant out of range"},
		{"(func (i64.const -9223372036854775809))", 1, 18, "constant out of range"},
		{"(func (f32.const 1e39))", 1, 18, "constant out of range"},
		{"(func (f32.const nan:0x800000))", 1, 18, "constant out of range"},
		{"(func (i32.const 1__0))", 1, 18, "unknown operator"},
		{"(func $f) (func $f)", 1, 17, "duplicate func $f"},
		{"(func (param $x i32) (local $x i32))", 1, 29, "duplicate local $x"},
		{"(func (param $x i32) (param $x i32))", 1, 29, "duplicate local $x"},
		{"(global $g i32 (i32.const 0)) (import \"\" \"\" (global $g i32))", 1, 31, "import after global"},
		{"(memory $m 1) (memory $m 1)", 1, 23, "duplicate memory $m"},
		{"(func br $nope)", 1, 10, "unknown label $nope"},
		{"(func block $a end $b)", 1, 20, "mismatching label $b"},
		{"(func block end $b)", 1, 17, "mismatching label"},
		{"(func (if $a (i32.const 1) (then)) if $b (i32.const 0) else $c end)", 1, 61, "mismatching label $c"},
		{"(func) (import \"\" \"\" (func))", 1, 8, "import after function"},
		{"(table 0 funcref) (import \"\" \"\" (memory 1))", 1, 19, "import after table"},
		{"(memory 1) (func (drop (i32.load align=3 (i32.const 0))))", 1, 34, "alignment must be a power of two"},
		{"(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))", 1, 34, "i32 constant out of range"},
		{"(memory 0x1_0000_0000)", 1, 9, "i32 constant out of range"},
		{"(type $t (func)) (func (type $t) (param i32))", 1, 24, "inline function type"},
		{"(func (type $nope))", 1, 13, "unknown type $nope"},
		{"(func (type 3) (param i32))", 1, 7, "unknown type 3"},
		{"(func (local.get $x))", 1, 18, "unknown local $x"},
		{"(func (call $g))", 1, 13, "unknown function $g"},
		{"(func (data.drop $d))", 1, 18, "unknown data segment $d"},
		{"(func\n\n   (i32.add0))", 3, 5, "unknown operator i32.add0"},
		{"(func (nop)", 1, 12, "unexpected end of input"},
		{"(func))", 1, 7, "unexpected token )"},
		{"(func (result i32) (param i32))", 1, 20, "unexpected token"},
		{"(func (nop) (local i32))", 1, 14, "unexpected token local"},
		{"(export \"\\ff\" (func 0)) (func)", 1, 9, "malformed UTF-8 encoding"},
		{"(import \"\\80\" \"x\" (func))", 1, 9, "malformed UTF-8 encoding"},
		{"(func) (start 0) (start 0)", 1, 18, "multiple start sections"},
		{"(func (v128.const i32x4 1 2 3) drop)", 1, 30, "wrong number of lane literals"},
		{"(func (v128.const i32x4 1 2 3 4 5) drop)", 1, 33, "wrong number of lane literals"},
		{"(func (v128.const i32 1) drop)", 1, 19, "unexpected token i32"},
		{"(func (v128.const i32x3 1) drop)", 1, 19, "unknown operator i32x3"},
		{"(func (i8x16.extract_lane_s 256 (local.get 0)))", 1, 29, "malformed lane index"},
		{"(func (i8x16.extract_lane_s -1 (local.get 0)))", 1, 29, "unexpected token"},
		{"(func (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 (local.get 0)))", 1, 57, "invalid lane length"},
		{"(func (call_indirect (param $x i32) (i32.const 0)))", 1, 29, "unexpected token $x"},
		{"(func (block (param $x i32)))", 1, 21, "unexpected token $x"},
		{"(data $l\"a\")", 1, 7, "unknown operator"},
		{"(func (i32.const nan:canonical))", 1, 18, "unexpected token nan:canonical"},
		{"(func \"bad \\q escape\")", 1, 12, "illegal escape"},
		{"(func) (; unclosed", 1, 8, "unclosed block comment"},
		{"(func (i32.const 1 2))", 1, 20, "unexpected token 2"},
		{"(func (then))", 1, 8, "unexpected token then"},
		{"(frob)", 1, 2, "unknown operator frob"},
		{"(func else)", 1, 7, "unexpected token else"},
		{"(func block)", 1, 12, "expected end"},
	}
	for _, tt := range tests {
		_, err := ParseModule("t.wat", []byte(tt.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if se.Line != tt.line || se.Col != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("%s:\n  got  %v\n  want t.wat:%d:%d: ...%s...", tt.src, err, tt.line, tt.col, tt.msg)
		}
		if prefix := "t.wat:"; !strings.HasPrefix(err.Error(), prefix) {
			t.Errorf("%s: %q does not start with %q", tt.src, err, prefix)
		}
	}
}

// TestWellFormedButInvalid checks that typing errors are left to the validator.
func TestWellFormedButInvalid(t *testing.T) {
	for _, src := range []string{
		`(func (result i32))`,
		`(func (call 7))`,
		`(func (local.get 3))`,
		`(func (type 9))`,
		`(func (i8x16.extract_lane_s 16 (v128.const i64x2 0 0)) drop)`,
		`(memory 1) (func (drop (i32.load align=8 (i32.const 0))))`,
		`(memory 65537)`,
		`(func (select (result) (nop) (nop) (i32.const 1)))`,
		`(func br 5)`,
		`(elem (table 3) (i32.const 0) func)`,
	} {
		if _, err := ParseModule("t.wat", []byte(src)); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}

// TestDeepNesting checks that nesting beyond maxDepth is an error, not a stack overflow,
// and that nesting just below it parses.
func TestDeepNesting(t *testing.T) {
	n := maxDepth - 10
	ok := []string{
		"(func " + strings.Repeat("block ", n) + strings.Repeat("end ", n) + ")",
		"(func " + strings.Repeat("(block ", n) + strings.Repeat(")", n+1),
	}
	for _, src := range ok {
		if _, err := ParseModule("deep.wat", []byte(src)); err != nil {
			t.Errorf("%.20s...: %v", src, err)
		}
	}
	bad := []string{
		"(func " + strings.Repeat("block ", maxDepth+1) + ")",
		"(func " + strings.Repeat("(block ", maxDepth+1),
		strings.Repeat("(", 2*maxDepth),
	}
	for _, src := range bad {
		var se *SyntaxError
		if _, err := ParseModule("deep.wat", []byte(src)); !errors.As(err, &se) {
			t.Errorf("%.20s...: error %v, want a *SyntaxError", src, err)
		}
	}
}
