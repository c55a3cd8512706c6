package backend

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
)

// Arch is the instruction set an executable is for.
type Arch uint8

const (
	ArchAMD64 Arch = iota + 1 // x86-64
	ArchARM64                 // AArch64
)

var archNames = [...]string{ArchAMD64: "amd64", ArchARM64: "arm64"}

func (a Arch) String() string {
	if int(a) < len(archNames) && archNames[a] != "" {
		return archNames[a]
	}
	return fmt.Sprintf("Arch(%d)", uint8(a))
}

// OS is the operating system an executable is for; it picks the file format (ELF or Mach-O)
// and the loader's rules.
type OS uint8

const (
	OSLinux  OS = iota + 1 // static ELF, raw syscalls
	OSDarwin               // Mach-O loaded by dyld
)

var osNames = [...]string{OSLinux: "linux", OSDarwin: "darwin"}

func (o OS) String() string {
	if int(o) < len(osNames) && osNames[o] != "" {
		return osNames[o]
	}
	return fmt.Sprintf("OS(%d)", uint8(o))
}

// Target names one of the four platforms wasmc compiles for. The zero value is invalid, so an
// image whose target was forgotten is rejected instead of silently becoming one platform.
type Target struct {
	Arch Arch
	OS   OS
}

// String prints the target as Go spells it, "linux/amd64".
func (t Target) String() string { return t.OS.String() + "/" + t.Arch.String() }

func (t Target) valid() bool {
	return (t.Arch == ArchAMD64 || t.Arch == ArchARM64) && (t.OS == OSLinux || t.OS == OSDarwin)
}

// SegKind says what a segment holds and therefore which permissions it is mapped with. There
// are exactly three so that no segment is ever both writable and executable (W^X): code is
// read-only, and whatever must be written lives in data.
type SegKind uint8

const (
	SegText   SegKind = iota // machine code: read and execute
	SegRodata                // constants, data-segment images, tables: read only
	SegData                  // mutable state, ending in a zero-filled (bss) tail: read and write

	// NumSegKinds is the number of segment kinds; [Layout.Segments] is indexed by SegKind.
	NumSegKinds = 3
)

var segNames = [...]string{SegText: "text", SegRodata: "rodata", SegData: "data"}

func (k SegKind) String() string {
	if int(k) < len(segNames) {
		return segNames[k]
	}
	return fmt.Sprintf("SegKind(%d)", uint8(k))
}

// Segment is the contents of one kind of segment. Offsets into a segment count from its first
// byte: the first len(Data) bytes come from Data, the next BSS bytes read as zero and take no
// space in the file.
type Segment struct {
	Data []byte
	// BSS is the length of the zero-filled tail. Only the data segment may have one: zeros in
	// text or rodata would be better written as bytes than mapped as anonymous memory.
	BSS uint64
	// Align is the alignment the contents need at their first byte (a power of two; 0 means
	// 1), e.g. 64 for code whose loop heads are aligned to cache lines. Writers place every
	// segment on a page boundary, so any Align up to the page size costs nothing; larger
	// ones are refused.
	Align uint64
}

// Size is the segment's size in memory, BSS included.
func (s *Segment) Size() uint64 { return uint64(len(s.Data)) + s.BSS }

func (s *Segment) align() uint64 { return max(s.Align, 1) }

// SymKind says whether a symbol names code or data, so debuggers and profilers know which
// symbols may contain a sampled PC.
type SymKind uint8

const (
	SymFunc   SymKind = iota // a function; must be in text
	SymObject                // a variable or table
)

// Symbol names a range of a segment, chiefly a compiled wasm function under its name from the
// name section, so that perf, gdb and crash reports can say where a PC is. Symbols are for
// tools only: nothing in the executable looks them up.
type Symbol struct {
	Name string
	Seg  SegKind
	Off  uint64 // from the first byte of the segment
	Size uint64
	Kind SymKind
}

