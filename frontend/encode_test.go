package frontend

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignoreOffsets compares modules as Encode preserves them: everything but where things
// were in the file, and what the decoder derives from a body's code (Code.Refs). A new
// Offset field belongs here too.
var ignoreOffsets = cmp.Options{
	cmpopts.IgnoreFields(Module{}, "Sections"),
	cmpopts.IgnoreFields(FuncType{}, "Offset"),
	cmpopts.IgnoreFields(Func{}, "Offset"),
	cmpopts.IgnoreFields(TableType{}, "Offset"),
	cmpopts.IgnoreFields(MemType{}, "Offset"),
	cmpopts.IgnoreFields(Import{}, "Offset"),
	cmpopts.IgnoreFields(Global{}, "Offset"),
	cmpopts.IgnoreFields(Export{}, "Offset"),
	cmpopts.IgnoreFields(Start{}, "Offset"),
	cmpopts.IgnoreFields(ConstExpr{}, "Offset"),
	cmpopts.IgnoreFields(Elem{}, "Offset"),
	cmpopts.IgnoreFields(Data{}, "Offset"),
	cmpopts.IgnoreFields(Code{}, "Offset", "Refs", "RefsRead"),
	cmpopts.IgnoreFields(Custom{}, "Offset"),
}

// roundTrip encodes m, decodes the result and reports any difference from m; it returns
// the encoding.
func roundTrip(t testing.TB, m *Module) []byte {
	t.Helper()
	b := Encode(m)
	m2, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode(Encode(m)): %v\n% x", err, b)
	}
	if diff := cmp.Diff(m, m2, ignoreOffsets); diff != "" {
		t.Fatalf("Decode(Encode(m)) differs (-m +decoded):\n%s", diff)
	}
	return b
}

// TestEncodeTestdata round-trips the committed binaries; wat2wasm writes them in the same
// canonical form as Encode, so the bytes come back identical too.
func TestEncodeTestdata(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.wasm")
	if len(files) == 0 {
		t.Fatal("no testdata/*.wasm")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			buf := readTestdata(t, filepath.Base(f))
			m, err := Decode(buf)
			if err != nil {
				t.Fatal(err)
			}
			if b := roundTrip(t, m); !bytes.Equal(b, buf) {
				t.Errorf("Encode(Decode(b)) != b:\n got % x\nwant % x", b, buf)
			}
		})
	}
}

// TestEncodeRoundTrip round-trips hand-made binaries with non-canonical parts: long
// LEB128s, element and data forms with needless indices, custom sections between sections.
func TestEncodeRoundTrip(t *testing.T) {
	for _, b := range [][]byte{
		bin(),
		bin("\x01\x85\x80\x80\x80\x00\x81\x00\x60\x00\x00", "\x03\x03\x01\x80\x00", code("\x00\x0b")),
		bin("\x00\x03\x01a1", typeVoid, "\x00\x02\x01b", funcs1, "\x0c\x01\x00", "\x00\x02\x01c", code("\x00\x0b"), "\x00\x02\x01d"),
		bin("\x01\x01\x00", "\x00\x02\x01a", "\x0b\x01\x00", "\x00\x02\x01b"), // empty anchors
		bin(sec(secElement, "\x02", "\x02\x00\x41\x00\x0b\x00\x01\x00", "\x06\x00\x41\x00\x0b\x70\x01\xd0\x70\x0b")),
		bin(sec(secData, "\x02", "\x02\x00\x41\x00\x0b\x01a", "\x01\x00")),
		bin(typeVoid, funcs1, code("\x02\xff\xff\xff\xff\x07\x7f\x01\x7e\x0b")),
	} {
		m, err := Decode(b)
		if err != nil {
			t.Fatalf("Decode(% x): %v", b, err)
		}
		roundTrip(t, m)
	}
}

// TestEncodeElemForms checks that each segment is written in the shortest form of its
// family, the family being chosen by FuncIndices.
func TestEncodeElemForms(t *testing.T) {
	off := ConstExpr{Code: []byte("\x41\x00\x0b")}
	ref := func(idx byte) ConstExpr { return ConstExpr{Code: []byte{byte(OpRefFunc), idx, byte(OpEnd)}} }
	null := ConstExpr{Code: []byte("\xd0\x70\x0b")}
	for _, c := range []struct {
		name string
		elem Elem
		want string
	}{
		{"active indices", Elem{TableOffset: off, Type: FuncRef, FuncIndices: true, Funcs: []uint32{1}},
			"\x00\x41\x00\x0b\x01\x01"},
		{"passive indices", Elem{Mode: SegPassive, Type: FuncRef, FuncIndices: true, Funcs: []uint32{1}},
			"\x01\x00\x01\x01"},
		{"active table 2 indices", Elem{Table: 2, TableOffset: off, Type: FuncRef, FuncIndices: true},
			"\x02\x02\x41\x00\x0b\x00\x00"},
		{"declarative indices", Elem{Mode: SegDeclarative, Type: FuncRef, FuncIndices: true, Funcs: []uint32{3}},
			"\x03\x00\x01\x03"},
		{"active expressions", Elem{TableOffset: off, Type: FuncRef, Init: []ConstExpr{ref(1), null}},
			"\x04\x41\x00\x0b\x02\xd2\x01\x0b\xd0\x70\x0b"},
		{"passive expressions", Elem{Mode: SegPassive, Type: ExternRef, Init: []ConstExpr{{Code: []byte("\xd0\x6f\x0b")}}},
			"\x05\x6f\x01\xd0\x6f\x0b"},
		{"active externref", Elem{TableOffset: off, Type: ExternRef},
			"\x06\x00\x41\x00\x0b\x6f\x00"},
		{"declarative expressions", Elem{Mode: SegDeclarative, Type: FuncRef, Init: []ConstExpr{ref(4)}},
			"\x07\x70\x01\xd2\x04\x0b"},
		{"indices with a long index", Elem{Mode: SegPassive, Type: FuncRef, FuncIndices: true, Funcs: []uint32{128}},
			"\x01\x00\x01\x80\x01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := &Module{Elems: []Elem{c.elem}}
			want := bin(sec(secElement, "\x01", c.want))
			if got := Encode(m); !bytes.Equal(got, want) {
				t.Errorf("Encode = % x, want % x", got, want)
			}
		})
	}
}

