package backend

import (
	"bytes"
	"cmp"
	"debug/elf"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var linuxTargets = []Target{{ArchAMD64, OSLinux}, {ArchARM64, OSLinux}}

// testImages are the shapes the writer must handle: every combination of optional segments,
// segments longer than a page, and the runnable hello programs of the end-to-end tests.
func testImages(tg Target) map[string]*Image {
	page := int(elfPageSize(tg.Arch))
	fill := func(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }
	hello, _ := helloImage(tg, "hello, wasmc\n")
	return map[string]*Image{
		"hello": hello,
		"text-only": {Target: tg, Text: Segment{Data: fill(10, 0xcc)}, Entry: 3,
			Symbols: []Symbol{{Name: "$start", Seg: SegText, Off: 3, Size: 7}}},
		"full": {Target: tg,
			Text:   Segment{Data: fill(100, 0x90), Align: 64},
			Rodata: Segment{Data: fill(37, 'r'), Align: 16},
			Data:   Segment{Data: fill(24, 'd'), BSS: 5000, Align: 8},
			Entry:  48,
			Symbols: []Symbol{
				// Out of address order on purpose: the writer sorts.
				{Name: "$fac", Seg: SegText, Off: 48, Size: 52},
				{Name: "$main", Seg: SegText, Off: 0, Size: 40},
				{Name: "table", Seg: SegRodata, Off: 5, Size: 32, Kind: SymObject},
				{Name: "globals", Seg: SegData, Off: 8, Size: 16, Kind: SymObject},
				{Name: "stack", Seg: SegData, Off: 24, Size: 4096, Kind: SymObject},
				{Name: "$fac", Seg: SegText, Off: 48, Size: 52}, // a second module's $fac
			}},
		"bss-only": {Target: tg, Text: Segment{Data: fill(4, 0xc3)}, Data: Segment{BSS: 100},
			Symbols: []Symbol{{Name: "zeros", Seg: SegData, Off: 0, Size: 100, Kind: SymObject}}},
		"multi-page": {Target: tg,
			Text:   Segment{Data: fill(3*page+1, 0x90)},
			Rodata: Segment{Data: fill(page+7, 'r'), Align: 4096},
			Data:   Segment{Data: fill(2*page-1, 'd'), Align: 64},
			Entry:  uint64(3 * page),
			Symbols: []Symbol{
				{Name: "$big", Seg: SegText, Off: 0, Size: uint64(3*page + 1)},
				{Name: "last", Seg: SegData, Off: uint64(2*page - 2), Size: 1, Kind: SymObject},
			}},
	}
}

// sortedNames returns m's keys in order, so that subtests run in the same order every time.
func sortedNames(m map[string]*Image) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// build runs both steps of the writer, failing the test on an error.
func build(t *testing.T, img *Image) (*Layout, []byte) {
	t.Helper()
	l, err := LayoutELF(img)
	if err != nil {
		t.Fatalf("LayoutELF: %v", err)
	}
	b, err := WriteELF(img, l)
	if err != nil {
		t.Fatalf("WriteELF: %v", err)
	}
	return l, b
}

func TestELFStructure(t *testing.T) {
	for _, tg := range linuxTargets {
		imgs := testImages(tg)
		for _, name := range sortedNames(imgs) {
			t.Run(tg.Arch.String()+"/"+name, func(t *testing.T) {
				img := imgs[name]
				l, b := build(t, img)
				f, err := elf.NewFile(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("debug/elf cannot parse the output: %v", err)
				}
				checkHeader(t, f, img, l)
				checkProgs(t, f, b, img, l)
				checkSections(t, f, img, l)
				checkSymbols(t, f, img, l)
			})
		}
	}
}

func checkHeader(t *testing.T, f *elf.File, img *Image, l *Layout) {
	t.Helper()
	want := elf.FileHeader{
		Class: elf.ELFCLASS64, Data: elf.ELFDATA2LSB, Version: elf.EV_CURRENT,
		OSABI: elf.ELFOSABI_NONE, ByteOrder: binary.LittleEndian, Type: elf.ET_EXEC,
		Machine: map[Arch]elf.Machine{ArchAMD64: elf.EM_X86_64, ArchARM64: elf.EM_AARCH64}[img.Target.Arch],
		Entry:   l.Entry,
	}
	if f.FileHeader != want {
		t.Errorf("file header:\n got %+v\nwant %+v", f.FileHeader, want)
	}
	if text := l.Segments[SegText]; l.Entry != text.Addr+img.Entry {
		t.Errorf("entry %#x, want text %#x + %#x", l.Entry, text.Addr, img.Entry)
	}
}

func checkProgs(t *testing.T, f *elf.File, b []byte, img *Image, l *Layout) {
	t.Helper()
	page := elfPageSize(img.Target.Arch)
	var loads []*elf.Prog
	var stack *elf.Prog
	for _, p := range f.Progs {
		if p.Flags&elf.PF_W != 0 && p.Flags&elf.PF_X != 0 {
			t.Errorf("%v at %#x is writable and executable", p.Type, p.Vaddr)
		}
		switch p.Type {
		case elf.PT_LOAD:
			loads = append(loads, p)
		case elf.PT_GNU_STACK:
			stack = p
		default: // PT_INTERP, PT_DYNAMIC, PT_TLS, ... would each need a loader or runtime support
			t.Errorf("unexpected program header %v", p.Type)
		}
	}
	if stack == nil || stack.Flags != elf.PF_R|elf.PF_W {
		t.Errorf("PT_GNU_STACK = %+v, want one with flags R+W (a non-executable stack)", stack)
	}

	wantFlags := []elf.ProgFlag{elf.PF_R, elf.PF_R | elf.PF_X}
	if img.Data.Size() != 0 {
		wantFlags = append(wantFlags, elf.PF_R|elf.PF_W)
	}
	var got []elf.ProgFlag
	for _, p := range loads {
		got = append(got, p.Flags)
	}
	if !slices.Equal(got, wantFlags) {
		t.Fatalf("PT_LOAD flags %v, want %v", got, wantFlags)
	}
	for i, p := range loads {
		if p.Align != page {
			t.Errorf("PT_LOAD %d: p_align %#x, want %#x", i, p.Align, page)
		}
		if p.Off%p.Align != p.Vaddr%p.Align {
			t.Errorf("PT_LOAD %d: p_offset %#x and p_vaddr %#x not congruent mod %#x", i, p.Off, p.Vaddr, p.Align)
		}
		if p.Filesz > p.Memsz || p.Off+p.Filesz > uint64(len(b)) {
			t.Errorf("PT_LOAD %d: filesz %#x memsz %#x off %#x out of bounds", i, p.Filesz, p.Memsz, p.Off)
		}
		// gABI: loadable segments ascend by p_vaddr. Stronger: no page holds two of them.
		if i > 0 {
			prev := loads[i-1]
			if alignUp(prev.Vaddr+prev.Memsz, page) > p.Vaddr&^(page-1) {
				t.Errorf("PT_LOAD %d at %#x shares a page with the one before, ending at %#x",
					i, p.Vaddr, prev.Vaddr+prev.Memsz)
			}
		}
	}
	// The first segment maps the headers; text maps no file page that another segment maps.
	if loads[0].Off != 0 || loads[0].Filesz < uint64(elfHeaderSize+len(f.Progs)*elfPhdrSize) {
		t.Errorf("first PT_LOAD (off %#x, filesz %#x) does not map the headers", loads[0].Off, loads[0].Filesz)
	}
	text := loads[1]
	lo, hi := text.Off&^(page-1), alignUp(text.Off+text.Filesz, page)
	for i, p := range loads {
		if p != text && p.Filesz != 0 && p.Off < hi && p.Off+p.Filesz > lo {
			t.Errorf("PT_LOAD %d (file %#x+%#x) shares a file page with text", i, p.Off, p.Filesz)
		}
	}
	if l.Entry < text.Vaddr || l.Entry >= text.Vaddr+text.Memsz {
		t.Errorf("entry %#x outside the R+X segment [%#x, %#x)", l.Entry, text.Vaddr, text.Vaddr+text.Memsz)
	}
	if p := l.Segments[SegText]; text.Off != p.Off || text.Vaddr != p.Addr || text.Filesz != p.FileSize {
		t.Errorf("text PT_LOAD %+v does not match layout %+v", text.ProgHeader, p)
	}
	if img.Data.Size() != 0 {
		d, p := loads[2], l.Segments[SegData]
		if d.Off != p.Off || d.Vaddr != p.Addr || d.Filesz != p.FileSize || d.Memsz != p.MemSize {
			t.Errorf("data PT_LOAD %+v does not match layout %+v", d.ProgHeader, p)
		}
	}
}

func checkSections(t *testing.T, f *elf.File, img *Image, l *Layout) {
	t.Helper()
	type want struct {
		kind  SegKind
		typ   elf.SectionType
		flags elf.SectionFlag
		prog  elf.ProgFlag
	}
	wants := map[string]want{
		".text":   {SegText, elf.SHT_PROGBITS, elf.SHF_ALLOC | elf.SHF_EXECINSTR, elf.PF_R | elf.PF_X},
		".rodata": {SegRodata, elf.SHT_PROGBITS, elf.SHF_ALLOC, elf.PF_R},
		".data":   {SegData, elf.SHT_PROGBITS, elf.SHF_ALLOC | elf.SHF_WRITE, elf.PF_R | elf.PF_W},
		".bss":    {SegData, elf.SHT_NOBITS, elf.SHF_ALLOC | elf.SHF_WRITE, elf.PF_R | elf.PF_W},
	}
	var names []string
	for _, s := range f.Sections[1:] {
		names = append(names, s.Name)
	}
	var wantNames []string
	for _, n := range []string{".rodata", ".text", ".data", ".bss"} {
		s := img.Segment(wants[n].kind)
		if (n == ".bss" && s.BSS != 0) || (n != ".bss" && len(s.Data) != 0) {
			wantNames = append(wantNames, n)
		}
	}
	wantNames = append(wantNames, ".symtab", ".strtab", ".shstrtab")
	if !slices.Equal(names, wantNames) {
		t.Fatalf("sections %q, want %q", names, wantNames)
	}

	for _, s := range f.Sections[1:] {
		w, ok := wants[s.Name]
		if !ok {
			if s.Flags&elf.SHF_ALLOC != 0 || s.Addr != 0 {
				t.Errorf("%s is loaded", s.Name)
			}
			continue
		}
		seg, p := img.Segment(w.kind), l.Segments[w.kind]
		wantHdr := elf.SectionHeader{Name: s.Name, Type: w.typ, Flags: w.flags,
			Addr: p.Addr, Offset: p.Off, Size: p.FileSize, Addralign: seg.align(), FileSize: p.FileSize}
		if s.Name == ".bss" {
			wantHdr.Addr, wantHdr.Offset, wantHdr.Size = p.Addr+p.FileSize, p.Off+p.FileSize, seg.BSS
			wantHdr.Addralign, wantHdr.FileSize = bssAlign(seg), seg.BSS // debug/elf reports FileSize = Size even for SHT_NOBITS
		}
		if s.SectionHeader != wantHdr {
			t.Errorf("section header\n got %+v\nwant %+v", s.SectionHeader, wantHdr)
		}
		if s.Type == elf.SHT_PROGBITS {
			if b, err := s.Data(); err != nil || !bytes.Equal(b, seg.Data) {
				t.Errorf("%s contents differ from the image's %v segment (err %v)", s.Name, w.kind, err)
			}
		}
		// The section lies inside a PT_LOAD whose permissions match it.
		in := false
		for _, ph := range f.Progs {
			if ph.Type == elf.PT_LOAD && ph.Vaddr <= s.Addr && s.Addr+s.Size <= ph.Vaddr+ph.Memsz &&
				s.Addr-ph.Vaddr == s.Offset-ph.Off {
				in = ph.Flags == w.prog
			}
		}
		if !in {
			t.Errorf("%s [%#x, +%#x) is not inside a PT_LOAD with flags %v", s.Name, s.Addr, s.Size, w.prog)
		}
	}
	if sym, str := f.Section(".symtab"), f.Section(".strtab"); f.Sections[sym.Link] != str || sym.Info != 1 {
		t.Errorf(".symtab link %d info %d, want .strtab and 1", sym.Link, sym.Info)
	}
}

func checkSymbols(t *testing.T, f *elf.File, img *Image, l *Layout) {
	t.Helper()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatalf("symbols: %v", err)
	}
	want := slices.Clone(img.Symbols)
	slices.SortStableFunc(want, func(a, b Symbol) int {
		return cmp.Compare(l.Addr(a.Seg, a.Off), l.Addr(b.Seg, b.Off))
	})
	if len(syms) != len(want) {
		t.Fatalf("%d symbols, want %d", len(syms), len(want))
	}
	for i, s := range syms {
		w := want[i]
		typ, sec := elf.STT_FUNC, ".text"
		if w.Kind == SymObject {
			typ, sec = elf.STT_OBJECT, "."+w.Seg.String()
			if w.Seg == SegData && w.Off >= uint64(len(img.Data.Data)) && img.Data.BSS != 0 {
				sec = ".bss"
			}
		}
		got := [...]any{s.Name, s.Value, s.Size, elf.ST_TYPE(s.Info), elf.ST_BIND(s.Info), f.Sections[s.Section].Name}
		exp := [...]any{w.Name, l.Addr(w.Seg, w.Off), w.Size, typ, elf.STB_GLOBAL, sec}
		if got != exp {
			t.Errorf("symbol %d: got %v, want %v", i, got, exp)
		}
	}
}

