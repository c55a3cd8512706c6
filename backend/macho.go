package backend

import (
	"cmp"
	"crypto/sha256"
	"debug/macho"
	"encoding/binary"
	"math/bits"
	"slices"
)

// This file writes an [Image] as a Mach-O executable for macOS, loaded by dyld (DESIGN.md
// decision 9): macOS has no stable system call interface, so the program calls libSystem
// through pointers that dyld binds at startup, and the kernel runs only signed code on
// arm64. References are to Apple's <mach-o/loader.h> and <mach-o/nlist.h> (the numbers are
// in macho_consts.go), to xnu's loader (bsd/kern/mach_loader.c) and to the checks dyld makes
// before it runs a main executable (dyld3/MachOAnalyzer.cpp: validSegments, validMain,
// validLinkeditLayout, validRebaseInfo, validBindInfo).
//
// The file is an MH_EXECUTE with flags MH_DYLDLINK|MH_TWOLEVEL|MH_NOUNDEFS|MH_PIE (ld64 sets
// MH_NOUNDEFS with MH_TWOLEVEL: every import names the library that defines it; PIE is
// mandatory on arm64), and looks like this; every segment starts on a page boundary both in the file and in memory, and
// follows the one before without a gap in either (__DATA's zero-fill tail takes memory but no
// file space), so no page is mapped twice:
//
//	segment        prot   sections               contents
//	__PAGEZERO     ---                           4 GiB at address 0, nothing in the file
//	__TEXT         r-x    (headers) __text       mach header, load commands, code
//	__DATA_CONST   rw-*   __const __got          rodata, then the import slots   (if any)
//	__DATA         rw-    __data __bss           data, then zeros                (if any)
//	__LINKEDIT     r--                           rebase and bind opcodes, symbols, signature
//
// (*) __DATA_CONST has the flag SG_READ_ONLY: dyld maps it writable, applies the rebases and
// binds, and then makes it read-only. Rodata lives there rather than in __TEXT,__const
// because a position-independent image must have its absolute pointers (funcref
// descriptors hold code addresses) slid at load time, and nothing may write to __TEXT: on
// arm64 dyld refuses text relocations, and a page there would be executable besides. The
// same goes for the import slots, as ld64 places __got. Nothing is ever W+X.
//
// Fix-ups use LC_DYLD_INFO_ONLY with the classic opcode streams: REBASE_TYPE_POINTER for
// every [Image.Pointers] entry and a non-lazy BIND_TYPE_POINTER for every import, which dyld
// resolves before it calls the entry point. LC_DYLD_CHAINED_FIXUPS, ld64's default when
// targeting macOS 12 or later, is required only for arm64e; the dyld of every macOS release
// we target (11 and later on arm64, 10.13 and later on amd64) runs opcode-based images, and
// Go's linker writes its executables so. The opcodes leave the slots' file contents alone (chained fixups would
// overwrite them with chain links), so the linker's bytes are the unslid addresses and the
// file reads like the ELF one.
//
// The entry point is given by LC_MAIN, so dyld calls it as a C function main(argc, argv,
// envp, apple) on the main thread's stack, and passes its return value to exit(). Symbols
// are local (N_SECT) and named as C would name them, with a leading underscore; the imports
// are undefined external symbols of libSystem (library ordinal 1), also listed in the
// indirect symbol table for __got so that disassemblers name the slots.
//
// We cannot run Mach-O files in tests (no macOS host); they are checked by parsing with
// debug/macho, by decoding the fix-ups and the signature independently, and by llvm-objdump.

// machoBase is the address of __TEXT and the size of __PAGEZERO. xnu requires arm64 processes
// to have a "hard" page zero of 4 GiB (load_machfile), so that no 32-bit value is a valid
// pointer; ld64 uses the same on x86-64.
const machoBase = 1 << 32

const (
	machoDylinker     = "/usr/lib/dyld"
	machoLibSystem    = "/usr/lib/libSystem.B.dylib"
	machoDefaultIdent = "a.out" // the signature's identifier for an image without a Name
)

