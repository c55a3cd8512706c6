package frontend

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// Binaries in these tests are spelled out byte by byte, as in the spec's binary.wast, with
// offsets in comments: the header takes 0-7, so the first section's id is at 8.

// bin is a module: the header, then the given sections.
func bin(sections ...string) []byte {
	return []byte("\x00asm\x01\x00\x00\x00" + strings.Join(sections, ""))
}

// sec frames contents as a section with the given id.
func sec(id byte, contents ...string) string {
	c := strings.Join(contents, "")
	return string(id) + uleb(uint64(len(c))) + c
}

// uleb is the shortest LEB128 encoding of v.
func uleb(v uint64) string { return string(AppendULEB(nil, v)) }

// code is a code section of the given bodies (locals and instructions), each framed with
// its size.
func code(bodies ...string) string {
	s := uleb(uint64(len(bodies)))
	for _, b := range bodies {
		s += uleb(uint64(len(b))) + b
	}
	return sec(secCode, s)
}

const (
	typeVoid = "\x01\x04\x01\x60\x00\x00" // 8-13: one type, [] -> []
	funcs1   = "\x03\x02\x01\x00"         // 14-17: one function of type 0
	// A code section after typeVoid and funcs1 has its id at 18, size at 19, count at 20
	// and the first body's size at 21, so the body's first byte (the locals count) is at
	// 22 and, without locals, its first instruction at 23.
)