func TestELFDeterministic(t *testing.T) {
	for _, tg := range linuxTargets {
		for _, name := range sortedNames(testImages(tg)) {
			// Two independently built images, as two compiler runs would make them.
			_, b1 := build(t, testImages(tg)[name])
			_, b2 := build(t, testImages(tg)[name])
			if !bytes.Equal(b1, b2) {
				t.Errorf("%v/%s: two writes differ", tg, name)
			}
		}
	}
}

// TestELFRelocateBetweenSteps checks the contract the linker relies on: bytes may change between
// LayoutELF and WriteELF and the new bytes are written; lengths may not.
func TestELFRelocateBetweenSteps(t *testing.T) {
	img := testImages(Target{ArchAMD64, OSLinux})["full"]
	l, err := LayoutELF(img)
	if err != nil {
		t.Fatal(err)
	}
	binary.LittleEndian.PutUint64(img.Data.Data, l.Addr(SegRodata, 5)) // an absolute pointer
	b, err := WriteELF(img, l)
	if err != nil {
		t.Fatal(err)
	}
	off := l.Segments[SegData].Off
	if got := binary.LittleEndian.Uint64(b[off:]); got != l.Addr(SegRodata, 5) {
		t.Errorf("patched pointer reads %#x, want %#x", got, l.Addr(SegRodata, 5))
	}
	img.Text.Data = append(img.Text.Data, 0x90)
	if _, err := WriteELF(img, l); !errors.Is(err, ErrImage) {
		t.Errorf("WriteELF after text grew: err %v, want ErrImage", err)
	}
}