// machoPageSize is the alignment of segments: the page size of the target's kernels, 16 KiB
// on Apple silicon and 4 KiB on Intel Macs. xnu refuses a segment whose file offset is not a
// multiple of it (load_segment).
func machoPageSize(a Arch) uint64 {
	if a == ArchARM64 {
		return 0x4000
	}
	return 0x1000
}

// machoCPU is the header's cputype and cpusubtype.
func machoCPU(a Arch) (macho.Cpu, uint32) {
	if a == ArchARM64 {
		return macho.CpuArm64, cpuSubtypeARM64All
	}
	return macho.CpuAmd64, cpuSubtypeX86_64All
}

// machoMinOS is the oldest macOS the executable runs on: 11.0, the first for Apple silicon,
// and 10.13 on Intel, the first whose libSystem has every function the runtime binds
// (futimens and utimensat came in 10.13; getentropy and clock_gettime in 10.12) and whose
// loader reads LC_BUILD_VERSION (new in 10.13; older ones want LC_VERSION_MIN_MACOSX).
// LC_BUILD_VERSION's sdk field says the same, as Go's linker writes it: we link against
// no SDK, and the OS keys compatibility behaviour on the SDK version.
func machoMinOS(a Arch) uint32 {
	if a == ArchARM64 {
		return machoVersion11
	}
	return machoVersion1013
}

// machoSeg is one LC_SEGMENT_64 and its sections.
type machoSeg struct {
	hdr   macho.Segment64
	sects []macho.Section64
}

// machoPlan is what follows from the sizes of an image alone: the [Layout] its caller sees,
// and the segments and section numbers the writer needs.
type machoPlan struct {
	l        Layout
	segs     []machoSeg // in load command and address order; __LINKEDIT is last
	cmdsSize uint64     // mach header's sizeofcmds
	ncmds    uint32
	// constSeg and dataSeg index segs (and so are the segment numbers of the fix-up
	// opcodes) for __DATA_CONST and __DATA, or are -1.
	constSeg, dataSeg int
	// The 1-based section numbers that symbols refer to in n_sect, 0 for an absent section.
	sectText, sectConst, sectGot, sectData, sectBSS uint8
}

// LayoutMachO is the first step of writing img as a Mach-O executable: it assigns every
// segment its file offset and virtual address, and the import slots theirs. The caller
// resolves relocations against the result, patching img's segment bytes in place, and then
// calls [WriteMachO] with the same image and layout.
func LayoutMachO(img *Image) (*Layout, error) {
	if err := img.validate(); err != nil {
		return nil, err
	}
	if img.Target.OS != OSDarwin {
		return nil, imageErr("Mach-O writer given a %v image", img.Target)
	}
	page := machoPageSize(img.Target.Arch)
	for k := range SegKind(NumSegKinds) {
		if a := img.Segment(k).align(); a > page {
			return nil, imageErr("%v alignment %#x is larger than a page", k, a)
		}
	}
	p := planMachO(img)
	if end := p.segs[len(p.segs)-1].hdr.Addr; end-machoBase > maxSpan {
		return nil, imageErr("image spans %#x bytes of memory, more than %#x", end-machoBase, maxSpan)
	}
	return &p.l, nil
}

