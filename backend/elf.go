package backend

import (
	"cmp"
	"debug/elf"
	"encoding/binary"
	"slices"
)

// This file writes an [Image] as a static ELF64 little-endian executable for Linux: no
// PT_INTERP, no dynamic section, so the kernel maps the PT_LOAD segments and jumps to the entry
// point, and nothing else runs first. References below are to the System V gABI (the
// 2013-06-10 draft, "gABI"), chapter 4 "Object Files" and chapter 5 "Program Loading and Dynamic
// Linking", and to the Linux kernel's loader, fs/binfmt_elf.c.
//
// The file looks like this; every segment starts on a page boundary both in the file and in
// memory, with virtual address = elfBase + file offset:
//
//	offset 0      ELF header, program headers, .rodata    PT_LOAD R    (vaddr elfBase)
//	page          .text                                   PT_LOAD R+X
//	page          .data, then .bss in memory only         PT_LOAD R+W  (absent if empty)
//	              .symtab .strtab .shstrtab, section headers (not loaded)
//
// Read-only data comes first so that the headers share its read-only mapping rather than the
// executable one. Text starts on a page boundary and the next thing in the file starts on the
// next one, like GNU ld's -z separate-code: the kernel maps whole pages, so otherwise the tail of
// rodata or the head of data, which hold bytes from the guest module's data segments, would be
// mapped executable too and offer it ready-made gadgets. The cost is at most a page of padding on
// each side of the text. (Linkers that pack segments tightly, as lld does by default, give only
// congruent offsets and share pages between mappings.)

// elfBase is where the file is mapped: the traditional start of program text on x86-64 (the
// x86-64 psABI's figure "Virtual Address Configuration", and GNU ld's default), which is also 64 KiB-aligned
// for arm64 and far above vm.mmap_min_addr, so null-pointer arithmetic faults. Executables are
// ET_EXEC at this fixed address; nothing needs the loader to relocate them.
const elfBase = 0x400000

// Sizes of the ELF64 structures (gABI ch. 4: "ELF Header" Elf64_Ehdr, "Sections" Elf64_Shdr,
// "Symbol Table" Elf64_Sym; ch. 5: "Program Header" Elf64_Phdr).
const (
	elfHeaderSize = 64
	elfPhdrSize   = 56
	elfShdrSize   = 64
	elfSymSize    = 24
)

// elfStackAlign is PT_GNU_STACK's p_align: the kernel ignores it, and 16 is what GNU ld writes.
const elfStackAlign = 16

// elfPageSize is the p_align of every PT_LOAD. gABI ch. 5 "Program Header" requires p_vaddr ≡
// p_offset (mod p_align) for loadable segments, and the kernel maps them with its own page size,
// so p_align must be a multiple of every page size a target's kernels use. amd64 Linux has only
// 4 KiB pages. arm64 Linux may be built with 4, 16 (Apple M1 under Asahi) or 64 KiB pages, so
// arm64 uses 64 KiB, as GNU ld's aarch64 max-page-size and Go's linker do.
func elfPageSize(a Arch) uint64 {
	if a == ArchARM64 {
		return 0x10000
	}
	return 0x1000
}

func elfMachine(a Arch) elf.Machine {
	if a == ArchARM64 {
		return elf.EM_AARCH64
	}
	return elf.EM_X86_64
}

// LayoutELF is the first step of writing img as an ELF executable: it assigns every segment
// its file offset and virtual address. The caller resolves relocations against the result,
// patching img's segment bytes in place, and then calls [WriteELF] with the same image and
// layout.
func LayoutELF(img *Image) (*Layout, error) {
	if err := img.validate(); err != nil {
		return nil, err
	}
	if img.Target.OS != OSLinux {
		return nil, imageErr("ELF writer given a %v image", img.Target)
	}
	for k := range SegKind(NumSegKinds) {
		if a := img.Segment(k).align(); a > elfPageSize(img.Target.Arch) {
			return nil, imageErr("%v alignment %#x is larger than a page", k, a)
		}
	}
	l, _ := elfLayout(img)
	end := l.Segments[SegText].Addr + l.Segments[SegText].MemSize
	if d := l.Segments[SegData]; d.MemSize != 0 {
		end = d.Addr + d.MemSize
	}
	if end-elfBase > maxSpan {
		return nil, imageErr("image spans %#x bytes of memory, more than %#x", end-elfBase, maxSpan)
	}
	return &l, nil
}