func TestELFRejects(t *testing.T) {
	cases := map[string]func(img *Image){
		"darwin":           func(img *Image) { img.Target.OS = OSDarwin },
		"no target":        func(img *Image) { img.Target = Target{} },
		"empty text":       func(img *Image) { img.Text.Data = nil },
		"entry past text":  func(img *Image) { img.Entry = uint64(len(img.Text.Data)) },
		"bss in text":      func(img *Image) { img.Text.BSS = 8 },
		"bss in rodata":    func(img *Image) { img.Rodata.BSS = 8 },
		"align 3":          func(img *Image) { img.Rodata.Align = 3 },
		"align above page": func(img *Image) { img.Text.Align = 1 << 17 },
		"symbol past end":  func(img *Image) { img.Symbols[0].Size = 1 << 20 },
		"symbol overflow":  func(img *Image) { img.Symbols[0].Off, img.Symbols[0].Size = 1, ^uint64(0) },
		"symbol NUL":       func(img *Image) { img.Symbols[0].Name = "a\x00b" },
		"symbol unnamed":   func(img *Image) { img.Symbols[0].Name = "" },
		"func in data":     func(img *Image) { img.Symbols[0].Seg = SegData },
		"symbol bad kind":  func(img *Image) { img.Symbols[0].Kind = 7 },
		"symbol bad seg":   func(img *Image) { img.Symbols[0].Seg = 3 },
		"symbol in absent": func(img *Image) { img.Data = Segment{}; img.Symbols[3].Off = 0 },
		"too big":          func(img *Image) { img.Data.BSS = maxSpan },
	}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		img := testImages(Target{ArchARM64, OSLinux})["full"]
		cases[name](img)
		if l, err := LayoutELF(img); !errors.Is(err, ErrImage) {
			t.Errorf("%s: LayoutELF = %+v, %v; want an ErrImage", name, l, err)
		}
	}
}