// planMachO lays out a valid image.
func planMachO(img *Image) *machoPlan {
	page := machoPageSize(img.Target.Arch)
	p := &machoPlan{constSeg: -1, dataSeg: -1}
	p.l.Target = img.Target
	p.l.PageSize = page

	hasRodata, hasGot := len(img.Rodata.Data) != 0, len(img.Imports) != 0
	hasData, hasBSS := len(img.Data.Data) != 0, img.Data.BSS != 0
	nsect := 1 + b2u(hasRodata) + b2u(hasGot) + b2u(hasData) + b2u(hasBSS)
	nseg := 3 + b2u(hasRodata || hasGot) + b2u(hasData || hasBSS)
	p.cmdsSize = uint64(nseg*machoSegmentSize + nsect*machoSectionSize)
	for _, n := range machoOtherCmds() {
		p.cmdsSize += n
	}
	p.ncmds = uint32(nseg + len(machoOtherCmds()))

	// newSeg returns a pointer into p.segs, which must therefore never grow: make room for all.
	p.segs = make([]machoSeg, 0, nseg)
	var sectNum uint8
	newSeg := func(name string, off, addr uint64, prot uint32) *machoSeg {
		p.segs = append(p.segs, machoSeg{hdr: macho.Segment64{
			Cmd: macho.LoadCmdSegment64, Len: machoSegmentSize, Name: name16(name), Addr: addr, Offset: off,
			Maxprot: prot, Prot: prot,
		}})
		return &p.segs[len(p.segs)-1]
	}
	addSect := func(s *machoSeg, name string, pl Placement, align, flags uint32) uint8 {
		sec := macho.Section64{Name: name16(name), Seg: s.hdr.Name, Addr: pl.Addr, Size: pl.MemSize,
			Align: align, Flags: flags}
		if flags&0xff != sZerofill {
			sec.Offset = uint32(pl.Off)
		}
		s.sects = append(s.sects, sec)
		s.hdr.Nsect++
		s.hdr.Len = uint32(machoSegmentSize + len(s.sects)*machoSectionSize)
		sectNum++
		return sectNum
	}

	newSeg("__PAGEZERO", 0, 0, vmProtNone).hdr.Memsz = machoBase

	// __TEXT maps the file from offset 0, headers included, as dyld requires.
	text := newSeg("__TEXT", 0, machoBase, vmProtRead|vmProtExecute)
	off := alignUp(machoHeaderSize+p.cmdsSize, img.Text.align())
	p.l.Segments[SegText] = Placement{Off: off, Addr: machoBase + off,
		FileSize: uint64(len(img.Text.Data)), MemSize: uint64(len(img.Text.Data))}
	p.l.Entry = p.l.Segments[SegText].Addr + img.Entry
	p.sectText = addSect(text, "__text", p.l.Segments[SegText], log2(img.Text.align()),
		sRegular|sAttrPureInstructions|sAttrSomeInstructions)
	off = alignUp(off+uint64(len(img.Text.Data)), page)
	text.hdr.Filesz, text.hdr.Memsz = off, off

	// Rodata and the import slots. An empty rodata still gets an address, that of where
	// it would start, as [Layout] promises.
	p.l.Segments[SegRodata] = Placement{Off: off, Addr: machoBase + off}
	if hasRodata || hasGot {
		p.constSeg = len(p.segs)
		seg := newSeg("__DATA_CONST", off, machoBase+off, vmProtRead|vmProtWrite)
		seg.hdr.Flag = sgReadOnly
		end := off
		if hasRodata {
			n := uint64(len(img.Rodata.Data))
			p.l.Segments[SegRodata] = Placement{Off: off, Addr: machoBase + off, FileSize: n, MemSize: n}
			p.sectConst = addSect(seg, "__const", p.l.Segments[SegRodata], log2(img.Rodata.align()), sRegular)
			end = off + n
		}
		if hasGot {
			got := alignUp(end, 8)
			n := 8 * uint64(len(img.Imports))
			p.l.Imports = Placement{Off: got, Addr: machoBase + got, FileSize: n, MemSize: n}
			// reserved1 is the got's first entry in the indirect symbol table: 0.
			p.sectGot = addSect(seg, "__got", p.l.Imports, 3, sNonLazySymbolPointers)
			end = got + n
		}
		seg.hdr.Filesz = alignUp(end, page) - off
		seg.hdr.Memsz = seg.hdr.Filesz
		off += seg.hdr.Filesz
	}

	// Data, then bss: zero-fill on demand, after the data's last page in the file.
	addr := machoBase + off
	if hasData || hasBSS {
		p.dataSeg = len(p.segs)
		seg := newSeg("__DATA", off, addr, vmProtRead|vmProtWrite)
		n := uint64(len(img.Data.Data))
		p.l.Segments[SegData] = Placement{Off: off, Addr: addr, FileSize: n, MemSize: img.Data.Size()}
		if hasData {
			p.sectData = addSect(seg, "__data", Placement{Off: off, Addr: addr, MemSize: n},
				log2(img.Data.align()), sRegular)
		}
		if hasBSS {
			p.sectBSS = addSect(seg, "__bss", Placement{Addr: addr + n, MemSize: img.Data.BSS},
				log2(bssAlign(&img.Data)), sZerofill)
		}
		seg.hdr.Filesz = alignUp(n, page)
		seg.hdr.Memsz = alignUp(img.Data.Size(), page)
		off += seg.hdr.Filesz
		addr += seg.hdr.Memsz
	}

	// __LINKEDIT's sizes are known only once its contents are built.
	newSeg("__LINKEDIT", off, addr, vmProtRead)
	return p
}

