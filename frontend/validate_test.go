package frontend

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Function bodies in these tests are hex strings; a caret marks the instruction the
// expected error names. Bodies start at codeBase, so an error at the caret must report
// codeBase plus the caret's byte position.
const codeBase = 0x1000

// body parses hex with an optional caret, returning the bytes and the caret's offset (-1).
func body(t *testing.T, s string) ([]byte, int) {
	t.Helper()
	b, mark, err := parseBody(s)
	if err != nil {
		t.Fatal(err)
	}
	return b, mark
}

func parseBody(s string) ([]byte, int, error) {
	mark := -1
	if i := strings.Index(s, "^"); i >= 0 {
		before := strings.Join(strings.Fields(s[:i]), "")
		mark = len(before) / 2
		s = s[:i] + s[i+1:]
	}
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, 0, fmt.Errorf("bad hex %q: %v", s, err)
	}
	return b, mark, nil
}

// types parses a type list, one letter per type: i I f F v as in the opcode table's
// signatures, r for funcref, e for externref.
func types(s string) []ValType {
	var ts []ValType
	for _, c := range s {
		ts = append(ts, map[rune]ValType{'i': I32, 'I': I64, 'f': F32, 'F': F64, 'v': V128,
			'r': FuncRef, 'e': ExternRef}[c])
	}
	return ts
}

// sigOf parses "params:results".
func sigOf(s string) FuncType {
	p, r, _ := strings.Cut(s, ":")
	return FuncType{Params: types(p), Results: types(r)}
}

func constExpr(hexCode string, off int64) ConstExpr {
	b, _ := hex.DecodeString(strings.Join(strings.Fields(hexCode), ""))
	return ConstExpr{Code: b, Offset: off}
}

// testModule builds the context every body case runs in:
//
//	types   0: the function under test  1: [] → []  2: [i32] → [i32]
//	        3: [i32 i64] → [f32 f64]
//	funcs   0: imported, type 2   1: the function under test   2: type 1, declared by elem 0
//	tables  0: funcref   1: externref
//	memory  0, one page
//	globals 0: imported immutable i32   1: mutable i64   2: immutable f32
//	elems   0: passive funcref (ref.func 2)   1: passive externref
//	datas   0: passive, with a data count section
func testModule(sig FuncType, locals []LocalDecl, code []byte) *Module {
	one := uint32(1)
	return &Module{
		Types: []FuncType{sig, sigOf(":"), sigOf("i:i"), sigOf("iI:fF")},
		Imports: []Import{
			{Module: "env", Name: "f", Kind: ExternFunc, Type: 2, Offset: 0x10},
			{Module: "env", Name: "g", Kind: ExternGlobal, Global: GlobalType{Type: I32}, Offset: 0x20},
		},
		Funcs:  []Func{{Type: 0, Offset: 0x30}, {Type: 1, Offset: 0x31}},
		Tables: []TableType{{Elem: FuncRef, Offset: 0x40}, {Elem: ExternRef, Offset: 0x48}},
		Mems:   []MemType{{Limits: Limits{Min: 1}, Offset: 0x50}},
		Globals: []Global{
			{Type: GlobalType{Type: I64, Mutable: true}, Init: constExpr("42 00 0b", 0x61), Offset: 0x60},
			{Type: GlobalType{Type: F32}, Init: constExpr("43 00000000 0b", 0x69), Offset: 0x68},
		},
		Elems: []Elem{
			{Mode: SegPassive, Type: FuncRef, Init: []ConstExpr{constExpr("d2 02 0b", 0x71)}, Offset: 0x70},
			{Mode: SegPassive, Type: ExternRef, Init: []ConstExpr{constExpr("d0 6f 0b", 0x79)}, Offset: 0x78},
		},
		DataCount: &one,
		Codes: []Code{
			{Locals: locals, Body: code, Offset: codeBase},
			{Body: []byte{0x0b}, Offset: 0x2000},
		},
		Datas: []Data{{Mode: SegPassive, Init: []byte("hi"), Offset: 0x90}},
	}
}

// checkErr compares Validate's result with the wanted message prefix ("" for valid), offset
// and function.
func checkErr(t *testing.T, err error, want string, off int64, fn int) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("valid module rejected: %v", err)
		}
		return
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v (%T), want *ValidationError %q", err, err, want)
	}
	if !strings.HasPrefix(ve.Msg, want) {
		t.Errorf("message %q, want prefix %q", ve.Msg, want)
	}
	if ve.Offset != off {
		t.Errorf("offset 0x%x, want 0x%x (%s)", ve.Offset, off, ve.Msg)
	}
	if ve.Func != fn {
		t.Errorf("func %d, want %d (%s)", ve.Func, fn, ve.Msg)
	}
}