// Image is a linked program before it becomes a file: the three segments' contents, the entry
// point and the symbols, described without reference to ELF or Mach-O so that both writers
// consume the same value. The linker builds an Image, asks a writer for a [Layout], applies
// its relocations to the segment bytes using the layout's addresses, and then writes the file.
type Image struct {
	Target Target
	Text   Segment
	Rodata Segment
	Data   Segment
	// Entry is the offset into Text of the first instruction the process runs.
	Entry uint64
	// Symbols are written in the order of their addresses; those with equal addresses keep
	// their order here, so the output does not depend on anything but this slice.
	Symbols []Symbol
	// Imports are the functions of the system's libraries that the code calls through a
	// pointer the dynamic loader fills in before the entry point runs: on macOS, libSystem's
	// write, exit, mmap, ... bound by dyld (DESIGN.md decisions 6 and 9). The writer gives
	// each an 8-byte slot ([Layout.ImportAddr]) which code loads PC-relatively and calls
	// through. Only darwin images may have imports: Linux executables are static.
	Imports []Import
	// Pointers are the fields of rodata and data that hold an absolute address of the image
	// (what a [RelocAbs64] writes, e.g. a funcref descriptor's code address). The linker
	// writes them with the layout's addresses, as for any relocation. ELF executables are
	// loaded at those addresses; Mach-O ones are position-independent, and dyld adds the
	// ASLR slide to each field listed here, so a pointer missing from this list is wrong
	// on macOS only.
	Pointers []Pointer
	// Name is the program's name, such as the output file's base name. The Mach-O code
	// signature uses it as its identifier ("a.out" if empty); the ELF writer ignores it.
	Name string

	// file, if not nil, is the executable file that [Link] laid the segments out in, so
	// that the writer writes the rest around them rather than copying them (elfFile).
	file *outFile
}

// outFile is the bytes of an executable file of which some are already written: the
// segments' Data are the bytes at their places in it under layout l, and the rest is zero.
// Its capacity has room for what the writer appends after the segments.
type outFile struct {
	b []byte
	l Layout
}

// takeFile returns the file bytes to write img laid out as l into, size bytes, and whether
// the segments' bytes are in place in it already. It hands img.file over once at most, so
// that two writes never return the same memory; it makes a new file when img.file is not
// what l calls for, say because a segment was replaced after Link.
func (img *Image) takeFile(l *Layout, size uint64) ([]byte, bool) {
	f := img.file
	img.file = nil
	if f == nil || f.l != *l || uint64(cap(f.b)) < size || uint64(len(f.b)) > size {
		return make([]byte, size), false
	}
	for k := range SegKind(NumSegKinds) {
		d := img.Segment(k).Data
		if len(d) != 0 && &d[0] != &f.b[:cap(f.b)][l.Segments[k].Off] {
			return make([]byte, size), false
		}
	}
	return f.b[:size], true
}

// Import is a function the dynamic loader binds by name (see [Image.Imports]).
type Import struct {
	// Name is the symbol as C spells it, "write"; the Mach-O writer adds the leading
	// underscore of the platform's C symbols.
	Name string
}

// ImportSlot returns the index of the import slot of C function name in imports, adding
// one if there is none yet: process entry on darwin calls a few functions the runtime's
// table may lack, through the same slots.
func ImportSlot(imports *[]Import, name string) uint32 {
	for j, imp := range *imports {
		if imp.Name == name {
			return uint32(j)
		}
	}
	*imports = append(*imports, Import{Name: name})
	return uint32(len(*imports) - 1)
}

// Pointer locates an 8-byte little-endian field that holds an absolute address of the image
// (see [Image.Pointers]).
type Pointer struct {
	Seg SegKind // rodata or data: text is never written to, not even by a loader
	Off uint64  // from the first byte of the segment; a multiple of 8
}

// Segment returns the segment of kind k, so that code can loop over kinds.
func (img *Image) Segment(k SegKind) *Segment {
	switch k {
	case SegText:
		return &img.Text
	case SegRodata:
		return &img.Rodata
	case SegData:
		return &img.Data
	}
	panic(fmt.Sprintf("backend: bad segment kind %d", k))
}