// machoOtherCmds are the sizes of the load commands after the segments, in the order they
// are written: LC_DYLD_INFO_ONLY, LC_SYMTAB, LC_DYSYMTAB, LC_LOAD_DYLINKER, LC_UUID,
// LC_BUILD_VERSION, LC_MAIN, LC_LOAD_DYLIB, LC_CODE_SIGNATURE (ld64's order). Strings in a
// load command are NUL-terminated and padded so that the next command is 8-byte aligned.
func machoOtherCmds() [9]uint64 {
	return [...]uint64{
		machoDyldInfoSize, machoSymtabSize, machoDysymtabSize,
		alignUp(machoDylinkerSize+uint64(len(machoDylinker))+1, 8),
		machoUUIDSize, machoBuildVerSize, machoMainSize,
		alignUp(machoDylibSize+uint64(len(machoLibSystem))+1, 8),
		machoLinkeditCmdSize,
	}
}

// Load commands that debug/macho has no struct for (<mach-o/loader.h>).
type (
	machoDyldInfoCmd struct { // struct dyld_info_command
		Cmd, Len                  uint32
		RebaseOff, RebaseSize     uint32
		BindOff, BindSize         uint32
		WeakBindOff, WeakBindSize uint32
		LazyBindOff, LazyBindSize uint32
		ExportOff, ExportSize     uint32
	}
	machoStrCmd struct { // struct dylinker_command: a path follows
		Cmd, Len, NameOff uint32
	}
	machoUUIDCmd struct { // struct uuid_command
		Cmd, Len uint32
		UUID     [16]byte
	}
	machoBuildVersionCmd struct { // struct build_version_command, no build_tool_version follows
		Cmd, Len, Platform, MinOS, SDK, NTools uint32
	}
	machoEntryCmd struct { // struct entry_point_command
		Cmd, Len            uint32
		EntryOff, StackSize uint64
	}
	machoLinkeditCmd struct { // struct linkedit_data_command
		Cmd, Len, DataOff, DataSize uint32
	}
)

// machoLinkedit is the contents of __LINKEDIT, each piece starting where the one before
// ends, aligned as dyld requires (validLinkeditLayout): 8 bytes for everything but the
// indirect symbols (4) and the strings (1).
type machoLinkedit struct {
	rebase, bind, symtab, indirect, strtab []byte
	nlocal, nundef                         uint32
}

// pieces are the contents in file order.
func (le *machoLinkedit) pieces() [5][]byte {
	return [...][]byte{le.rebase, le.bind, le.symtab, le.indirect, le.strtab}
}