var zeros16 = strings.Repeat("00", 16)

// v128 is a v128.const of zeros.
var v128 = "fd0c " + zeros16

var codeTests = []struct {
	name   string
	sig    string
	locals []LocalDecl
	body   string
	want   string // message prefix; "" means valid
	edit   func(*Module)
}{
	// Stack-polymorphic code.
	{name: "unreachable then binary", sig: ":i", body: "00 6a 0b"},
	{name: "unreachable select eqz", body: "00 1b 45 1a 0b"},
	{name: "unreachable select is_null", body: "00 1b d1 1a 0b"},
	{name: "unreachable then wrong type", body: "00 41 00 ^50 1a 0b", want: "type mismatch"},
	{name: "unreachable then unconsumed", body: "00 41 00 ^0b", want: "type mismatch"},
	{name: "unreachable select mixed", body: "00 42 00 41 00 41 00 ^1b 0b", want: "type mismatch"},
	{name: "unreachable select num and vec", body: "00 " + v128 + " 41 00 41 00 ^1b 1a 0b", want: "type mismatch"},
	{name: "unreachable select keeps known type", sig: ":i", body: "00 42 00 41 00 1b ^0b", want: "type mismatch"},
	{name: "unreachable only in its block", body: "02 40 00 0b ^6a 1a 0b", want: "type mismatch"},
	{name: "br_if pushes label types", body: "02 7f 00 0d 00 ^50 1a 41 00 0b 1a 0b", want: "type mismatch"},
	{name: "return then anything", sig: ":i", body: "41 00 0f 42 00 1a 0b"},
	{name: "return then wrong result", sig: ":i", body: "41 00 0f 42 00 ^0b", want: "type mismatch"},
	{name: "br then poly", sig: ":i", body: "02 40 0c 00 6a 1a 0b 41 00 0b"},

	// br_table.
	{name: "br_table meet-bottom", body: "02 7c 02 7d 00 41 01 0e 02 00 01 01 0b 1a 44 " +
		strings.Repeat("00", 8) + " 0b 1a 0b"},
	{name: "br_table mixed arity in dead code", body: "02 40 02 7d 00 41 01 ^0e 02 00 01 00 0b 1a 0b 0b",
		want: "type mismatch"},
	{name: "br_table mixed types", sig: "i:", body: "02 7e 02 7d 43 00000000 20 00 ^0e 01 00 01 0b 1a 42 00 0b 1a 0b",
		want: "type mismatch"},
	{name: "br_table same types", sig: "i:i", body: "02 7f 41 05 20 00 0e 02 00 01 00 0b 0b"},
	{name: "br_table unknown label", body: "41 00 ^0e 01 00 02 0b", want: "unknown label 2"},
	{name: "br_table unknown default", body: "41 00 ^0e 00 03 0b", want: "unknown label 3"},
	{name: "br_table index not i32", body: "02 40 42 00 ^0e 00 00 0b 0b", want: "type mismatch"},

	// Blocks, multi-value, if.
	{name: "multi-value block with params", sig: ":fF",
		body: "41 00 42 00 02 03 1a 1a 43 00000000 44 " + strings.Repeat("00", 8) + " 0b 0b"},
	{name: "block params missing", sig: ":fF", body: "41 00 ^02 03 1a 1a 43 00000000 44 " + strings.Repeat("00", 8) + " 0b 0b",
		want: "type mismatch"},
	{name: "loop label is its params", sig: ":i", body: "41 00 03 02 41 01 0d 00 0b 0b"},
	{name: "loop label is not its results", sig: ":i", body: "41 00 03 02 1a 41 01 ^0d 00 41 00 0b 0b",
		want: "type mismatch"},
	{name: "if without else needs params = results", sig: ":i", body: "41 01 04 7f 41 01 ^0b 0b",
		want: "type mismatch"},
	{name: "if without else passes params", sig: ":i", body: "41 05 41 01 04 02 0b 0b"},
	{name: "if else", sig: "i:i", body: "20 00 04 7f 41 01 05 41 02 0b 0b"},
	{name: "if else wrong branch", sig: "i:i", body: "20 00 04 7f 41 01 05 42 02 ^0b 0b", want: "type mismatch"},
	{name: "if cond missing", body: "^04 40 0b 0b", want: "type mismatch"},
	{name: "else without if", body: "02 40 ^05 0b 0b", want: "else without matching if"},
	{name: "block unknown type", body: "^02 09 0b 0b", want: "unknown type 9"},
	{name: "value left at end", body: "41 00 ^0b", want: "type mismatch"},
	{name: "missing result", sig: ":i", body: "^0b", want: "type mismatch"},
	{name: "missing end", body: "41 00 1a^", want: "unexpected end"},
	{name: "bytes after end", body: "0b ^01", want: "operators remaining"},
	{name: "unknown opcode", body: "^ff 0b", want: "illegal opcode"},
	{name: "br unknown label", body: "02 40 ^0c 02 0b 0b", want: "unknown label 2"},
	{name: "return wrong type", sig: ":i", body: "42 00 ^0f 0b", want: "type mismatch"},

	// Calls.
	{name: "call", sig: ":i", body: "41 00 10 00 0b"},
	{name: "call wrong arg", body: "42 00 ^10 00 1a 0b", want: "type mismatch"},
	{name: "call unknown function", body: "^10 09 0b", want: "unknown function 9"},
	{name: "call_indirect", sig: ":i", body: "41 00 41 00 11 02 00 0b"},
	{name: "call_indirect externref table", body: "41 00 ^11 01 01 0b", want: "type mismatch"},
	{name: "call_indirect unknown table", body: "41 00 ^11 01 05 0b", want: "unknown table 5"},
	{name: "call_indirect unknown type", body: "41 00 ^11 09 00 0b", want: "unknown type 9"},

	// Parametric.
	{name: "select", sig: ":I", body: "42 00 42 01 41 00 1b 0b"},
	{name: "select mismatch", body: "41 00 42 00 41 00 ^1b 1a 0b", want: "type mismatch"},
	{name: "select v128", body: v128 + " " + v128 + " 41 00 1b 1a 0b"},
	{name: "select funcref untyped", body: "d0 70 d0 70 41 01 ^1b 1a 0b", want: "type mismatch"},
	{name: "select typed funcref", sig: ":r", body: "d0 70 d0 70 41 01 1c 01 70 0b"},
	{name: "select typed two types", body: "41 01 41 01 41 01 ^1c 02 7f 7f 1a 0b", want: "invalid result arity"},
	{name: "select typed no type", body: "41 01 41 01 41 01 ^1c 00 1a 0b", want: "invalid result arity"},
	{name: "select typed wrong operand", body: "41 01 42 01 41 01 ^1c 01 7f 1a 0b", want: "type mismatch"},
	{name: "drop empty", body: "^1a 0b", want: "type mismatch"},

	// Variables.
	{name: "locals", sig: "i:I", locals: []LocalDecl{{2, F32}, {1, I64}}, body: "20 00 1a 20 02 1a 20 03 0b"},
	{name: "unknown local", body: "^20 05 1a 0b", want: "unknown local 5"},
	{name: "unknown local after decls", sig: "i:", locals: []LocalDecl{{2, F32}}, body: "^20 03 1a 0b",
		want: "unknown local 3"},
	{name: "local.set wrong type", locals: []LocalDecl{{1, F64}}, body: "41 00 ^21 00 0b", want: "type mismatch"},
	{name: "local.tee", sig: "I:I", body: "42 00 22 00 0b"},
	{name: "many locals", locals: []LocalDecl{{100000, I32}, {1, I64}}, body: "20 a0 8d 06 50 1a 20 9f 8d 06 45 1a 0b"},
	{name: "many locals unknown", locals: []LocalDecl{{100000, I32}}, body: "^20 a0 8d 06 1a 0b",
		want: "unknown local 100000"},
	{name: "many locals wrong type", locals: []LocalDecl{{100000, I32}, {1, I64}}, body: "20 a0 8d 06 ^45 1a 0b",
		want: "type mismatch"},
	{name: "too many locals", locals: []LocalDecl{{1 << 31, I32}, {1 << 31, I64}}, body: "^0b",
		want: "too many locals"},
	{name: "global.get", sig: ":f", body: "23 00 1a 23 01 1a 23 02 0b"},
	{name: "global.set", body: "42 05 24 01 0b"},
	{name: "global.set immutable", body: "41 00 ^24 00 0b", want: "global is immutable"},
	{name: "global.set wrong type", body: "41 00 ^24 01 0b", want: "type mismatch"},
	{name: "unknown global", body: "^23 03 1a 0b", want: "unknown global 3"},

	// References.
	{name: "ref.func declared", sig: ":r", body: "d2 02 0b"},
	{name: "ref.func undeclared", body: "^d2 01 1a 0b", want: "undeclared function reference"},
	{name: "ref.func unknown", body: "^d2 07 1a 0b", want: "unknown function 7"},
	{name: "ref.func declared by export", sig: ":r", body: "d2 01 0b",
		edit: func(m *Module) { m.Exports = []Export{{Name: "f", Kind: ExternFunc, Index: 1}} }},
	{name: "ref.func declared by global", sig: ":r", body: "d2 00 0b",
		edit: func(m *Module) {
			m.Globals = append(m.Globals, Global{Type: GlobalType{Type: FuncRef}, Init: constExpr("d2 00 0b", 0x100)})
		}},
	{name: "ref.is_null", body: "d0 6f d1 1a 0b"},
	{name: "ref.is_null of i32", body: "41 00 ^d1 1a 0b", want: "type mismatch"},
	{name: "ref.null type", sig: ":e", body: "d0 70 ^0b", want: "type mismatch"},

	// Tables.
	{name: "table ops", sig: ":i", body: "41 00 25 01 1a 41 00 d0 70 26 00 fc 10 01 1a d0 6f 41 01 fc 0f 01 1a " +
		"41 00 d0 6f 41 01 fc 11 01 41 00 41 00 41 00 fc 0e 00 00 41 00 41 00 41 00 fc 0c 00 00 fc 0d 01 41 00 0b"},
	{name: "table.get type", sig: ":r", body: "41 00 25 01 ^0b", want: "type mismatch"},
	{name: "table.set wrong ref", body: "41 00 d0 70 ^26 01 0b", want: "type mismatch"},
	{name: "table.grow wrong ref", body: "d0 70 41 01 ^fc 0f 01 1a 0b", want: "type mismatch"},
	{name: "table.fill wrong ref", body: "41 00 d0 70 41 01 ^fc 11 01 0b", want: "type mismatch"},
	{name: "table.size unknown", body: "^fc 10 02 1a 0b", want: "unknown table 2"},
	{name: "table.copy mismatch", body: "41 00 41 00 41 00 ^fc 0e 00 01 0b", want: "type mismatch"},
	{name: "table.copy unknown source", body: "41 00 41 00 41 00 ^fc 0e 00 04 0b", want: "unknown table 4"},
	{name: "table.init mismatch", body: "41 00 41 00 41 00 ^fc 0c 01 00 0b", want: "type mismatch"},
	{name: "table.init unknown elem", body: "41 00 41 00 41 00 ^fc 0c 04 00 0b", want: "unknown elem segment 4"},
	{name: "elem.drop unknown", body: "^fc 0d 05 0b", want: "unknown elem segment 5"},

	// Memory.
	{name: "memory ops", sig: ":i", body: "41 00 28 02 00 1a 41 00 42 00 37 03 08 3f 00 40 00 1a " +
		"41 00 41 00 41 00 fc 0b 00 41 00 41 00 41 00 fc 0a 00 00 41 00 41 00 41 00 fc 08 00 00 fc 09 00 41 00 0b"},
	{name: "alignment", body: "41 00 ^28 03 00 1a 0b", want: "alignment must not be larger than natural"},
	{name: "alignment huge", body: "41 00 ^28 1f 00 1a 0b", want: "alignment must not be larger than natural"},
	{name: "load8 alignment", body: "41 00 ^2c 01 00 1a 0b", want: "alignment must not be larger than natural"},
	{name: "store wrong value", body: "41 00 41 00 ^37 03 00 0b", want: "type mismatch"},
	{name: "no memory load", body: "41 00 ^28 02 00 1a 0b", want: "unknown memory 0", edit: noMemory},
	{name: "no memory size", body: "^3f 00 1a 0b", want: "unknown memory 0", edit: noMemory},
	{name: "no memory grow", body: "41 00 ^40 00 1a 0b", want: "unknown memory 0", edit: noMemory},
	{name: "no memory fill", body: "41 00 41 00 41 00 ^fc 0b 00 0b", want: "unknown memory 0", edit: noMemory},
	{name: "no memory copy", body: "41 00 41 00 41 00 ^fc 0a 00 00 0b", want: "unknown memory 0", edit: noMemory},
	{name: "no memory init", body: "41 00 41 00 41 00 ^fc 08 00 00 0b", want: "unknown memory 0", edit: noMemory},
	// A module from text has no data count section; the segments count.
	{name: "memory.init from text", body: "41 00 41 00 41 00 fc 08 00 00 0b", edit: noDataCount},
	{name: "data.drop from text unknown", body: "^fc 09 01 0b", want: "unknown data segment 1", edit: noDataCount},
	{name: "data count below segments", body: "^fc 09 00 0b", want: "unknown data segment 0",
		edit: func(m *Module) { m.DataCount = new(uint32) }},
	{name: "memory.init unknown data", body: "41 00 41 00 41 00 ^fc 08 01 00 0b", want: "unknown data segment 1"},
	{name: "data.drop unknown", body: "^fc 09 01 0b", want: "unknown data segment 1"},
	{name: "memory.fill wrong type", body: "41 00 41 00 42 00 ^fc 0b 00 0b", want: "type mismatch"},

	// SIMD.
	{name: "simd ops", sig: ":i", body: v128 + " " + v128 + " fd 6e fd 53 1a " + v128 + " fd 15 0f 1a " +
		v128 + " 41 00 fd 17 0f 1a " + v128 + " " + v128 + " fd 0d 00 01 02 03 04 05 06 07 18 19 1a 1b 1c 1d 1e 1f 1a " +
		"41 00 fd 00 04 00 1a 41 00 " + v128 + " fd 54 00 00 0f 1a 41 00 " + v128 + " fd 0b 04 00 41 00 0b"},
	{name: "extract lane", body: v128 + " ^fd 15 10 1a 0b", want: "invalid lane index"},
	{name: "i64x2 replace lane", body: v128 + " 42 00 ^fd 1e 02 1a 0b", want: "invalid lane index"},
	{name: "shuffle lane", body: v128 + " " + v128 + " ^fd 0d 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 20 1a 0b",
		want: "invalid lane index"},
	{name: "load lane index", body: "41 00 " + v128 + " ^fd 57 03 00 02 1a 0b", want: "invalid lane index"},
	{name: "load lane alignment", body: "41 00 " + v128 + " ^fd 57 04 00 00 1a 0b",
		want: "alignment must not be larger than natural"},
	{name: "v128.load alignment", body: "41 00 ^fd 00 05 00 1a 0b", want: "alignment must not be larger than natural"},
	{name: "simd operand type", body: v128 + " 41 00 ^fd 6e 1a 0b", want: "type mismatch"},
	{name: "simd shift count", body: v128 + " " + v128 + " ^fd 6b 1a 0b", want: "type mismatch"},
}

