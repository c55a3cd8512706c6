package backend

// The Mach-O writer's tests. We cannot run Mach-O executables here (no macOS host, and no
// emulator runs dyld), so the output is checked by independent readers instead: debug/macho
// parses every file; the tests decode the rebase and bind opcodes and verify the code
// signature themselves, from Apple's headers rather than from macho.go; and, where
// llvm-objdump-19, llvm-readobj-19 and llvm-otool-19 are installed, TestMachOLLVM has them
// dump every file and fails on any warning or error. Running on macOS remains to be done by
// the end-to-end tests of a darwin host.

import (
	"bytes"
	"cmp"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
	"golang.org/x/arch/x86/x86asm"
)

var darwinTargets = []Target{{ArchAMD64, OSDarwin}, {ArchARM64, OSDarwin}}

// machoTestImages are the ELF writer's shapes for darwin, with imports and pointers added to
// some, plus a hello program that calls libSystem.
func machoTestImages(tg Target) map[string]*Image {
	imgs := testImages(Target{tg.Arch, OSLinux})
	delete(imgs, "hello") // makes Linux system calls
	for _, img := range imgs {
		img.Target = tg
	}
	full := imgs["full"]
	full.Name = "full"
	full.Imports = []Import{{"write"}, {"exit"}, {"mmap"}, {"__error"}}
	full.Pointers = []Pointer{{SegData, 16}, {SegRodata, 8}, {SegData, 0}, {SegData, 8}} // unsorted on purpose
	imgs["hello"], _ = machoHelloImage(tg)
	imgs["imports-only"] = &Image{Target: tg, Text: Segment{Data: []byte{0xc3, 0xc3}}, Entry: 1,
		Imports: []Import{{"exit"}}}
	// Runs of adjacent pointers, one longer than a rebase opcode's immediate count (15).
	ptrs := &Image{Target: tg, Text: Segment{Data: []byte{0xc3}},
		Rodata: Segment{Data: make([]byte, 8*40)}, Data: Segment{Data: make([]byte, 64), BSS: 8}}
	for i := range 40 {
		if i < 20 || i >= 30 && i < 36 {
			ptrs.Pointers = append(ptrs.Pointers, Pointer{SegRodata, uint64(8 * i)})
		}
	}
	ptrs.Pointers = append(ptrs.Pointers, Pointer{SegData, 56})
	imgs["pointers"] = ptrs
	return imgs
}

// A machoFix is a relocation in the hand-assembled hello program, resolved against a layout.
type machoFix struct {
	at   int     // offset in text of the instruction (amd64: of its disp32 field)
	kind fixKind // fixRel32, fixADRP, fixAddLo or fixLdr64Lo8
	to   func(l *Layout) uint64
}

const fixLdr64Lo8 fixKind = 100 // arm64 LDR (64-bit, unsigned offset) imm12 = (S & 0xfff) / 8

func applyMachoFixes(text []byte, l *Layout, fixes []machoFix) {
	le := binary.LittleEndian
	for _, fx := range fixes {
		s, pc, w := fx.to(l), l.Addr(SegText, uint64(fx.at)), text[fx.at:]
		switch fx.kind {
		case fixRel32:
			le.PutUint32(w, uint32(int32(int64(s)-int64(pc+4))))
		case fixADRP: // Arm ARM, ADRP
			imm := uint32(int64(s>>12) - int64(pc>>12))
			le.PutUint32(w, le.Uint32(w)|(imm&3)<<29|(imm>>2&0x7ffff)<<5)
		case fixAddLo: // Arm ARM, ADD (immediate)
			le.PutUint32(w, le.Uint32(w)|uint32(s&0xfff)<<10)
		case fixLdr64Lo8: // Arm ARM, LDR (immediate), unsigned offset, 64-bit
			le.PutUint32(w, le.Uint32(w)|uint32(s&0xfff/8)<<10)
		}
	}
}