// requireTool returns the path of an external program, skipping the test without it, except
// under CI, where the tool is installed and its absence is a failure.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not on PATH under CI=true: %v", name, err)
		}
		t.Skipf("%s not on PATH: %v", name, err)
	}
	return path
}

// TestELFReadelf runs binutils' readelf, an independent and picky reader, over every test image.
func TestELFReadelf(t *testing.T) {
	readelf := requireTool(t, "readelf")
	dir := t.TempDir()
	for _, tg := range linuxTargets {
		imgs := testImages(tg)
		for _, name := range sortedNames(imgs) {
			_, b := build(t, imgs[name])
			path := filepath.Join(dir, tg.Arch.String()+"-"+name)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(readelf, "-a", "-W", path).CombinedOutput()
			if err != nil {
				t.Errorf("readelf -a -W %s: %v\n%s", path, err, out)
			}
			for line := range strings.Lines(string(out)) {
				if strings.Contains(line, "Warning") || strings.Contains(line, "Error") {
					t.Errorf("%v/%s: readelf: %s", tg, name, strings.TrimSpace(line))
				}
			}
		}
	}
}

// A fixup is a relocation in a hand-assembled test program, resolved the way the linker will
// resolve them: after LayoutELF, against its addresses, before WriteELF.
type fixup struct {
	at   int     // offset in text of the instruction (or of amd64's disp32 field)
	kind fixKind // which field and formula
	seg  SegKind // the target
	off  uint64
}