func noMemory(m *Module) { m.Mems = nil }

func noDataCount(m *Module) { m.DataCount = nil }

func TestValidateCode(t *testing.T) {
	for _, tc := range codeTests {
		t.Run(tc.name, func(t *testing.T) {
			b, mark := body(t, tc.body)
			m := testModule(sigOf(tc.sig), tc.locals, b)
			if tc.edit != nil {
				tc.edit(m)
			}
			err := Validate(m)
			if tc.want != "" && mark < 0 {
				t.Fatalf("test case has no caret")
			}
			checkErr(t, err, tc.want, codeBase+int64(mark), 1)
		})
	}
}

// TestValidateSrcMap checks that errors in a body parsed from text name the source offset
// of the instruction, through Code.SrcMap.
func TestValidateSrcMap(t *testing.T) {
	m := testModule(sigOf(":"), nil, []byte{0x41, 0x00, 0x1a, 0x1a, 0x0b})
	m.Codes[0].SrcMap = []SrcLoc{{0, 500}, {2, 510}, {3, 520}, {4, 530}}
	checkErr(t, Validate(m), "type mismatch", 520, 1)
}

var moduleTests = []struct {
	name string
	edit func(*Module)
	want string
	off  int64
}{
	{name: "base module", edit: func(*Module) {}},
	{name: "import unknown type", edit: func(m *Module) { m.Imports[0].Type = 9 }, want: "unknown type 9", off: 0x10},
	{name: "func unknown type", edit: func(m *Module) { m.Funcs[1].Type = 9 }, want: "unknown type 9", off: 0x31},
	{name: "imported table limits", want: "size minimum must not be greater than maximum", off: 0xa0,
		edit: func(m *Module) {
			m.Imports = append(m.Imports, Import{Kind: ExternTable, Table: TableType{Elem: FuncRef,
				Limits: Limits{Min: 2, Max: 1, HasMax: true}}, Offset: 0xa0})
		}},
	{name: "imported memory too large", want: "memory size must be at most 65536 pages (4GiB)", off: 0xa0,
		edit: func(m *Module) {
			m.Mems = nil
			m.Imports = append(m.Imports, Import{Kind: ExternMemory, Mem: MemType{Limits: Limits{Min: 65537}}, Offset: 0xa0})
		}},
	{name: "memory max too large", want: "memory size must be at most 65536 pages (4GiB)", off: 0x50,
		edit: func(m *Module) { m.Mems[0].Limits = Limits{Min: 0, Max: 65537, HasMax: true} }},
	{name: "memory of 4GiB", edit: func(m *Module) { m.Mems[0].Limits = Limits{Min: 65536, Max: 65536, HasMax: true} }},
	{name: "memory min above max", want: "size minimum must not be greater than maximum", off: 0x50,
		edit: func(m *Module) { m.Mems[0].Limits = Limits{Min: 2, Max: 1, HasMax: true} }},
	{name: "table min above max", want: "size minimum must not be greater than maximum", off: 0x48,
		edit: func(m *Module) { m.Tables[1].Limits = Limits{Min: 2, Max: 1, HasMax: true} }},
	{name: "two memories", want: "multiple memories", off: 0xb0,
		edit: func(m *Module) { m.Mems = append(m.Mems, MemType{Offset: 0xb0}) }},
	{name: "imported and defined memory", want: "multiple memories", off: 0x50,
		edit: func(m *Module) { m.Imports = append(m.Imports, Import{Kind: ExternMemory, Offset: 0xa0}) }},
	{name: "multiple memories reported last", want: "duplicate export name", off: 0xc1,
		edit: func(m *Module) {
			m.Mems = append(m.Mems, MemType{Offset: 0xb0})
			m.Exports = []Export{{Name: "a", Kind: ExternMemory, Offset: 0xc0}, {Name: "a", Kind: ExternMemory, Offset: 0xc1}}
		}},

	// Globals and constant expressions.
	{name: "global init type", want: "type mismatch", off: 0x61, edit: func(m *Module) { m.Globals[0].Init = constExpr("41 00 0b", 0x61) }},
	{name: "global init empty", want: "type mismatch", off: 0x61, edit: func(m *Module) { m.Globals[0].Init = constExpr("0b", 0x61) }},
	{name: "global init two values", want: "type mismatch", off: 0x61,
		edit: func(m *Module) { m.Globals[0].Init = constExpr("42 00 42 00 0b", 0x61) }},
	{name: "global init not constant", want: "constant expression required", off: 0x61,
		edit: func(m *Module) { m.Globals[0].Init = constExpr("42 00 42 00 7c 0b", 0x61) }},
	{name: "global init nop", want: "constant expression required", off: 0x61,
		edit: func(m *Module) { m.Globals[0].Init = constExpr("01 42 00 0b", 0x61) }},
	{name: "global init from import", edit: func(m *Module) {
		m.Globals[1].Type.Type = I32
		m.Globals[1].Init = constExpr("23 00 0b", 0x69)
	}},
	{name: "global init from defined global", want: "unknown global 1", off: 0x69,
		edit: func(m *Module) { m.Globals[1].Init = constExpr("23 01 0b", 0x69) }},
	{name: "global init from mutable import", want: "constant expression required", off: 0x69,
		edit: func(m *Module) {
			m.Imports[1].Global.Mutable = true
			m.Globals[1].Type.Type = I32
			m.Globals[1].Init = constExpr("23 00 0b", 0x69)
		}},
	{name: "global init unknown function", want: "unknown function 5", off: 0x69,
		edit: func(m *Module) {
			m.Globals[1].Type.Type = FuncRef
			m.Globals[1].Init = constExpr("d2 05 0b", 0x69)
		}},
	{name: "global init v128", edit: func(m *Module) {
		m.Globals[1].Type.Type = V128
		m.Globals[1].Init = constExpr(v128+" 0b", 0x69)
	}},
	{name: "global init without end", want: "constant expression required", off: 0x69,
		edit: func(m *Module) { m.Globals[1].Init = constExpr("43 00000000", 0x69) }},

	// Element and data segments.
	{name: "active elem", edit: func(m *Module) {
		m.Elems[0].Mode, m.Elems[0].TableOffset = SegActive, constExpr("41 00 0b", 0x72)
	}},
	{name: "active elem offset from import", edit: func(m *Module) {
		m.Elems[0].Mode, m.Elems[0].TableOffset = SegActive, constExpr("23 00 0b", 0x72)
	}},
	{name: "elem unknown table", want: "unknown table 7", off: 0x70, edit: func(m *Module) {
		m.Elems[0].Mode, m.Elems[0].Table, m.Elems[0].TableOffset = SegActive, 7, constExpr("41 00 0b", 0x72)
	}},
	{name: "elem type vs table", want: "type mismatch", off: 0x70, edit: func(m *Module) {
		m.Elems[0].Mode, m.Elems[0].Table, m.Elems[0].TableOffset = SegActive, 1, constExpr("41 00 0b", 0x72)
	}},
	{name: "elem offset type", want: "type mismatch", off: 0x72, edit: func(m *Module) {
		m.Elems[0].Mode, m.Elems[0].TableOffset = SegActive, constExpr("42 00 0b", 0x72)
	}},
	{name: "elem expr type", want: "type mismatch", off: 0x71,
		edit: func(m *Module) { m.Elems[0].Init[0] = constExpr("d0 6f 0b", 0x71) }},
	{name: "elem expr global", edit: func(m *Module) {
		m.Imports[1].Global.Type = FuncRef
		m.Elems[0].Init[0] = constExpr("23 00 0b", 0x71)
	}},
	{name: "declarative elem", edit: func(m *Module) { m.Elems[0].Mode = SegDeclarative }},
	{name: "data unknown memory", want: "unknown memory 0", off: 0x90, edit: func(m *Module) {
		m.Mems = nil
		m.Datas[0].Mode, m.Datas[0].MemOffset = SegActive, constExpr("41 00 0b", 0x91)
	}},
	{name: "data offset type", want: "type mismatch", off: 0x91, edit: func(m *Module) {
		m.Datas[0].Mode, m.Datas[0].MemOffset = SegActive, constExpr("43 00000000 0b", 0x91)
	}},
	{name: "data offset not constant", want: "constant expression required", off: 0x91, edit: func(m *Module) {
		m.Datas[0].Mode, m.Datas[0].MemOffset = SegActive, constExpr("41 00 45 0b", 0x91)
	}},

	// Start and exports.
	{name: "start", edit: func(m *Module) { m.Start = &Start{Func: 2, Offset: 0xd0} }},
	{name: "start unknown", want: "unknown function 3", off: 0xd0, edit: func(m *Module) { m.Start = &Start{Func: 3, Offset: 0xd0} }},
	{name: "start with params", want: "start function", off: 0xd0, edit: func(m *Module) { m.Start = &Start{Func: 0, Offset: 0xd0} }},
	{name: "exports", edit: func(m *Module) {
		m.Exports = []Export{{Name: "f", Kind: ExternFunc, Index: 2}, {Name: "t", Kind: ExternTable, Index: 1},
			{Name: "m", Kind: ExternMemory}, {Name: "g", Kind: ExternGlobal, Index: 2}}
	}},
	{name: "duplicate export", want: "duplicate export name", off: 0xc1, edit: func(m *Module) {
		m.Exports = []Export{{Name: "f", Kind: ExternFunc, Offset: 0xc0}, {Name: "f", Kind: ExternGlobal, Offset: 0xc1}}
	}},
	{name: "export unknown function", want: "unknown function 3", off: 0xc0,
		edit: func(m *Module) { m.Exports = []Export{{Name: "f", Kind: ExternFunc, Index: 3, Offset: 0xc0}} }},
	{name: "export unknown table", want: "unknown table 2", off: 0xc0,
		edit: func(m *Module) { m.Exports = []Export{{Name: "f", Kind: ExternTable, Index: 2, Offset: 0xc0}} }},
	{name: "export unknown memory", want: "unknown memory 1", off: 0xc0,
		edit: func(m *Module) { m.Exports = []Export{{Name: "f", Kind: ExternMemory, Index: 1, Offset: 0xc0}} }},
	{name: "export unknown global", want: "unknown global 3", off: 0xc0,
		edit: func(m *Module) { m.Exports = []Export{{Name: "f", Kind: ExternGlobal, Index: 3, Offset: 0xc0}} }},

	// Order: a body is checked before the start function and the exports.
	{name: "body before exports", want: "type mismatch", off: 0x2002, edit: func(m *Module) {
		m.Codes[1].Body = []byte{0x41, 0x00, 0x0b}
		m.Exports = []Export{{Name: "f", Kind: ExternFunc, Index: 9}}
	}},
	{name: "code count", want: "function and code section have inconsistent lengths", off: codeBase,
		edit: func(m *Module) { m.Codes = m.Codes[:1] }},
}

