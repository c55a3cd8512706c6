package frontend

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Decode parses a WebAssembly 2.0 binary module. It checks everything the binary format
// defines, including the encoding of every instruction and the block structure of every
// body and constant expression, but nothing the validator checks (types, indices, limits).
// A malformed binary yields a [*DecodeError] naming the file offset, the section and, in
// the code section, the function.
//
// Wherever the spec test suite names a message, the error says the same ("section size
// mismatch", "integer too large", …), so that a failing assertion can be compared with it.
//
// The module shares memory with buf: [Code.Body], [ConstExpr.Code], [Data.Init] and
// [Custom.Data] are subslices of it (capped, so an append never writes into buf), and buf
// must not change while the module is in use.
func Decode(buf []byte) (*Module, error) {
	d := &decoder{buf: buf, m: &Module{}, fn: -1, codeCount: -1, dataCount: -1}
	if err := d.module(); err != nil {
		return nil, err
	}
	return d.m, nil
}

// decoder holds the state of one Decode call.
type decoder struct {
	buf []byte
	m   *Module

	lastID   byte // id of the last non-custom section so far (0: none)
	lastRank int  // its place in the canonical order

	// Facts that finish checks once all sections are read, where the reference
	// interpreter checks them, so that an out-of-order section is reported first.
	codeCount int          // -1 without a code section
	codeAt    int64        // offset of the code section's count
	dataCount int          // -1 without a data section
	dataAt    int64        // offset of the data section's count
	needCount *DecodeError // the first memory.init or data.drop

	fn    int      // defined function being decoded, -1 outside the code section
	stack []byte   // open blocks of the expression being decoded (see expr)
	refs  []uint32 // what the bodies' calls and ref.funcs name (Code.Refs)
	in    Instr    // scratch for ReadInstr
}

// Section ids in the binary format.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElement   = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
)

// sectionNames are the names errors and [SectionInfo] use, indexed by section id.
var sectionNames = [...]string{
	secCustom: "custom", secType: "type", secImport: "import", secFunction: "function",
	secTable: "table", secMemory: "memory", secGlobal: "global", secExport: "export",
	secStart: "start", secElement: "element", secCode: "code", secData: "data",
	secDataCount: "datacount",
}

// sectionRank is the place of each non-custom section in the order the binary format
// requires. It differs from the id only in that the data count section (12) comes between
// the element (9) and code (10) sections.
var sectionRank = [...]int{
	secType: 1, secImport: 2, secFunction: 3, secTable: 4, secMemory: 5, secGlobal: 6,
	secExport: 7, secStart: 8, secElement: 9, secDataCount: 10, secCode: 11, secData: 12,
}

// errSectionEnd is what running out of bytes inside a section or body reports; it still
// matches [ErrUnexpectedEOF] under errors.Is.
var errSectionEnd = fmt.Errorf("%w of section or function", ErrUnexpectedEOF)

func (d *decoder) module() error {
	if err := d.header(); err != nil {
		return err
	}
	top := reader{buf: d.buf, pos: 8}
	for !top.eof() {
		start := top.pos
		id := top.byte()
		if id > secDataCount {
			top.pos = start
			if id == tagSection {
				top.fail(&FeatureError{"the tag section", proposalEH})
			} else {
				top.failf("malformed section id")
			}
			return top.err
		}
		name := sectionNames[id]
		if id != secCustom && sectionRank[id] <= d.lastRank {
			// A repeated or out-of-order section: the module's sections ended before it.
			top.pos = start
			top.failf("unexpected content after last section")
			return d.wrap(top.err, name)
		}
		size := top.length()
		if top.err != nil {
			return d.wrap(top.err, name)
		}
		body := top.pos
		top.pos += size
		r := reader{buf: d.buf[body : body+size : body+size], base: int64(body)}
		info := SectionInfo{ID: id, Name: name, Offset: int64(start), Size: uint32(size)}
		d.section(id, &r, &info)
		if r.err == nil && !r.eof() {
			r.failf("section size mismatch")
		}
		if r.err != nil {
			return d.wrap(r.err, name)
		}
		d.m.Sections = append(d.m.Sections, info)
		if id != secCustom {
			d.lastID, d.lastRank = id, sectionRank[id]
		}
	}
	return d.finish()
}

// header checks the magic number and the version.
func (d *decoder) header() error {
	fail := func(off int, err error) error { return &DecodeError{Offset: int64(off), Func: -1, Err: err} }
	switch {
	case len(d.buf) < 4:
		return fail(len(d.buf), ErrUnexpectedEOF)
	case string(d.buf[:4]) != "\x00asm":
		return fail(0, errors.New("magic header not detected"))
	case len(d.buf) < 8:
		return fail(len(d.buf), ErrUnexpectedEOF)
	case binary.LittleEndian.Uint32(d.buf[4:8]) != 1:
		return fail(4, errors.New("unknown binary version"))
	}
	return nil
}

// section decodes the contents of one section from r, which holds exactly those bytes.
func (d *decoder) section(id byte, r *reader, info *SectionInfo) {
	switch id {
	case secCustom:
		d.custom(r, info)
	case secType:
		d.typeSection(r)
	case secImport:
		d.importSection(r)
	case secFunction:
		d.functionSection(r)
	case secTable:
		d.tableSection(r)
	case secMemory:
		d.memorySection(r)
	case secGlobal:
		d.globalSection(r)
	case secExport:
		d.exportSection(r)
	case secStart:
		d.m.Start = &Start{Offset: r.offset(), Func: r.u32()}
	case secElement:
		d.elementSection(r)
	case secDataCount:
		n := r.u32()
		d.m.DataCount = &n
	case secCode:
		d.codeSection(r)
	case secData:
		d.dataSection(r)
	}
}