// machoHelloImage hand-assembles main() for darwin: write(1, msg, len) and exit(42), both
// called through their import slots, as compiled code will call libSystem. Rodata starts with
// a {code address, 0} descriptor and data with a pointer, both listed in Pointers, as a
// funcref and a table element would be.
func machoHelloImage(tg Target) (*Image, []machoFix) {
	const msg = "hello from a Mach-O written by wasmc\n"
	slot := func(i int) func(*Layout) uint64 { return func(l *Layout) uint64 { return l.ImportAddr(i) } }
	msgAt := func(l *Layout) uint64 { return l.Addr(SegRodata, 16) }
	le := binary.LittleEndian
	var text []byte
	var fixes []machoFix
	if tg.Arch == ArchAMD64 {
		// Intel SDM vol. 2: FF /2 is CALL r/m64; ModRM 00 reg 101 is [RIP+disp32].
		ins := func(op []byte, to func(*Layout) uint64) {
			text = append(text, op...)
			if to != nil {
				fixes = append(fixes, machoFix{len(text) - 4, fixRel32, to})
			}
		}
		ins([]byte{0x55}, nil)                                    // push rbp: align the stack for calls
		ins([]byte{0xbf, 1, 0, 0, 0}, nil)                        // mov edi, 1
		ins([]byte{0x48, 0x8d, 0x35, 0, 0, 0, 0}, msgAt)          // lea rsi, [rip+msg]
		ins(le.AppendUint32([]byte{0xba}, uint32(len(msg))), nil) // mov edx, len
		ins([]byte{0xff, 0x15, 0, 0, 0, 0}, slot(0))              // call [rip+write@slot]
		ins([]byte{0xbf, 42, 0, 0, 0}, nil)                       // mov edi, 42
		ins([]byte{0xff, 0x15, 0, 0, 0, 0}, slot(1))              // call [rip+exit@slot]
		ins([]byte{0x0f, 0x0b}, nil)                              // ud2
	} else {
		ins := func(word uint32, kind fixKind, to func(*Layout) uint64) {
			if to != nil {
				fixes = append(fixes, machoFix{len(text), kind, to})
			}
			text = le.AppendUint32(text, word)
		}
		// Arm ARM encodings: MOVZ Xd, #imm is 0xd2800000 | imm<<5 | d.
		movz := func(rd, imm uint32) uint32 { return 0xd2800000 | imm<<5 | rd }
		ins(movz(0, 1), 0, nil)                // mov x0, 1
		ins(0x90000001, fixADRP, msgAt)        // adrp x1, msg
		ins(0x91000021, fixAddLo, msgAt)       // add x1, x1, :lo12:msg
		ins(movz(2, uint32(len(msg))), 0, nil) // mov x2, len
		ins(0x90000010, fixADRP, slot(0))      // adrp x16, write@slot
		ins(0xf9400210, fixLdr64Lo8, slot(0))  // ldr x16, [x16, :lo12:write@slot]
		ins(0xd63f0200, 0, nil)                // blr x16
		ins(movz(0, 42), 0, nil)               // mov x0, 42
		ins(0x90000010, fixADRP, slot(1))      // adrp x16, exit@slot
		ins(0xf9400210, fixLdr64Lo8, slot(1))  // ldr x16, [x16, :lo12:exit@slot]
		ins(0xd63f0200, 0, nil)                // blr x16
		ins(0xd4200020, 0, nil)                // brk #1
	}
	img := &Image{
		Target: tg, Name: "hello",
		Text:     Segment{Data: text, Align: 16},
		Rodata:   Segment{Data: append(make([]byte, 16), msg...), Align: 8},
		Data:     Segment{Data: make([]byte, 8), BSS: 100, Align: 8},
		Imports:  []Import{{"write"}, {"exit"}},
		Pointers: []Pointer{{SegRodata, 0}, {SegData, 0}},
		Symbols: []Symbol{
			{Name: "main", Seg: SegText, Size: uint64(len(text))},
			{Name: "msg", Seg: SegRodata, Off: 16, Size: uint64(len(msg)), Kind: SymObject},
		},
	}
	return img, fixes
}

// buildMachO lays out img, applies the hello program's relocations if given, writes the file
// and parses it back.
func buildMachO(t *testing.T, img *Image, fixes []machoFix) (*Layout, []byte, *macho.File) {
	t.Helper()
	l, err := LayoutMachO(img)
	if err != nil {
		t.Fatalf("LayoutMachO: %v", err)
	}
	applyMachoFixes(img.Text.Data, l, fixes)
	// The linker writes every listed pointer with the layout's addresses: here, all point
	// at the entry.
	for _, p := range img.Pointers {
		binary.LittleEndian.PutUint64(img.Segment(p.Seg).Data[p.Off:], l.Addr(SegText, img.Entry))
	}
	b, err := WriteMachO(img, l)
	if err != nil {
		t.Fatalf("WriteMachO: %v", err)
	}
	f, err := macho.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("debug/macho cannot parse the output: %v", err)
	}
	return l, b, f
}

func TestMachOStructure(t *testing.T) {
	for _, tg := range darwinTargets {
		imgs := machoTestImages(tg)
		for _, name := range sortedNames(imgs) {
			t.Run(tg.Arch.String()+"/"+name, func(t *testing.T) {
				img := imgs[name]
				l, b, f := buildMachO(t, img, nil)
				checkMachOHeader(t, f, img)
				checkMachOSegments(t, f, b, img, l)
				checkMachOCommands(t, f, img, l)
				checkMachOSymbols(t, f, img, l)
				checkMachOFixups(t, f, b, img, l)
				checkMachOLinkedit(t, f)
				machoSignature(t, f, b, cmp.Or(img.Name, "a.out"))
			})
		}
	}
}

func checkMachOHeader(t *testing.T, f *macho.File, img *Image) {
	t.Helper()
	cpu, sub := macho.CpuAmd64, uint32(3) // CPU_SUBTYPE_X86_64_ALL
	if img.Target.Arch == ArchARM64 {
		cpu, sub = macho.CpuArm64, 0 // CPU_SUBTYPE_ARM64_ALL
	}
	got := f.FileHeader
	got.Ncmd, got.Cmdsz = 0, 0
	want := macho.FileHeader{Magic: macho.Magic64, Cpu: cpu, SubCpu: sub, Type: macho.TypeExec,
		Flags: macho.FlagNoUndefs | macho.FlagDyldLink | macho.FlagTwoLevel | macho.FlagPIE}
	if got != want {
		t.Errorf("header\n got %+v\nwant %+v", got, want)
	}
}