func TestValidateModule(t *testing.T) {
	for _, tc := range moduleTests {
		t.Run(tc.name, func(t *testing.T) {
			m := testModule(sigOf(":"), nil, []byte{0x0b})
			tc.edit(m)
			fn := -1
			if tc.name == "body before exports" {
				fn = 2
			}
			checkErr(t, Validate(m), tc.want, tc.off, fn)
		})
	}
}

// TestValidateTestdata decodes and validates the binaries in testdata/validate. Each was
// built from the .wat beside it (wat2wasm, with --no-check for the invalid ones), whose
// first line says what to expect: "valid", or a message prefix, an offset and a function.
func TestValidateTestdata(t *testing.T) {
	files, err := filepath.Glob("testdata/validate/*.wasm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			wat, err := os.ReadFile(strings.TrimSuffix(file, ".wasm") + ".wat")
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(wat), "\n")
			spec, ok := strings.CutPrefix(first, ";; want: ")
			if !ok {
				t.Fatalf("first line %q does not say what to want", first)
			}
			want, off, fn := "", int64(0), -1
			if spec != "valid" {
				var msg string
				i := strings.LastIndex(spec, `"`)
				msg, spec = spec[1:i], spec[i+1:]
				if _, err := fmt.Sscanf(spec, " at %v func %d", &off, &fn); err != nil {
					if _, err := fmt.Sscanf(spec, " at %v", &off); err != nil {
						t.Fatalf("bad want line %q", first)
					}
				}
				want = msg
			}
			buf, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(buf)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			checkErr(t, Validate(m), want, off, fn)
		})
	}
}