// WriteMachO is the second step: it writes img, laid out as l by [LayoutMachO], as the bytes
// of a signed executable file. It fails if img's segment sizes, alignment, imports or target
// changed since l was computed, since l's addresses, and any relocations applied with them,
// would then be wrong.
func WriteMachO(img *Image, l *Layout) ([]byte, error) {
	want, err := LayoutMachO(img)
	if err != nil {
		return nil, err
	}
	if *want != *l {
		return nil, imageErr("layout does not match the image: segment sizes, imports or target changed after LayoutMachO")
	}
	p := planMachO(img)
	le := machoLinkeditFor(img, p)

	// __LINKEDIT: the pieces in dyld_info, symtab and dysymtab order, then the signature,
	// 16-byte aligned as codesign_allocate places it (the strings are padded to get there).
	linkedit := &p.segs[len(p.segs)-1].hdr
	rebaseOff := linkedit.Offset
	bindOff := rebaseOff + uint64(len(le.rebase))
	symOff := bindOff + uint64(len(le.bind))
	indirectOff := symOff + uint64(len(le.symtab))
	strOff := indirectOff + uint64(len(le.indirect))
	for (strOff+uint64(len(le.strtab)))%16 != 0 {
		le.strtab = append(le.strtab, 0)
	}
	sig := adhocSignature{
		ident:        cmp.Or(img.Name, machoDefaultIdent),
		codeLimit:    strOff + uint64(len(le.strtab)),
		execSegBase:  p.segs[1].hdr.Offset,
		execSegLimit: p.segs[1].hdr.Filesz,
	}
	size := sig.codeLimit + sig.size()
	linkedit.Filesz = size - linkedit.Offset
	linkedit.Memsz = alignUp(linkedit.Filesz, p.l.PageSize)

	out := make([]byte, size)
	offs := [...]uint64{rebaseOff, bindOff, symOff, indirectOff, strOff}
	cmds, uuidAt := machoLoadCommands(img, p, le, offs, machoLinkeditCmd{
		Cmd: lcCodeSignature, Len: machoLinkeditCmdSize,
		DataOff: uint32(sig.codeLimit), DataSize: uint32(sig.size()),
	})
	cpu, sub := machoCPU(img.Target.Arch)
	hdr := macho.FileHeader{
		Magic: macho.Magic64, Cpu: cpu, SubCpu: sub, Type: macho.TypeExec,
		Ncmd: p.ncmds, Cmdsz: uint32(len(cmds)),
		Flags: macho.FlagNoUndefs | macho.FlagDyldLink | macho.FlagTwoLevel | macho.FlagPIE,
	}
	if uint64(len(cmds)) != p.cmdsSize {
		panic("backend: Mach-O load commands' size miscomputed")
	}
	copy(out, mustAppend(nil, hdr))
	copy(out[machoHeaderSize:], cmds) // after mach_header_64's reserved word, left zero
	for k := range SegKind(NumSegKinds) {
		copy(out[p.l.Segments[k].Off:], img.Segment(k).Data)
	}
	for i, piece := range le.pieces() {
		copy(out[offs[i]:], piece)
	}

	// LC_UUID identifies this build to debuggers and crash reporters. It is a hash of
	// everything the signature covers, with the UUID itself still zero, in the form of an
	// RFC 9562 version 8 (custom) UUID; the signature then covers the UUID too.
	sum := sha256.Sum256(out[:sig.codeLimit])
	uuid := out[machoHeaderSize+uuidAt+8 : machoHeaderSize+uuidAt+24]
	copy(uuid, sum[:16])
	uuid[6] = uuid[6]&0x0f | 0x80
	uuid[8] = uuid[8]&0x3f | 0x80

	sig.sign(out)
	return out, nil
}