// checkMachOSegments checks the segments and sections against the image and layout.
func checkMachOSegments(t *testing.T, f *macho.File, b []byte, img *Image, l *Layout) {
	t.Helper()
	page := map[Arch]uint64{ArchAMD64: 0x1000, ArchARM64: 0x4000}[img.Target.Arch]
	segs := machoSegments(f)
	var names []string
	for _, s := range segs {
		names = append(names, s.Name)
	}
	want := []string{"__PAGEZERO", "__TEXT"}
	if len(img.Rodata.Data) != 0 || len(img.Imports) != 0 {
		want = append(want, "__DATA_CONST")
	}
	if img.Data.Size() != 0 {
		want = append(want, "__DATA")
	}
	if want = append(want, "__LINKEDIT"); !slices.Equal(names, want) {
		t.Fatalf("segments %q, want %q", names, want)
	}
	const r, w, x = 1, 2, 4        // <mach/vm_prot.h>
	prots := map[string][2]uint32{ // initprot and flags
		"__PAGEZERO": {0, 0}, "__TEXT": {r | x, 0}, "__DATA_CONST": {r | w, 0x10 /* SG_READ_ONLY */},
		"__DATA": {r | w, 0}, "__LINKEDIT": {r, 0},
	}
	for i, s := range segs {
		if s.Prot&w != 0 && s.Prot&x != 0 || s.Maxprot&w != 0 && s.Maxprot&x != 0 {
			t.Errorf("%s is writable and executable (prot %#x, maxprot %#x)", s.Name, s.Prot, s.Maxprot)
		}
		if p := prots[s.Name]; s.Prot != p[0] || s.Maxprot != p[0] || s.Flag != p[1] {
			t.Errorf("%s prot %#x maxprot %#x flags %#x, want %#x, %#x", s.Name, s.Prot, s.Maxprot, s.Flag, p[0], p[1])
		}
		if s.Addr%page != 0 || s.Offset%page != 0 || s.Memsz%page != 0 || s.Filesz > s.Memsz ||
			s.Offset+s.Filesz > uint64(len(b)) {
			t.Errorf("%s: addr %#x off %#x filesz %#x memsz %#x: not page-aligned or out of the file",
				s.Name, s.Addr, s.Offset, s.Filesz, s.Memsz)
		}
		if i > 0 && (s.Addr != segs[i-1].Addr+segs[i-1].Memsz || i > 1 && s.Offset != segs[i-1].Offset+segs[i-1].Filesz) {
			t.Errorf("%s does not follow %s in memory and in the file", s.Name, segs[i-1].Name)
		}
	}
	if z := segs[0]; z.Addr != 0 || z.Memsz != 1<<32 || z.Filesz != 0 {
		t.Errorf("__PAGEZERO %+v, want 4 GiB at 0", z.SegmentHeader)
	}
	if tx := segs[1]; tx.Offset != 0 || tx.Addr != 1<<32 {
		t.Errorf("__TEXT at file offset %#x, address %#x: must map the headers", tx.Offset, tx.Addr)
	}
	if le := segs[len(segs)-1]; le.Offset+le.Filesz != uint64(len(b)) {
		t.Errorf("__LINKEDIT ends at %#x, the file at %#x", le.Offset+le.Filesz, len(b))
	}

	// The sections that must be there, in order, with their flags (loader.h: S_ZEROFILL 1,
	// S_NON_LAZY_SYMBOL_POINTERS 6, PURE_INSTRUCTIONS|SOME_INSTRUCTIONS 0x80000400).
	type sect struct {
		name, seg  string
		flags      uint32
		addr, size uint64
		data       []byte // nil for zero-fill
	}
	var wants []sect
	for _, w := range []sect{
		{"__text", "__TEXT", 0x80000400, l.Segments[SegText].Addr, 0, img.Text.Data},
		{"__const", "__DATA_CONST", 0, l.Segments[SegRodata].Addr, 0, img.Rodata.Data},
		{"__got", "__DATA_CONST", 6, l.Imports.Addr, 0, make([]byte, 8*len(img.Imports))},
		{"__data", "__DATA", 0, l.Segments[SegData].Addr, 0, img.Data.Data},
		{"__bss", "__DATA", 1, l.Addr(SegData, uint64(len(img.Data.Data))), img.Data.BSS, nil},
	} {
		if w.size += uint64(len(w.data)); w.size != 0 {
			wants = append(wants, w)
		}
	}
	if len(f.Sections) != len(wants) {
		t.Fatalf("%d sections, want %d", len(f.Sections), len(wants))
	}
	for i, s := range f.Sections {
		w, seg := wants[i], f.Segment(s.Seg)
		if s.Name != w.name || s.Seg != w.seg || s.Flags != w.flags || s.Addr != w.addr || s.Size != w.size ||
			s.Addr%(1<<s.Align) != 0 || seg == nil || s.Addr < seg.Addr || s.Addr+s.Size > seg.Addr+seg.Memsz {
			t.Errorf("section %d: %s,%s flags %#x at %#x+%#x, want %s,%s flags %#x at %#x+%#x, in its segment",
				i, s.Seg, s.Name, s.Flags, s.Addr, s.Size, w.seg, w.name, w.flags, w.addr, w.size)
			continue
		}
		if w.data == nil {
			continue
		}
		if s.Addr-seg.Addr != uint64(s.Offset)-seg.Offset {
			t.Errorf("section %s: address and file offset disagree with its segment's", s.Name)
		}
		if data, err := s.Data(); err != nil || !bytes.Equal(data, w.data) {
			t.Errorf("section %s contents differ from the image (err %v)", s.Name, err)
		}
	}
}