// Placement is where a writer put one segment's contents.
type Placement struct {
	Off      uint64 // file offset of the first byte of contents
	Addr     uint64 // virtual address of the first byte of contents
	FileSize uint64 // len(Segment.Data)
	MemSize  uint64 // FileSize plus the zero-filled tail
}

// Layout is the outcome of a writer's first step: the final virtual address of every segment
// and of the entry point. Between the layout and the write the caller may change segment bytes
// (to apply relocations) but not their lengths, alignment or BSS sizes; the writer recomputes
// the layout and refuses to write if it differs.
//
// A Layout is comparable with ==, which is how that check is made.
type Layout struct {
	Target Target
	// PageSize is the alignment of every loadable segment in memory: the largest page size
	// the target's kernels use, so that the file loads on all of them.
	PageSize uint64
	// Entry is the virtual address where execution starts.
	Entry uint64
	// Segments is indexed by [SegKind]. An absent data segment (no bytes and no BSS) has a
	// zero Placement; text is always present, and rodata always has an address even when
	// empty.
	Segments [NumSegKinds]Placement
	// Imports is where the writer put the pointer slots of [Image.Imports], 8 bytes each in
	// that order; a zero Placement when there are none. The slots hold zeros in the file and
	// the bound addresses once the loader has run.
	Imports Placement
}

// Addr is the virtual address of offset off in the segment of kind k: what an absolute
// relocation stores, and what a PC-relative one subtracts the PC from.
func (l *Layout) Addr(k SegKind, off uint64) uint64 { return l.Segments[k].Addr + off }

// ImportAddr is the virtual address of the pointer slot of import i ([Image.Imports]): what
// code loads, PC-relatively, to call the imported function.
func (l *Layout) ImportAddr(i int) uint64 { return l.Imports.Addr + 8*uint64(i) }

// ErrImage is wrapped by every error that reports an [Image] a writer cannot turn into a file.
// Such an image comes from the compiler, not the user, so these errors mean a compiler bug; they
// are errors rather than panics so that the driver can name the module being built.
var ErrImage = errors.New("invalid executable image")

func imageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrImage, fmt.Sprintf(format, args...))
}

// maxSpan bounds the distance from the lowest to the highest address of an image. At 2 GiB,
// every address in the image is within reach of every instruction in it through a signed 32-bit
// displacement (amd64 RIP-relative, the amd64 small code model) and of arm64 ADRP (±4 GiB), so
// the linker never needs a long form.
const maxSpan = 1 << 31

// validate checks what every format needs; writers check their own limits on top.
func (img *Image) validate() error {
	if !img.Target.valid() {
		return imageErr("target %v", img.Target)
	}
	for k := range SegKind(NumSegKinds) {
		s := img.Segment(k)
		if a := s.align(); a&(a-1) != 0 {
			return imageErr("%v alignment %d is not a power of two", k, a)
		}
		if s.BSS != 0 && k != SegData {
			return imageErr("%v segment has a zero-filled tail of %d bytes; only data may", k, s.BSS)
		}
		if uint64(len(s.Data)) > maxSpan || s.BSS > maxSpan {
			return imageErr("%v segment of %d+%d bytes is larger than %d", k, len(s.Data), s.BSS, maxSpan)
		}
	}
	if len(img.Text.Data) == 0 {
		return imageErr("empty text segment")
	}
	if img.Entry >= uint64(len(img.Text.Data)) {
		return imageErr("entry offset %#x outside text of %#x bytes", img.Entry, len(img.Text.Data))
	}
	for i, sym := range img.Symbols {
		if err := img.validateSymbol(sym); err != nil {
			return fmt.Errorf("symbol %d (%q): %w", i, sym.Name, err)
		}
	}
	if err := img.validateImports(); err != nil {
		return err
	}
	if err := img.validatePointers(); err != nil {
		return err
	}
	if strings.ContainsAny(img.Name, "/\x00") {
		return imageErr("name %q contains a slash or NUL", img.Name)
	}
	return nil
}