// custom keeps a custom section verbatim, remembering where it stood among the others so
// that Encode can put it back there.
func (d *decoder) custom(r *reader, info *SectionInfo) {
	name := r.utf8Name()
	if r.err != nil {
		return
	}
	info.Name = name
	d.m.Customs = append(d.m.Customs, Custom{
		Name:   name,
		Data:   capped(r.bytes(r.remaining())),
		Offset: info.Offset,
		After:  d.lastID,
	})
}

// finish applies the checks that span sections, in the order the reference interpreter
// makes them, and parses the name section.
func (d *decoder) finish() error {
	fail := func(at int64, section, msg string) error {
		return &DecodeError{Offset: at, Section: section, Func: -1, Err: errors.New(msg)}
	}
	// A missing code or data section counts as an empty one, reported at the end.
	end := int64(len(d.buf))
	if d.codeCount < 0 && len(d.m.Funcs) != 0 {
		return fail(end, "", "function and code section have inconsistent lengths")
	}
	if d.codeCount >= 0 && d.codeCount != len(d.m.Funcs) {
		return fail(d.codeAt, "code", "function and code section have inconsistent lengths")
	}
	if n := d.m.DataCount; n != nil {
		if d.dataCount < 0 && *n != 0 {
			return fail(end, "", "data count and data section have inconsistent lengths")
		}
		if d.dataCount >= 0 && uint64(d.dataCount) != uint64(*n) {
			return fail(d.dataAt, "data", "data count and data section have inconsistent lengths")
		}
	}
	if d.needCount != nil {
		return d.needCount
	}
	for i := range d.m.Customs {
		if d.m.Customs[i].Name == "name" {
			d.m.Names = parseNames(d.m.Customs[i].Data)
			break
		}
	}
	return nil
}

// wrap completes an error from a reader with the section and function it arose in, and
// turns a plain unexpected end into the spec's wording for one inside a section.
func (d *decoder) wrap(err error, section string) error {
	var de *DecodeError
	if !errors.As(err, &de) {
		return &DecodeError{Offset: -1, Section: section, Func: d.fn, Err: err}
	}
	de.Section, de.Func = section, d.fn
	if de.Err == ErrUnexpectedEOF {
		de.Err = errSectionEnd
	}
	return de
}

// length reads a vector length or a byte count. A length is "out of bounds" when it
// exceeds the bytes left counted from the length's own first byte: that is the reference
// interpreter's rule, so a length that overshoots by less than its own encoding runs into
// the end instead, and the messages match the spec suite's. Either way the caller never
// sees a length larger than the bytes that could back it (plus at most five).
func (r *reader) length() int {
	start := r.pos
	n := r.u32()
	if r.err != nil {
		return 0
	}
	if uint64(n) > uint64(len(r.buf)-start) {
		r.pos = start
		r.failf("length out of bounds")
		return 0
	}
	if n > uint32(r.remaining()) {
		r.pos = len(r.buf)
		r.fail(ErrUnexpectedEOF)
		return 0
	}
	return int(n)
}

// vecLen reads a vector length and returns it with the capacity to allocate for it:
// no more elements than the bytes left can hold at minSize bytes each, so that a hostile
// count allocates nothing that the input does not back.
func (r *reader) vecLen(minSize int) (n, capacity int) {
	start := r.pos
	v := r.u32()
	if r.err != nil {
		return 0, 0
	}
	if uint64(v) > uint64(len(r.buf)-start) {
		r.pos = start
		r.failf("length out of bounds")
		return 0, 0
	}
	return int(v), min(int(v), r.remaining()/minSize)
}

// utf8Name reads a name: a byte length, then that many bytes of valid UTF-8.
func (r *reader) utf8Name() string {
	start := r.pos
	b := r.bytes(r.length())
	if r.err != nil {
		return ""
	}
	if !utf8.Valid(b) {
		r.pos = start
		r.failf("malformed UTF-8 encoding")
		return ""
	}
	return string(b)
}

// makeVec returns a slice with the given capacity, or nil for none, so that empty vectors
// decode to nil throughout and decoded modules compare equal field by field.
func makeVec[T any](capacity int) []T {
	if capacity <= 0 {
		return nil
	}
	return make([]T, 0, capacity)
}

// capped returns b with its capacity cut to its length, so that appending to a slice of the
// input copies instead of overwriting what follows; empty is nil, as in makeVec.
func capped(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b[:len(b):len(b)]
}

// limits reads a table's or memory's limits. The flag is a one-bit LEB128, so 2 is "integer
// too large" and 0x81 0x00 "integer representation too long", as the suite expects.
func (r *reader) limits() Limits {
	var l Limits
	l.HasMax = r.uleb(1) == 1
	l.Min = uint64(r.u32())
	if l.HasMax {
		l.Max = uint64(r.u32())
	}
	return l
}

// tableType reads a table type: a reference type, then limits.
func (r *reader) tableType() TableType {
	t := TableType{Offset: r.offset()}
	t.Elem = r.refType()
	t.Limits = r.limits()
	return t
}

// memType reads a memory type: limits in pages.
func (r *reader) memType() MemType {
	return MemType{Offset: r.offset(), Limits: r.limits()}
}

// globalType reads a global type: a value type, then the mutability flag, 0 or 1.
func (r *reader) globalType() GlobalType {
	var g GlobalType
	g.Type = r.valType()
	at := r.pos
	switch r.byte() {
	case 0:
	case 1:
		g.Mutable = true
	default:
		if r.err == nil {
			r.pos = at
			r.failf("malformed mutability")
		}
	}
	return g
}