// checkMachOCommands checks the order of the load commands and those debug/macho does not
// decode: LC_MAIN, LC_LOAD_DYLINKER, LC_UUID, LC_BUILD_VERSION; and the dylib.
func checkMachOCommands(t *testing.T, f *macho.File, img *Image, l *Layout) {
	t.Helper()
	le := binary.LittleEndian
	var cmds []uint32
	raw := map[uint32][]byte{}
	for _, ld := range f.Loads {
		r := ld.Raw()
		cmds = append(cmds, le.Uint32(r))
		raw[le.Uint32(r)] = r
		if len(r)%8 != 0 {
			t.Errorf("load command %#x has size %d, not a multiple of 8", le.Uint32(r), len(r))
		}
	}
	want := slices.Repeat([]uint32{uint32(macho.LoadCmdSegment64)}, len(machoSegments(f)))
	want = append(want, 0x80000022, uint32(macho.LoadCmdSymtab), uint32(macho.LoadCmdDysymtab), 0xe, 0x1b, 0x32,
		0x80000028, uint32(macho.LoadCmdDylib), 0x1d) // loader.h: DYLD_INFO_ONLY ... LOAD_DYLINKER, UUID, BUILD_VERSION, MAIN ... CODE_SIGNATURE
	if !slices.Equal(cmds, want) {
		t.Errorf("load commands %#x,\nwant %#x", cmds, want)
	}
	cstr := func(b []byte) string { s, _, _ := strings.Cut(string(b), "\x00"); return s }
	if d := raw[0xe]; d == nil || le.Uint32(d[8:]) != 12 || cstr(d[12:]) != "/usr/lib/dyld" {
		t.Errorf("LC_LOAD_DYLINKER % x, want /usr/lib/dyld", d)
	}
	if libs, _ := f.ImportedLibraries(); !slices.Equal(libs, []string{"/usr/lib/libSystem.B.dylib"}) {
		t.Errorf("dylibs %q, want libSystem only", libs)
	}
	if m := raw[0x80000028]; m == nil || 1<<32+le.Uint64(m[8:]) != l.Entry || le.Uint64(m[16:]) != 0 {
		t.Errorf("LC_MAIN % x, want entry %#x and stack size 0", m, l.Entry)
	}
	if text := f.Section("__text"); l.Entry < text.Addr || l.Entry >= text.Addr+text.Size {
		t.Errorf("entry %#x outside __text", l.Entry)
	}
	minOS := map[Arch]uint32{ArchARM64: 11 << 16, ArchAMD64: 10<<16 | 13<<8}[img.Target.Arch]
	if v := raw[0x32]; v == nil || le.Uint32(v[8:]) != 1 || le.Uint32(v[12:]) != minOS || le.Uint32(v[16:]) != minOS ||
		le.Uint32(v[20:]) != 0 {
		t.Errorf("LC_BUILD_VERSION % x, want macOS, minos and sdk %#x, no tools", v, minOS)
	}
	if u := raw[0x1b]; u == nil || bytes.Equal(u[8:24], make([]byte, 16)) || u[14]>>4 != 8 || u[16]>>6 != 2 {
		t.Errorf("LC_UUID % x: want a version 8, variant 10 UUID", u)
	}
}

func checkMachOSymbols(t *testing.T, f *macho.File, img *Image, l *Layout) {
	t.Helper()
	if f.Symtab == nil || f.Dysymtab == nil {
		t.Fatal("no symbol tables")
	}
	want := slices.Clone(img.Symbols)
	slices.SortStableFunc(want, func(a, b Symbol) int { return cmp.Compare(l.Addr(a.Seg, a.Off), l.Addr(b.Seg, b.Off)) })
	dt := f.Dysymtab
	if dt.Ilocalsym != 0 || dt.Nlocalsym != uint32(len(want)) || dt.Nextdefsym != 0 ||
		dt.Iundefsym != uint32(len(want)) || dt.Nundefsym != uint32(len(img.Imports)) ||
		len(f.Symtab.Syms) != len(want)+len(img.Imports) {
		t.Fatalf("dysymtab %+v for %d symbols and %d imports", dt.DysymtabCmd, len(want), len(img.Imports))
	}
	for i, w := range want {
		s := f.Symtab.Syms[i]
		sect := map[SegKind]string{SegText: "__text", SegRodata: "__const", SegData: "__data"}[w.Seg]
		if w.Seg == SegData && w.Off >= uint64(len(img.Data.Data)) {
			sect = "__bss"
		}
		if s.Name != "_"+w.Name || s.Type != 0x0e || s.Value != l.Addr(w.Seg, w.Off) || s.Sect == 0 ||
			f.Sections[s.Sect-1].Name != sect {
			t.Errorf("symbol %d = %+v, want _%s in %s at %#x", i, s, w.Name, sect, l.Addr(w.Seg, w.Off))
		}
	}
	var imports []string
	for _, imp := range img.Imports {
		imports = append(imports, "_"+imp.Name)
	}
	if got, _ := f.ImportedSymbols(); !slices.Equal(got, slices.Sorted(slices.Values(imports))) {
		t.Errorf("imported symbols %q, want %q sorted", got, imports)
	}
	for _, s := range f.Symtab.Syms[len(want):] {
		if s.Type != 0x01 || s.Sect != 0 || s.Desc != 1<<8 || s.Value != 0 { // N_UNDF|N_EXT, libSystem
			t.Errorf("import %+v: want undefined, from library 1", s)
		}
	}
	// The indirect symbol table names each __got slot's symbol, in slot order.
	if got := f.Section("__got"); got != nil {
		// debug/macho does not keep section_64.reserved1, the got's first indirect symbol.
		raw := f.Segment("__DATA_CONST").Raw()
		var sec macho.Section64
		for i := range binary.LittleEndian.Uint32(raw[64:]) { // nsects
			if _, err := binary.Decode(raw[72+80*i:], binary.LittleEndian, &sec); err != nil || name16("__got") == sec.Name {
				break
			}
		}
		var names []string
		for _, ix := range dt.IndirectSyms[sec.Reserve1:] {
			names = append(names, f.Symtab.Syms[ix].Name)
		}
		if !slices.Equal(names, imports) {
			t.Errorf("__got indirect symbols %q, want %q", names, imports)
		}
	}
}