type fixKind uint8

const (
	fixRel32  fixKind = iota // amd64 disp32, relative to the end of the field (the instruction's end here)
	fixADRP                  // arm64 ADRP immhi:immlo = page(S) - page(P)
	fixAddLo                 // arm64 ADD (immediate) imm12 = S & 0xfff
	fixLdrLo4                // arm64 LDR (32-bit, unsigned offset) imm12 = (S & 0xfff) / 4
)

func applyFixups(text []byte, l *Layout, fixes []fixup) {
	le := binary.LittleEndian
	pc := func(at int) uint64 { return l.Addr(SegText, uint64(at)) }
	for _, fx := range fixes {
		s := l.Addr(fx.seg, fx.off)
		w := text[fx.at:]
		switch fx.kind {
		case fixRel32:
			le.PutUint32(w, uint32(int32(int64(s)-int64(pc(fx.at)+4))))
		case fixADRP: // Arm ARM, ADRP
			imm := uint32(int64(s>>12) - int64(pc(fx.at)>>12))
			le.PutUint32(w, le.Uint32(w)|(imm&3)<<29|(imm>>2&0x7ffff)<<5)
		case fixAddLo: // Arm ARM, ADD (immediate)
			le.PutUint32(w, le.Uint32(w)|uint32(s&0xfff)<<10)
		case fixLdrLo4: // Arm ARM, LDR (immediate), unsigned offset
			le.PutUint32(w, le.Uint32(w)|uint32(s&0xfff/4)<<10)
		}
	}
}