// machoLoadCommands encodes every load command, returning them and the offset of LC_UUID
// among them. offs are the file offsets of the rebase opcodes, bind opcodes, symbols,
// indirect symbols and strings.
func machoLoadCommands(img *Image, p *machoPlan, le *machoLinkedit, offs [5]uint64, sig machoLinkeditCmd) (cmds []byte, uuidAt int) {
	for _, s := range p.segs {
		cmds = mustAppend(cmds, s.hdr)
		for _, sec := range s.sects {
			cmds = mustAppend(cmds, sec)
		}
	}
	at := func(i int, piece []byte) uint32 { // an absent piece has offset 0, as ld64 writes
		if len(piece) == 0 {
			return 0
		}
		return uint32(offs[i])
	}
	cmds = mustAppend(cmds, machoDyldInfoCmd{
		Cmd: lcDyldInfoOnly, Len: machoDyldInfoSize,
		RebaseOff: at(0, le.rebase), RebaseSize: uint32(len(le.rebase)),
		BindOff: at(1, le.bind), BindSize: uint32(len(le.bind)),
	})
	nsyms := le.nlocal + le.nundef
	cmds = mustAppend(cmds, macho.SymtabCmd{
		Cmd: macho.LoadCmdSymtab, Len: machoSymtabSize,
		Symoff: at(2, le.symtab), Nsyms: nsyms,
		Stroff: at(4, le.strtab), Strsize: uint32(len(le.strtab)),
	})
	cmds = mustAppend(cmds, macho.DysymtabCmd{
		Cmd: macho.LoadCmdDysymtab, Len: machoDysymtabSize,
		Ilocalsym: 0, Nlocalsym: le.nlocal,
		Iextdefsym: le.nlocal, Nextdefsym: 0,
		Iundefsym: le.nlocal, Nundefsym: le.nundef,
		Indirectsymoff: at(3, le.indirect), Nindirectsyms: uint32(len(le.indirect) / 4),
	})
	cmds = appendStrCmd(cmds, mustAppend(nil, machoStrCmd{Cmd: lcLoadDylinker, NameOff: machoDylinkerSize}), machoDylinker)
	uuidAt = len(cmds)
	cmds = mustAppend(cmds, machoUUIDCmd{Cmd: lcUUID, Len: machoUUIDSize})
	minOS := machoMinOS(img.Target.Arch)
	cmds = mustAppend(cmds, machoBuildVersionCmd{
		Cmd: lcBuildVersion, Len: machoBuildVerSize, Platform: platformMacOS, MinOS: minOS, SDK: minOS,
	})
	cmds = mustAppend(cmds, machoEntryCmd{
		Cmd: lcMain, Len: machoMainSize,
		EntryOff:  p.l.Entry - machoBase, // an offset in __TEXT, which starts at file offset 0
		StackSize: 0,                     // the default main-thread stack
	})
	cmds = appendStrCmd(cmds, mustAppend(nil, macho.DylibCmd{
		Cmd: macho.LoadCmdDylib, Name: machoDylibSize, Time: machoDylibTimestamp,
		CurrentVersion: machoDylibCompat, CompatVersion: machoDylibCompat,
	}), machoLibSystem)
	return mustAppend(cmds, sig), uuidAt
}

// appendStrCmd appends a load command whose fixed part is head, followed by the string s,
// setting its cmdsize (the second word) to the padded length.
func appendStrCmd(cmds, head []byte, s string) []byte {
	start := len(cmds)
	cmds = append(append(append(cmds, head...), s...), 0)
	for (len(cmds)-start)%8 != 0 {
		cmds = append(cmds, 0)
	}
	binary.LittleEndian.PutUint32(cmds[start+4:], uint32(len(cmds)-start))
	return cmds
}