func (img *Image) validateImports() error {
	if len(img.Imports) != 0 && img.Target.OS != OSDarwin {
		return imageErr("%v executables are static and cannot import %q", img.Target, img.Imports[0].Name)
	}
	seen := make(map[string]bool, len(img.Imports))
	for i, imp := range img.Imports {
		if imp.Name == "" || strings.IndexByte(imp.Name, 0) >= 0 {
			return imageErr("import %d has name %q", i, imp.Name)
		}
		if seen[imp.Name] {
			return imageErr("import %q appears twice", imp.Name)
		}
		seen[imp.Name] = true
	}
	return nil
}

// validatePointers checks that every pointer is an aligned field within the file bytes of
// rodata or data and that no two overlap: a loader adding the slide twice to one field would
// corrupt it. Of several faults it reports the one at the lowest (segment, offset), so the
// error does not depend on the list's order. A large program lists millions of pointers and
// the image is validated at each layout, so this is linear: a bit per 8-byte field, no sort.
func (img *Image) validatePointers() error {
	var seen [NumSegKinds][]uint64
	for _, k := range []SegKind{SegRodata, SegData} {
		seen[k] = make([]uint64, (len(img.Segment(k).Data)/8+63)/64)
	}
	var worst *Pointer // the lowest faulty pointer so far
	var twice bool     // whether worst is only listed twice (else it is out of place)
	note := func(p *Pointer, dup bool) {
		if worst == nil || p.Seg < worst.Seg || p.Seg == worst.Seg && p.Off < worst.Off {
			worst, twice = p, dup
		} else if *p == *worst && !dup {
			twice = false
		}
	}
	for i := range img.Pointers {
		p := &img.Pointers[i]
		if !img.pointerFits(*p) {
			note(p, false)
			continue
		}
		w, bit := p.Off/8/64, uint64(1)<<(p.Off/8%64)
		if seen[p.Seg][w]&bit != 0 {
			note(p, true)
		}
		seen[p.Seg][w] |= bit
	}
	switch {
	case worst == nil:
		return nil
	case twice:
		return imageErr("pointer at %v+%#x listed twice", worst.Seg, worst.Off)
	case worst.Seg != SegRodata && worst.Seg != SegData:
		return imageErr("pointer in %v segment", worst.Seg)
	}
	return imageErr("pointer at %v+%#x is unaligned or not within the segment's %#x bytes",
		worst.Seg, worst.Off, len(img.Segment(worst.Seg).Data))
}

// pointerFits reports whether p is an aligned 8-byte field within rodata's or data's bytes.
func (img *Image) pointerFits(p Pointer) bool {
	if p.Seg != SegRodata && p.Seg != SegData {
		return false
	}
	n := uint64(len(img.Segment(p.Seg).Data))
	return p.Off%8 == 0 && p.Off <= n && n-p.Off >= 8
}

func (img *Image) validateSymbol(sym Symbol) error {
	if sym.Name == "" {
		return imageErr("empty name")
	}
	if strings.IndexByte(sym.Name, 0) >= 0 {
		return imageErr("name contains NUL") // string tables are NUL-terminated
	}
	if sym.Seg >= NumSegKinds {
		return imageErr("segment %v", sym.Seg)
	}
	switch sym.Kind {
	case SymFunc:
		if sym.Seg != SegText {
			return imageErr("function in %v segment", sym.Seg)
		}
	case SymObject:
	default:
		return imageErr("kind %d", sym.Kind)
	}
	size := img.Segment(sym.Seg).Size()
	end, carry := bits.Add64(sym.Off, sym.Size, 0)
	if size == 0 || carry != 0 || end > size {
		return imageErr("range [%#x, +%#x) outside %v segment of %#x bytes", sym.Off, sym.Size, sym.Seg, size)
	}
	return nil
}

// alignUp rounds x up to a multiple of a, a power of two.
func alignUp(x, a uint64) uint64 { return (x + a - 1) &^ (a - 1) }