// TestDecodeErrors checks one binary per error class: the message (the spec suite's
// wording where it names one), the offset, the section and the function.
func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		in      []byte
		off     int64
		section string
		fn      int
		msg     string
	}{
		// The header.
		{"empty", nil, 0, "", -1, "unexpected end"},
		{"short magic", []byte("\x00as"), 3, "", -1, "unexpected end"},
		{"bad magic", []byte("\x00asn\x01\x00\x00\x00"), 0, "", -1, "magic header not detected"},
		{"short version", []byte("\x00asm\x01\x00"), 6, "", -1, "unexpected end"},
		{"bad version", []byte("\x00asm\x02\x00\x00\x00"), 4, "", -1, "unknown binary version"},

		// Section framing and order.
		{"section id", bin("\x0e\x00"), 8, "", -1, "malformed section id"},
		{"tag section", bin("\x0d\x00"), 8, "", -1, "the tag section is not supported yet (exception-handling proposal)"},
		{"section size out of bounds", bin("\x01\x06\x01\x60\x00\x00"), 9, "type", -1, "length out of bounds"},
		{"section size runs out", bin("\x01\x05\x01\x60\x00\x00"), 14, "type", -1, "unexpected end of section or function"},
		{"section size mismatch", bin("\x01\x05\x01\x60\x00\x00\x00"), 14, "type", -1, "section size mismatch"},
		{"vector runs out", bin("\x01\x04\x02\x60\x00\x00"), 14, "type", -1, "unexpected end of section or function"},
		{"count of 2^32-1", bin("\x01\x06\xff\xff\xff\xff\x0f\x60"), 10, "type", -1, "length out of bounds"},
		{"out of order", bin("\x03\x01\x00", "\x01\x01\x00"), 11, "type", -1, "unexpected content after last section"},
		{"duplicate", bin("\x01\x01\x00", "\x01\x01\x00"), 11, "type", -1, "unexpected content after last section"},
		{"datacount after code", bin("\x0a\x01\x00", "\x0c\x01\x00"), 11, "datacount", -1, "unexpected content after last section"},
		{"duplicate before count mismatch", bin(typeVoid, "\x03\x03\x02\x00\x00", code("\x00\x0b"), code("\x00\x0b")),
			25, "code", -1, "unexpected content after last section"},

		// Types, imports, tables, memories, globals, exports.
		{"function type", bin("\x01\x04\x01\x61\x00\x00"), 11, "type", -1, "malformed function type"},
		{"function type as LEB128", bin("\x01\x05\x01\xe0\x7f\x00\x00"), 11, "type", -1, "integer representation too long"},
		{"value type", bin("\x01\x05\x01\x60\x01\x7a\x00"), 13, "type", -1, "malformed value type"},
		{"import kind", bin("\x02\x04\x01\x00\x00\x04"), 13, "import", -1, "malformed import kind"},
		{"import name", bin("\x02\x06\x01\x01\xff\x00\x00\x00"), 11, "import", -1, "malformed UTF-8 encoding"},
		{"reference type", bin("\x04\x04\x01\x7f\x00\x00"), 11, "table", -1, "malformed reference type"},
		{"limits flag", bin("\x05\x03\x01\x02\x00"), 11, "memory", -1, "integer too large"},
		{"limits flag as LEB128", bin("\x05\x04\x01\x81\x00\x00"), 11, "memory", -1, "integer representation too long"},
		{"limits min 2^32", bin("\x05\x07\x01\x00\x80\x80\x80\x80\x10"), 16, "memory", -1, "integer too large"},
		{"limits min too long", bin("\x05\x08\x01\x00\x80\x80\x80\x80\x80\x00"), 16, "memory", -1, "integer representation too long"},
		{"mutability", bin("\x06\x06\x01\x7f\x02\x41\x00\x0b"), 12, "global", -1, "malformed mutability"},
		{"illegal opcode in init", bin("\x06\x05\x01\x7f\x00\xff\x0b"), 13, "global", -1, "illegal opcode 0xff"},
		{"init runs out", bin("\x06\x05\x01\x7f\x00\x41\x00"), 15, "global", -1, "unexpected end of section or function"},
		{"export kind", bin("\x07\x04\x01\x00\x04\x00"), 12, "export", -1, "malformed export kind"},

		// Segments.
		{"element segment kind", bin("\x09\x02\x01\x08"), 11, "element", -1, "malformed elements segment kind"},
		{"element kind", bin("\x09\x04\x01\x01\x01\x00"), 12, "element", -1, "malformed element kind"},
		{"element expression type", bin("\x09\x04\x01\x05\x7f\x00"), 12, "element", -1, "malformed reference type"},
		{"data segment kind", bin("\x0b\x03\x01\x03\x00"), 11, "data", -1, "malformed data segment kind"},
		{"data length", bin("\x0b\x05\x01\x01\x05ab"), 12, "data", -1, "length out of bounds"},
		{"data count mismatch", bin("\x0c\x01\x02", "\x0b\x03\x01\x01\x00"), 13, "data", -1,
			"data count and data section have inconsistent lengths"},
		{"data count without data", bin("\x0c\x01\x01"), 11, "", -1, "data count and data section have inconsistent lengths"},

		// The code section.
		{"function without code", bin(typeVoid, funcs1), 18, "", -1, "function and code section have inconsistent lengths"},
		{"code without function", bin("\x0a\x04\x01\x02\x00\x0b"), 10, "code", -1, "function and code section have inconsistent lengths"},
		{"body size", bin(typeVoid, funcs1, "\x0a\x04\x01\x09\x00\x0b"), 21, "code", 0, "length out of bounds"},
		{"local count 2^32", bin(typeVoid, funcs1, code("\x01\x80\x80\x80\x80\x10\x7f\x0b")), 27, "code", 0, "integer too large"},
		{"too many locals", bin(typeVoid, funcs1, code("\x02\xff\xff\xff\xff\x0f\x7f\x01\x7e\x0b")), 29, "code", 0, "too many locals"},
		{"local type", bin(typeVoid, funcs1, code("\x01\x01\x40\x0b")), 24, "code", 0, "malformed value type"},
		{"missing end", bin(typeVoid, funcs1, code("\x00\x41\x01\x1a")), 26, "code", 0, "END opcode expected"},
		{"missing inner end", bin(typeVoid, funcs1, code("\x00\x02\x40\x0b")), 26, "code", 0, "END opcode expected"},
		{"else outside if", bin(typeVoid, funcs1, code("\x00\x05\x0b")), 23, "code", 0, "END opcode expected"},
		{"else in block", bin(typeVoid, funcs1, code("\x00\x02\x40\x05\x0b\x0b")), 25, "code", 0, "END opcode expected"},
		{"second else", bin(typeVoid, funcs1, code("\x00\x41\x00\x04\x40\x05\x05\x0b\x0b")), 28, "code", 0, "END opcode expected"},
		{"bytes after end", bin(typeVoid, funcs1, code("\x00\x0b\x01")), 24, "code", 0, "section size mismatch"},
		{"instruction runs out", bin(typeVoid, funcs1, code("\x00\x41")), 24, "code", 0, "unexpected end of section or function"},
		{"zero byte", bin(typeVoid, funcs1, code("\x00\x3f\x01\x1a\x0b")), 24, "code", 0, "zero byte expected"},
		{"long zero byte", bin(typeVoid, funcs1, code("\x00\x41\x00\x40\x80\x00\x1a\x0b")), 26, "code", 0, "zero byte expected"},
		{"memop flags", bin(typeVoid, funcs1, code("\x00\x41\x00\x28\x20\x00\x1a\x0b")), 26, "code", 0, "malformed memop flags"},
		{"illegal opcode", bin(typeVoid, funcs1, code("\x00\x27\x0b")), 23, "code", 0, "illegal opcode 0x27"},
		{"tail call", bin(typeVoid, funcs1, code("\x00\x12\x00\x0b")), 23, "code", 0, "return_call is not supported yet (tail-call proposal)"},
		{"atomic", bin(typeVoid, funcs1, code("\x00\xfe\x03\x0b")), 23, "code", 0, "atomic instruction (0xfe prefix) is not supported yet (threads proposal)"},
		{"illegal prefixed opcode", bin(typeVoid, funcs1, code("\x00\xfc\x12\x0b")), 23, "code", 0, "illegal opcode 0xfc 18"},
		{"prefixed opcode past 16 bits", bin(typeVoid, funcs1, code("\x00\xfc\x88\x80\x04\x0b")), 23, "code", 0, "illegal opcode 0xfc 65544"},
		{"block type in two bytes", bin(typeVoid, funcs1, code("\x00\x02\xff\x7f\x0b\x0b")), 24, "code", 0, "malformed value type"},
		{"second function", bin(typeVoid, "\x03\x03\x02\x00\x00", code("\x00\x0b", "\x00\xff\x0b")), 27, "code", 1, "illegal opcode 0xff"},
		{"data count required",
			bin(typeVoid, funcs1, "\x05\x03\x01\x00\x00", code("\x00\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b"), "\x0b\x03\x01\x01\x00"),
			34, "code", 0, "data count section required"},
		{"data count required by data.drop", bin(typeVoid, funcs1, code("\x00\xfc\x09\x00\x0b")), 23, "code", 0, "data count section required"},

		// Custom sections.
		{"custom name runs out", bin("\x00\x00"), 10, "custom", -1, "unexpected end of section or function"},
		{"custom name", bin("\x00\x03\x02\xc0\x80"), 10, "custom", -1, "malformed UTF-8 encoding"},
		{"concatenated modules", bin("\x00asm\x01\x00\x00\x00"), 9, "custom", -1, "length out of bounds"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := Decode(c.in)
			if err == nil {
				t.Fatalf("decoded % x, want %q", c.in, c.msg)
			}
			de, ok := err.(*DecodeError)
			if !ok {
				t.Fatalf("error %T %v, want *DecodeError", err, err)
			}
			if m != nil {
				t.Errorf("module returned with error")
			}
			if got := de.Err.Error(); got != c.msg || de.Offset != c.off || de.Section != c.section || de.Func != c.fn {
				t.Errorf("error %q at 0x%x in %q func %d, want %q at 0x%x in %q func %d",
					got, de.Offset, de.Section, de.Func, c.msg, c.off, c.section, c.fn)
			}
		})
	}
}