// helloImage hand-assembles a program that writes msg to stdout, reads 21 from data, adds
// the zero at the end of bss, stores the sum there and adds it again, and exits with the
// result, 42: so one run shows that rodata, data and bss are mapped, that bss is zero-filled and
// writable, and that relocations against the layout's addresses are right. A small function
// comes first so that the entry point is not text's first byte.
func helloImage(tg Target, msg string) (*Image, []fixup) {
	const bss = 10000
	scratch := uint64(8 + bss - 4) // the last 4 bytes of bss
	var text []byte
	var fixes []fixup
	le := binary.LittleEndian
	if tg.Arch == ArchAMD64 {
		// Intel SDM vol. 2: ModRM 00 reg 101 is [RIP+disp32]; reg 110 = esi, 111 = edi.
		text = append([]byte{0xc3}, bytes.Repeat([]byte{0xcc}, 15)...) // $spare: ret; int3 padding
		ins := func(op []byte, fx ...fixup) {
			text = append(text, op...)
			for _, f := range fx {
				f.at = len(text) - 4
				fixes = append(fixes, f)
			}
		}
		ins([]byte{0x48, 0x8d, 0x35, 0, 0, 0, 0}, fixup{seg: SegRodata, off: 5}) // lea rsi, [rip+msg]
		ins(le.AppendUint32([]byte{0xba}, uint32(len(msg))))                     // mov edx, len
		ins([]byte{0xbf, 1, 0, 0, 0})                                            // mov edi, 1 (stdout)
		ins([]byte{0xb8, 1, 0, 0, 0})                                            // mov eax, 1 (write)
		ins([]byte{0x0f, 0x05})                                                  // syscall
		ins([]byte{0x8b, 0x3d, 0, 0, 0, 0}, fixup{seg: SegData})                 // mov edi, [rip+seed]
		ins([]byte{0x03, 0x3d, 0, 0, 0, 0}, fixup{seg: SegData, off: scratch})   // add edi, [rip+scratch]
		ins([]byte{0x89, 0x3d, 0, 0, 0, 0}, fixup{seg: SegData, off: scratch})   // mov [rip+scratch], edi
		ins([]byte{0x03, 0x3d, 0, 0, 0, 0}, fixup{seg: SegData, off: scratch})   // add edi, [rip+scratch]
		ins([]byte{0xb8, 60, 0, 0, 0})                                           // mov eax, 60 (exit)
		ins([]byte{0x0f, 0x05})                                                  // syscall
	} else {
		// Arm ARM encodings; Linux's generic syscall table: write = 64, exit = 93.
		text = le.AppendUint32(nil, 0xd65f03c0) // $spare: ret
		text = append(text, make([]byte, 12)...)
		ins := func(word uint32, fx ...fixup) {
			for _, f := range fx {
				f.at = len(text)
				fixes = append(fixes, f)
			}
			text = le.AppendUint32(text, word)
		}
		movz := func(rd, imm uint32) uint32 { return 0xd2800000 | imm<<5 | rd } // MOVZ Xd, #imm
		ins(0x90000001, fixup{kind: fixADRP, seg: SegRodata, off: 5})           // adrp x1, msg
		ins(0x91000021, fixup{kind: fixAddLo, seg: SegRodata, off: 5})          // add x1, x1, :lo12:msg
		ins(movz(2, uint32(len(msg))))                                          // mov x2, len
		ins(movz(0, 1))                                                         // mov x0, 1 (stdout)
		ins(movz(8, 64))                                                        // mov x8, 64 (write)
		ins(0xd4000001)                                                         // svc #0
		ins(0x90000003, fixup{kind: fixADRP, seg: SegData})                     // adrp x3, seed
		ins(0xb9400060, fixup{kind: fixLdrLo4, seg: SegData})                   // ldr w0, [x3, :lo12:seed]
		ins(0x90000004, fixup{kind: fixADRP, seg: SegData, off: scratch})       // adrp x4, scratch
		ins(0x91000084, fixup{kind: fixAddLo, seg: SegData, off: scratch})      // add x4, x4, :lo12:scratch
		ins(0xb9400085)                                                         // ldr w5, [x4]
		ins(0x0b050000)                                                         // add w0, w0, w5
		ins(0xb9000080)                                                         // str w0, [x4]
		ins(0xb9400085)                                                         // ldr w5, [x4]
		ins(0x0b050000)                                                         // add w0, w0, w5
		ins(movz(8, 93))                                                        // mov x8, 93 (exit)
		ins(0xd4000001)                                                         // svc #0
	}
	img := &Image{
		Target: tg,
		Text:   Segment{Data: text, Align: 16},
		Rodata: Segment{Data: append([]byte("junk\x00"), msg...)},
		Data:   Segment{Data: le.AppendUint64(nil, 21), BSS: bss, Align: 8},
		Entry:  16,
		Symbols: []Symbol{
			{Name: "$spare", Seg: SegText, Off: 0, Size: 1},
			{Name: "_start", Seg: SegText, Off: 16, Size: uint64(len(text) - 16)},
			{Name: "msg", Seg: SegRodata, Off: 5, Size: uint64(len(msg)), Kind: SymObject},
			{Name: "seed", Seg: SegData, Off: 0, Size: 4, Kind: SymObject},
			{Name: "scratch", Seg: SegData, Off: scratch, Size: 4, Kind: SymObject},
		},
	}
	return img, fixes
}