// elfLayout places the segments of a valid image. It also returns the file offset where the
// non-loaded sections begin, which [WriteELF] needs and a [Layout] does not carry.
func elfLayout(img *Image) (l Layout, tail uint64) {
	return elfLayoutText(img, uint64(len(img.Text.Data)))
}

// elfLayoutText is elfLayout for img with text of textLen bytes, whatever its Data holds yet.
func elfLayoutText(img *Image, textLen uint64) (l Layout, tail uint64) {
	page := elfPageSize(img.Target.Arch)
	l.Target = img.Target
	l.PageSize = page

	place := func(k SegKind, off uint64) uint64 {
		s := img.Segment(k)
		n := uint64(len(s.Data))
		if k == SegText {
			n = textLen
		}
		l.Segments[k] = Placement{
			Off:      off,
			Addr:     elfBase + off,
			FileSize: n,
			MemSize:  n + s.BSS,
		}
		return off + n
	}
	end := place(SegRodata, alignUp(elfHeadersSize(img), img.Rodata.align()))
	end = place(SegText, alignUp(end, page))
	l.Entry = l.Segments[SegText].Addr + img.Entry
	if img.Data.Size() == 0 {
		// Keep the symbol tables out of text's last page too: they hold wasm names,
		// which the guest chose.
		return l, alignUp(end, page)
	}
	end = place(SegData, alignUp(end, page))
	return l, alignUp(end, 8)
}

// elfFile allocates the ELF file of img, whose text will be textLen bytes, and places the
// segments' Data at their places in it: text becomes the zeros there, for the linker to
// fill in, and rodata and data the zeros there too, for the caller to copy their bytes
// into with the moves returned (the linker's fill does, in parallel), before anything else
// reads or writes them. So the segments are written once, where the file is written from,
// rather than built apart and copied into it ([Image.file]). Its capacity has room for
// the symbol tables and section headers, unless img's symbols change.
func elfFile(img *Image, textLen uint64) (*outFile, []move) {
	l, tail := elfLayoutText(img, textLen)
	room := uint64(elfSymSize*(len(img.Symbols)+1)+1) + elfTailFixed
	for _, s := range img.Symbols {
		room += uint64(len(s.Name)) + 1
	}
	b := make([]byte, tail, tail+room)
	var moves []move
	for k := range SegKind(NumSegKinds) {
		s, p := img.Segment(k), l.Segments[k]
		n := uint64(len(s.Data))
		if k == SegText {
			n = textLen
		}
		if n == 0 {
			continue
		}
		d := b[p.Off : p.Off+n : p.Off+n] // full: an append must not write past it
		if k != SegText {
			moves = append(moves, move{d, s.Data})
		}
		s.Data = d
	}
	return &outFile{b: b, l: l}, moves
}

// move is a copy still to make: of src to dst.
type move struct{ dst, src []byte }

// elfTailFixed bounds what the file holds after the symbol tables: .shstrtab, the padding
// before the section headers, and at most eight of them.
const elfTailFixed = 64 + 8 + 8*elfShdrSize

// elfLoads returns how many PT_LOAD headers img needs: headers+rodata and text always, data
// if it has any bytes in memory.
func elfLoads(img *Image) int {
	if img.Data.Size() == 0 {
		return 2
	}
	return 3
}

// elfHeadersSize is the size of the ELF header and the program headers: the PT_LOADs and
// PT_GNU_STACK.
func elfHeadersSize(img *Image) uint64 {
	return elfHeaderSize + uint64(elfLoads(img)+1)*elfPhdrSize
}

// elfSection is a section header and its name, before the name is put in .shstrtab.
type elfSection struct {
	name string
	hdr  elf.Section64
}

// WriteELF is the second step: it writes img, laid out as l by [LayoutELF], as the bytes of an
// executable file. It fails if img's segment sizes, alignment or target changed since l was
// computed, since l's addresses, and any relocations applied with them, would then be wrong.
func WriteELF(img *Image, l *Layout) ([]byte, error) {
	want, err := LayoutELF(img)
	if err != nil {
		return nil, err
	}
	if *want != *l {
		return nil, imageErr("layout does not match the image: segment sizes or target changed after LayoutELF")
	}
	return writeELF(img, l), nil
}