// FuzzValidate checks that Validate never panics and reports problems only as
// *ValidationError, on any module the decoder accepts. The seeds are the modules of the
// table tests above and the binaries under testdata.
func FuzzValidate(f *testing.F) {
	for _, tc := range codeTests {
		b, _, err := parseBody(tc.body)
		if err != nil {
			f.Fatal(err)
		}
		m := testModule(sigOf(tc.sig), tc.locals, b)
		if tc.edit != nil {
			tc.edit(m)
		}
		f.Add(Encode(m))
	}
	files, _ := filepath.Glob("testdata/*/*.wasm")
	more, _ := filepath.Glob("testdata/*.wasm")
	for _, file := range append(files, more...) {
		if buf, err := os.ReadFile(file); err == nil {
			f.Add(buf)
		}
	}
	f.Fuzz(func(t *testing.T, buf []byte) {
		m, err := Decode(buf)
		if err != nil {
			return
		}
		err = Validate(m)
		var ve *ValidationError
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
	})
}

// TestValidateNoAllocPerInstr checks that the cost of a body in allocations does not grow
// with its length: stacks are reused, and instructions are decoded into one buffer.
func TestValidateNoAllocPerInstr(t *testing.T) {
	allocs := func(n int) float64 {
		b := []byte{0x41, 0x00}
		for range n {
			// block (param i32) (result i32) local.get 0 i32.add br 0 end: one i32 stays on the stack.
			b = append(b, 0x02, 0x02, 0x20, 0x00, 0x6a, 0x0c, 0x00, 0x0b)
		}
		b = append(b, 0x1a, 0x0b)
		m := testModule(sigOf("i:"), nil, b)
		return testing.AllocsPerRun(10, func() {
			if err := Validate(m); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, big := allocs(100), allocs(20000)
	if big > small+8 { // a few more for stack growth
		t.Errorf("%v allocations for 100 blocks, %v for 20000", small, big)
	}
}

func BenchmarkValidateSynthetic(b *testing.B) {
	var code []byte
	for range 10000 {
		code = append(code, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, // local.get 0; i32.const 1; i32.add; local.set 0
			0x20, 0x00, 0x28, 0x02, 0x00, 0x1a) // local.get 0; i32.load; drop
	}
	code = append(code, 0x0b)
	m := testModule(sigOf("i:"), nil, code)
	b.SetBytes(int64(len(code)))
	for b.Loop() {
		if err := Validate(m); err != nil {
			b.Fatal(err)
		}
	}
}