// TestUnexpectedEndIs checks that the sectioned form of an unexpected end still matches
// ErrUnexpectedEOF, and that the spec's other phrasing stays a prefix of it.
func TestUnexpectedEndIs(t *testing.T) {
	_, err := Decode(bin("\x01\x04\x02\x60\x00\x00"))
	if !errors.Is(err, ErrUnexpectedEOF) {
		t.Errorf("errors.Is(%v, ErrUnexpectedEOF) = false", err)
	}
}

// TestDecodeAccepts lists binaries at the edges of the format that must decode.
func TestDecodeAccepts(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
	}{
		{"empty module", bin()},
		{"empty sections", bin("\x01\x01\x00", "\x02\x01\x00", "\x03\x01\x00", "\x04\x01\x00", "\x05\x01\x00",
			"\x06\x01\x00", "\x07\x01\x00", "\x09\x01\x00", "\x0c\x01\x00", "\x0a\x01\x00", "\x0b\x01\x00")},
		{"code section alone, empty", bin("\x0a\x01\x00")},
		{"function section alone, empty", bin("\x03\x01\x00")},
		{"custom sections everywhere", bin("\x00\x01\x00", typeVoid, "\x00\x02\x01a", funcs1, code("\x00\x0b"), "\x00\x01\x00")},
		{"non-minimal LEB128s", bin("\x01\x85\x80\x80\x80\x00\x81\x00\x60\x00\x00", "\x03\x03\x01\x80\x00", code("\x00\x0b"))},
		{"2^32-1 locals", bin(typeVoid, funcs1, code("\x01\xff\xff\xff\xff\x0f\x7f\x0b"))},
		{"locals of count 0", bin(typeVoid, funcs1, code("\x03\x00\x7f\x00\x7e\x02\x7d\x0b"))},
		{"block type index", bin(typeVoid, funcs1, code("\x00\x02\x00\x0b\x0b"))},
		{"if else", bin(typeVoid, funcs1, code("\x00\x41\x00\x04\x40\x01\x05\x01\x0b\x0b"))},
		{"nested blocks in an init", bin("\x06\x09\x01\x7f\x00\x02\x7f\x41\x00\x0b\x0b")},
		{"memory.init with a data count", bin(typeVoid, funcs1, "\x0c\x01\x01", code("\x00\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b"), "\x0b\x03\x01\x01\x00")},
		{"malformed name section", bin("\x00\x07\x04name\x01\x05")},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Decode(c.in); err != nil {
				t.Errorf("Decode(% x): %v", c.in, err)
			}
		})
	}
}