// writeELF is WriteELF for a layout that LayoutELF just returned for img.
func writeELF(img *Image, l *Layout) []byte {
	_, tail := elfLayout(img)

	// Sections, in address order, then the non-loaded ones. secOf maps a segment kind to its
	// section index (0 for none), bssSec is the index of .bss.
	secs := []elfSection{{}} // gABI ch. 4 "Sections": index 0 (SHN_UNDEF) is all zeros
	var secOf [NumSegKinds]uint16
	var bssSec uint16
	addSeg := func(k SegKind, name string, typ elf.SectionType, flags elf.SectionFlag) {
		s, p := img.Segment(k), l.Segments[k]
		if len(s.Data) == 0 {
			return
		}
		secOf[k] = uint16(len(secs))
		secs = append(secs, elfSection{name, elf.Section64{
			Type: uint32(typ), Flags: uint64(flags), Addr: p.Addr, Off: p.Off,
			Size: p.FileSize, Addralign: s.align(),
		}})
	}
	addSeg(SegRodata, ".rodata", elf.SHT_PROGBITS, elf.SHF_ALLOC)
	addSeg(SegText, ".text", elf.SHT_PROGBITS, elf.SHF_ALLOC|elf.SHF_EXECINSTR)
	addSeg(SegData, ".data", elf.SHT_PROGBITS, elf.SHF_ALLOC|elf.SHF_WRITE)
	if img.Data.BSS != 0 {
		p := l.Segments[SegData]
		bssSec = uint16(len(secs))
		secs = append(secs, elfSection{".bss", elf.Section64{
			Type: uint32(elf.SHT_NOBITS), Flags: uint64(elf.SHF_ALLOC | elf.SHF_WRITE),
			Addr: p.Addr + p.FileSize, Off: p.Off + p.FileSize, Size: img.Data.BSS,
			Addralign: bssAlign(&img.Data),
		}})
	}

	symtab, strtab := elfSymbols(img, l, secOf, bssSec)
	symSec := uint32(len(secs))
	secs = append(secs,
		elfSection{".symtab", elf.Section64{
			Type: uint32(elf.SHT_SYMTAB), Off: tail, Size: uint64(len(symtab)),
			Link:      symSec + 1, // its string table, the next section
			Info:      1,          // gABI ch. 4 "Symbol Table": index of the first non-local symbol
			Addralign: 8, Entsize: elfSymSize,
		}},
		elfSection{".strtab", elf.Section64{
			Type: uint32(elf.SHT_STRTAB), Off: tail + uint64(len(symtab)),
			Size: uint64(len(strtab)), Addralign: 1,
		}},
	)
	shstrSec := len(secs)
	secs = append(secs, elfSection{".shstrtab", elf.Section64{Type: uint32(elf.SHT_STRTAB), Addralign: 1}})
	shstrtab := []byte{0}
	for i := range secs[1:] {
		s := &secs[i+1]
		s.hdr.Name = uint32(len(shstrtab))
		shstrtab = append(append(shstrtab, s.name...), 0)
	}
	sh := &secs[shstrSec].hdr
	sh.Off = tail + uint64(len(symtab)+len(strtab))
	sh.Size = uint64(len(shstrtab))
	shoff := alignUp(sh.Off+sh.Size, 8)

	out, placed := img.takeFile(l, shoff+uint64(len(secs))*elfShdrSize)
	put := func(off uint64, v any) {
		if _, err := binary.Encode(out[off:], binary.LittleEndian, v); err != nil {
			panic("backend: " + err.Error()) // only on a buffer too small: a bug here
		}
	}
	put(0, elfFileHeader(img, l, shoff, len(secs), shstrSec))
	for i, ph := range elfProgHeaders(img, l) {
		put(elfHeaderSize+uint64(i)*elfPhdrSize, ph)
	}
	for k := range SegKind(NumSegKinds) {
		if !placed {
			copy(out[l.Segments[k].Off:], img.Segment(k).Data)
		}
	}
	copy(out[tail:], symtab)
	copy(out[tail+uint64(len(symtab)):], strtab)
	copy(out[sh.Off:], shstrtab)
	for i, s := range secs {
		put(shoff+uint64(i)*elfShdrSize, s.hdr)
	}
	return out
}

// elfFileHeader is the ELF header (gABI ch. 4 "ELF Header", e_ident in "ELF Identification").
func elfFileHeader(img *Image, l *Layout, shoff uint64, shnum, shstrndx int) elf.Header64 {
	h := elf.Header64{
		Type:      uint16(elf.ET_EXEC),
		Machine:   uint16(elfMachine(img.Target.Arch)),
		Version:   uint32(elf.EV_CURRENT),
		Entry:     l.Entry,
		Phoff:     elfHeaderSize, // right after this header
		Shoff:     shoff,
		Ehsize:    elfHeaderSize,
		Phentsize: elfPhdrSize,
		Phnum:     uint16(elfLoads(img) + 1),
		Shentsize: elfShdrSize,
		Shnum:     uint16(shnum),
		Shstrndx:  uint16(shstrndx),
	}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	h.Ident[elf.EI_OSABI] = byte(elf.ELFOSABI_NONE) // Linux loads SYSV-ABI files; so do GNU ld and Go
	return h
}

