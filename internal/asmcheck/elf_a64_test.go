package asmcheck

import (
	"debug/elf"
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// a64 lays out A64 instruction words in memory order.
func a64(words ...uint32) []byte {
	var b []byte
	for _, w := range words {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return b
}

// TestELFARM64: an AArch64 executable is decoded in GNU syntax with its PC-relative
// operands resolved as doc.go describes: branch targets by symbol or address, an adrp
// paired with the add or load after it by symbol on both, an adrp alone by its page; a
// word that does not decode, and bytes short of a word, are reported and skipped.
func TestELFARM64(t *testing.T) {
	f := a64(
		0x11003000, // add w0, w0, #12
		0xeb02003f, // cmp x1, x2
		0x54000042, // b.cs +8
		0x9400000d, // bl +0x34: $g
		0xb0000010, // adrp x16, +1 page: limit's
		0xf9400211, // ldr x17, [x16]
		0xb0000010, // adrp x16, +1 page, used by nothing after it
		0x1a9f07e0, // cset w0, ne
		0xb0000010, // adrp x16, +1 page
		0x91001210, // add x16, x16, #4: limit+4
		0xb4fffec0, // cbz x0, -0x28: $f
		0xd65f03c0, // ret
	)
	g := append(a64(0x00000000, 0xd65f03c0), 0x1f, 0x20) // no instruction, ret, half a word
	arch, d, err := ELF(tinyELF(elf.EM_AARCH64, f, g, 0x40))
	if err != nil {
		t.Fatal(err)
	}
	if arch != "arm64" {
		t.Errorf("arch %q, want arm64", arch)
	}
	want := Disasm{
		"$f": {
			{0x401000, "add w0, w0, #0xc"},
			{0x401004, "cmp x1, x2"},
			{0x401008, "b.cs 0x401010"},
			{0x40100c, "bl $g"},
			{0x401010, "adrp x16, limit"},
			{0x401014, "ldr x17, [x16,#:lo12:limit]"},
			{0x401018, "adrp x16, 0x402000"},
			{0x40101c, "cset w0, ne"},
			{0x401020, "adrp x16, limit+0x4"},
			{0x401024, "add x16, x16, #:lo12:limit+0x4"},
			{0x401028, "cbz x0, $f"},
			{0x40102c, "ret"},
		},
		"$g": {
			{0x401040, "(bad) 0x00000000"},
			{0x401044, "ret"},
			{0x401048, "(bad) 0x1f"},
			{0x401049, "(bad) 0x20"},
		},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("disassembly (-want +got):\n%s", diff)
	}
}