// machoLinkeditFor builds the fix-up opcodes and the symbol tables.
func machoLinkeditFor(img *Image, p *machoPlan) *machoLinkedit {
	le := &machoLinkedit{}

	// Rebases, sorted by segment and offset so that runs of adjacent pointers (a table's
	// elements) become one opcode.
	type loc struct {
		seg uint8
		off uint64
	}
	segOf := func(k SegKind) int {
		if k == SegRodata {
			return p.constSeg
		}
		return p.dataSeg
	}
	locs := make([]loc, len(img.Pointers))
	for i, ptr := range img.Pointers {
		s := segOf(ptr.Seg)
		locs[i] = loc{uint8(s), p.l.Addr(ptr.Seg, ptr.Off) - p.segs[s].hdr.Addr}
	}
	slices.SortFunc(locs, func(a, b loc) int { return cmp.Or(cmp.Compare(a.seg, b.seg), cmp.Compare(a.off, b.off)) })
	if len(locs) != 0 {
		b := []byte{rebaseOpSetTypeImm | rebaseTypePointer}
		for i := 0; i < len(locs); {
			j := i + 1
			for j < len(locs) && locs[j].seg == locs[i].seg && locs[j].off == locs[j-1].off+8 {
				j++
			}
			b = append(b, rebaseOpSetSegmentAndOffsetULEB|locs[i].seg)
			b = binary.AppendUvarint(b, locs[i].off) // ULEB128
			if n := j - i; n <= rebaseImmediateMask {
				b = append(b, rebaseOpDoRebaseImmTimes|byte(n))
			} else {
				b = binary.AppendUvarint(append(b, rebaseOpDoRebaseULEBTimes), uint64(n))
			}
			i = j
		}
		le.rebase = padTo(append(b, rebaseOpDone), 8)
	}

	// Binds: one per import slot, all from libSystem, the first LC_LOAD_DYLIB.
	if len(img.Imports) != 0 {
		b := []byte{bindOpSetDylibOrdinalImm | 1, bindOpSetTypeImm | bindTypePointer}
		got := p.l.Imports.Addr - p.segs[p.constSeg].hdr.Addr
		for i, imp := range img.Imports {
			b = append(b, bindOpSetSymbolTrailingFlagsImm) // no flags: a strong import
			b = append(append(append(b, '_'), imp.Name...), 0)
			b = append(b, bindOpSetSegmentAndOffsetULEB|uint8(p.constSeg))
			b = binary.AppendUvarint(b, got+8*uint64(i))
			b = append(b, bindOpDoBind)
		}
		le.bind = padTo(append(b, bindOpDone), 8)
	}

	// The string table begins with " \0", as ld64's does, so that no symbol has offset 0,
	// which means "no name".
	le.strtab = []byte{' ', 0}
	addSym := func(name string, typ, sect uint8, desc uint16, value uint64) {
		le.symtab = mustAppend(le.symtab, macho.Nlist64{
			Name: uint32(len(le.strtab)), Type: typ, Sect: sect, Desc: desc, Value: value,
		})
		le.strtab = append(append(append(le.strtab, '_'), name...), 0)
	}
	// Local symbols in address order, ties in img's order, as the ELF writer sorts them.
	syms := slices.Clone(img.Symbols)
	slices.SortStableFunc(syms, func(a, b Symbol) int {
		return cmp.Compare(p.l.Addr(a.Seg, a.Off), p.l.Addr(b.Seg, b.Off))
	})
	secOf := [NumSegKinds]uint8{SegText: p.sectText, SegRodata: p.sectConst, SegData: p.sectData}
	for _, s := range syms {
		sect := secOf[s.Seg]
		if s.Seg == SegData && s.Off >= uint64(len(img.Data.Data)) && p.sectBSS != 0 {
			sect = p.sectBSS
		}
		addSym(s.Name, nSect, sect, 0, p.l.Addr(s.Seg, s.Off))
	}
	le.nlocal = uint32(len(syms))
	// Undefined symbols sorted by name (<mach-o/loader.h>, struct dysymtab_command); the
	// indirect symbol table lists them again in slot order.
	order := make([]int, len(img.Imports))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(img.Imports[a].Name, img.Imports[b].Name) })
	index := make([]uint32, len(img.Imports))
	for rank, i := range order {
		addSym(img.Imports[i].Name, nUndf|nExt, 0, 1<<nDescLibOrdinalShift, 0)
		index[i] = le.nlocal + uint32(rank)
	}
	le.nundef = uint32(len(order))
	for _, ix := range index {
		le.indirect = binary.LittleEndian.AppendUint32(le.indirect, ix)
	}
	return le
}

// mustAppend appends the little-endian encoding of v, a fixed-size struct.
func mustAppend(b []byte, v any) []byte {
	b, err := binary.Append(b, binary.LittleEndian, v)
	if err != nil {
		panic("backend: " + err.Error()) // v is not fixed-size: a bug here
	}
	return b
}

// name16 is a segment or section name as Mach-O stores it: 16 bytes, NUL-padded.
func name16(s string) (n [16]byte) {
	copy(n[:], s)
	return n
}

func padTo(b []byte, a int) []byte {
	for len(b)%a != 0 {
		b = append(b, 0)
	}
	return b
}

func log2(a uint64) uint32 { return uint32(bits.TrailingZeros64(a)) }

func b2u(b bool) int {
	if b {
		return 1
	}
	return 0
}