// elfProgHeaders returns the program headers: the PT_LOADs in ascending p_vaddr order, as gABI
// ch. 5 "Program Header" requires, then PT_GNU_STACK.
func elfProgHeaders(img *Image, l *Layout) []elf.Prog64 {
	load := func(p Placement, flags elf.ProgFlag) elf.Prog64 {
		return elf.Prog64{
			Type: uint32(elf.PT_LOAD), Flags: uint32(flags), Off: p.Off, Vaddr: p.Addr, Paddr: p.Addr,
			Filesz: p.FileSize, Memsz: p.MemSize, Align: l.PageSize,
		}
	}
	ro := l.Segments[SegRodata]
	// The first segment starts at file offset 0 so that it maps the ELF and program headers
	// as well; the kernel reports their address to the process in AT_PHDR.
	first := load(Placement{Addr: elfBase, FileSize: ro.Off + ro.FileSize, MemSize: ro.Off + ro.FileSize}, elf.PF_R)
	phs := []elf.Prog64{first, load(l.Segments[SegText], elf.PF_R|elf.PF_X)}
	if img.Data.Size() != 0 {
		phs = append(phs, load(l.Segments[SegData], elf.PF_R|elf.PF_W))
	}
	// Without PT_GNU_STACK the kernel falls back to the architecture's default, which on
	// amd64 has long meant an executable stack (and on older kernels READ_IMPLIES_EXEC);
	// with it and no PF_X the stack is never executable. The GNU extension is described in
	// the LSB Core specification, "Program Header".
	return append(phs, elf.Prog64{
		Type: uint32(elf.PT_GNU_STACK), Flags: uint32(elf.PF_R | elf.PF_W), Align: elfStackAlign,
	})
}

// elfSymbols encodes .symtab and .strtab. Every symbol is STB_GLOBAL (so sh_info is 1, after
// the null symbol) and sorted by address, ties kept in img's order, so that the tables depend
// only on img. Names are not deduplicated: two wasm modules linked into one program may
// each have a function called "main", and tools show both.
func elfSymbols(img *Image, l *Layout, secOf [NumSegKinds]uint16, bssSec uint16) (symtab, strtab []byte) {
	syms := slices.Clone(img.Symbols)
	slices.SortStableFunc(syms, func(a, b Symbol) int {
		return cmp.Compare(l.Addr(a.Seg, a.Off), l.Addr(b.Seg, b.Off))
	})
	names := 1
	for _, s := range syms {
		names += len(s.Name) + 1
	}
	// Encoded by hand into tables sized once: binary.Append's reflection was most of the
	// time for a program's ~9 000 symbols.
	symtab = make([]byte, elfSymSize*(len(syms)+1)) // entry 0: STN_UNDEF, all zeros
	strtab = make([]byte, 1, names)                 // offset 0: the empty name
	for i, s := range syms {
		typ := elf.STT_OBJECT
		if s.Kind == SymFunc {
			typ = elf.STT_FUNC
		}
		shndx := secOf[s.Seg]
		if s.Seg == SegData && s.Off >= uint64(len(img.Data.Data)) && bssSec != 0 {
			shndx = bssSec
		}
		e := symtab[elfSymSize*(i+1):]
		binary.LittleEndian.PutUint32(e[0:], uint32(len(strtab)))  // st_name
		e[4] = elf.ST_INFO(elf.STB_GLOBAL, typ)                    // st_info
		e[5] = uint8(elf.STV_DEFAULT)                              // st_other
		binary.LittleEndian.PutUint16(e[6:], shndx)                // st_shndx
		binary.LittleEndian.PutUint64(e[8:], l.Addr(s.Seg, s.Off)) // st_value
		binary.LittleEndian.PutUint64(e[16:], s.Size)              // st_size
		strtab = append(append(strtab, s.Name...), 0)
	}
	return symtab, strtab
}

// bssAlign is the alignment .bss can honestly claim: that of its start, which follows the data
// bytes directly, capped at the segment's alignment.
func bssAlign(s *Segment) uint64 {
	a := s.align()
	for a > 1 && uint64(len(s.Data))%a != 0 {
		a /= 2
	}
	return a
}
