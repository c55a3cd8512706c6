package asmcheck

import (
	"bytes"
	"debug/elf"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// A decoder disassembles one architecture's code. sym names the symbol containing an
// address, for operands that refer to one.
type decoder struct {
	arch   string
	decode func(code []byte, addr uint64, sym symLookup) []Inst
}

// symLookup returns the name and start of the symbol containing addr, or "" (the shape of
// x86asm.SymLookup).
type symLookup func(addr uint64) (name string, base uint64)

// decoders holds one disassembler per ELF machine: checking another architecture's code
// takes one entry here (and a decode function beside decodeAMD64).
var decoders = map[elf.Machine]decoder{
	elf.EM_X86_64:  {"amd64", decodeAMD64},
	elf.EM_AARCH64: {"arm64", decodeARM64},
}

// Arches returns the architectures whose executables [ELF] can disassemble, sorted.
func Arches() []string {
	var arches []string
	for _, d := range decoders {
		arches = append(arches, d.arch)
	}
	slices.Sort(arches)
	return arches
}

// ELF disassembles every function symbol of the ELF executable exe and returns its
// architecture's name (as check lines write it) and the disassembly.
func ELF(exe []byte) (arch string, d Disasm, err error) {
	f, err := elf.NewFile(bytes.NewReader(exe))
	if err != nil {
		return "", nil, err
	}
	dec, ok := decoders[f.Machine]
	if !ok {
		return "", nil, fmt.Errorf("no disassembler for %v (have: %s)", f.Machine, strings.Join(Arches(), ", "))
	}
	syms, err := f.Symbols()
	if err != nil {
		return "", nil, err
	}
	// Named symbols sorted by address, for lookup; the executable's symbols do not overlap.
	syms = slices.DeleteFunc(syms, func(s elf.Symbol) bool { return s.Name == "" })
	sort.SliceStable(syms, func(i, j int) bool { return syms[i].Value < syms[j].Value })
	lookup := func(addr uint64) (string, uint64) {
		i := sort.Search(len(syms), func(i int) bool { return syms[i].Value > addr }) - 1
		if i < 0 {
			return "", 0
		}
		s := syms[i]
		if addr == s.Value || addr < s.Value+s.Size {
			return s.Name, s.Value
		}
		return "", 0
	}
	d = Disasm{}
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Section == elf.SHN_UNDEF || int(s.Section) >= len(f.Sections) {
			continue
		}
		sec := f.Sections[s.Section]
		if s.Value < sec.Addr || s.Value+s.Size > sec.Addr+sec.Size {
			return "", nil, fmt.Errorf("symbol %s [%#x, +%#x) lies outside its section %s", s.Name, s.Value, s.Size, sec.Name)
		}
		code := make([]byte, s.Size)
		if _, err := sec.ReadAt(code, int64(s.Value-sec.Addr)); err != nil {
			return "", nil, fmt.Errorf("symbol %s: %v", s.Name, err)
		}
		d[s.Name] = dec.decode(code, s.Value, lookup)
	}
	return dec.arch, d, nil
}