// runHello builds the hello program for tg, runs it (through runner if not empty) and checks its
// output and exit status.
func runHello(t *testing.T, tg Target, runner string) {
	const msg = "hello from a static ELF written by wasmc\n"
	img, fixes := helloImage(tg, msg)
	l, err := LayoutELF(img)
	if err != nil {
		t.Fatal(err)
	}
	applyFixups(img.Text.Data, l, fixes)
	b, err := WriteELF(img, l)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hello")
	// WriteFile closes the file before exec, so the kernel does not refuse with ETXTBSY.
	if err := os.WriteFile(path, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path)
	if runner != "" {
		cmd = exec.Command(runner, path)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 42 {
		t.Errorf("run: %v, want exit status 42; stderr:\n%s", err, stderr.Bytes())
	}
	if string(out) != msg {
		t.Errorf("stdout %q, want %q", out, msg)
	}
}

func TestELFRunAMD64(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("needs a linux/amd64 host, have %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	runHello(t, Target{ArchAMD64, OSLinux}, "")
}

func TestELFRunARM64(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("needs a linux host, have %s", runtime.GOOS)
	}
	if runtime.GOARCH == "arm64" {
		runHello(t, Target{ArchARM64, OSLinux}, "")
		return
	}
	runHello(t, Target{ArchARM64, OSLinux}, requireTool(t, "qemu-aarch64-static"))
}