// TestDecodeHostileLocals checks that declared locals are kept as counts: a body of a few
// bytes declaring 2^32-1 locals decodes without allocating them.
func TestDecodeHostileLocals(t *testing.T) {
	m, err := Decode(bin(typeVoid, funcs1, code("\x02\xff\xff\xff\xff\x07\x7f\xff\xff\xff\xff\x07\x7e\x0b")))
	if err != nil {
		t.Fatal(err)
	}
	want := []LocalDecl{{0x7fffffff, I32}, {0x7fffffff, I64}}
	if got := m.Codes[0].Locals; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("locals = %v, want %v", got, want)
	}
}

// TestDecodeOffsets checks that every item's Offset names the byte it starts at, and that
// a body's Offset names its first instruction.
func TestDecodeOffsets(t *testing.T) {
	buf := readTestdata(t, "mvp.wasm")
	m, err := Decode(buf)
	if err != nil {
		t.Fatal(err)
	}
	at := func(what string, off int64, want byte) {
		t.Helper()
		if off < 0 || off >= int64(len(buf)) || buf[off] != want {
			t.Errorf("%s at 0x%x: want byte 0x%02x", what, off, want)
		}
	}
	for _, ft := range m.Types {
		at("type", ft.Offset, 0x60)
	}
	for _, im := range m.Imports {
		at("import "+im.Name, im.Offset, byte(len(im.Module)))
		switch im.Kind {
		case ExternTable:
			at("imported table", im.Table.Offset, byte(FuncRef))
		case ExternMemory:
			at("imported memory", im.Mem.Offset, 1) // has a maximum
		}
	}
	for _, f := range m.Funcs {
		at("func", f.Offset, byte(f.Type))
	}
	for _, g := range m.Globals {
		at("global", g.Offset, byte(g.Type.Type))
		at("global init", g.Init.Offset, g.Init.Code[0])
	}
	for _, e := range m.Exports {
		at("export "+e.Name, e.Offset, byte(len(e.Name)))
	}
	at("start", m.Start.Offset, byte(m.Start.Func))
	for _, e := range m.Elems {
		at("elem", e.Offset, 0) // flags 0
		at("elem offset", e.TableOffset.Offset, byte(OpI32Const))
		for _, x := range e.Init {
			at("elem index", x.Offset, x.Code[1])
		}
	}
	for i, c := range m.Codes {
		at("body", c.Offset, c.Body[0])
		if got := buf[c.Offset : c.Offset+int64(len(c.Body))]; string(got) != string(c.Body) {
			t.Errorf("body %d is not the file's bytes at 0x%x", i, c.Offset)
		}
	}
	for _, d := range m.Datas {
		at("data", d.Offset, 0)
		at("data offset", d.MemOffset.Offset, d.MemOffset.Code[0])
	}
	for _, c := range m.Customs {
		at("custom", c.Offset, secCustom)
	}
	// The layout as wasm-objdump -h prints it.
	want := []SectionInfo{
		{secType, "type", 0x08, 0x18}, {secImport, "import", 0x22, 0x34},
		{secFunction, "function", 0x58, 0x06}, {secGlobal, "global", 0x60, 0x25},
		{secExport, "export", 0x87, 0x23}, {secStart, "start", 0xac, 0x01},
		{secElement, "element", 0xaf, 0x08}, {secCode, "code", 0xb9, 0x98},
		{secData, "data", 0x154, 0x1b}, {secCustom, "name", 0x171, 0x75},
	}
	if len(m.Sections) != len(want) {
		t.Fatalf("sections = %v, want %v", m.Sections, want)
	}
	for i := range want {
		if m.Sections[i] != want[i] {
			t.Errorf("section %d = %+v, want %+v", i, m.Sections[i], want[i])
		}
	}
}

