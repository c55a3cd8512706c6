package asmcheck

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The code of tinyELF's two functions, $f at 0x401000 and $g at 0x401020.
var (
	codeF = []byte{
		0x8d, 0x47, 0x0c, // lea eax, [rdi+0xc]
		0x48, 0x3b, 0x25, 0xf6, 0x0f, 0x00, 0x00, // cmp rsp, [rip+0xff6]: 0x402000, the limit
		0x0f, 0x97, 0xc0, // seta al (Intel syntax: setnbe)
		0x73, 0x05, // jae +5 (jnb)
		0xe8, 0x0c, 0x00, 0x00, 0x00, // call $g
		0x0f, 0x4c, 0xc1, // cmovl eax, ecx (cmovnge)
		0xc3, // ret
	}
	codeG = []byte{
		0x06, // push es: no instruction in 64-bit mode
		0xc3, // ret
	}
)

// tinyELF is an x86-64 ELF object with codeF and codeG in .text, function symbols for
// both, and an absolute symbol "limit" at 0x402000: the least debug/elf needs to read
// symbols and sections, written by hand so that the test needs no assembler.
func tinyELF(machine elf.Machine) []byte {
	const textAddr, textOff = 0x401000, 0x40
	text := append(slices.Clone(codeF), bytes.Repeat([]byte{0xcc}, 0x20-len(codeF))...)
	text = append(text, codeG...)
	strtab := []byte("\x00$f\x00$g\x00limit\x00")
	shstrtab := []byte("\x00.text\x00.symtab\x00.strtab\x00.shstrtab\x00")
	le := binary.LittleEndian
	var symtab []byte
	sym := func(name uint32, info byte, shndx uint16, value, size uint64) {
		symtab = le.AppendUint32(symtab, name)
		symtab = append(symtab, info, 0)
		symtab = le.AppendUint16(symtab, shndx)
		symtab = le.AppendUint64(symtab, value)
		symtab = le.AppendUint64(symtab, size)
	}
	global := func(t elf.SymType) byte { return byte(elf.STB_GLOBAL)<<4 | byte(t) }
	sym(0, 0, 0, 0, 0)
	sym(1, global(elf.STT_FUNC), 1, textAddr, uint64(len(codeF)))
	sym(4, global(elf.STT_FUNC), 1, textAddr+0x20, uint64(len(codeG)))
	sym(7, global(elf.STT_OBJECT), uint16(elf.SHN_ABS), 0x402000, 8)

	body := [][]byte{text, symtab, strtab, shstrtab}
	offs := []uint64{textOff}
	for _, b := range body[:3] {
		offs = append(offs, offs[len(offs)-1]+uint64(len(b)))
	}
	shoff := offs[3] + uint64(len(shstrtab))
	out := make([]byte, 0, shoff+5*64)
	out = append(out, 0x7f, 'E', 'L', 'F', byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT))
	out = append(out, make([]byte, 16-len(out))...)
	out = le.AppendUint16(out, uint16(elf.ET_EXEC))
	out = le.AppendUint16(out, uint16(machine))
	out = le.AppendUint32(out, uint32(elf.EV_CURRENT))
	out = le.AppendUint64(out, textAddr) // entry
	out = le.AppendUint64(out, 0)        // no program headers
	out = le.AppendUint64(out, shoff)
	out = le.AppendUint32(out, 0)  // flags
	out = le.AppendUint16(out, 64) // header size
	out = le.AppendUint16(out, 56) // program header size
	out = le.AppendUint16(out, 0)  // program headers
	out = le.AppendUint16(out, 64) // section header size
	out = le.AppendUint16(out, 5)  // sections
	out = le.AppendUint16(out, 4)  // .shstrtab
	for _, b := range body {
		out = append(out, b...)
	}
	shdr := func(name uint32, typ elf.SectionType, flags elf.SectionFlag, addr, off, size uint64, link, info uint32, entsize uint64) {
		out = le.AppendUint32(out, name)
		out = le.AppendUint32(out, uint32(typ))
		out = le.AppendUint64(out, uint64(flags))
		out = le.AppendUint64(out, addr)
		out = le.AppendUint64(out, off)
		out = le.AppendUint64(out, size)
		out = le.AppendUint32(out, link)
		out = le.AppendUint32(out, info)
		out = le.AppendUint64(out, 16) // alignment
		out = le.AppendUint64(out, entsize)
	}
	shdr(0, elf.SHT_NULL, 0, 0, 0, 0, 0, 0, 0)
	shdr(1, elf.SHT_PROGBITS, elf.SHF_ALLOC|elf.SHF_EXECINSTR, textAddr, offs[0], uint64(len(text)), 0, 0, 0)
	shdr(7, elf.SHT_SYMTAB, 0, 0, offs[1], uint64(len(symtab)), 3, 1, 24)
	shdr(15, elf.SHT_STRTAB, 0, 0, offs[2], uint64(len(strtab)), 0, 0, 0)
	shdr(23, elf.SHT_STRTAB, 0, 0, offs[3], uint64(len(shstrtab)), 0, 0, 0)
	return out
}

// TestELF: function symbols are sliced from .text by their sizes (the padding between them
// is no instruction), and decoded in the syntax doc.go describes: Intel operand order,
// GNU condition names, lea without "ptr", symbols for RIP-relative operands and calls, and
// a byte that does not decode is reported and skipped.
func TestELF(t *testing.T) {
	arch, d, err := ELF(tinyELF(elf.EM_X86_64))
	if err != nil {
		t.Fatal(err)
	}
	if arch != "amd64" {
		t.Errorf("arch %q, want amd64", arch)
	}
	want := Disasm{
		"$f": {
			{0x401000, "lea eax, [rdi+0xc]"},
			{0x401003, "cmp rsp, qword ptr [limit]"},
			{0x40100a, "seta al"},
			{0x40100d, "jae 0x401014"},
			{0x40100f, "call $g"},
			{0x401014, "cmovl eax, ecx"},
			{0x401017, "ret"},
		},
		"$g": {
			{0x401020, "(bad) 0x06"},
			{0x401021, "ret"},
		},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("disassembly (-want +got):\n%s", diff)
	}
}

func TestELFUnknownMachine(t *testing.T) {
	_, _, err := ELF(tinyELF(elf.EM_RISCV))
	if err == nil || !strings.Contains(err.Error(), "no disassembler for EM_RISCV (have: amd64, arm64)") {
		t.Errorf("got %v", err)
	}
}