// TestEncodeDataCount checks that the data count section follows m.DataCount alone, and
// sits between the element and code sections.
func TestEncodeDataCount(t *testing.T) {
	n := uint32(0)
	m := &Module{Types: []FuncType{{}}, Funcs: []Func{{}}, Codes: []Code{{Body: []byte{byte(OpEnd)}}}}
	if got, want := Encode(m), bin(typeVoid, funcs1, code("\x00\x0b")); !bytes.Equal(got, want) {
		t.Errorf("without DataCount: % x, want % x", got, want)
	}
	m.DataCount = &n
	if got, want := Encode(m), bin(typeVoid, funcs1, "\x0c\x01\x00", code("\x00\x0b")); !bytes.Equal(got, want) {
		t.Errorf("with DataCount: % x, want % x", got, want)
	}
	roundTrip(t, m)
}

// TestEncodeCustomAnchors checks where custom sections go when the section they followed
// is absent: an empty one is written to keep them in place where the format allows.
func TestEncodeCustomAnchors(t *testing.T) {
	m := &Module{Customs: []Custom{
		{Name: "z", After: secData},
		{Name: "a", After: 0},
		{Name: "t", After: secType},
		{Name: "s", After: secStart}, // no start section can be empty: lands after the export rank
		{Name: "q", After: 200},      // no such section: last
	}}
	want := bin("\x00\x02\x01a", "\x01\x01\x00", "\x00\x02\x01t", "\x00\x02\x01s", "\x0b\x01\x00", "\x00\x02\x01z", "\x00\x02\x01q")
	if got := Encode(m); !bytes.Equal(got, want) {
		t.Errorf("Encode = % x\nwant % x", got, want)
	}
}

// TestEncodeNames checks that Names is written only when no "name" custom section exists,
// and that what is written decodes back to the same names.
func TestEncodeNames(t *testing.T) {
	names := &Names{
		Module: "m",
		Funcs:  []NameAssoc{{0, "f"}, {7, "g"}},
		Locals: []IndirectNameMap{{Func: 7, Names: []NameAssoc{{0, "x"}, {2, ""}}}},
	}
	m2, err := Decode(Encode(&Module{Names: names}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(names, m2.Names); diff != "" {
		t.Errorf("names differ (-want +got):\n%s", diff)
	}
	if len(m2.Customs) != 1 || m2.Customs[0].Name != "name" {
		t.Errorf("customs = %+v, want one name section", m2.Customs)
	}
	roundTrip(t, m2)

	// A module that has its name section verbatim keeps that one only.
	m2.Names = &Names{Module: "other"}
	if m3, err := Decode(Encode(m2)); err != nil || len(m3.Customs) != 1 || m3.Names.Module != "m" {
		t.Errorf("re-encoded: %v, %+v", err, m3)
	}
}

// TestEncodeBuilt encodes a module as the text parser builds it (no offsets, no sections)
// and compares with the bytes wat2wasm writes for the same module.
func TestEncodeBuilt(t *testing.T) {
	max := Limits{Min: 1, Max: 2, HasMax: true}
	m := &Module{
		Types:   []FuncType{{Params: []ValType{I32}, Results: []ValType{I32}}},
		Imports: []Import{{Module: "a", Name: "b", Kind: ExternMemory, Mem: MemType{Limits: max}}},
		Funcs:   []Func{{Type: 0}},
		Tables:  []TableType{{Elem: FuncRef, Limits: Limits{Min: 1}}},
		Globals: []Global{{Type: GlobalType{Type: I64, Mutable: true}, Init: ConstExpr{Code: []byte("\x42\x7f\x0b")}}},
		Exports: []Export{{Name: "f", Kind: ExternFunc, Index: 0}},
		Start:   &Start{Func: 0},
		Codes:   []Code{{Locals: []LocalDecl{{2, F64}}, Body: []byte("\x20\x00\x0b")}},
		Datas:   []Data{{Mode: SegPassive, Init: []byte("hi")}},
	}
	want := bin(
		"\x01\x06\x01\x60\x01\x7f\x01\x7f",
		"\x02\x09\x01\x01a\x01b\x02\x01\x01\x02",
		"\x03\x02\x01\x00",
		"\x04\x04\x01\x70\x00\x01",
		"\x06\x06\x01\x7e\x01\x42\x7f\x0b",
		"\x07\x05\x01\x01f\x00\x00",
		"\x08\x01\x00",
		code("\x01\x02\x7c\x20\x00\x0b"),
		"\x0b\x05\x01\x01\x02hi",
	)
	if got := roundTrip(t, m); !bytes.Equal(got, want) {
		t.Errorf("Encode = % x\nwant % x", got, want)
	}
}