// TestDecodeMVP spot-checks the decoded contents of testdata/mvp.wat.
func TestDecodeMVP(t *testing.T) {
	m, err := Decode(readTestdata(t, "mvp.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Types) != 5 || len(m.Imports) != 4 || len(m.Funcs) != 5 || len(m.Globals) != 4 ||
		len(m.Exports) != 5 || len(m.Elems) != 1 || len(m.Codes) != 5 || len(m.Datas) != 2 {
		t.Fatalf("counts: %d types, %d imports, %d funcs, %d globals, %d exports, %d elems, %d codes, %d datas",
			len(m.Types), len(m.Imports), len(m.Funcs), len(m.Globals), len(m.Exports), len(m.Elems), len(m.Codes), len(m.Datas))
	}
	kinds := []ExternKind{ExternFunc, ExternTable, ExternMemory, ExternGlobal}
	for i, im := range m.Imports {
		if im.Module != "env" || im.Kind != kinds[i] {
			t.Errorf("import %d = %q %v, want env %v", i, im.Module, im.Kind, kinds[i])
		}
	}
	if l := m.Imports[2].Mem.Limits; l != (Limits{Min: 1, Max: 16, HasMax: true}) {
		t.Errorf("memory limits = %+v", l)
	}
	if g := m.Globals[0]; !g.Type.Mutable || g.Type.Type != I32 || string(g.Init.Code) != "\x41\x00\x0b" {
		t.Errorf("global 0 = %+v", g)
	}
	if m.Start == nil || m.Start.Func != 5 {
		t.Errorf("start = %+v, want func 5", m.Start)
	}
	e := m.Elems[0]
	if e.Mode != SegActive || !e.FuncIndices || e.Type != FuncRef || len(e.Init) != 0 || !slices.Equal(e.Funcs, []uint32{1, 2}) {
		t.Errorf("elem = %+v", e)
	}
	fac := m.Codes[1]
	if want := []LocalDecl{{1, I64}, {1, I32}, {2, F32}, {1, F64}}; len(fac.Locals) != len(want) ||
		fac.Locals[0] != want[0] || fac.Locals[3] != want[3] {
		t.Errorf("fac locals = %v, want %v", fac.Locals, want)
	}
	if string(m.Datas[0].Init) != "hello, world\n" || m.Datas[0].Mode != SegActive {
		t.Errorf("data 0 = %+v", m.Datas[0])
	}
	if m.Names == nil || m.Names.Module != "mvp" || m.Names.FuncName(2) != "fac" || m.Names.FuncName(0) != "log" {
		t.Errorf("names = %+v", m.Names)
	}
	if m.DataCount != nil {
		t.Errorf("data count = %d, want none", *m.DataCount)
	}
}

// TestDecodeElemForms decodes one segment of each of the eight forms.
func TestDecodeElemForms(t *testing.T) {
	const (
		off  = "\x41\x00\x0b" // i32.const 0
		null = "\xd0\x70\x0b" // ref.null func
	)
	m, err := Decode(bin(sec(secElement, "\x08",
		"\x00", off, "\x01\x00", // 0: active table 0, indices
		"\x01\x00\x01\x01",              // 1: passive, kind, indices
		"\x02\x03", off, "\x00\x01\x02", // 2: active table 3, kind, indices
		"\x03\x00\x00",            // 3: declarative, kind, no indices
		"\x04", off, "\x01", null, // 4: active table 0, expressions
		"\x05\x6f\x01\xd0\x6f\x0b",  // 5: passive externref, expressions
		"\x06\x01", off, "\x70\x00", // 6: active table 1, funcref, no expressions
		"\x07\x70\x01\xd2\x05\x0b", // 7: declarative, expressions
	)))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		mode    SegmentMode
		table   uint32
		typ     ValType
		indices bool
		init    string   // concatenated codes
		funcs   []uint32 // of the index forms
	}{
		{SegActive, 0, FuncRef, true, "", []uint32{0}},
		{SegPassive, 0, FuncRef, true, "", []uint32{1}},
		{SegActive, 3, FuncRef, true, "", []uint32{2}},
		{SegDeclarative, 0, FuncRef, true, "", nil},
		{SegActive, 0, FuncRef, false, null, nil},
		{SegPassive, 0, ExternRef, false, "\xd0\x6f\x0b", nil},
		{SegActive, 1, FuncRef, false, "", nil},
		{SegDeclarative, 0, FuncRef, false, "\xd2\x05\x0b", nil},
	}
	for i, w := range want {
		e := m.Elems[i]
		init := ""
		for _, x := range e.Init {
			init += string(x.Code)
		}
		hasOffset := len(e.TableOffset.Code) > 0
		if e.Mode != w.mode || e.Table != w.table || e.Type != w.typ || e.FuncIndices != w.indices ||
			init != w.init || !slices.Equal(e.Funcs, w.funcs) || hasOffset != (w.mode == SegActive) {
			t.Errorf("form %d = %+v, want %+v", i, e, w)
		}
	}
}

// TestDecodeCustoms checks that custom sections are kept verbatim with the id of the
// section before them, wherever they stand.
func TestDecodeCustoms(t *testing.T) {
	m, err := Decode(bin("\x00\x03\x01a1", typeVoid, "\x00\x04\x01b23", "\x00\x02\x01c", funcs1,
		"\x0c\x01\x00", "\x00\x02\x01d", code("\x00\x0b"), "\x00\x03\x01e\xff"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Custom{
		{Name: "a", Data: []byte("1"), Offset: 8, After: 0},
		{Name: "b", Data: []byte("23"), Offset: 19, After: secType},
		{Name: "c", Offset: 25, After: secType},
		{Name: "d", Offset: 36, After: secDataCount},
		{Name: "e", Data: []byte("\xff"), Offset: 46, After: secCode},
	}
	if len(m.Customs) != len(want) {
		t.Fatalf("customs = %+v", m.Customs)
	}
	for i, w := range want {
		c := m.Customs[i]
		if c.Name != w.Name || string(c.Data) != string(w.Data) || c.Offset != w.Offset || c.After != w.After {
			t.Errorf("custom %d = %+v, want %+v", i, c, w)
		}
	}
}

// TestNames checks the name section: the three known subsections, unknown ones skipped, and
// every kind of malformation dropping the names but not the module.
func TestNames(t *testing.T) {
	named := func(data string) []byte { return bin(sec(secCustom, "\x04name", data)) }
	m, err := Decode(named("\x00\x04\x03mod" +
		"\x01\x09\x02\x00\x01f\x03\x03ghi" +
		"\x02\x08\x01\x03\x02\x00\x01x\x05\x00" +
		"\x07\x03\x01\x00\x00")) // global names, from a later proposal
	if err != nil {
		t.Fatal(err)
	}
	n := m.Names
	if n == nil || n.Module != "mod" || n.FuncName(0) != "f" || n.FuncName(3) != "ghi" || n.FuncName(1) != "" ||
		len(n.Locals) != 1 || n.Locals[0].Func != 3 || len(n.Locals[0].Names) != 2 ||
		n.Locals[0].Names[1] != (NameAssoc{5, ""}) {
		t.Errorf("names = %+v", n)
	}
	for _, bad := range []string{
		"\x00\x05\x03mod",                // subsection larger than the section
		"\x00\x05\x03mod\x00",            // subsection size mismatch
		"\x01\x07\x02\x05\x01f\x03\x01g", // indices out of order
		"\x01\x07\x02\x03\x01f\x03\x01g", // repeated index
		"\x01\x01\x00\x00\x01\x00",       // subsections out of order
		"\x00\x01\x00\x00\x01\x00",       // subsection repeated
		"\x00\x02\x01\xff",               // not UTF-8
		"\x00\x06\x80\x80\x80\x80\x80\x00",
		"\x01",
	} {
		m, err := Decode(named(bad))
		if err != nil {
			t.Errorf("name section % x: module rejected: %v", bad, err)
		} else if m.Names != nil {
			t.Errorf("name section % x: names = %+v, want nil", bad, m.Names)
		}
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