// A machoBind is one binding decoded from the opcodes: dyld stores the address of sym from
// library ordinal lib at addr.
type machoBind struct {
	addr uint64
	sym  string
	lib  int64
}

// decodeBinds interprets bind opcodes (<mach-o/loader.h>, "BIND_OPCODE_*") as dyld does,
// for pointer binds.
func decodeBinds(op []byte, segs []*macho.Segment) ([]machoBind, error) {
	if len(op) == 0 {
		return nil, nil // no binds
	}
	var out []machoBind
	var seg, off uint64
	var sym string
	var lib int64 = -99
	segSet := false
	uleb := func() uint64 { return readULEB(&op) }
	bind := func(n, skip uint64) error { // n binds, each followed by skip bytes
		for range n {
			if !segSet || sym == "" || lib < 1 || seg >= uint64(len(segs)) || off+8 > segs[seg].Memsz {
				return fmt.Errorf("bind of %q at segment %d+%#x without a valid state", sym, seg, off)
			}
			out = append(out, machoBind{segs[seg].Addr + off, sym, lib})
			off += 8 + skip
		}
		return nil
	}
	for len(op) > 0 {
		b := op[0]
		op = op[1:]
		imm := uint64(b & bindImmediateMask)
		var err error
		switch b & bindOpcodeMask {
		case bindOpDone:
			return out, nil
		case bindOpSetDylibOrdinalImm:
			lib = int64(imm)
		case bindOpSetDylibOrdinalULEB:
			lib = int64(uleb())
		case bindOpSetSymbolTrailingFlagsImm:
			name, rest, ok := bytes.Cut(op, []byte{0})
			if !ok || imm != 0 {
				return nil, fmt.Errorf("symbol %q flags %#x", name, imm)
			}
			sym, op = string(name), rest
		case bindOpSetTypeImm:
			if imm != bindTypePointer {
				return nil, fmt.Errorf("bind type %d", imm)
			}
		case bindOpSetSegmentAndOffsetULEB:
			seg, off, segSet = imm, uleb(), true
		case bindOpAddAddrULEB:
			off += uleb()
		case bindOpDoBind:
			err = bind(1, 0)
		case bindOpDoBindAddAddrULEB:
			err = bind(1, uleb())
		case bindOpDoBindAddAddrImmScaled:
			err = bind(1, 8*imm)
		case bindOpDoBindULEBTimesSkip:
			n := uleb()
			err = bind(n, uleb())
		default: // SET_DYLIB_SPECIAL_IMM, SET_ADDEND_SLEB: never written
			return nil, fmt.Errorf("unexpected bind opcode %#x", b)
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, errors.New("bind opcodes do not end with BIND_OPCODE_DONE")
}

// decodeRebases interprets rebase opcodes (<mach-o/loader.h>, "REBASE_OPCODE_*") and returns
// the addresses dyld slides.
func decodeRebases(op []byte, segs []*macho.Segment) ([]uint64, error) {
	if len(op) == 0 {
		return nil, nil // no rebases
	}
	var out []uint64
	var seg, off uint64
	segSet := false
	uleb := func() uint64 { return readULEB(&op) }
	rebase := func(n, skip uint64) error { // n rebases, each followed by skip bytes
		for range n {
			if !segSet || seg >= uint64(len(segs)) || off+8 > segs[seg].Memsz {
				return fmt.Errorf("rebase at segment %d+%#x without a valid state", seg, off)
			}
			out = append(out, segs[seg].Addr+off)
			off += 8 + skip
		}
		return nil
	}
	for len(op) > 0 {
		b := op[0]
		op = op[1:]
		imm := uint64(b & rebaseImmediateMask)
		var err error
		switch b & rebaseOpcodeMask {
		case rebaseOpDone:
			return out, nil
		case rebaseOpSetTypeImm:
			if imm != rebaseTypePointer {
				return nil, fmt.Errorf("rebase type %d", imm)
			}
		case rebaseOpSetSegmentAndOffsetULEB:
			seg, off, segSet = imm, uleb(), true
		case rebaseOpAddAddrULEB:
			off += uleb()
		case rebaseOpAddAddrImmScaled:
			off += 8 * imm
		case rebaseOpDoRebaseImmTimes:
			err = rebase(imm, 0)
		case rebaseOpDoRebaseULEBTimes:
			err = rebase(uleb(), 0)
		case rebaseOpDoRebaseAddAddrULEB:
			err = rebase(1, uleb())
		case rebaseOpDoRebaseULEBTimesSkip:
			n := uleb()
			err = rebase(n, uleb())
		default:
			return nil, fmt.Errorf("unknown rebase opcode %#x", b)
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, errors.New("rebase opcodes do not end with REBASE_OPCODE_DONE")
}

// readULEB consumes a ULEB128 number, which is what Go calls a uvarint. A malformed one
// consumes the rest of the stream, so that decoding then fails for want of DONE.
func readULEB(op *[]byte) uint64 {
	v, n := binary.Uvarint(*op)
	if n <= 0 {
		n = len(*op)
	}
	*op = (*op)[n:]
	return v
}

// machoSegments returns the segments in load command order, which fix-up opcodes number.
func machoSegments(f *macho.File) []*macho.Segment {
	var segs []*macho.Segment
	for _, ld := range f.Loads {
		if s, ok := ld.(*macho.Segment); ok {
			segs = append(segs, s)
		}
	}
	return segs
}

// rawCmd decodes the first load command cmd of f into v, a struct of its fixed part.
func rawCmd(t *testing.T, f *macho.File, cmd uint32, v any) []byte {
	t.Helper()
	for _, ld := range f.Loads {
		if r := ld.Raw(); binary.LittleEndian.Uint32(r) == cmd {
			if _, err := binary.Decode(r, binary.LittleEndian, v); err != nil {
				t.Fatalf("load command % x: %v", r, err)
			}
			return r
		}
	}
	t.Fatalf("no load command %#x", cmd)
	return nil
}

// machoDyldInfo reads LC_DYLD_INFO_ONLY's rebase and bind streams from the file.
func machoDyldInfo(t *testing.T, f *macho.File, b []byte) (rebase, bind []byte) {
	t.Helper()
	var c machoDyldInfoCmd
	rawCmd(t, f, 0x80000022, &c)
	if c.Len != 48 || c.WeakBindSize|c.LazyBindSize|c.ExportSize != 0 {
		t.Errorf("LC_DYLD_INFO_ONLY %+v: want only rebase and bind opcodes", c)
	}
	return b[c.RebaseOff : c.RebaseOff+c.RebaseSize], b[c.BindOff : c.BindOff+c.BindSize]
}

// checkMachOLinkedit checks what dyld's validLinkeditLayout does: every piece of __LINKEDIT
// lies inside it, none overlaps another, and each is aligned (to 8 bytes, but the indirect
// symbols to 4 and the strings to 1); and that the signature, 16-byte aligned, comes last.
func checkMachOLinkedit(t *testing.T, f *macho.File) {
	t.Helper()
	var di machoDyldInfoCmd
	var sig machoLinkeditCmd
	rawCmd(t, f, 0x80000022, &di)
	rawCmd(t, f, 0x1d, &sig)
	st, dt := f.Symtab.SymtabCmd, f.Dysymtab.DysymtabCmd
	type piece struct {
		name             string
		off, size, align uint32
	}
	var ps []piece
	for _, p := range []piece{
		{"rebase opcodes", di.RebaseOff, di.RebaseSize, 8}, {"bind opcodes", di.BindOff, di.BindSize, 8},
		{"symbols", st.Symoff, 16 * st.Nsyms, 8}, {"indirect symbols", dt.Indirectsymoff, 4 * dt.Nindirectsyms, 4},
		{"strings", st.Stroff, st.Strsize, 1}, {"signature", sig.DataOff, sig.DataSize, 16},
	} {
		if p.size != 0 {
			ps = append(ps, p)
		}
	}
	slices.SortFunc(ps, func(a, b piece) int { return cmp.Compare(a.off, b.off) })
	le := f.Segment("__LINKEDIT")
	end := uint32(le.Offset)
	for _, p := range ps {
		if p.off < end || uint64(p.off)+uint64(p.size) > le.Offset+le.Filesz || p.off%p.align != 0 {
			t.Errorf("%s at %#x+%#x: overlaps what comes before (to %#x), leaves __LINKEDIT or is unaligned",
				p.name, p.off, p.size, end)
		}
		end = p.off + p.size
	}
	if ps[len(ps)-1].name != "signature" {
		t.Errorf("__LINKEDIT ends with %s, not the signature", ps[len(ps)-1].name)
	}
}

// checkMachOFixups decodes the rebase and bind opcodes and compares them with the image's
// pointers and imports: every pointer slid, every import slot bound to its symbol in
// libSystem, all of them in segments that are writable when dyld fixes them up and never
// executable.
func checkMachOFixups(t *testing.T, f *macho.File, b []byte, img *Image, l *Layout) {
	t.Helper()
	segs := machoSegments(f)
	rebaseOps, bindOps := machoDyldInfo(t, f, b)
	rebases, err := decodeRebases(rebaseOps, segs)
	if err != nil {
		t.Fatalf("rebases: %v", err)
	}
	var wantRebases []uint64
	for _, p := range img.Pointers {
		wantRebases = append(wantRebases, l.Addr(p.Seg, p.Off))
	}
	if slices.Sort(wantRebases); !slices.Equal(rebases, wantRebases) {
		t.Errorf("rebased addresses %#x, want %#x", rebases, wantRebases)
	}
	binds, err := decodeBinds(bindOps, segs)
	if err != nil {
		t.Fatalf("binds: %v", err)
	}
	var wantBinds []machoBind
	for i, imp := range img.Imports {
		wantBinds = append(wantBinds, machoBind{l.ImportAddr(i), "_" + imp.Name, 1})
	}
	if !slices.Equal(binds, wantBinds) {
		t.Errorf("binds %+v, want %+v", binds, wantBinds)
	}
	fixed := slices.Clone(rebases)
	for _, bd := range binds {
		fixed = append(fixed, bd.addr)
	}
	for _, a := range fixed {
		for _, s := range segs {
			if a >= s.Addr && a < s.Addr+s.Memsz && (s.Prot&2 == 0 || s.Prot&4 != 0) {
				t.Errorf("fix-up at %#x in %s (prot %#x), not in a writable, non-executable segment", a, s.Name, s.Prot)
			}
		}
	}
}

// TestMachOHelloCode decodes the hello program's instructions with x/arch and follows its
// PC-relative references: the two calls must go through the slots that the bind opcodes
// fill with _write and _exit, and the message argument must be the message.
func TestMachOHelloCode(t *testing.T) {
	for _, tg := range darwinTargets {
		img, fixes := machoHelloImage(tg)
		l, b, f := buildMachO(t, img, fixes)
		_, bindOps := machoDyldInfo(t, f, b)
		binds, err := decodeBinds(bindOps, machoSegments(f))
		if err != nil {
			t.Fatal(err)
		}
		slotOf := map[uint64]string{}
		for _, bd := range binds {
			slotOf[bd.addr] = bd.sym
		}
		text := f.Section("__text")
		code, _ := text.Data()
		var calls []string
		var msgAddr uint64
		if tg.Arch == ArchAMD64 {
			for pc := uint64(0); pc < uint64(len(code)); {
				inst, err := x86asm.Decode(code[pc:], 64)
				if err != nil {
					t.Fatalf("amd64 %#x: %v", pc, err)
				}
				next := text.Addr + pc + uint64(inst.Len)
				if m, ok := inst.Args[1].(x86asm.Mem); ok && inst.Op == x86asm.LEA {
					msgAddr = next + uint64(m.Disp)
				}
				if m, ok := inst.Args[0].(x86asm.Mem); ok && inst.Op == x86asm.CALL && m.Base == x86asm.RIP {
					calls = append(calls, slotOf[next+uint64(m.Disp)])
				}
				pc += uint64(inst.Len)
			}
		} else {
			imm := regexp.MustCompile(`#(0x[0-9a-f]+|\d+)`)
			num := func(s string) uint64 {
				v, _ := strconv.ParseUint(imm.FindStringSubmatch(s)[1], 0, 64)
				return v
			}
			var page uint64
			for pc := uint64(0); pc < uint64(len(code)); pc += 4 {
				inst, err := arm64asm.Decode(code[pc:])
				if err != nil {
					t.Fatalf("arm64 %#x: %v", pc, err)
				}
				switch inst.Op {
				case arm64asm.ADRP:
					page = (text.Addr+pc)&^0xfff + uint64(inst.Args[1].(arm64asm.PCRel))
				case arm64asm.ADD:
					msgAddr = page + num(inst.String())
				case arm64asm.LDR:
					calls = append(calls, slotOf[page+num(inst.Args[1].String())])
				}
			}
		}
		if want := []string{"_write", "_exit"}; !slices.Equal(calls, want) {
			t.Errorf("%v: calls through the slots of %q, want %q", tg, calls, want)
		}
		if msgAddr != l.Addr(SegRodata, 16) {
			t.Errorf("%v: message at %#x, want %#x", tg, msgAddr, l.Addr(SegRodata, 16))
		}
	}
}

func TestMachODeterministic(t *testing.T) {
	for _, tg := range darwinTargets {
		for _, name := range sortedNames(machoTestImages(tg)) {
			_, b1, _ := buildMachO(t, machoTestImages(tg)[name], nil)
			_, b2, _ := buildMachO(t, machoTestImages(tg)[name], nil)
			if !bytes.Equal(b1, b2) {
				t.Errorf("%v/%s: two writes differ", tg, name)
			}
		}
		// Different code, different UUID.
		img := machoTestImages(tg)["full"]
		_, _, f1 := buildMachO(t, img, nil)
		img.Text.Data[len(img.Text.Data)-1] ^= 1
		_, _, f2 := buildMachO(t, img, nil)
		if uuid(t, f1) == uuid(t, f2) {
			t.Errorf("%v: UUID %x did not change with the code", tg, uuid(t, f1).UUID)
		}
	}
}

func uuid(t *testing.T, f *macho.File) (u machoUUIDCmd) {
	rawCmd(t, f, 0x1b, &u)
	return u
}

// TestMachORelocateBetweenSteps checks the linker's contract, as for ELF.
func TestMachORelocateBetweenSteps(t *testing.T) {
	img := machoTestImages(Target{ArchARM64, OSDarwin})["full"]
	l, err := LayoutMachO(img)
	if err != nil {
		t.Fatal(err)
	}
	binary.LittleEndian.PutUint64(img.Data.Data, l.Addr(SegRodata, 5))
	b, err := WriteMachO(img, l)
	if err != nil {
		t.Fatal(err)
	}
	if got := binary.LittleEndian.Uint64(b[l.Segments[SegData].Off:]); got != l.Addr(SegRodata, 5) {
		t.Errorf("patched pointer reads %#x, want %#x", got, l.Addr(SegRodata, 5))
	}
	changes := map[string]func(img *Image){
		"text grew":     func(img *Image) { img.Text.Data = append(img.Text.Data, 0) },
		"import added":  func(img *Image) { img.Imports = append(img.Imports, Import{"close"}) },
		"arch changed":  func(img *Image) { img.Target.Arch = ArchAMD64 },
		"rodata shrank": func(img *Image) { img.Rodata.Data = img.Rodata.Data[:1] },
	}
	for _, name := range slices.Sorted(maps.Keys(changes)) {
		img := machoTestImages(Target{ArchARM64, OSDarwin})["full"]
		l, err := LayoutMachO(img)
		if err != nil {
			t.Fatal(err)
		}
		changes[name](img)
		if _, err := WriteMachO(img, l); !errors.Is(err, ErrImage) {
			t.Errorf("WriteMachO after %s: err %v, want ErrImage", name, err)
		}
	}
}

func TestMachORejects(t *testing.T) {
	cases := map[string]func(img *Image){
		"linux":             func(img *Image) { img.Target.OS = OSLinux },
		"align above page":  func(img *Image) { img.Data.Align = 1 << 16 },
		"import twice":      func(img *Image) { img.Imports = append(img.Imports, Import{"write"}) },
		"import unnamed":    func(img *Image) { img.Imports[1].Name = "" },
		"import NUL":        func(img *Image) { img.Imports[1].Name = "a\x00" },
		"pointer in text":   func(img *Image) { img.Pointers[0] = Pointer{SegText, 0} },
		"pointer unaligned": func(img *Image) { img.Pointers[0].Off = 4 },
		"pointer past data": func(img *Image) { img.Pointers[0].Off = 24 }, // bss follows
		"pointer twice":     func(img *Image) { img.Pointers[1] = img.Pointers[0] },
		"pointer bad seg":   func(img *Image) { img.Pointers[0].Seg = 3 },
		"name with slash":   func(img *Image) { img.Name = "bin/full" },
		"too big":           func(img *Image) { img.Data.BSS = maxSpan - 1 },
	}
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		img := machoTestImages(Target{ArchAMD64, OSDarwin})["full"]
		cases[name](img)
		if l, err := LayoutMachO(img); !errors.Is(err, ErrImage) {
			t.Errorf("%s: LayoutMachO = %+v, %v; want an ErrImage", name, l, err)
		}
	}
	// ELF executables are static: they cannot have imports.
	img := testImages(Target{ArchAMD64, OSLinux})["full"]
	img.Imports = []Import{{"write"}}
	if _, err := LayoutELF(img); !errors.Is(err, ErrImage) {
		t.Errorf("LayoutELF with imports: %v, want an ErrImage", err)
	}
}

// complaint matches what LLVM's tools print about a bad file, and not symbol names such as
// ___error.
var complaint = regexp.MustCompile(`(?i)warning:|error:|malformed|truncated|invalid|bad |unknown`)

// TestMachOLLVM has LLVM's Mach-O readers dump every test file, and fails on any warning or
// error they print: they check load commands, segments, symbol tables and the fix-up
// opcodes independently of debug/macho. Under CI=true the tools must be installed.
func TestMachOLLVM(t *testing.T) {
	objdump := requireTool(t, "llvm-objdump-19")
	readobj := requireTool(t, "llvm-readobj-19")
	otool := requireTool(t, "llvm-otool-19")
	dir := t.TempDir()
	for _, tg := range darwinTargets {
		imgs := machoTestImages(tg)
		for _, name := range sortedNames(imgs) {
			_, b, _ := buildMachO(t, imgs[name], nil)
			path := filepath.Join(dir, tg.Arch.String()+"-"+name)
			if err := os.WriteFile(path, b, 0o755); err != nil {
				t.Fatal(err)
			}
			dump := []string{objdump, "--macho", "--private-headers", "--section-headers", "--syms", "--rebase",
				"--bind", "--lazy-bind", "--weak-bind", "--exports-trie", "--indirect-symbols", "--dylibs-used",
				"--function-starts", "--data-in-code", path}
			if name == "hello" { // the only image whose text is real code
				dump = append(dump, "-d")
			}
			runs := [][]string{
				dump,
				{readobj, "--file-headers", "--sections", "--symbols", "--needed-libs", "--macho-segment",
					"--macho-dysymtab", "--macho-indirect-symbols", "--macho-version-min", path},
				{otool, "-h", "-l", "-L", "-I", "-v", path},
			}
			for _, args := range runs {
				out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
				if err != nil {
					t.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
				}
				for line := range strings.Lines(string(out)) {
					if complaint.MatchString(line) {
						t.Errorf("%v/%s: %s: %s", tg, name, filepath.Base(args[0]), strings.TrimSpace(line))
					}
				}
			}
		}
	}
}
